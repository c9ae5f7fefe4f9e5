"""Boundary cases of the waiting, screening, contact and attendance flags (rules/waiting.py)."""

from __future__ import annotations

from .builder import Case, Discussion, days_ago
from .builder import Contact as K

AGREED = {"assessment_outcome": "treatment_agreed"}


def waiting(name, flag, expected, gap, *more, team="tt", **kw):
    """Treatment agreed, first treatment contact ``gap`` days ago, then ``more`` contacts."""
    return Case(
        name,
        flag,
        expected,
        team=team,
        received=gap + 10,
        referral={**AGREED, **kw.pop("referral", {})},
        contacts=(K(gap, "assessment_and_treatment"), *more),
        **kw,
    )


def assessed(name, flag, expected, gap, *more, team="tt", **kw):
    """A plain assessment attended ``gap`` days ago (no outcome recorded unless given), then
    ``more`` contacts."""
    return Case(
        name,
        flag,
        expected,
        team=team,
        received=gap + 10,
        referral=kw.pop("referral", {}),
        contacts=(K(gap, "assessment"), *more),
        **kw,
    )


def in_treatment(name, flag, expected, last, *more, team="tt", stage=None, **kw):
    """Two treatment contacts (so off the waiting list), the second ``last`` days ago; the
    pathway ``stage`` where given."""
    referral = AGREED | ({"pathway_stage": stage} if stage else {})
    return Case(
        name,
        flag,
        expected,
        team=team,
        received=max(90, last + 10),
        referral=referral,
        contacts=(K(max(80, last + 5), "assessment_and_treatment"), K(last), *more),
        **kw,
    )


def discharge_agreed(ago):
    return (Discussion(ago, decision="discharge"),)


def first_wait(name, expected, received, *contacts, team="tt"):
    return Case(name, "WAIT_FIRST", expected, team=team, received=received, contacts=contacts)


def letter(name, expected, received, *letters, team="tt"):
    return Case(name, "WAIT_LETTER_DUE", expected, team=team, received=received, letters=letters)


def unscreened(name, expected, received, *groups, team="tt", screened=None):
    return Case(
        name,
        "UNSCREENED",
        expected,
        team=team,
        received=received,
        screened=screened,
        priority_groups=groups,
    )


def treated_with(name, flag, expected, *after, team="tt"):
    """First treatment 40 days ago, then ``after``."""
    return Case(name, flag, expected, team=team, received=50, contacts=(K(40, "treatment"), *after))


PATIENT_CANCEL = "cancelled_by_patient"


def missed(name, expected, *contacts, team="tt", received=200, discussed=None, signed=True):
    """Treated from 190 days ago (attended), then ``contacts``; a supervision discussion of the
    referral ``discussed`` days ago."""
    talks = () if discussed is None else (Discussion(discussed, signed),)
    contacts = (K(190, "treatment"), *contacts)
    return Case(
        name,
        "DNA_REVIEW",
        expected,
        team=team,
        received=received,
        contacts=contacts,
        discussions=talks,
    )


def dna(ago, kind="treatment"):
    return K(ago, kind, "did_not_attend")


def assessment(name, expected, *contacts, team="tt"):
    return Case(name, "DNA_ASSESSMENT", expected, team=team, received=20, contacts=contacts)


def followup(name, expected, dna_ago, *after):
    return Case(name, "DNA_FOLLOWUP", expected, received=30, contacts=(dna(dna_ago), *after))


def unrecorded(name, expected, *contacts):
    return Case(name, "OUTCOME_NOT_RECORDED", expected, received=30, contacts=contacts)


