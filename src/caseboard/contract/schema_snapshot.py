"""The case snapshot's declared columns: every fact the engine computes per open referral.

The engine's output must match this declaration exactly (tests/engine/test_snapshot_contract.py),
so a page, an export or a third party recomputing a flag reads the same named inputs.
"""

from __future__ import annotations

from caseboard.contract.declare import Column, Table, application, col
from caseboard.domain.flag_types import flag_column
from caseboard.domain.flags import CATALOGUE

FACTS: tuple[tuple[str, str, str], ...] = (
    # (name, logical type, what it is)
    ("referral_id", "integer", "the referral (episode of care)"),
    ("patient_id", "integer", ""),
    ("team_id", "integer", ""),
    ("received_on", "date", "referral received"),
    ("screened_on", "date", ""),
    ("assessment_outcome", "text", ""),
    ("pathway_stage", "text", ""),
    ("pathway_stage_entered_on", "date", ""),
    ("step", "integer", "stepped-care step"),
    ("care_cluster", "integer", ""),
    ("cluster_assessed_on", "date", ""),
    ("problem_descriptor", "text", ""),
    ("agreed_session_limit", "integer", "on the referral"),
    ("kit_opted_out_on", "date", ""),
    ("goals_met_on", "date", ""),
    ("anxiety_instrument", "text", "GAD-7, or the ADSM the problem descriptor calls for"),
    ("service_id", "integer", ""),
    ("uses_care_clusters", "boolean", "the team clusters"),
    ("service_kind", "text", "selects the service profile"),
    ("deceased_on", "date", ""),
    ("restricted", "boolean", ""),
    ("interpreter_needed", "boolean", ""),
    ("learning_disability", "boolean", ""),
    ("sensory_impairment", "boolean", ""),
    ("autism", "boolean", ""),
    ("open_safeguarding", "integer", "open safeguarding concerns of the patient"),
    ("open_child_safeguarding", "integer", ""),
    ("risk_recorded_on", "date", "latest risk information"),
    ("risk_level", "text", ""),
    ("risk_on_high_risk_list", "boolean", ""),
    ("risk_concerns_recorded", "boolean", ""),
    ("risk_recorded_by_id", "integer", "who recorded the latest risk information"),
    ("risk_concerns", "text", "what the latest risk information says the concerns are"),
    (
        "risk_concern_on",
        "date",
        "latest risk information recording a new concern (none recorded in the entry before)",
    ),
    (
        "risk_escalated_on",
        "date",
        "latest risk information with a new concern or a higher level than the entry before",
    ),
    ("risk_high_on", "date", "latest risk information with a high level or a listing"),
    ("last_event_on", "date", "latest crisis contact, admission, discharge or self-harm"),
    ("risk_event_on", "date", "latest crisis contact, self-harm or admission"),
    ("first_assessment_on", "date", "first attended assessment"),
    ("first_treatment_on", "date", "first attended treatment contact"),
    ("treatment_contacts", "integer", "attended treatment contacts"),
    ("attended_clinical_contacts", "integer", ""),
    ("attended_contacts_in_window", "integer", "attended clinical contacts in the weekly window"),
    ("session_contacts", "integer", "attended assessment and treatment contacts (session limits)"),
    ("last_attended_on", "date", "last attended clinical contact"),
    ("next_booked_on", "date", "next booked direct clinical contact on or after as_of"),
    ("outcome_not_recorded", "integer", "past contacts still booked"),
    ("oldest_unrecorded_on", "date", ""),
    ("dna_or_cancellations", "integer", "in the episode, any contact kind"),
    ("service_cancellations", "integer", ""),
    ("last_kit_attended_on", "date", ""),
    ("next_kit_booked_on", "date", ""),
    ("last_dna_on", "date", ""),
    ("last_non_attendance_on", "date", "latest DNA or patient cancellation, any clinical kind"),
    (
        "nth_last_non_attendance_on",
        "date",
        "the DNA or patient cancellation that DNA_REVIEW's count reaches, counting back",
    ),
    ("dna_followed_up_on", "date", "first contact after the last DNA"),
    ("first_assessment_outcome", "text", "outcome of the first assessment offered"),
    ("second_treatment_on", "date", ""),
    ("lead_practitioner_id", "integer", "lead on as_of; empty when unallocated"),
    ("lead_since", "date", ""),
    ("leads_so_far", "integer", ""),
    ("first_allocated_on", "date", ""),
    ("urgent", "boolean", "in the urgent priority group"),
    ("priority_groups", "integer", ""),
    ("step_change_pending_since", "date", "step change recorded and not actioned"),
    ("step_change_pending_to", "integer", ""),
    ("waiting_letter_on", "date", ""),
    ("phq9_first", "float", "first paired PHQ-9"),
    ("phq9_first_on", "date", ""),
    ("phq9_last", "float", ""),
    ("phq9_last_on", "date", ""),
    ("phq9_previous", "float", "the one before the last"),
    ("phq9_before_previous", "float", "the one before that"),
    ("phq9_count", "integer", ""),
    ("anxiety_first", "float", "first paired anxiety measure"),
    ("anxiety_first_on", "date", ""),
    ("anxiety_last", "float", ""),
    ("anxiety_last_on", "date", ""),
    ("anxiety_previous", "float", ""),
    ("anxiety_before_previous", "float", ""),
    ("anxiety_count", "integer", ""),
    ("phq9_item9", "integer", "item 9 of the latest PHQ-9"),
    ("phq9_item9_on", "date", ""),
    ("severe_first_on", "date", "first paired PHQ-9 or GAD-7 at the SEVERITY_STEP cut-off"),
    (
        "item9_concern_on",
        "date",
        "latest paired PHQ-9 whose item 9 reached the RISK_CONCERNS threshold (the one before "
        "did not)",
    ),
    ("phq9_at_last_contact", "boolean", "a PHQ-9 dated within the window of the last contact"),
    ("gad7_at_last_contact", "boolean", "a GAD-7 dated within the window of the last contact"),
    ("clinician_outcome_on", "date", "latest HoNOS-family measure"),
    ("patient_outcome_on", "date", "latest DIALOG, ReQoL, SDQ, RCADS or goal-based outcome"),
    *(
        (f"{kind}{suffix}", "date", "")
        for kind in (
            "care_plan",
            "safety_summary",
            "safety_plan",
            "risk_assessment",
            "health_action_plan",
            "transition_plan",
        )
        for suffix in ("_on", "_review_due_on")
    ),
    ("last_discussed_on", "date", "last signed supervision discussion"),
    ("last_decision", "text", ""),
    ("leaving_agreed_on", "date", "discharge or closure agreed"),
    ("agreed_extension", "integer", "session limit agreed in supervision"),
    ("continue_agreed_on", "date", "latest signed decision to continue at the current step"),
    ("risk_discussed_on", "date", "latest signed discussion recording a risk plan and review"),
    ("risk_review_on", "date", "the review date that discussion set"),
    ("overdue_actions", "integer", ""),
    ("earliest_overdue_due_on", "date", ""),
    ("lead_in_post", "boolean", ""),
    ("lead_supervisor_id", "integer", ""),
    ("absent_since", "date", "lead's long-term absence"),
    ("cover_practitioner_id", "integer", ""),
    ("as_of", "date", ""),
    ("days_since_received", "integer", ""),
    ("days_since_last_attended", "integer", ""),
)

