"""Boundary cases of the safety, care document, ownership, supervision and pathway flags
(rules/oversight.py). Calendar months from AS_OF 2026-11-20: 6 months before is 2026-05-20
(184 days ago), 12 months before is 2025-11-20 (365 days ago), and 12 months before
AS_OF + 30 days is 2025-12-20 (335 days ago)."""

from __future__ import annotations

from .builder import Case, Discussion, days_ago
from .builder import Contact as K
from .cases_risk import CASES as RISK_CONCERNS_CASES


def cmh(name, flag, expected, **kw):
    return Case(name, flag, expected, team=kw.pop("team", "cmh"), **kw)


def outcomes(name, expected, assessed, *measured_at, team="cmh", **scores):
    contacts = [K(assessed, "assessment")]
    contacts += [K(ago, "review", scores=scores) for ago in measured_at]
    return Case(
        name, "OUTCOME_DUE", expected, team=team, received=assessed + 10, contacts=tuple(contacts)
    )


BOTH = {"honos": 12, "dialog": 4}


def scored(*rows):
    """Attended treatment contacts (days ago, PHQ-9, GAD-7)."""
    return tuple(K(ago, scores={"phq9": p, "gad7": g}) for ago, p, g in rows)


def tt_goals(name, expected, *rows):
    """A Talking Therapies case with goals met 5 days ago and these scores."""
    referral = {"goals_met_on": days_ago(5)}
    return Case(
        name, "READY_TO_STEP_DOWN", expected, received=70, referral=referral, contacts=scored(*rows)
    )


DOCS = (("care_plan", 40, -30), ("safety_summary", 40, -30), ("safety_plan", 40, -30))


def docs(name, expected, allocated, *documents, team="cmh"):
    return Case(name, "CARE_DOCS", expected, team=team, received=allocated, documents=documents)


def plan(name, expected, plan_ago, *events, team="cmh"):
    documents = () if plan_ago is None else (("safety_plan", plan_ago, None),)
    return Case(
        name,
        "SAFETY_PLAN_STALE",
        expected,
        team=team,
        received=60,
        documents=documents,
        events=events,
    )


def discussed(name, expected, ago=None, *, signed=True, lead_from=400, team="cmh"):
    talks = () if ago is None else (Discussion(ago, signed),)
    return Case(
        name,
        "NOT_DISCUSSED",
        expected,
        team=team,
        received=max(lead_from, 400),
        lead_from=lead_from,
        discussions=talks,
    )


def transfer(name, expected, since, *talks):
    return Case(
        name,
        "TRANSFER_REVIEW",
        expected,
        received=200,
        lead_from=since,
        care_team=(("leaver", "lead", 150, since + 1),),
        discussions=talks,
    )


def agreed(name, expected, ago, decision="discharge", signed=True):
    return Case(
        name,
        "DISCHARGE_AGREED_NOT_DONE",
        expected,
        team="cmh",
        received=200,
        discussions=(Discussion(ago, signed, decision),),
    )


def stage(name, expected, stage_name, entered, team="cmh"):
    referral = {
        "pathway_stage": stage_name,
        "pathway_stage_entered_on": None if entered is None else days_ago(entered),
    }
    return Case(name, "STAGE_STALLED", expected, team=team, received=400, referral=referral)


def cluster(name, expected, number, assessed, team="cmh"):
    referral = {"care_cluster": number, "cluster_assessed_on": days_ago(assessed)}
    return Case(name, "CLUSTER_REVIEW", expected, team=team, received=400, referral=referral)


def clusterless(name, expected, *contacts, team="cmh", number=None):
    return Case(
        name,
        "CLUSTER_MISSING",
        expected,
        team=team,
        received=60,
        referral={"care_cluster": number},
        contacts=contacts,
    )


SG, HR, RR = "SAFEGUARDING", "HIGH_RISK", "RISK_REVIEW_DUE"
OC, UW, AO, RS = "ORPHANED_CASE", "UNALLOCATED_WAIT", "ACTION_OVERDUE", "READY_TO_STEP_DOWN"

