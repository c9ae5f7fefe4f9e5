"""Allowed codes for the coded columns of the data contract (lower_snake_case)."""

SERVICE_KINDS = (
    "talking_therapies",
    "adult_cmh",
    "older_adult_cmh",
    "eip",
    "perinatal",
    "eating_disorder",
    "forensic_outreach",
    "home_based_treatment",
    "learning_disability",
    "camhs",
)
PRACTITIONER_ROLES = (
    "pwp",
    "trainee_pwp",
    "high_intensity_therapist",
    "trainee_hit",
    "counsellor",
    "care_coordinator",
    "nurse",
    "psychologist",
    "psychiatrist",
    "occupational_therapist",
    "social_worker",
    "support_worker",
    "team_manager",
    "other",
)
INTERVENTIONS = (
    "guided_self_help",
    "ccbt",
    "psychoeducation_group",
    "group",
    "cbt",
    "emdr",
    "counselling_for_depression",
    "ipt",
    "dit",
    "couple_therapy",
    "behavioural_activation",
    "care_coordination",
    "medication_review",
    "psychosocial",
    "other",
)
ABSENCE_KINDS = ("annual_leave", "sickness", "long_term_sickness", "parental", "study", "other")
# Absences long enough to orphan a case (CLINICAL-RULES "day one" 1: long-term absence).
LONG_TERM_ABSENCES = ("long_term_sickness", "parental")
SEXES = ("female", "male", "other", "not_known")
REFERRAL_SOURCES = ("self", "gp", "secondary_care", "primary_care_other", "ae", "other")
PRIORITY_GROUPS = ("perinatal", "veteran", "step_up", "urgent")
SCREENING_OUTCOMES = ("accepted", "signposted", "declined", "more_information_needed")
ASSESSMENT_OUTCOMES = ("treatment_agreed", "signposted", "not_suitable", "stepped_up", "declined")
# Assessment outcomes that take a referral off the waiting list for treatment (WAIT_SECOND).
NOT_FOR_TREATMENT = tuple(o for o in ASSESSMENT_OUTCOMES if o != "treatment_agreed")
PATHWAY_STAGES = (
    "awaiting_screening",
    "awaiting_assessment",
    "awaiting_treatment",
    "in_treatment",
    "stable",
    "discharge_planned",
)
PROBLEM_DESCRIPTORS = (
    "depression",
    "generalised_anxiety",
    "mixed_anxiety_depression",
    "social_anxiety",
    "ptsd",
    "panic",
    "ocd",
    "health_anxiety",
    "agoraphobia",
    "specific_phobia",
    "other",
)
REFERRAL_STATUSES = ("open", "closed")
CLOSURE_REASONS = (
    "completed",
    "dropped_out",
    "declined",
    "not_suitable",
    "referred_on",
    "moved",
    "deceased",
    "other",
)
CARE_TEAM_ROLES = ("lead", "co_worker")
CONTACT_KINDS = (
    "assessment",
    "assessment_and_treatment",
    "treatment",
    "review",
    "keeping_in_touch",
)
CONTACT_MODES = ("face_to_face", "telephone", "video", "online", "group")
CONTACT_OUTCOMES = (
    "attended",
    "did_not_attend",
    "was_not_brought",
    "cancelled_by_patient",
    "cancelled_by_service",
    "booked",
)
INSTRUMENTS = (
    "phq9",
    "gad7",
    "wsas",
    "spin",
    "pcl5",
    "pdss",
    "oci_r",
    "shai",
    "mi",
    "honos",
    "honos65",
    "honos_ld",
    "honosca",
    "dialog",
    "reqol10",
    "sdq",
    "rcads",
    "gbo",
)
CARE_DOCUMENT_KINDS = (
    "care_plan",
    "safety_summary",
    "safety_plan",
    "risk_assessment",
    "health_action_plan",
    "transition_plan",
)
EVENT_KINDS = ("crisis_contact", "admission", "discharge_from_hospital", "self_harm")
SAFEGUARDING_KINDS = ("adult", "child")
RISK_LEVELS = ("low", "medium", "high")
LETTER_KINDS = ("waiting", "kit_opt_out", "discharge_gp", "discharge_patient", "discharge_referrer")
ROLES = (
    "practitioner",
    "supervisor",
    "team_manager",
    "clinical_lead",
    "duty",
    "service_manager",
    "board",
    "admin",
)
SESSION_KINDS = ("caseload", "clinical", "group", "safeguarding")
DECISIONS = (
    "none",
    "discharge",
    "stable_casing",
    "closure",
    "extension_agreed",
    "step_up",
    "step_down",
    "continue_at_step",
    "reallocate",
)
# Signed supervision decisions that a case should be discharged or closed
# (DISCHARGE_AGREED_NOT_DONE; CLINICAL-RULES revision 2: a stable-casing decision is done once the
# referral's stage is stable), and those that say it is ready to step down or leave
# (READY_TO_STEP_DOWN, ADR 8).
DISCHARGE_DECISIONS = ("discharge", "closure")
READY_DECISIONS = ("discharge", "stable_casing", "closure", "step_down")
ACKNOWLEDGEMENT_KINDS = ("acknowledged", "snoozed")
COMPLEXITY_SCORER_ROLES = ("practitioner", "supervisor")
REVIEW_RATINGS = ("good", "requires_improvement", "inadequate")
ESCALATION_LEVELS = ("case", "practitioner", "team")
IMPORT_STATUSES = ("running", "succeeded", "partial", "failed")
REFRESH_KINDS = ("full", "incremental", "history")
REFRESH_STATUSES = ("running", "succeeded", "failed")
FLAG_STATES = ("red", "amber", "clear", "not_applicable", "cannot_assess")
TIERS = ("practitioner", "team", "service", "trust")