CASES = [
    # WAIT_FIRST: amber at >= 21 days unless booked by day 28; red beyond 28 days.
    first_wait("WAIT_FIRST-20", "clear", 20),
    first_wait("WAIT_FIRST-21", "amber", 21),
    first_wait("WAIT_FIRST-22", "amber", 22),
    first_wait("WAIT_FIRST-27", "amber", 27),
    first_wait("WAIT_FIRST-28", "amber", 28),
    first_wait("WAIT_FIRST-29", "red", 29),
    first_wait("WAIT_FIRST-22-booked-day-28", "clear", 22, K(-6, "assessment", "booked")),
    first_wait("WAIT_FIRST-22-booked-day-29", "amber", 22, K(-7, "assessment", "booked")),
    first_wait("WAIT_FIRST-29-booked", "red", 29, K(-1, "assessment", "booked")),
    first_wait("WAIT_FIRST-35-dna-does-not-stop", "red", 35, K(5, "assessment", "did_not_attend")),
    first_wait(
        "WAIT_FIRST-35-service-cancelled", "red", 35, K(5, "assessment", "cancelled_by_service")
    ),
    first_wait("WAIT_FIRST-35-assessed", "clear", 35, K(5, "assessment")),
    Case("WAIT_FIRST-29-unallocated", "WAIT_FIRST", "red", received=29, lead=None),
    first_wait("WAIT_FIRST-35-cmh", "not_applicable", 35, team="cmh"),
    # WAIT_SECOND: amber beyond 28 days from the first treatment contact, red beyond 90.
    waiting("WAIT_SECOND-27", "WAIT_SECOND", "clear", 27),
    waiting("WAIT_SECOND-28", "WAIT_SECOND", "clear", 28),
    waiting("WAIT_SECOND-29", "WAIT_SECOND", "amber", 29),
    waiting("WAIT_SECOND-90", "WAIT_SECOND", "amber", 90),
    waiting("WAIT_SECOND-91", "WAIT_SECOND", "red", 91),
    # Revision 2: the anchor is the first attended assessment or treatment contact, so a
    # plain assessment (its outcome not yet recorded) starts the wait too.
    assessed("WAIT_SECOND-assessed-28", "WAIT_SECOND", "clear", 28),
    assessed("WAIT_SECOND-assessed-29", "WAIT_SECOND", "amber", 29),
    assessed("WAIT_SECOND-assessed-90", "WAIT_SECOND", "amber", 90),
    assessed("WAIT_SECOND-assessed-91", "WAIT_SECOND", "red", 91),
    assessed("WAIT_SECOND-assessed-132-agreed", "WAIT_SECOND", "red", 132, referral=AGREED),
    assessed("WAIT_SECOND-assessed-40-one-treatment", "WAIT_SECOND", "amber", 40, K(10)),
    assessed("WAIT_SECOND-assessed-40-two-treatments", "WAIT_SECOND", "clear", 40, K(20), K(10)),
    assessed(
        "WAIT_SECOND-assessed-40-signposted",
        "WAIT_SECOND",
        "clear",
        40,
        referral={"assessment_outcome": "signposted"},
    ),
    waiting("WAIT_SECOND-40-review-is-not-treatment", "WAIT_SECOND", "amber", 40, K(20, "review")),
    waiting(
        "WAIT_SECOND-40-kit-is-not-treatment", "WAIT_SECOND", "amber", 40, K(20, "keeping_in_touch")
    ),
    waiting(
        "WAIT_SECOND-40-service-cancelled-second",
        "WAIT_SECOND",
        "amber",
        40,
        K(20, "treatment", "cancelled_by_service"),
    ),
    waiting("WAIT_SECOND-40-second-attended", "WAIT_SECOND", "clear", 40, K(20)),
    # Two treatment contacts on one day: the second is the one with the later id, that day.
    waiting("WAIT_SECOND-40-second-same-day", "WAIT_SECOND", "clear", 40, K(40)),
    waiting(
        "WAIT_SECOND-40-indirect-is-not-treatment",
        "WAIT_SECOND",
        "amber",
        40,
        K(20, "treatment", direct=False),
    ),
    waiting("WAIT_SECOND-40-cmh", "WAIT_SECOND", "not_applicable", 40, team="cmh"),
    # KIT_DUE: amber at >= 21 days with no KIT booked; red beyond 28 with no attended KIT.
    waiting("KIT_DUE-20", "KIT_DUE", "clear", 20),
    waiting("KIT_DUE-21", "KIT_DUE", "amber", 21),
    waiting("KIT_DUE-22", "KIT_DUE", "amber", 22),
    waiting("KIT_DUE-28", "KIT_DUE", "amber", 28),
    waiting("KIT_DUE-29", "KIT_DUE", "red", 29),
    waiting("KIT_DUE-21-kit-booked", "KIT_DUE", "clear", 21, K(-3, "keeping_in_touch", "booked")),
    waiting("KIT_DUE-29-kit-booked", "KIT_DUE", "red", 29, K(-3, "keeping_in_touch", "booked")),
    waiting("KIT_DUE-35-kit-attended", "KIT_DUE", "clear", 35, K(10, "keeping_in_touch")),
    waiting("KIT_DUE-35-kit-dna-is-not-a-call", "KIT_DUE", "red", 35, dna(10, "keeping_in_touch")),
    waiting("KIT_DUE-50-kit-22-recurs", "KIT_DUE", "amber", 50, K(22, "keeping_in_touch")),
    waiting("KIT_DUE-50-kit-29-recurs", "KIT_DUE", "red", 50, K(29, "keeping_in_touch")),
    waiting(
        "KIT_DUE-29-opted-out", "KIT_DUE", "clear", 29, referral={"kit_opted_out_on": days_ago(5)}
    ),
    waiting("KIT_DUE-29-second-treatment", "KIT_DUE", "clear", 29, K(10)),
    waiting("KIT_DUE-29-cmh", "KIT_DUE", "not_applicable", 29, team="cmh"),
    assessed("KIT_DUE-assessed-21", "KIT_DUE", "amber", 21),
    assessed("KIT_DUE-assessed-29", "KIT_DUE", "red", 29),
    assessed("KIT_DUE-assessed-29-kit-attended", "KIT_DUE", "clear", 29, K(5, "keeping_in_touch")),
    # WAIT_LETTER_DUE: beyond 28 days unassessed with no waiting letter.
    letter("WAIT_LETTER_DUE-27", "clear", 27),
    letter("WAIT_LETTER_DUE-28", "clear", 28),
    letter("WAIT_LETTER_DUE-29", "amber", 29),
    letter("WAIT_LETTER_DUE-29-letter-sent", "clear", 29, 2),
    letter("WAIT_LETTER_DUE-29-letter-tomorrow", "amber", 29, -1),
    letter("WAIT_LETTER_DUE-40-cmh", "not_applicable", 40, team="cmh"),
    # UNSCREENED: beyond 7 days, or beyond 0 days when urgent; every profile.
    unscreened("UNSCREENED-6", "clear", 6),
    unscreened("UNSCREENED-7", "clear", 7),
    unscreened("UNSCREENED-8", "red", 8),
    unscreened("UNSCREENED-urgent-0", "clear", 0, "urgent"),
    unscreened("UNSCREENED-urgent-1", "red", 1, "urgent"),
    unscreened("UNSCREENED-veteran-1", "clear", 1, "veteran"),
    unscreened("UNSCREENED-20-screened", "clear", 20, screened=15),
    unscreened("UNSCREENED-8-cmh", "red", 8, team="cmh"),
    # NO_CONTACT (revision 2): after the first attended clinical contact and not waiting;
    # beyond the interval (14 days TT, 28 community, 91 while stable) with nothing booked within
    # the interval: amber; beyond twice the interval: red, or amber with a booking.
    in_treatment("NO_CONTACT-13", "NO_CONTACT", "clear", 13),
    in_treatment("NO_CONTACT-14", "NO_CONTACT", "clear", 14),
    in_treatment("NO_CONTACT-15", "NO_CONTACT", "amber", 15),
    # Only an appointment with the patient clears it: a booked call to the GP does not.
    in_treatment(
        "NO_CONTACT-15-booked-indirect",
        "NO_CONTACT",
        "amber",
        15,
        K(-5, "treatment", "booked", direct=False),
    ),
    # A community patient seen once and not since: "still waiting" is Talking Therapies' wait
    # for treatment, so it does not hide a community case (the December 2026 worksheet).
    Case(
        "NO_CONTACT-cmh-assessed-once-29",
        "NO_CONTACT",
        "amber",
        team="cmh",
        received=60,
        contacts=(K(29, "assessment"),),
    ),
    Case(
        "NO_CONTACT-cmh-assessed-once-28",
        "NO_CONTACT",
        "clear",
        team="cmh",
        received=60,
        contacts=(K(28, "assessment"),),
    ),
    # A discharge agreed supersedes the flag for 28 days (its state stays; it is not counted in
    # the order), unless it is red and so in the safety lane (test_boundaries checks priority).
    in_treatment(
        "NO_CONTACT-15-discharge-agreed-10",
        "NO_CONTACT",
        "amber",
        15,
        discussions=discharge_agreed(10),
    ),
    in_treatment(
        "NO_CONTACT-15-discharge-agreed-29",
        "NO_CONTACT",
        "amber",
        15,
        discussions=discharge_agreed(29),
    ),
    in_treatment(
        "NO_CONTACT-29-discharge-agreed-10",
        "NO_CONTACT",
        "red",
        29,
        discussions=discharge_agreed(10),
    ),
    in_treatment("NO_CONTACT-28", "NO_CONTACT", "amber", 28),
    in_treatment("NO_CONTACT-29", "NO_CONTACT", "red", 29),
    in_treatment("NO_CONTACT-15-booked", "NO_CONTACT", "clear", 15, K(-5, "treatment", "booked")),
    in_treatment("NO_CONTACT-20-booked-14", "NO_CONTACT", "clear", 20, K(-14, outcome="booked")),
    in_treatment("NO_CONTACT-20-booked-15", "NO_CONTACT", "amber", 20, K(-15, outcome="booked")),
    in_treatment("NO_CONTACT-29-booked", "NO_CONTACT", "amber", 29, K(-5, outcome="booked")),
    in_treatment("NO_CONTACT-30-indirect", "NO_CONTACT", "red", 30, K(5, direct=False)),
    # Seen from a past as_of (the monthly history), a contact held later was booked then.
    in_treatment("NO_CONTACT-30-held-later", "NO_CONTACT", "amber", 30, K(-5)),
    in_treatment(
        "NO_CONTACT-30-cancelled-later",
        "NO_CONTACT",
        "red",
        30,
        K(-5, outcome="cancelled_by_patient"),
    ),
    in_treatment(
        "NO_CONTACT-30-service-cancelled",
        "NO_CONTACT",
        "red",
        30,
        K(5, "treatment", "cancelled_by_service"),
    ),
    in_treatment("NO_CONTACT-30-dna", "NO_CONTACT", "red", 30, dna(5)),
    in_treatment("NO_CONTACT-30-review", "NO_CONTACT", "clear", 30, K(5, "review")),
    waiting("NO_CONTACT-30-on-waiting-list", "NO_CONTACT", "clear", 30),
    in_treatment("NO_CONTACT-cmh-28", "NO_CONTACT", "clear", 28, team="cmh"),
    in_treatment("NO_CONTACT-cmh-29", "NO_CONTACT", "amber", 29, team="cmh"),
    in_treatment("NO_CONTACT-cmh-56", "NO_CONTACT", "amber", 56, team="cmh"),
    in_treatment("NO_CONTACT-cmh-57", "NO_CONTACT", "red", 57, team="cmh"),
    in_treatment("NO_CONTACT-cmh-stable-91", "NO_CONTACT", "clear", 91, team="cmh", stage="stable"),
    in_treatment("NO_CONTACT-cmh-stable-92", "NO_CONTACT", "amber", 92, team="cmh", stage="stable"),
    # Unseen for 305 days with something booked months ahead: still red.
    in_treatment(
        "NO_CONTACT-cmh-305-booked-60",
        "NO_CONTACT",
        "red",
        305,
        K(-60, outcome="booked"),
        team="cmh",
    ),
    # Allocated and never seen, beyond 28 days (not TT: WAIT_FIRST counts that wait).
    Case("NO_CONTACT-cmh-never-seen-28", "NO_CONTACT", "clear", team="cmh", received=28),
    Case("NO_CONTACT-cmh-never-seen-29", "NO_CONTACT", "amber", team="cmh", received=29),
    Case("NO_CONTACT-tt-never-seen-40", "NO_CONTACT", "clear", received=40),
    Case(
        "NO_CONTACT-cmh-never-seen-unallocated",
        "NO_CONTACT",
        "clear",
        team="cmh",
        received=40,
        lead=None,
    ),
    # DNA_REVIEW (revision 2): >= 2 DNAs or patient cancellations of booked clinical contacts of
    # any kind within 90 days (community 180; both ends counted), unless a signed supervision
    # discussion is dated on or after the latest of them.
    missed("DNA_REVIEW-1", "clear", dna(30)),
    missed("DNA_REVIEW-2", "amber", dna(30), dna(20)),
    missed("DNA_REVIEW-3", "amber", dna(30), dna(20), dna(10)),
    missed("DNA_REVIEW-dna-and-patient-cancel", "amber", dna(30), K(20, outcome=PATIENT_CANCEL)),
    missed(
        "DNA_REVIEW-2-service-cancelled",
        "clear",
        K(30, outcome="cancelled_by_service"),
        K(20, outcome="cancelled_by_service"),
    ),
    missed(
        "DNA_REVIEW-2-kit-dna", "amber", dna(30, "keeping_in_touch"), dna(20, "keeping_in_touch")
    ),
    missed("DNA_REVIEW-2-assessment-dna", "amber", dna(45, "assessment"), dna(42, "assessment")),
    missed("DNA_REVIEW-tt-89", "amber", dna(89), dna(60)),
    missed("DNA_REVIEW-tt-90", "amber", dna(90), dna(60)),
    missed("DNA_REVIEW-tt-91", "clear", dna(91), dna(60)),
    missed("DNA_REVIEW-cmh-2-review", "amber", dna(30, "review"), dna(20, "review"), team="cmh"),
    missed("DNA_REVIEW-cmh-180", "amber", dna(180), dna(60), team="cmh"),
    missed("DNA_REVIEW-cmh-181", "clear", dna(181), dna(60), team="cmh"),
    # Years ago: it no longer raises it.
    missed("DNA_REVIEW-cmh-old", "clear", dna(700), dna(690), team="cmh", received=800),
    # Discussed in supervision on or after the latest: cleared until the next one.
    missed("DNA_REVIEW-discussed-same-day", "clear", dna(30), dna(20), discussed=20),
    missed("DNA_REVIEW-discussed-day-before", "amber", dna(30), dna(20), discussed=21),
    missed("DNA_REVIEW-discussed-unsigned", "amber", dna(30), dna(20), discussed=10, signed=False),
    missed("DNA_REVIEW-discussed-then-missed", "amber", dna(30), dna(20), dna(5), discussed=10),
    # DNA_ASSESSMENT: the first assessment offered was not attended, none attended since.
    assessment("DNA_ASSESSMENT-dna", "amber", dna(5, "assessment")),
    assessment(
        "DNA_ASSESSMENT-dna-then-attended", "clear", dna(8, "assessment"), K(2, "assessment")
    ),
    assessment(
        "DNA_ASSESSMENT-service-cancelled-then-dna",
        "amber",
        K(8, "assessment", "cancelled_by_service"),
        dna(5, "assessment"),
    ),
    assessment(
        "DNA_ASSESSMENT-patient-cancelled", "clear", K(5, "assessment", "cancelled_by_patient")
    ),
    assessment("DNA_ASSESSMENT-booked", "clear", K(-3, "assessment", "booked")),
    # Two assessments offered on one day: the first is the one recorded first (lower id).
    assessment(
        "DNA_ASSESSMENT-same-day-dna-first",
        "amber",
        dna(5, "assessment"),
        K(5, "assessment", "cancelled_by_patient"),
    ),
    assessment(
        "DNA_ASSESSMENT-same-day-cancelled-first",
        "clear",
        K(5, "assessment", "cancelled_by_patient"),
        dna(5, "assessment"),
    ),
    assessment("DNA_ASSESSMENT-dna-cmh", "amber", dna(5, "assessment"), team="cmh"),
    # DNA_FOLLOWUP: no contact within 7 working days of a DNA (AS_OF is a Friday).
    followup("DNA_FOLLOWUP-8-thursday", "clear", 8),
    followup("DNA_FOLLOWUP-9-wednesday-deadline-today", "clear", 9),
    followup("DNA_FOLLOWUP-10-tuesday", "amber", 10),
    followup("DNA_FOLLOWUP-7-friday", "clear", 7),
    followup("DNA_FOLLOWUP-13-saturday", "amber", 13),
    followup("DNA_FOLLOWUP-15-followed-up", "clear", 15, K(5)),
    followup(
        "DNA_FOLLOWUP-15-service-cancelled-followup",
        "amber",
        15,
        K(5, "treatment", "cancelled_by_service"),
    ),
    # OUTCOME_NOT_RECORDED: a past contact still booked beyond 2 days.
    unrecorded("OUTCOME_NOT_RECORDED-1", "clear", K(1, "treatment", "booked")),
    unrecorded("OUTCOME_NOT_RECORDED-2", "clear", K(2, "treatment", "booked")),
    unrecorded("OUTCOME_NOT_RECORDED-3", "amber", K(3, "treatment", "booked")),
    unrecorded("OUTCOME_NOT_RECORDED-today", "clear", K(0, "treatment", "booked")),
    unrecorded("OUTCOME_NOT_RECORDED-5-recorded", "clear", K(5, "treatment", "did_not_attend")),
]
