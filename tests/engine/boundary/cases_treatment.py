"""Boundary cases of the treatment and outcome flags (rules/treatment.py)."""

from __future__ import annotations

from .builder import Case, Discussion
from .builder import Contact as K

AGREED = {"assessment_outcome": "treatment_agreed"}


def sessions(treatments, *, reviews=0, kits=0, assessment=True):
    """An assessment 100 days ago, KIT calls, treatment contacts, then review contacts."""
    contacts = [K(100, "assessment")] if assessment else []
    contacts += [K(99 - i, "keeping_in_touch") for i in range(kits)]
    contacts += [K(95 - 5 * i) for i in range(treatments)]
    contacts += [K(20 - 3 * i, "review") for i in range(reviews)]
    return tuple(contacts)


def limit(name, expected, treatments, *, team="tt", step=2, **kw):
    reviews, kits = kw.pop("reviews", 0), kw.pop("kits", 0)
    referral = {**AGREED, "step": step, **kw.pop("referral", {})}
    return case(
        name,
        "SESSION_LIMIT",
        expected,
        team=team,
        received=110,
        referral=referral,
        contacts=sessions(treatments, reviews=reviews, kits=kits),
        **kw,
    )


def scored(phq9, gad7=None, *, first="assessment_and_treatment", item9=None, start=60):
    """One attended treatment contact per score, 10 days apart, PHQ-9 and GAD-7 paired."""
    gad7 = gad7 or [5] * len(phq9)
    contacts = []
    for i, (p, g) in enumerate(zip(phq9, gad7, strict=True)):
        last = i == len(phq9) - 1
        scores = {"phq9": p, "gad7": g}
        contacts.append(
            K(
                start - 10 * i,
                first if i == 0 else "treatment",
                scores=scores,
                item9=item9 if last else 0,
            )
        )
    return tuple(contacts)


def measured(name, flag, expected, phq9, gad7=None, *, team="tt", item9=None, **kw):
    extra = kw.pop("contacts", ())
    return case(
        name,
        flag,
        expected,
        team=team,
        received=70,
        referral={**AGREED, **kw.pop("referral", {})},
        contacts=scored(phq9, gad7, item9=item9) + extra,
        **kw,
    )


def assessed(name, flag, expected, scores=None, *, team="tt", **kw):
    contact = K(10, "assessment", scores=scores or {})
    return case(name, flag, expected, team=team, received=20, contacts=(contact,), **kw)


def episode(name, expected, first_treatment, *, step=2, team="tt", before=()):
    contacts = (*before, K(first_treatment, "assessment_and_treatment"), K(3))
    return case(
        name,
        "LONG_EPISODE",
        expected,
        team=team,
        received=first_treatment + 100,
        referral={"step": step},
        contacts=contacts,
    )


def step_change(name, expected, recorded, actioned=None, team="tt", to_step=3):
    changes = ((recorded, actioned, to_step),)
    return case(name, "STEP_CHANGE", expected, team=team, received=60, step_changes=changes)


PAIRED = {"phq9": 12, "gad7": 9}
MM = "MEASURE_MISSING"


def case(name, flag, expected, **kw):
    """A Case received 20 days ago unless told."""
    return Case(name, flag, expected, **{"received": 20, **kw})