CASES = [
    # OUTCOME_DUE: assessed more than 6 calendar months ago with no clinician-rated and
    # patient-reported measure paired within them.
    outcomes("OUTCOME_DUE-assessed-184", "clear", 184),
    outcomes("OUTCOME_DUE-assessed-185", "amber", 185),
    outcomes("OUTCOME_DUE-assessed-200-measured-184", "clear", 200, 184, **BOTH),
    outcomes("OUTCOME_DUE-assessed-200-measured-185", "amber", 200, 185, **BOTH),
    outcomes("OUTCOME_DUE-assessed-200-honos-only", "amber", 200, 30, honos=12),
    outcomes("OUTCOME_DUE-tt", "not_applicable", 200, team="tt"),
    # SAFEGUARDING: an open concern on as_of.
    Case("SAFEGUARDING-open", SG, "red", safeguarding=((10, None),)),
    Case("SAFEGUARDING-closed-yesterday", SG, "clear", safeguarding=((30, 1),)),
    Case("SAFEGUARDING-closed-today", SG, "clear", safeguarding=((30, 0),)),
    Case("SAFEGUARDING-closes-tomorrow", SG, "red", safeguarding=((30, -1),)),
    Case("SAFEGUARDING-opens-tomorrow", SG, "clear", safeguarding=((-1, None),)),
    cmh("SAFEGUARDING-open-cmh", SG, "red", safeguarding=((10, None),)),
    # HIGH_RISK: the latest risk information is high or on the high-risk list; a dated marker in
    # the community profiles, not applicable where no level is recorded (Talking Therapies).
    cmh("HIGH_RISK-none-recorded", HR, "cannot_assess"),
    cmh("HIGH_RISK-high", HR, "red", risks=((5, "high", False),)),
    cmh("HIGH_RISK-medium", HR, "clear", risks=((5, "medium", False),)),
    cmh("HIGH_RISK-low-on-list", HR, "red", risks=((5, "low", True),)),
    cmh(
        "HIGH_RISK-high-then-medium", HR, "clear", risks=((9, "high", False), (3, "medium", False))
    ),
    cmh("HIGH_RISK-medium-then-high", HR, "red", risks=((9, "medium", False), (3, "high", False))),
    cmh("HIGH_RISK-no-level-not-listed", HR, "clear", risks=((5, None, False),)),
    cmh("HIGH_RISK-recorded-tomorrow", HR, "cannot_assess", risks=((-1, "high", False),)),
    # Assessed with scores and a risk entry recording no concerns: nothing else is raised, so
    # this case is also the boundary trust's case with no flag at all (priority 4).
    Case(
        "HIGH_RISK-tt-no-level",
        HR,
        "not_applicable",
        risks=((5, "high", False, False),),
        contacts=(K(5, "assessment", scores={"phq9": 12, "gad7": 10}),),
    ),
    *RISK_CONCERNS_CASES,
    # RISK_REVIEW_DUE: risk information older than the profile interval (TT 28, CMH 182 days).
    Case(
        "RISK_REVIEW_DUE-tt-27",
        RR,
        "clear",
        received=60,
        risks=((27, "low", False, False),),
        contacts=(K(50, "assessment"),),
    ),
    Case(
        "RISK_REVIEW_DUE-tt-28",
        RR,
        "clear",
        received=60,
        risks=((28, "low", False, False),),
        contacts=(K(50, "assessment"),),
    ),
    Case(
        "RISK_REVIEW_DUE-tt-29",
        RR,
        "amber",
        received=60,
        risks=((29, "low", False, False),),
        contacts=(K(50, "assessment"),),
    ),
    # Never recorded: missing data before the assessment, a review due after it (ADR 8).
    Case("RISK_REVIEW_DUE-tt-none-unassessed", RR, "cannot_assess"),
    # Recorded at screening and not yet assessed: not a review due (the rule's own words).
    Case(
        "RISK_REVIEW_DUE-tt-29-unassessed",
        RR,
        "cannot_assess",
        received=60,
        risks=((29, "low", False, False),),
    ),
    Case("RISK_REVIEW_DUE-tt-none-assessed", RR, "amber", contacts=(K(5, "assessment"),)),
    Case(
        "RISK_REVIEW_DUE-tt-none-assessment-missed",
        RR,
        "cannot_assess",
        contacts=(K(5, "assessment", "did_not_attend"),),
    ),
    cmh(
        "RISK_REVIEW_DUE-cmh-182",
        RR,
        "clear",
        received=300,
        risks=((182, "low", False),),
        contacts=(K(250, "assessment"),),
    ),
    cmh(
        "RISK_REVIEW_DUE-cmh-183",
        RR,
        "amber",
        received=300,
        risks=((183, "low", False),),
        contacts=(K(250, "assessment"),),
    ),
    # CARE_DOCS: care plan, safety summary and safety plan missing beyond 28 days from
    # allocation, or a review date passed.
    docs("CARE_DOCS-27-none", "clear", 27),
    docs("CARE_DOCS-28-none", "clear", 28),
    docs("CARE_DOCS-29-none", "amber", 29),
    docs("CARE_DOCS-60-all", "clear", 60, *DOCS),
    docs("CARE_DOCS-60-no-safety-plan", "amber", 60, *DOCS[:2]),
    docs(
        "CARE_DOCS-60-safety-plan-not-completed",
        "amber",
        60,
        *DOCS[:2],
        ("safety_plan", None, None),
    ),
    docs("CARE_DOCS-60-review-due-today", "clear", 60, *DOCS[:2], ("safety_plan", 40, 0)),
    docs("CARE_DOCS-60-review-due-yesterday", "amber", 60, *DOCS[:2], ("safety_plan", 40, 1)),
    docs("CARE_DOCS-60-tt", "not_applicable", 60, team="tt"),
    # SAFETY_PLAN_STALE: a self-harm event dated after the latest safety plan.
    plan("SAFETY_PLAN_STALE-no-event", "clear", 10),
    plan("SAFETY_PLAN_STALE-event-same-day", "clear", 10, 10),
    plan("SAFETY_PLAN_STALE-event-day-after", "red", 10, 9),
    plan("SAFETY_PLAN_STALE-event-before", "clear", 10, 20),
    plan("SAFETY_PLAN_STALE-event-no-plan", "red", None, 20),
    # Every profile (revision 2); in Talking Therapies a risk review after the event counts.
    plan("SAFETY_PLAN_STALE-tt", "red", 10, 9, team="tt"),
    Case(
        "SAFETY_PLAN_STALE-tt-risk-review-after",
        "SAFETY_PLAN_STALE",
        "clear",
        received=60,
        events=(9,),
        risks=((8, None, False),),
    ),
    Case(
        "SAFETY_PLAN_STALE-tt-risk-review-before",
        "SAFETY_PLAN_STALE",
        "red",
        received=60,
        events=(9,),
        risks=((10, None, False),),
    ),
    # ORPHANED_CASE: the lead has left or is on long-term absence.
    Case("ORPHANED_CASE-lead-in-post", OC, "clear"),
    Case("ORPHANED_CASE-lead-left", OC, "red", lead="leaver"),
    Case("ORPHANED_CASE-lead-long-term-sick", OC, "red", lead="absent"),
    Case("ORPHANED_CASE-lead-long-term-sick-covered", OC, "amber", lead="absent_covered"),
    Case("ORPHANED_CASE-lead-on-annual-leave", OC, "clear", lead="coworker"),
    Case(
        "ORPHANED_CASE-coworker-left", OC, "clear", care_team=(("leaver", "co_worker", 10, None),)
    ),
    Case("ORPHANED_CASE-unallocated", OC, "clear", lead=None),
    # UNALLOCATED_WAIT: no lead on as_of (a co-worker is not the lead).
    Case("UNALLOCATED_WAIT-no-lead", UW, "amber", lead=None),
    Case("UNALLOCATED_WAIT-lead", UW, "clear"),
    Case(
        "UNALLOCATED_WAIT-coworker-only",
        UW,
        "amber",
        lead=None,
        care_team=(("coworker", "co_worker", 5, None),),
    ),
    Case(
        "UNALLOCATED_WAIT-lead-ended-yesterday",
        UW,
        "amber",
        lead=None,
        care_team=(("lead", "lead", 10, 1),),
    ),
    Case(
        "UNALLOCATED_WAIT-lead-ends-today",
        UW,
        "clear",
        lead=None,
        care_team=(("lead", "lead", 10, 0),),
    ),
    Case(
        "UNALLOCATED_WAIT-lead-from-tomorrow",
        UW,
        "amber",
        lead=None,
        care_team=(("lead", "lead", -1, None),),
    ),
    # NOT_DISCUSSED: due = last signed discussion (else allocation) + 12 calendar months
    # (28 days in TT); amber when due <= as_of + 30 days or overdue, red only when overdue by
    # more than the interval again (revision 2): 24 months before AS_OF is 730 days ago.
    discussed("NOT_DISCUSSED-334", "clear", 334),
    discussed("NOT_DISCUSSED-335", "amber", 335),
    discussed("NOT_DISCUSSED-365", "amber", 365),
    discussed("NOT_DISCUSSED-366", "amber", 366),
    discussed("NOT_DISCUSSED-730", "amber", 730),
    discussed("NOT_DISCUSSED-731", "red", 731),
    discussed("NOT_DISCUSSED-allocated-334", "clear", lead_from=334),
    discussed("NOT_DISCUSSED-allocated-366", "amber", lead_from=366),
    discussed("NOT_DISCUSSED-allocated-731", "red", lead_from=731),
    # An unsigned discussion does not count: due from the allocation 400 days ago.
    discussed("NOT_DISCUSSED-unsigned-10", "amber", 10, signed=False),
    discussed("NOT_DISCUSSED-unsigned-10-allocated-731", "red", 10, signed=False, lead_from=731),
    # Talking Therapies: due 28 days after, amber within 7 days of due (ADR 8), red after 56.
    discussed("NOT_DISCUSSED-tt-20", "clear", 20, team="tt"),
    discussed("NOT_DISCUSSED-tt-21", "amber", 21, team="tt"),
    discussed("NOT_DISCUSSED-tt-28", "amber", 28, team="tt"),
    discussed("NOT_DISCUSSED-tt-29", "amber", 29, team="tt"),
    discussed("NOT_DISCUSSED-tt-56", "amber", 56, team="tt"),
    discussed("NOT_DISCUSSED-tt-57", "red", 57, team="tt"),
    # TRANSFER_REVIEW: a new lead and no signed discussion since; red beyond 28 days.
    transfer("TRANSFER_REVIEW-27", "amber", 27),
    transfer("TRANSFER_REVIEW-28", "amber", 28),
    transfer("TRANSFER_REVIEW-29", "red", 29),
    transfer("TRANSFER_REVIEW-40-discussed-after", "clear", 40, Discussion(10)),
    transfer("TRANSFER_REVIEW-40-discussed-before", "red", 40, Discussion(45)),
    Case("TRANSFER_REVIEW-one-lead", "TRANSFER_REVIEW", "clear", received=60),
    Case(
        "TRANSFER_REVIEW-coworker-added",
        "TRANSFER_REVIEW",
        "clear",
        received=60,
        care_team=(("coworker", "co_worker", 40, None),),
    ),
    # ACTION_OVERDUE: an action due before as_of and not completed by then.
    Case("ACTION_OVERDUE-due-today", AO, "clear", actions=((0, None),)),
    Case("ACTION_OVERDUE-due-yesterday", AO, "amber", actions=((1, None),)),
    Case("ACTION_OVERDUE-due-tomorrow", AO, "clear", actions=((-1, None),)),
    Case("ACTION_OVERDUE-completed", AO, "clear", actions=((5, 1),)),
    Case("ACTION_OVERDUE-completed-tomorrow", AO, "amber", actions=((5, -1),)),
    # READY_TO_STEP_DOWN: goals met, a signed leaving decision, or (TT) recovered; never from
    # low risk or infrequent contact.
    cmh("READY_TO_STEP_DOWN-goals-met", RS, "amber", referral={"goals_met_on": days_ago(5)}),
    cmh(
        "READY_TO_STEP_DOWN-goals-met-tomorrow",
        RS,
        "clear",
        referral={"goals_met_on": days_ago(-1)},
    ),
    cmh(
        "READY_TO_STEP_DOWN-discharge-decided",
        RS,
        "amber",
        discussions=(Discussion(5, decision="discharge"),),
    ),
    cmh(
        "READY_TO_STEP_DOWN-discharge-unsigned",
        RS,
        "clear",
        discussions=(Discussion(5, False, "discharge"),),
    ),
    cmh("READY_TO_STEP_DOWN-decision-none", RS, "clear", discussions=(Discussion(5),)),
    cmh(
        "READY_TO_STEP_DOWN-step-down-decided",
        RS,
        "amber",
        discussions=(Discussion(5, decision="step_down"),),
    ),
    cmh(
        "READY_TO_STEP_DOWN-step-up-decided",
        RS,
        "clear",
        discussions=(Discussion(5, decision="step_up"),),
    ),
    # Never beside a stale safety plan (revision 2): a self-harm event after the latest plan.
    cmh(
        "READY_TO_STEP_DOWN-goals-met-safety-plan-stale",
        RS,
        "clear",
        received=60,
        referral={"goals_met_on": days_ago(5)},
        documents=(("safety_plan", 10, None),),
        events=(9,),
    ),
    cmh(
        "READY_TO_STEP_DOWN-goals-met-safety-plan-current",
        RS,
        "amber",
        received=60,
        referral={"goals_met_on": days_ago(5)},
        documents=(("safety_plan", 10, None),),
        events=(10,),
        # The self-harm is discussed with a risk plan, so RISK_CONCERNS does not hold it back.
        discussions=(Discussion(8, risk_plan="safety plan reviewed", risk_review=-20),),
    ),
    cmh(
        "READY_TO_STEP_DOWN-low-risk-quiet",
        RS,
        "clear",
        received=200,
        risks=((5, "low", False),),
        contacts=(K(150, "treatment"),),
    ),
    Case(
        "READY_TO_STEP_DOWN-tt-recovered-once",
        RS,
        "clear",
        received=70,
        contacts=scored((60, 15, 10), (50, 9, 5), (40, 8, 5)),
    ),
    # Talking Therapies (revision 2): goals met and the last two measured contacts below
    # caseness (PHQ-9 < 10, GAD-7 < 8), not beside RECOVERED.
    Case(
        "READY_TO_STEP_DOWN-tt-recovered-twice",
        RS,
        "clear",
        received=70,
        contacts=scored((60, 15, 10), (50, 9, 5), (40, 8, 5), (30, 7, 4)),
    ),
    tt_goals("READY_TO_STEP_DOWN-tt-goals-met-phq9-19", "clear", (60, 15, 10), (50, 19, 12)),
    tt_goals("READY_TO_STEP_DOWN-tt-goals-met-last-two-9", "amber", (60, 9, 5), (50, 9, 5)),
    tt_goals("READY_TO_STEP_DOWN-tt-goals-met-last-10", "clear", (60, 9, 5), (50, 10, 5)),
    tt_goals("READY_TO_STEP_DOWN-tt-goals-met-previous-10", "clear", (60, 10, 5), (50, 9, 5)),
    tt_goals("READY_TO_STEP_DOWN-tt-goals-met-gad7-8", "clear", (60, 9, 5), (50, 9, 8)),
    tt_goals("READY_TO_STEP_DOWN-tt-goals-met-one-score", "clear", (50, 9, 5)),
    tt_goals(
        "READY_TO_STEP_DOWN-tt-goals-met-recovered", "clear", (60, 15, 10), (50, 9, 5), (40, 8, 5)
    ),
    Case(
        "READY_TO_STEP_DOWN-tt-step-down-decided",
        RS,
        "clear",
        received=70,
        contacts=scored((60, 9, 5), (50, 9, 5)),
        discussions=(Discussion(5, decision="step_down"),),
    ),
    Case(
        "READY_TO_STEP_DOWN-tt-not-recovered",
        RS,
        "clear",
        received=70,
        contacts=scored((60, 15, 10), (50, 12, 5), (40, 8, 5)),
    ),
    Case(
        "READY_TO_STEP_DOWN-tt-recovered-deteriorating",
        RS,
        "clear",
        received=70,
        contacts=scored((60, 15, 3), (50, 9, 7), (40, 8, 7)),
    ),
    # DISCHARGE_AGREED_NOT_DONE: a signed discharge or closure decision beyond 28 days and still
    # open; a stable-casing decision never raises it (revision 2).
    agreed("DISCHARGE_AGREED_NOT_DONE-27", "clear", 27),
    agreed("DISCHARGE_AGREED_NOT_DONE-28", "clear", 28),
    agreed("DISCHARGE_AGREED_NOT_DONE-29", "amber", 29),
    agreed("DISCHARGE_AGREED_NOT_DONE-29-closure", "amber", 29, "closure"),
    agreed("DISCHARGE_AGREED_NOT_DONE-29-stable-casing", "clear", 29, "stable_casing"),
    agreed("DISCHARGE_AGREED_NOT_DONE-150-stable-casing", "clear", 150, "stable_casing"),
    agreed("DISCHARGE_AGREED_NOT_DONE-40-unsigned", "clear", 40, signed=False),
    agreed("DISCHARGE_AGREED_NOT_DONE-40-extension", "clear", 40, "extension_agreed"),
    # STAGE_STALLED: longer in a pathway stage than the stage allows.
    stage("STAGE_STALLED-awaiting-assessment-27", "clear", "awaiting_assessment", 27),
    stage("STAGE_STALLED-awaiting-assessment-28", "clear", "awaiting_assessment", 28),
    stage("STAGE_STALLED-awaiting-assessment-29", "amber", "awaiting_assessment", 29),
    stage("STAGE_STALLED-in-treatment-365", "clear", "in_treatment", 365),
    stage("STAGE_STALLED-in-treatment-366", "amber", "in_treatment", 366),
    stage("STAGE_STALLED-no-entry-date", "cannot_assess", "in_treatment", None),
    stage("STAGE_STALLED-tt", "not_applicable", "in_treatment", 400, team="tt"),
    # CLUSTER_REVIEW: weeks are day counts, months calendar months; clustering teams only.
    cluster("CLUSTER_REVIEW-14-27", "clear", 14, 27),
    cluster("CLUSTER_REVIEW-14-28", "clear", 14, 28),
    cluster("CLUSTER_REVIEW-14-29", "amber", 14, 29),
    cluster("CLUSTER_REVIEW-1-84", "clear", 1, 84),
    cluster("CLUSTER_REVIEW-1-85", "amber", 1, 85),
    cluster("CLUSTER_REVIEW-3-184", "clear", 3, 184),
    cluster("CLUSTER_REVIEW-3-185", "amber", 3, 185),
    cluster("CLUSTER_REVIEW-3-185-team-not-clustering", "not_applicable", 3, 185, team="cmh_nc"),
    # CLUSTER_MISSING: no cluster after >= 2 attended clinical contacts; clustering teams only.
    clusterless("CLUSTER_MISSING-1", "clear", K(30, "assessment")),
    clusterless("CLUSTER_MISSING-2", "amber", K(30, "assessment"), K(20)),
    clusterless("CLUSTER_MISSING-3", "amber", K(30, "assessment"), K(20), K(10)),
    clusterless(
        "CLUSTER_MISSING-3-clustered", "clear", K(30, "assessment"), K(20), K(10), number=4
    ),
    clusterless(
        "CLUSTER_MISSING-2-one-dna",
        "clear",
        K(30, "assessment"),
        K(20, "treatment", "did_not_attend"),
    ),
    clusterless(
        "CLUSTER_MISSING-2-one-indirect", "clear", K(30, "assessment"), K(20, direct=False)
    ),
    clusterless(
        "CLUSTER_MISSING-3-team-not-clustering",
        "not_applicable",
        K(30, "assessment"),
        K(20),
        K(10),
        team="cmh_nc",
    ),
]
