"""Counting contacts (CLINICAL-RULES section 2, "Counting conventions"): the one definition the
engine's facts, the reference measure rules and the synthetic trust all read.

An attended clinical contact is attended, direct with the patient (a group counts), and of one
of the clinical kinds; a treatment contact is an attended clinical contact of a treatment kind
(ADR 7: an indirect contact, with the patient absent, is never a session). KIT and review
contacts never count as treatment or toward session limits (seed 002 app. 1 §4.2.2.1: KIT calls
are recorded as "review only" so they do not add to the sessions delivered).
"""

from __future__ import annotations

CLINICAL_KINDS = (
    "assessment",
    "assessment_and_treatment",
    "treatment",
    "review",
    "keeping_in_touch",
)
ASSESSMENT_KINDS = ("assessment", "assessment_and_treatment")
TREATMENT_KINDS = ("assessment_and_treatment", "treatment")
# Contacts that count toward a session limit: the assessment and the treatment contacts, never
# KIT or review calls (seed 002 app. 1 §4.2.2.1; ADR 5).
SESSION_KINDS = ("assessment", "assessment_and_treatment", "treatment")
# Non-attendance on the patient's side (a cancellation by the service never counts against them).
PATIENT_NON_ATTENDANCE = ("did_not_attend", "was_not_brought", "cancelled_by_patient")
DID_NOT_ATTEND = ("did_not_attend", "was_not_brought")