CASES = [
    # SESSION_LIMIT step 2: amber at >= 4 treatment contacts, red beyond 7 clinical contacts
    # (with the assessment) without an agreed extension, or beyond 10 at all.
    limit("SESSION_LIMIT-3", "clear", 3),
    limit("SESSION_LIMIT-4", "amber", 4),
    limit("SESSION_LIMIT-5", "amber", 5),
    limit("SESSION_LIMIT-clinical-7", "amber", 6),
    limit("SESSION_LIMIT-clinical-8", "red", 7),
    limit("SESSION_LIMIT-clinical-8-extended", "clear", 7, referral={"agreed_session_limit": 10}),
    limit("SESSION_LIMIT-clinical-10-extended", "clear", 9, referral={"agreed_session_limit": 10}),
    limit("SESSION_LIMIT-clinical-11-extended", "red", 10, referral={"agreed_session_limit": 10}),
    limit(
        "SESSION_LIMIT-4-agreed-in-supervision",
        "clear",
        4,
        discussions=(Discussion(5, decision="extension_agreed", agreed_session_limit=10),),
    ),
    limit(
        "SESSION_LIMIT-4-unsigned-agreement",
        "amber",
        4,
        discussions=(Discussion(5, False, "extension_agreed", 10),),
    ),
    limit("SESSION_LIMIT-3-plus-review-is-not-treatment", "clear", 3, reviews=1),
    case(
        "SESSION_LIMIT-3-plus-indirect-is-not-treatment",
        "SESSION_LIMIT",
        "clear",
        received=110,
        referral={**AGREED, "step": 2},
        contacts=(*sessions(3), K(10, "treatment", direct=False)),
    ),
    case(
        "SESSION_LIMIT-4-all-direct",
        "SESSION_LIMIT",
        "amber",
        received=110,
        referral={**AGREED, "step": 2},
        contacts=(*sessions(3), K(10, "treatment")),
    ),
    limit("SESSION_LIMIT-5-plus-3-kit-calls", "amber", 5, kits=3),
    limit("SESSION_LIMIT-step3-9", "clear", 9, step=3),
    limit("SESSION_LIMIT-step3-10", "amber", 10, step=3),
    limit("SESSION_LIMIT-no-step", "cannot_assess", 2, step=None),
    limit("SESSION_LIMIT-5-cmh", "not_applicable", 5, team="cmh"),
    # NOT_IMPROVING step 2: >= 3 treatment contacts, in caseness first and last, no reliable fall.
    measured("NOT_IMPROVING-2", "NOT_IMPROVING", "clear", [15, 14]),
    measured("NOT_IMPROVING-3", "NOT_IMPROVING", "amber", [15, 14, 13]),
    # Not raised beside DETERIORATING (revision 2): a reliable rise on the GAD-7.
    measured(
        "NOT_IMPROVING-3-beside-deteriorating", "NOT_IMPROVING", "clear", [15, 14, 13], [8, 10, 13]
    ),
    measured("NOT_IMPROVING-4", "NOT_IMPROVING", "amber", [15, 14, 14, 13]),
    measured("NOT_IMPROVING-3-phq9-fall-5", "NOT_IMPROVING", "amber", [20, 17, 15]),
    measured("NOT_IMPROVING-3-phq9-fall-6", "NOT_IMPROVING", "clear", [20, 17, 14]),
    measured("NOT_IMPROVING-3-gad7-fall-3", "NOT_IMPROVING", "amber", [9, 9, 9], [12, 10, 9]),
    measured("NOT_IMPROVING-3-gad7-fall-4", "NOT_IMPROVING", "clear", [9, 9, 9], [12, 10, 8]),
    measured("NOT_IMPROVING-step3-5", "NOT_IMPROVING", "clear", [15] * 5, referral={"step": 3}),
    measured("NOT_IMPROVING-step3-6", "NOT_IMPROVING", "amber", [15] * 6, referral={"step": 3}),
    measured("NOT_IMPROVING-3-now-below", "NOT_IMPROVING", "clear", [15, 12, 9]),
    case(
        "NOT_IMPROVING-3-no-scores",
        "NOT_IMPROVING",
        "cannot_assess",
        received=110,
        referral=AGREED,
        contacts=sessions(3),
    ),
    case(
        "NOT_IMPROVING-3-unpaired-scores",
        "NOT_IMPROVING",
        "cannot_assess",
        received=110,
        referral=AGREED,
        contacts=sessions(3),
        measures=((90, "phq9", 15), (80, "phq9", 15)),
    ),
    measured("NOT_IMPROVING-3-cmh", "NOT_IMPROVING", "not_applicable", [15, 14, 13], team="cmh"),
    # DETERIORATING: a reliable rise (PHQ-9 >= 6, GAD-7 >= 4) first to latest, either measure.
    measured("DETERIORATING-phq9-rise-5", "DETERIORATING", "clear", [10, 15]),
    measured("DETERIORATING-phq9-rise-6", "DETERIORATING", "red", [10, 16]),
    measured("DETERIORATING-phq9-rise-7", "DETERIORATING", "red", [10, 17]),
    measured("DETERIORATING-gad7-rise-3", "DETERIORATING", "clear", [5, 5], [8, 11]),
    measured("DETERIORATING-gad7-rise-4", "DETERIORATING", "red", [5, 5], [8, 12]),
    measured("DETERIORATING-rise-and-fall", "DETERIORATING", "red", [10, 16], [15, 5]),
    # The mobility inventory (agoraphobia; reliable change 0.73, scores to 0.01): a rise of
    # exactly 0.73 is reliable (1.28 to 2.01, which floating point makes 0.7299999999999998).
    *(
        case(
            f"DETERIORATING-mi-rise-{last}",
            "DETERIORATING",
            expected,
            received=70,
            referral={**AGREED, "problem_descriptor": "agoraphobia"},
            contacts=(
                K(60, "assessment_and_treatment", scores={"phq9": 5, "mi": 1.28}, item9=0),
                K(50, "treatment", scores={"phq9": 5, "mi": last}, item9=0),
            ),
        )
        for last, expected in ((2.0, "clear"), (2.01, "red"), (2.02, "red"))
    ),
    measured(
        "DETERIORATING-unpaired-rise",
        "DETERIORATING",
        "clear",
        [10, 11],
        measures=((5, "phq9", 20),),
    ),
    measured(
        "DETERIORATING-rise-at-dna",
        "DETERIORATING",
        "clear",
        [10, 11],
        contacts=(K(5, "treatment", "did_not_attend", scores={"phq9": 20, "gad7": 15}),),
    ),
    measured("DETERIORATING-cmh", "DETERIORATING", "not_applicable", [10, 17], team="cmh"),
    # PHQ9_ITEM9: latest item 9 >= 1 with no risk review or safety plan dated on or after it.
    measured("PHQ9_ITEM9-0", "PHQ9_ITEM9", "clear", [12, 12], item9=0),
    measured("PHQ9_ITEM9-1", "PHQ9_ITEM9", "red", [12, 12], item9=1),
    measured("PHQ9_ITEM9-2", "PHQ9_ITEM9", "red", [12, 12], item9=2),
    measured(
        "PHQ9_ITEM9-earlier-1-latest-0",
        "PHQ9_ITEM9",
        "clear",
        [12, 12],
        contacts=(K(5, scores={"phq9": 11, "gad7": 5}, item9=0),),
        item9=3,
    ),
    measured(
        "PHQ9_ITEM9-1-risk-same-day",
        "PHQ9_ITEM9",
        "clear",
        [12, 12],
        item9=1,
        risks=((50, "medium", False),),
    ),
    measured(
        "PHQ9_ITEM9-1-risk-day-before",
        "PHQ9_ITEM9",
        "red",
        [12, 12],
        item9=1,
        risks=((51, "medium", False),),
    ),
    measured(
        "PHQ9_ITEM9-1-safety-plan-after",
        "PHQ9_ITEM9",
        "clear",
        [12, 12],
        item9=1,
        documents=(("safety_plan", 45, None),),
    ),
    case("PHQ9_ITEM9-no-phq9", "PHQ9_ITEM9", "not_applicable", contacts=(K(5, "assessment"),)),
    measured("PHQ9_ITEM9-2-cmh", "PHQ9_ITEM9", "red", [12, 12], item9=2, team="cmh"),
    # RECOVERED: first in caseness, the last two below (PHQ-9 < 10 and GAD-7 < 8).
    measured("RECOVERED-last-two-below", "RECOVERED", "amber", [15, 9, 8], [10, 5, 5]),
    measured("RECOVERED-last-at-caseness", "RECOVERED", "clear", [15, 9, 10], [10, 5, 5]),
    measured("RECOVERED-previous-at-caseness", "RECOVERED", "clear", [15, 10, 9], [10, 5, 5]),
    measured("RECOVERED-gad7-at-cutoff", "RECOVERED", "clear", [15, 9, 8], [10, 5, 8]),
    measured("RECOVERED-one-below-is-a-blip", "RECOVERED", "clear", [15, 8], [10, 5]),
    measured("RECOVERED-first-not-caseness", "RECOVERED", "clear", [9, 8, 7], [7, 5, 5]),
    measured("RECOVERED-held-by-deteriorating", "RECOVERED", "clear", [15, 9, 8], [3, 7, 7]),
    measured("RECOVERED-held-by-item9", "RECOVERED", "clear", [15, 9, 8], [10, 5, 5], item9=1),
    measured("RECOVERED-cmh", "RECOVERED", "not_applicable", [15, 9, 8], [10, 5, 5], team="cmh"),
    # NOT_CASENESS: first scores below caseness, no signed discussion after the assessment.
    assessed("NOT_CASENESS-phq9-9-gad7-7", "NOT_CASENESS", "amber", {"phq9": 9, "gad7": 7}),
    assessed("NOT_CASENESS-phq9-10", "NOT_CASENESS", "clear", {"phq9": 10, "gad7": 7}),
    assessed("NOT_CASENESS-gad7-8", "NOT_CASENESS", "clear", {"phq9": 9, "gad7": 8}),
    assessed(
        "NOT_CASENESS-discussed-after",
        "NOT_CASENESS",
        "clear",
        {"phq9": 9, "gad7": 7},
        discussions=(Discussion(5),),
    ),
    assessed(
        "NOT_CASENESS-discussed-same-day",
        "NOT_CASENESS",
        "amber",
        {"phq9": 9, "gad7": 7},
        discussions=(Discussion(10),),
    ),
    assessed(
        "NOT_CASENESS-discussed-unsigned",
        "NOT_CASENESS",
        "amber",
        {"phq9": 9, "gad7": 7},
        discussions=(Discussion(5, signed=False),),
    ),
    assessed("NOT_CASENESS-no-scores", "NOT_CASENESS", "cannot_assess"),
    case("NOT_CASENESS-not-assessed", "NOT_CASENESS", "clear", received=20),
    assessed("NOT_CASENESS-cmh", "NOT_CASENESS", "not_applicable", {"phq9": 9}, team="cmh"),
    # MEASURE_MISSING: the last attended contact has PHQ-9 and GAD-7 in [contact - 7, contact].
    case("MEASURE_MISSING-at-contact", MM, "clear", contacts=(K(5, scores=PAIRED),)),
    case("MEASURE_MISSING-6-before", MM, "clear", contacts=(K(11, scores=PAIRED), K(5))),
    case("MEASURE_MISSING-7-before", MM, "clear", contacts=(K(12, scores=PAIRED), K(5))),
    case("MEASURE_MISSING-8-before", MM, "amber", contacts=(K(13, scores=PAIRED), K(5))),
    case("MEASURE_MISSING-phq9-only", MM, "amber", contacts=(K(5, scores={"phq9": 12}),)),
    case(
        "MEASURE_MISSING-later-dna",
        MM,
        "clear",
        contacts=(K(5, scores=PAIRED), K(2, "treatment", "did_not_attend")),
    ),
    case("MEASURE_MISSING-no-contact", MM, "clear"),
    case(
        "MEASURE_MISSING-unlinked-same-day",
        MM,
        "clear",
        contacts=(K(5),),
        measures=((5, "phq9", 12), (5, "gad7", 9)),
    ),
    case(
        "MEASURE_MISSING-social-anxiety-spin-no-gad7",
        MM,
        "amber",
        referral={"problem_descriptor": "social_anxiety"},
        contacts=(K(5, scores={"phq9": 12, "spin": 30}),),
    ),
    case(
        "MEASURE_MISSING-social-anxiety-all-three",
        MM,
        "clear",
        referral={"problem_descriptor": "social_anxiety"},
        contacts=(K(5, scores={"phq9": 12, "gad7": 9, "spin": 30}),),
    ),
    case("MEASURE_MISSING-cmh", MM, "not_applicable", team="cmh", contacts=(K(5),)),
    # DESCRIPTOR_MISSING: assessed with no problem descriptor.
    assessed(
        "DESCRIPTOR_MISSING-none",
        "DESCRIPTOR_MISSING",
        "amber",
        referral={"problem_descriptor": None},
    ),
    assessed("DESCRIPTOR_MISSING-set", "DESCRIPTOR_MISSING", "clear"),
    case(
        "DESCRIPTOR_MISSING-not-assessed",
        "DESCRIPTOR_MISSING",
        "clear",
        referral={"problem_descriptor": None},
    ),
    assessed("DESCRIPTOR_MISSING-cmh", "DESCRIPTOR_MISSING", "not_applicable", team="cmh"),
    # ADSM_MISSING: the descriptor calls for an ADSM and none is paired.
    assessed(
        "ADSM_MISSING-social-anxiety",
        "ADSM_MISSING",
        "amber",
        PAIRED,
        referral={"problem_descriptor": "social_anxiety"},
    ),
    assessed(
        "ADSM_MISSING-social-anxiety-spin",
        "ADSM_MISSING",
        "clear",
        {"phq9": 12, "spin": 30},
        referral={"problem_descriptor": "social_anxiety"},
    ),
    assessed(
        "ADSM_MISSING-ptsd-gad7-only",
        "ADSM_MISSING",
        "amber",
        PAIRED,
        referral={"problem_descriptor": "ptsd"},
    ),
    assessed("ADSM_MISSING-depression", "ADSM_MISSING", "clear", PAIRED),
    assessed(
        "ADSM_MISSING-cmh",
        "ADSM_MISSING",
        "not_applicable",
        team="cmh",
        referral={"problem_descriptor": "ptsd"},
    ),
    # LONG_EPISODE: beyond 16 weeks (step 2) or 26 weeks (step 3) from the first treatment.
    episode("LONG_EPISODE-step2-111", "clear", 111),
    episode("LONG_EPISODE-step2-112", "clear", 112),
    episode("LONG_EPISODE-step2-113", "amber", 113),
    episode("LONG_EPISODE-step3-182", "clear", 182, step=3),
    episode("LONG_EPISODE-step3-183", "amber", 183, step=3),
    episode("LONG_EPISODE-review-is-not-treatment", "clear", 100, before=(K(200, "review"),)),
    episode("LONG_EPISODE-no-step", "cannot_assess", 100, step=None),
    episode("LONG_EPISODE-cmh", "not_applicable", 200, team="cmh"),
    # STEP_CHANGE: a step-up not actioned beyond 14 days.
    step_change("STEP_CHANGE-13", "clear", 13),
    step_change("STEP_CHANGE-14", "clear", 14),
    step_change("STEP_CHANGE-15", "red", 15),
    step_change("STEP_CHANGE-30-actioned", "clear", 30, 20),
    step_change("STEP_CHANGE-30-actioned-tomorrow", "red", 30, -1),
    step_change("STEP_CHANGE-15-step-down", "red", 15, to_step=1),
    step_change("STEP_CHANGE-14-step-down", "clear", 14, to_step=1),
    step_change("STEP_CHANGE-30-cmh", "not_applicable", 30, team="cmh"),
]
