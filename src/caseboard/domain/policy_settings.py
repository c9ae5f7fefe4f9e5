"""Case-level policy settings: waits, contact, treatment, outcome measures, risk and documents.

Each setting is declared once: default, unit, sane range, source and a plain description.
``local`` marks a default not from the seeds (configurable, shown as local by ``caseboard
policy``). A range whose minimum equals its maximum is a national definition a trust cannot
change (hazard H10 of CLINICAL-RULES.md). "seed 002 §9.2" is section 9.2 of seeds/002 (the
Talking Therapies policy); "app. 1" and "app. 2" are its waitlist SOP and case-management guidance.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from caseboard.domain.codes import PATHWAY_STAGES, SERVICE_KINDS
from caseboard.domain.policy_fields import decimal, integer, keyed

TALKING_THERAPIES = "talking_therapies"
COMMUNITY_PROFILES = tuple(kind for kind in SERVICE_KINDS if kind != TALKING_THERAPIES)


def _per_profile(value: int | None, **exceptions: int | None) -> dict[str, int | None]:
    return {kind: exceptions.get(kind, value) for kind in SERVICE_KINDS}


LOCAL_EXCEPT_TT = frozenset(COMMUNITY_PROFILES)
ADSM = "NHS Talking Therapies manual (verify each value before relying on it)"


@dataclass(frozen=True)
class CaseRules:
    """Thresholds of the case-level flags and outcome definitions."""

    # The declarations are kept as a table (one setting per block, arguments in the order
    # default, unit, minimum, maximum, source, description) rather than one argument per line.
    # fmt: off

    # --- Waiting for a first appointment (Talking Therapies) ---
    first_appointment_internal_days: int = integer(
        28, "days", 7, 42, "seed 002 §9.2, §9.3; app. 1 §4.1",
        "referral received to the first attended assessment: internal target",
    )
    first_appointment_national_days: int = integer(
        42, "days", 42, 42, "seed 002 §9.3; app. 1 §1 (national standard)",
        "referral received to the first appointment: national target",
    )
    first_treatment_6_week_percent: float = decimal(
        75.0, "%", 75.0, 75.0, "seed 002 app. 1 §1 (IAPT Manual 2018, national standard)",
        "share of courses of treatment whose first treatment contact is within 6 weeks",
    )
    first_treatment_18_week_percent: float = decimal(
        95.0, "%", 95.0, 95.0, "seed 002 app. 1 §1 (IAPT Manual 2018, national standard)",
        "share of courses of treatment whose first treatment contact is within 18 weeks",
    )
    wait_first_amber_days: int = integer(
        21, "days", 7, 41, "CLINICAL-RULES §2 WAIT_FIRST",
        "WAIT_FIRST amber from this day when nothing is booked on or before the internal target",
        local=True,
    )
    unscreened_urgent_days: int = integer(
        0, "days", 0, 1, "seed 002 §8 (urgent: duty worker screens as a priority); DESIGN",
        "an urgent referral is screened within this many days of receipt (0 = the same day)",
    )
    unscreened_days: int = integer(
        7, "days", 1, 28, "seed 002 §9.1 (all referrals are screened; no time given)",
        "any referral is screened within this many days of receipt",
        local=True,
    )

    # --- Waiting for a second appointment and keeping in touch (Talking Therapies) ---
    second_appointment_amber_days: int = integer(
        28, "days", 14, 60, "seed 002 app. 1 §1, §4.2",
        "first to second treatment contact: expected within this many days (WAIT_SECOND amber)",
    )
    second_appointment_red_days: int = integer(
        90, "days", 28, 180, "seed 002 app. 1 §1, §4.2",
        "first to second treatment contact: WAIT_SECOND red beyond this many days",
    )
    second_appointment_over_red_max_percent: float = decimal(
        10.0, "%", 1.0, 50.0, "seed 002 app. 1 §4.2 (monitored, not a formal KPI)",
        "no more than this share of those waiting for a second contact wait beyond the red days",
    )
    kit_amber_days: int = integer(
        21, "days", 7, 28, "CLINICAL-RULES §2 KIT_DUE",
        "KIT_DUE amber from this day after the first treatment contact with no KIT call booked",
        local=True,
    )
    kit_red_days: int = integer(
        28, "days", 14, 56, "seed 002 app. 1 §4.2.2.1 (KIT call approximately 28 days)",
        "KIT_DUE red beyond this many days with no attended KIT call and no opt-out",
    )
    kit_recurrence_days: int = integer(
        28, "days", 7, 56, "CLINICAL-RULES §2 KIT_DUE",
        "KIT_DUE repeats every this many days while the wait continues",
        local=True,
    )

    # --- Contact and attendance ---
    no_contact_days: Mapping[str, int | None] = keyed(
        _per_profile(28, talking_therapies=14, home_based_treatment=1),
        "days", 1, 90,
        "seed 002 app. 2 checklist (talking_therapies: 'exceeds 2 weeks'); CLINICAL-RULES §1 "
        "(revision 2): home-based treatment daily; other community profiles the care-plan "
        "contact interval, else 28 days (local)",
        "NO_CONTACT: days since the last attended clinical contact beyond this",
        local=LOCAL_EXCEPT_TT,
    )
    no_contact_stable_days: Mapping[str, int | None] = keyed(
        _per_profile(91, talking_therapies=None, home_based_treatment=None),
        "days", 7, 182, "CLINICAL-RULES §1 (revision 2): 91 days while stable (local)",
        "NO_CONTACT's interval while the referral's pathway stage is stable",
        local=True,
    )
    never_seen_days: int = integer(
        28, "days", 7, 90, "CLINICAL-RULES §2 NO_CONTACT (revision 2; local)",
        "NO_CONTACT: allocated, never seen, and more than this many days since allocation",
        local=True,
    )
    dna_review_count: int = integer(
        2, "DNAs or patient cancellations", 2, 4, "seed 002 §10; app. 2 ('more than one')",
        "DNA_REVIEW at this many DNAs or patient cancellations within the window",
    )
    dna_review_window_days: Mapping[str, int | None] = keyed(
        _per_profile(180, talking_therapies=90),
        "days", 14, 366, "CLINICAL-RULES §2 DNA_REVIEW (revision 2); the windows are local",
        "DNA_REVIEW counts DNAs and patient cancellations dated within this many days of as_of",
        local=True,
    )
    dna_followup_working_days: int = integer(
        7, "working days", 1, 14, "seed 002 §10",
        "DNA_FOLLOWUP: any DNA needs a follow-up recorded within this many working days",
    )
    outcome_not_recorded_days: int = integer(
        2, "days", 1, 14, "CLINICAL-RULES §2 (a past contact still booked hides DNAs)",
        "OUTCOME_NOT_RECORDED: a past contact still 'booked' beyond this many days",
        local=True,
    )

    # --- Session limits, progress and episode length (Talking Therapies) ---
    step2_session_review: int = integer(
        4, "treatment contacts", 2, 10, "seed 002 app. 2 ('discuss by session 4')",
        "SESSION_LIMIT amber at this many step 2 treatment contacts without an agreed extension",
    )
    step2_session_limit: int = integer(
        7, "attended clinical contacts", 4, 10, "seed 002 §11 ('up to 7 ... agreed in advance')",
        "SESSION_LIMIT red above this many step 2 contacts (assessment included) unless agreed",
    )
    step2_session_maximum: int = integer(
        10, "attended clinical contacts", 7, 14, "seed 002 §11 ('a maximum of 10')",
        "SESSION_LIMIT red above this many step 2 contacts whatever was agreed",
    )
    step3_session_review: int = integer(
        10, "treatment contacts", 4, 20, "seed 002 app. 2 ('by session 10 for step 3')",
        "SESSION_LIMIT amber at this many step 3 treatment contacts without an agreed extension",
    )
    step3_session_limit: int = integer(
        13, "attended clinical contacts", 10, 20, "seed 002 §11 ('up to 13 ... agreed in advance')",
        "SESSION_LIMIT red above this many step 3 contacts (assessment included) unless agreed",
    )
    step3_session_maximum: int = integer(
        20, "attended clinical contacts", 13, 30, "seed 002 §11 ('a maximum of 20')",
        "SESSION_LIMIT red above this many step 3 contacts whatever was agreed",
    )
    not_improving_step2_contacts: int = integer(
        3, "treatment contacts", 2, 6, "seed 002 app. 2 ('after 3 treatment sessions (step 2)')",
        "NOT_IMPROVING considered from this many step 2 treatment contacts",
    )
    not_improving_step3_contacts: int = integer(
        6, "treatment contacts", 3, 12, "seed 002 app. 2 ('6 treatment sessions (step 3)')",
        "NOT_IMPROVING considered from this many step 3 treatment contacts",
    )
    long_episode_step2_weeks: int = integer(
        16, "weeks", 6, 52, "local default, not from the seeds (seed 002 app. 2 'open ... long')",
        "LONG_EPISODE: step 2, weeks since the first treatment contact beyond this",
        local=True,
    )
    long_episode_step3_weeks: int = integer(
        26, "weeks", 12, 104, "local default, not from the seeds (seed 002 app. 2 'open ... long')",
        "LONG_EPISODE: step 3, weeks since the first treatment contact beyond this",
        local=True,
    )
    step_change_days: int = integer(
        14, "days", 1, 56, "seed 002 §9.2, §12.1 (step-ups have priority); CLINICAL-RULES §2",
        "STEP_CHANGE red when a recorded step change is not actioned beyond this many days",
        local=True,
    )
    measure_window_days: int = integer(
        7, "days", 0, 14, "seed 002 §17.2 (minimum data set at every contact); CLINICAL-RULES",
        "MEASURE_MISSING: a PHQ-9 and GAD-7 dated up to this many days before a contact count",
        local=True,
    )

    # --- Outcome measures (NHS Talking Therapies definitions) ---
    phq9_caseness: float = decimal(
        10.0, "PHQ-9 score", 10.0, 10.0, "NHS Talking Therapies definitions (national)",
        "PHQ-9 at or above this is in caseness",
    )
    gad7_caseness: float = decimal(
        8.0, "GAD-7 score", 8.0, 8.0, "NHS Talking Therapies definitions (national)",
        "GAD-7 at or above this is in caseness",
    )
    phq9_reliable_change: float = decimal(
        6.0, "PHQ-9 points", 6.0, 6.0, "NHS Talking Therapies definitions (national)",
        "a PHQ-9 fall (rise) of at least this is reliable improvement (deterioration)",
    )
    gad7_reliable_change: float = decimal(
        4.0, "GAD-7 points", 4.0, 4.0, "NHS Talking Therapies definitions (national)",
        "a GAD-7 fall (rise) of at least this is reliable improvement (deterioration)",
    )
    phq9_item9_threshold: int = integer(
        1, "PHQ-9 item 9 score", 1, 1, "seed 002 §9.2 (risk); CLINICAL-RULES PHQ9_ITEM9",
        "PHQ9_ITEM9 when the latest item 9 is at or above this",
    )
    severity_step_phq9: float = decimal(
        15.0, "PHQ-9 score", 10.0, 27.0,
        "CLINICAL-RULES SEVERITY_STEP (revision 2); seed 002 §9 step table",
        "SEVERITY_STEP at step 2: the latest PHQ-9 at or above this",
    )
    severity_step_gad7: float = decimal(
        15.0, "GAD-7 score", 8.0, 21.0,
        "CLINICAL-RULES SEVERITY_STEP (revision 2); published GAD-7 bands (severe from 15)",
        "SEVERITY_STEP at step 2: the latest GAD-7 at or above this (an ADSM has no severe "
        "cut-off in policy, so its severity cannot be assessed)",
    )
    severity_step_secondary_phq9: float = decimal(
        20.0, "PHQ-9 score", 15.0, 27.0,
        "CLINICAL-RULES SEVERITY_STEP (revision 2); seed 002 §12.1",
        "SEVERITY_STEP at step 3: 'consider secondary care' from this PHQ-9 with item 9 at the "
        "RISK_CONCERNS threshold or risk concerns recorded",
    )
    risk_concerns_item9_threshold: int = integer(
        2, "PHQ-9 item 9 score", 1, 3, "CLINICAL-RULES RISK_CONCERNS (revision 2)",
        "RISK_CONCERNS: a PHQ-9 item 9 at or above this is risk evidence until a qualifying "
        "discussion, and keeps the flag amber while it persists",
    )
    spin_caseness: float = decimal(
        19.0, "SPIN score", 1.0, 68.0, ADSM,
        "social anxiety: SPIN at or above this is in caseness",
    )
    spin_reliable_change: float = decimal(
        10.0, "SPIN points", 1.0, 68.0, ADSM,
        "social anxiety: reliable change on SPIN",
    )
    pcl5_caseness: float = decimal(
        32.0, "PCL-5 score", 1.0, 80.0, ADSM,
        "PTSD: PCL-5 at or above this is in caseness",
    )
    pcl5_reliable_change: float = decimal(
        10.0, "PCL-5 points", 1.0, 80.0, ADSM,
        "PTSD: reliable change on PCL-5",
    )
    pdss_caseness: float = decimal(
        8.0, "PDSS score", 1.0, 28.0, ADSM,
        "panic: PDSS at or above this is in caseness",
    )
    pdss_reliable_change: float = decimal(
        5.0, "PDSS points", 1.0, 28.0, ADSM,
        "panic: reliable change on PDSS",
    )
    oci_r_caseness: float = decimal(
        21.0, "OCI-R score", 1.0, 72.0, ADSM,
        "OCD: OCI-R at or above this is in caseness",
    )
    oci_r_reliable_change: float = decimal(
        14.0, "OCI-R points", 1.0, 72.0, ADSM,
        "OCD: reliable change on OCI-R",
    )
    shai_caseness: float = decimal(
        18.0, "SHAI score", 1.0, 54.0, ADSM,
        "health anxiety: SHAI at or above this is in caseness",
    )
    shai_reliable_change: float = decimal(
        4.0, "SHAI points", 1.0, 54.0, ADSM,
        "health anxiety: reliable change on SHAI",
    )
    mi_caseness: float = decimal(
        2.3, "MI mean item score", 1.0, 5.0, ADSM,
        "agoraphobia: Mobility Inventory (alone) at or above this is in caseness",
    )
    mi_reliable_change: float = decimal(
        0.73, "MI points", 0.1, 4.0, ADSM,
        "agoraphobia: reliable change on the Mobility Inventory (alone)",
    )

    # --- Risk, safety and care documents ---
    risk_review_days: Mapping[str, int | None] = keyed(
        _per_profile(182, talking_therapies=28, home_based_treatment=7),
        "days", 1, 366, "seed 000 §4.2; the intervals are local defaults (set per team)",
        "RISK_REVIEW_DUE when the latest risk information is older than this",
        local=True,
    )
    safety_events_recorded: Mapping[str, int | None] = keyed(
        _per_profile(1),
        "1 recorded, 0 not", 0, 1, "CLINICAL-RULES SAFETY_PLAN_STALE (revision 2)",
        "1 where the service's record carries crisis contacts, admissions and self-harm events; "
        "0 where it does not, and SAFETY_PLAN_STALE then cannot be assessed (never clear)",
        local=True,
    )
    care_docs_days: Mapping[str, int | None] = keyed(
        {kind: (3 if kind == "home_based_treatment" else 28) for kind in COMMUNITY_PROFILES},
        "days", 1, 90, "seed 000 §4.4, §4.7; the number of days is a local default",
        "CARE_DOCS when a required care document is missing this many days after allocation",
        local=True,
    )
    transition_plan_from_months: int = integer(
        210, "months of age", 192, 216, "CLINICAL-RULES §1 CAMHS (17y6m, outside the seeds)",
        "CAMHS: a transition plan is required from this age",
        local=True,
    )
    post_discharge_followup_hours: int = integer(
        72, "hours", 24, 168, "national standard (outside the seeds); CLINICAL-RULES day one #4",
        "duty view: follow-up after discharge from hospital within this many hours",
    )

    # --- Community teams: outcome pairs, care clusters and pathway stages ---
    outcome_due_months: int = integer(
        6, "calendar months", 1, 12, "seed 000 §4.4 ('timely and paired'); interval local",
        "OUTCOME_DUE: a clinician-rated and patient-reported pair at least this often",
        local=True,
    )
    cluster_missing_after_contacts: int = integer(
        2, "attended contacts", 1, 4, "seed 004 (cluster assigned after at most two contacts)",
        "CLUSTER_MISSING: a clustering team's referral with no cluster after this many contacts",
    )
    stage_stalled_days: Mapping[str, int | None] = keyed(
        dict(zip(PATHWAY_STAGES, (7, 28, 90, 365, 365, 28), strict=True)),
        "days", 1, 730, "seed 000 §4.2 (4); the maxima are local defaults (set per team)",
        "STAGE_STALLED: days in a pathway stage beyond this (community profiles)",
        local=True,
    )
    # fmt: on
