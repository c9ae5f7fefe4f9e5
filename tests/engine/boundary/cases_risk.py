"""Boundary cases of RISK_CONCERNS and SEVERITY_STEP (CLINICAL-RULES revision 2), among them the
sentinel the revision was written for: a PHQ-9 of 27 with item 9 scored 3 and a same-day
"concerns recorded" entry, which showed no flag at all."""

from __future__ import annotations

from .builder import Case, Discussion
from .builder import Contact as K

RC, SS = "RISK_CONCERNS", "SEVERITY_STEP"
PLAN = "risk plan: safety plan reviewed, crisis numbers given; review in 4 weeks"


def planned(ago, review, decision="none"):
    """A signed discussion recording a risk plan and a review date (a qualifying discussion)."""
    return Discussion(ago, risk_plan=PLAN, risk_review=review, decision=decision)


def scores(phq9, gad7=None, *, item9=0, start=60, anxiety="gad7"):
    """Attended treatment contacts 10 days apart, the last carrying ``item9``."""
    gad7 = gad7 or [5] * len(phq9)
    return tuple(
        K(
            start - 10 * i,
            "assessment_and_treatment" if i == 0 else "treatment",
            scores={"phq9": p, anxiety: g},
            item9=item9 if i == len(phq9) - 1 else 0,
        )
        for i, (p, g) in enumerate(zip(phq9, gad7, strict=True))
    )


def item9_series(*answers):
    """PHQ-9s of 12 at treatment contacts 60, 50, 40... days ago with these item 9 answers."""
    return tuple(
        K(60 - 10 * i, scores={"phq9": 12, "gad7": 5}, item9=answer)
        for i, answer in enumerate(answers)
    )


def risk(name, expected, *, team="tt", **kw):
    return Case(name, RC, expected, team=team, received=kw.pop("received", 70), **kw)


def severity(name, expected, phq9, gad7=None, *, item9=0, step=2, **kw):
    referral = {"step": step, **kw.pop("referral", {})}
    anxiety = kw.pop("anxiety", "gad7")
    contacts = scores(phq9, gad7, item9=item9, anxiety=anxiety)
    return Case(name, SS, expected, received=70, referral=referral, contacts=contacts, **kw)


