"""Practitioner- and team-level policy settings: supervision, compliance, caseload and weighting.

Declared as in ``policy_settings`` (default, unit, minimum, maximum, source, description; ``local``
marks a default not from the seeds). Seeds: 000 community caseload supervision policy, 001
caseload management tool, 002 Talking Therapies policy, 003 caseload-size evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from caseboard.domain.codes import PRACTITIONER_ROLES
from caseboard.domain.policy_fields import decimal, integer, keyed, whole_numbers

# Trainee caps are absolute numbers of cases, not per WTE: seed 002 §11 gives them as a caseload
# "up to 42" / "of 24" for a trainee's fixed twelve clinical hours a week.
ABSOLUTE_CAP_ROLES = ("trainee_pwp", "trainee_hit")
PER_WTE_CAP_ROLES = tuple(role for role in PRACTITIONER_ROLES if role not in ABSOLUTE_CAP_ROLES)
WEIGHTING = "DESIGN 'Policy': a starting point to calibrate against supervisor scores (seed 001)"


@dataclass(frozen=True)
class TeamRules:
    """Thresholds for practitioners and teams, and the caseload weighting factors."""

    # Kept as a table, as in policy_settings.
    # fmt: off

    # --- Caseload supervision and case discussion ---
    supervision_standard_percent: float = decimal(
        80.0, "%", 50.0, 100.0, "seed 000 §4.3, §8",
        "COMPLIANCE: share of practitioners with a caseload in a signed session each month",
    )
    compliance_min_days_in_post: int = integer(
        14, "days", 1, 28, "CLINICAL-RULES §2 COMPLIANCE",
        "the compliance denominator counts practitioners in post at least this many days",
        local=True,
    )
    month_freeze_working_days: int = integer(
        5, "working days", 1, 20, "CLINICAL-RULES §2 COMPLIANCE",
        "a month's compliance figures freeze this many working days after it ends",
        local=True,
    )
    supervision_due_amber_days_left: int = integer(
        7, "days", 0, 27, "CLINICAL-RULES §2 SUPERVISION_DUE",
        "SUPERVISION_DUE amber when no session this month and at most this many days are left",
        local=True,
    )
    discussion_interval_months: int = integer(
        12, "calendar months", 1, 12, "seed 000 §4.3 (every case presented at least annually)",
        "NOT_DISCUSSED, community profiles: a case is discussed at least every this many months",
    )
    discussion_interval_days_talking_therapies: int = integer(
        28, "days", 14, 28, "seed 002 §14.2 (whole caseload discussed within 2-4 weeks)",
        "NOT_DISCUSSED, Talking Therapies: a case is discussed at least every this many days",
    )
    not_discussed_amber_window_days: int = integer(
        30, "days", 0, 90, "CLINICAL-RULES §2 NOT_DISCUSSED",
        "NOT_DISCUSSED amber when the discussion falls due within this many days",
        local=True,
    )
    not_discussed_amber_window_days_talking_therapies: int = integer(
        7, "days", 0, 27, "ADR 8: a 30-day window is longer than the 28-day interval",
        "NOT_DISCUSSED, Talking Therapies: amber when the discussion falls due within this many "
        "days",
        local=True,
    )
    transfer_review_days: int = integer(
        28, "days", 7, 56, "seed 002 app. 2 (discuss reallocation in supervision); days local",
        "TRANSFER_REVIEW: a case whose lead changed is discussed within this many days",
        local=True,
    )
    discharge_agreed_days: int = integer(
        28, "days", 7, 90, "seed 001 (cases readied for closure); the days are local",
        "DISCHARGE_AGREED_NOT_DONE: an agreed discharge or stable casing done within this",
        local=True,
    )
    random_sample_cases: int = integer(
        3, "cases", 1, 10, "seed 001 (supervisor scores randomly selected clients)",
        "cases drawn at random at each session for blind complexity scoring and document review",
    )
    kappa_minimum: float = decimal(
        0.6, "weighted kappa", 0.4, 1.0, "CLINICAL-RULES §2 OVER_CAPACITY",
        "the weighted capacity rule is used only once agreement reaches this",
        local=True,
    )
    kappa_minimum_pairs: int = integer(
        30, "score pairs", 10, 1000, "CLINICAL-RULES §2 OVER_CAPACITY; DESIGN supervision",
        "weighted kappa is reported, and can calibrate, only over at least this many pairs",
        local=True,
    )

    # --- Caseload size and capacity ---
    caseload_cap_per_wte: Mapping[str, int | None] = keyed(
        {role: {"pwp": 70, "high_intensity_therapist": 40}.get(role) for role in PER_WTE_CAP_ROLES},
        "cases per WTE", 1, 150,
        "seed 002 §11 (PWP up to 70, HIT up to 40 per WTE); other roles not set until the trust "
        "sets one (seed 003 gives ranges; case management turns reactive above about 20-30)",
        "OVER_CAPACITY: lead caseload above this x WTE x clinical fraction",
        local=frozenset(PER_WTE_CAP_ROLES) - {"pwp", "high_intensity_therapist"},
    )
    caseload_cap_absolute: Mapping[str, int | None] = keyed(
        {"trainee_pwp": 42, "trainee_hit": 24},
        "cases", 1, 150, "seed 002 §11 (trainee PWP up to 42, trainee HIT 24)",
        "OVER_CAPACITY: trainee lead caseload above this number of cases",
    )
    high_risk_share_amber_percent: float = decimal(
        10.0, "%", 1.0, 50.0, "seed 003 (Sargent 2008, community matron evidence)",
        "HIGH_RISK_SHARE amber above this share of the caseload (advisory)",
    )
    high_risk_share_red_percent: float = decimal(
        15.0, "%", 1.0, 50.0, "seed 003 (Sargent 2008, community matron evidence)",
        "HIGH_RISK_SHARE red above this share of the caseload (advisory)",
    )
    high_risk_share_minimum_cases: int = integer(
        10, "cases", 1, 50, "DESIGN 'Policy' (a share of a small caseload is noise)",
        "HIGH_RISK_SHARE is shown only for caseloads of at least this many cases",
        local=True,
    )

    # --- Complexity weighting (unvalidated: see domain/weighting.py) ---
    weight_base: float = decimal(1.0, "weight", 0.5, 2.0, WEIGHTING, "every open case", local=True)
    weight_high_risk: float = decimal(
        0.5, "weight", 0.0, 2.0, WEIGHTING, "risk concerns recorded as high", local=True,
    )
    weight_medium_risk: float = decimal(
        0.2, "weight", 0.0, 2.0, WEIGHTING, "risk concerns recorded as medium", local=True,
    )
    weight_safeguarding: float = decimal(
        0.3, "weight", 0.0, 2.0, WEIGHTING, "an open safeguarding concern", local=True,
    )
    weight_dna: float = decimal(
        0.2, "weight", 0.0, 2.0, WEIGHTING, "a DNA pattern (see weight_dna_min_count)", local=True,
    )
    weight_dna_min_count: int = integer(
        2, "DNAs or patient cancellations", 1, 10, WEIGHTING,
        "DNAs and patient cancellations in the episode that make a DNA pattern", local=True,
    )
    weight_additional_needs: float = decimal(
        0.2, "weight", 0.0, 2.0, WEIGHTING,
        "additional needs: interpreter, learning disability, autism or sensory", local=True,
    )
    weight_weekly_contact: float = decimal(
        0.3, "weight", 0.0, 2.0, WEIGHTING, "seen weekly or more often", local=True,
    )
    weekly_contact_min_attended: int = integer(
        4, "attended contacts", 1, 28, "local reading of 'seen weekly or more'",
        "'seen weekly' = at least this many attended contacts in the weekly-contact window",
        local=True,
    )
    weekly_contact_window_days: int = integer(
        28, "days", 7, 91, "local reading of 'seen weekly or more'",
        "the window over which attended contacts are counted for 'seen weekly'", local=True,
    )
    weight_cluster: float = decimal(
        0.5, "weight", 0.0, 2.0, WEIGHTING, "a care cluster in weight_clusters", local=True,
    )
    weight_clusters: tuple[int, ...] = whole_numbers(
        (5, 6, 8, 13, 14, 15, 16, 17), "care clusters", 0, 21, WEIGHTING,
        "the care clusters that add weight_cluster",
    )
    weight_step3: float = decimal(
        0.5, "weight", 0.0, 2.0, WEIGHTING, "a Talking Therapies case at step 3", local=True,
    )
    weight_band_2_from: float = decimal(
        1.3, "weight", 1.0, 5.0, "DESIGN 'Policy' (complexity scale)",
        "a weight at or above this is band 2 (moderate)", local=True,
    )
    weight_band_3_from: float = decimal(
        1.8, "weight", 1.0, 5.0, "DESIGN 'Policy' (complexity scale)",
        "a weight at or above this is band 3 (high)", local=True,
    )
    weight_band_4_from: float = decimal(
        2.3, "weight", 1.0, 5.0, "DESIGN 'Policy' (complexity scale)",
        "a weight at or above this is band 4 (very high)", local=True,
    )

    # --- Data and housekeeping ---
    data_freshness_hours: int = integer(
        24, "hours", 1, 168, "DESIGN 'Policy'",
        "warn when the record data is older than this", local=True,
    )
    snooze_maximum_days: int = integer(
        28, "days", 1, 28, "CLINICAL-RULES hazard H5",
        "a flag may be snoozed for at most this many days", local=True,
    )
    entry_filed_working_days: int = integer(
        2, "working days", 1, 10, "CLINICAL-RULES hazard H4",
        "ENTRY_NOT_FILED when the EPR has not acknowledged an entry within this", local=True,
    )
    # fmt: on