# One state column per case-level flag of the catalogue: red, amber, clear, not_applicable or
# cannot_assess. Evidence is rendered from the facts above, so it always names its inputs.
CASE_FLAGS = tuple(flag for flag in CATALOGUE if flag.level == "case")


FLAG_COLUMNS: tuple[tuple[str, str, str], ...] = tuple(
    (flag_column(flag.code), "text", f"{flag.code}: {flag.title}") for flag in CASE_FLAGS
)
SUMMARY: tuple[tuple[str, str, str], ...] = (
    ("red_flags", "integer", ""),
    ("amber_flags", "integer", ""),
    ("cannot_assess_flags", "integer", "flags whose data is absent"),
    ("flags", "text", "raised flag codes, sorted, ';'-joined"),
    (
        "priority",
        "integer",
        "the first lane with a raised flag: 0 safety, 1 clinical, 2 process, 3 no data, 4 none",
    ),
)
# The complexity weight (engine/weights.py, domain/weighting.py). Unvalidated: a starting point to
# calibrate against supervisors' blind scores, advisory only, never a verdict.
WEIGHT: tuple[tuple[str, str, str], ...] = (
    ("weight", "float", "complexity weight: UNVALIDATED, advisory until calibrated"),
    ("weight_breakdown", "text", "the amounts the unvalidated weight is made of, base first"),
    ("weight_band", "integer", "complexity band 1-4 of the unvalidated weight"),
)
NOT_NULL = {
    "referral_id",
    "patient_id",
    "team_id",
    "received_on",
    "as_of",
    "days_since_received",
    *(name for name, _, _ in FLAG_COLUMNS + SUMMARY + WEIGHT),
}


def _columns() -> tuple[Column, ...]:
    return tuple(
        col(name, type_, nullable=name not in NOT_NULL, description=about)  # type: ignore[arg-type]
        for name, type_, about in FACTS + FLAG_COLUMNS + SUMMARY + WEIGHT
    )


CASE_SNAPSHOT: Table = application(
    "case_snapshot",
    "records",
    "Where each open referral stands at as_of, with every input the flags read (engine-built).",
    *_columns(),
    kind="derived",
    unique_together=(("referral_id",),),
)