CASES = [
    # RISK_CONCERNS, Talking Therapies: item 9 at 2 or more (the last contact is 50 days ago).
    risk("RISK_CONCERNS-nothing", "clear", contacts=scores([12, 12])),
    risk("RISK_CONCERNS-item9-1", "clear", contacts=scores([12, 12], item9=1)),
    risk("RISK_CONCERNS-item9-2", "red", contacts=scores([12, 12], item9=2)),
    # The sentinel: PHQ-9 27, item 9 = 3, a same-day risk entry recording concerns. The entry
    # clears PHQ9_ITEM9 (a risk review), and RISK_CONCERNS carries it.
    risk(
        "RISK_CONCERNS-phq9-27-item9-3-same-day-entry",
        "red",
        contacts=scores([27, 27], [19, 19], item9=3),
        risks=((50, None, False),),
    ),
    Case(
        "PHQ9_ITEM9-phq9-27-item9-3-same-day-entry",
        "PHQ9_ITEM9",
        "clear",
        received=70,
        contacts=scores([27, 27], [19, 19], item9=3),
        risks=((50, None, False),),
    ),
    # Entries: concerns recorded or not; crisis, self-harm and admission events.
    risk("RISK_CONCERNS-entry-concerns", "red", risks=((5, None, False),)),
    risk("RISK_CONCERNS-entry-no-concerns", "clear", risks=((5, None, False, False),)),
    risk("RISK_CONCERNS-self-harm", "red", events=(5,)),
    risk("RISK_CONCERNS-crisis-contact", "red", events=((5, "crisis_contact"),)),
    risk("RISK_CONCERNS-admission", "red", events=((5, "admission"),)),
    risk("RISK_CONCERNS-discharge-only", "clear", events=((5, "discharge_from_hospital"),)),
    # A qualifying discussion on or after the evidence: amber while the concerns persist.
    risk(
        "RISK_CONCERNS-discussed-same-day",
        "amber",
        risks=((5, None, False),),
        discussions=(planned(5, -20),),
    ),
    risk(
        "RISK_CONCERNS-discussed-day-before",
        "red",
        risks=((5, None, False),),
        discussions=(planned(6, -20),),
    ),
    risk(
        "RISK_CONCERNS-mention-without-plan",
        "red",
        risks=((5, None, False),),
        discussions=(Discussion(3),),
    ),
    risk(
        "RISK_CONCERNS-plan-without-review-date",
        "red",
        risks=((5, None, False),),
        discussions=(Discussion(3, risk_plan=PLAN),),
    ),
    risk(
        "RISK_CONCERNS-plan-unsigned",
        "red",
        risks=((5, None, False),),
        discussions=(Discussion(3, signed=False, risk_plan=PLAN, risk_review=-20),),
    ),
    # The review date: red again on it, amber the day before.
    risk(
        "RISK_CONCERNS-review-tomorrow",
        "amber",
        risks=((5, None, False),),
        discussions=(planned(3, -1),),
    ),
    risk(
        "RISK_CONCERNS-review-today",
        "red",
        risks=((5, None, False),),
        discussions=(planned(3, 0),),
    ),
    risk(
        "RISK_CONCERNS-resolved-after-discussion",
        "clear",
        risks=((20, None, False), (10, None, False, False)),
        discussions=(planned(15, -20),),
    ),
    risk(
        "RISK_CONCERNS-resolved-review-passed",
        "clear",
        risks=((20, None, False), (10, None, False, False)),
        discussions=(planned(15, 1),),
    ),
    risk(
        "RISK_CONCERNS-same-concerns-again-after-discussion",
        "amber",
        risks=((20, None, False), (10, None, False)),
        discussions=(planned(15, -20),),
    ),
    risk(
        "RISK_CONCERNS-new-concern-after-discussion",
        "red",
        risks=((20, None, False), (17, None, False, False), (10, None, False)),
        discussions=(planned(15, -20),),
    ),
    risk(
        "RISK_CONCERNS-item9-persists-after-discussion",
        "amber",
        contacts=scores([12, 12], item9=2),
        discussions=(planned(45, -20),),
    ),
    # An item 9 that stays at 2 is not new evidence at each session; one that returns to 2 is.
    risk(
        "RISK_CONCERNS-item9-stays-at-2-after-discussion",
        "amber",
        contacts=item9_series(2, 2, 2),
        discussions=(planned(55, -20),),
    ),
    risk(
        "RISK_CONCERNS-item9-back-to-2-after-discussion",
        "red",
        contacts=item9_series(2, 1, 2),
        discussions=(planned(55, -20),),
    ),
    risk(
        "RISK_CONCERNS-event-after-discussion",
        "red",
        risks=((20, None, False),),
        events=(10,),
        discussions=(planned(15, -20),),
    ),
    # Community: a new or escalated concern, a high level, or the high-risk (zoning) list.
    # The first entry is the baseline formulated at assessment (ADR 19) unless high or listed.
    risk("RISK_CONCERNS-cmh-first-concern", "clear", team="cmh", risks=((10, "medium", False),)),
    risk("RISK_CONCERNS-cmh-first-high", "red", team="cmh", risks=((10, "high", False),)),
    risk("RISK_CONCERNS-cmh-first-listed", "red", team="cmh", risks=((10, "low", True),)),
    risk(
        "RISK_CONCERNS-cmh-steady-never-discussed",
        "clear",
        team="cmh",
        risks=((40, "medium", False), (10, "medium", False)),
    ),
    risk(
        "RISK_CONCERNS-cmh-steady-after-discussion",
        "amber",
        team="cmh",
        risks=((40, "medium", False), (10, "medium", False)),
        discussions=(planned(30, -60),),
    ),
    risk(
        "RISK_CONCERNS-cmh-escalated-after-discussion",
        "red",
        team="cmh",
        risks=((40, "medium", False), (10, "high", False)),
        discussions=(planned(30, -60),),
    ),
    risk(
        "RISK_CONCERNS-cmh-new-concern-after-none",
        "red",
        team="cmh",
        risks=((40, "low", False, False), (10, "low", False)),
        discussions=(planned(30, -60),),
    ),
    risk(
        "RISK_CONCERNS-cmh-listed-discussed",
        "amber",
        team="cmh",
        risks=((10, "low", True),),
        discussions=(planned(5, -30),),
    ),
    risk("RISK_CONCERNS-cmh-self-harm", "red", team="cmh", events=(5,)),
    # After a qualifying discussion, baseline concerns that persist are amber, and red again at
    # the review date (the December 2026 worksheet: referrals 101 and 1811).
    risk(
        "RISK_CONCERNS-cmh-baseline-discussed-review-ahead",
        "amber",
        team="cmh",
        risks=((40, "medium", False),),
        discussions=(planned(30, -1),),
    ),
    risk(
        "RISK_CONCERNS-cmh-baseline-discussed-review-passed",
        "red",
        team="cmh",
        risks=((40, "medium", False),),
        discussions=(planned(30, 0),),
    ),
    # RECOVERED and READY_TO_STEP_DOWN are not raised beside RISK_CONCERNS.
    Case(
        "RECOVERED-held-by-risk-concerns",
        "RECOVERED",
        "clear",
        received=70,
        contacts=scores([15, 9, 8], [10, 5, 5]),
        risks=((5, None, False),),
    ),
    Case(
        "RECOVERED-held-by-risk-concerns-amber",
        "RECOVERED",
        "clear",
        received=70,
        contacts=scores([15, 9, 8], [10, 5, 5]),
        risks=((5, None, False),),
        discussions=(planned(4, -20),),
    ),
    Case(
        "RECOVERED-after-concerns-resolved",
        "RECOVERED",
        "amber",
        received=70,
        contacts=scores([15, 9, 8], [10, 5, 5]),
        risks=((25, None, False), (5, None, False, False)),
        discussions=(planned(20, -20),),
    ),
    # SEVERITY_STEP, step 2: the latest PHQ-9 or GAD-7 at 15 (the last measure 50 days ago).
    severity("SEVERITY_STEP-phq9-14", "clear", [14, 14]),
    severity("SEVERITY_STEP-phq9-15", "amber", [15, 15]),
    severity("SEVERITY_STEP-phq9-27", "amber", [27, 27]),
    severity("SEVERITY_STEP-gad7-14", "clear", [8, 8], [14, 14]),
    severity("SEVERITY_STEP-gad7-15", "amber", [8, 8], [15, 15]),
    severity("SEVERITY_STEP-earlier-severe-now-14", "clear", [18, 14]),
    severity(
        "SEVERITY_STEP-continue-agreed-after-first",
        "clear",
        [16, 16],
        discussions=(Discussion(55, decision="continue_at_step"),),
    ),
    severity(
        "SEVERITY_STEP-continue-agreed-on-first",
        "clear",
        [16, 16],
        discussions=(Discussion(60, decision="continue_at_step"),),
    ),
    severity(
        "SEVERITY_STEP-continue-agreed-before-first",
        "amber",
        [16, 16],
        discussions=(Discussion(61, decision="continue_at_step"),),
    ),
    severity(
        "SEVERITY_STEP-continue-unsigned",
        "amber",
        [16, 16],
        discussions=(Discussion(55, signed=False, decision="continue_at_step"),),
    ),
    severity(
        "SEVERITY_STEP-again-item9-2",
        "amber",
        [16, 16, 16],
        item9=2,
        discussions=(Discussion(45, decision="continue_at_step"),),
    ),
    severity(
        "SEVERITY_STEP-not-again-item9-1",
        "clear",
        [16, 16, 16],
        item9=1,
        discussions=(Discussion(45, decision="continue_at_step"),),
    ),
    severity(
        "SEVERITY_STEP-again-reliable-rise",
        "amber",
        [15, 15, 21],
        discussions=(Discussion(45, decision="continue_at_step"),),
    ),
    severity(
        "SEVERITY_STEP-not-again-rise-below-reliable",
        "clear",
        [15, 15, 20],
        discussions=(Discussion(45, decision="continue_at_step"),),
    ),
    severity("SEVERITY_STEP-step-up-pending", "clear", [20, 20], step_changes=((10, None, 3),)),
    severity(
        "SEVERITY_STEP-adsm-no-severe-cut-off",
        "cannot_assess",
        [12, 12],
        [40, 40],
        anxiety="spin",
        referral={"problem_descriptor": "social_anxiety"},
    ),
    severity(
        "SEVERITY_STEP-adsm-not-recorded",
        "cannot_assess",
        [12, 12],
        [20, 20],
        anxiety="wsas",
        referral={"problem_descriptor": "social_anxiety"},
    ),
    severity(
        "SEVERITY_STEP-adsm-phq9-severe",
        "amber",
        [16, 16],
        [40, 40],
        anxiety="spin",
        referral={"problem_descriptor": "social_anxiety"},
    ),
    # Step 3: PHQ-9 at 20 with item 9 at 2 or risk concerns: consider secondary care.
    severity("SEVERITY_STEP-step3-phq9-19-item9-3", "clear", [19, 19], item9=3, step=3),
    severity("SEVERITY_STEP-step3-phq9-20-item9-1", "clear", [20, 20], item9=1, step=3),
    severity("SEVERITY_STEP-step3-phq9-20-item9-2", "amber", [20, 20], item9=2, step=3),
    severity(
        "SEVERITY_STEP-step3-phq9-20-concerns",
        "amber",
        [20, 20],
        step=3,
        risks=((45, None, False),),
    ),
    Case(
        "SEVERITY_STEP-cmh",
        SS,
        "not_applicable",
        team="cmh",
        received=70,
        contacts=scores([20, 20]),
    ),
]
