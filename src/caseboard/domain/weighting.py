"""Caseload weighting: a transparent complexity weight per case, capacity per practitioner.

**Unvalidated.** Seed 001 leaves scoring and weighting "for later"; these factors are DESIGN's
starting point, to be calibrated against the supervisors' blind scores (weighted kappa over a
pooled random sample). Until calibration is adequate only the head-count capacity rule fires
(CLINICAL-RULES §2 OVER_CAPACITY), and the weight is shown as advisory with its components, never
as a verdict (the "over-trusted complexity weight" hazard).

The weight of a case is ``policy.weight_base`` plus one amount per factor that applies; every
amount is zero or more (the policy's ranges refuse a negative one), so no factor, and in
particular no risk level, can lower a weight (NICE NG225; CLINICAL-RULES §4: a "low" risk level
never makes a case less prominent).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from caseboard.domain.codes import RISK_LEVELS
from caseboard.domain.policy import DEFAULT_POLICY, Policy
from caseboard.domain.policy_team_settings import ABSOLUTE_CAP_ROLES, PER_WTE_CAP_ROLES

COMPLEXITY_SCALE = {1: "low", 2: "moderate", 3: "high", 4: "very high"}  # DESIGN "Policy"


@dataclass(frozen=True)
class CaseFactors:
    """What the weight of one open case is computed from."""

    # Current risk concerns where the team records a level; None when it does not. "low" adds
    # nothing and takes nothing away.
    risk_level: str | None = None
    # On the team's high-risk / zoning list (where the team zones): weighs as high risk, as it
    # raises HIGH_RISK, whatever the recorded level (CLINICAL-RULES §4).
    on_high_risk_list: bool = False
    open_safeguarding: bool = False
    # DNAs (or was not brought) and patient cancellations in the episode.
    dna_count: int = 0
    # Interpreter needed, learning disability, autism or a sensory impairment.
    additional_needs: bool = False
    # Attended clinical contacts in the last ``policy.weekly_contact_window_days`` days.
    attended_contacts_in_window: int = 0
    care_cluster: int | None = None
    step: int | None = None  # Talking Therapies step, 1 to 4

    def __post_init__(self) -> None:
        if self.risk_level is not None and self.risk_level not in RISK_LEVELS:
            raise ValueError(f"risk_level must be one of {', '.join(RISK_LEVELS)} or None")
        if self.dna_count < 0 or self.attended_contacts_in_window < 0:
            raise ValueError("counts must not be negative")


@dataclass(frozen=True)
class Weight:
    """A case's weight, the amounts it is made of, and its band on the 1-4 complexity scale."""

    total: float
    breakdown: tuple[tuple[str, float], ...]  # (factor, amount), the base first
    band: int


def seen_weekly_or_more(attended_contacts_in_window: int, policy: Policy) -> bool:
    """At least ``weekly_contact_min_attended`` attended contacts in the window (local reading)."""
    return attended_contacts_in_window >= policy.weekly_contact_min_attended


def complexity_weight(case: CaseFactors, policy: Policy) -> Weight:
    """The weight of one case with the amount each factor adds."""
    parts: list[tuple[str, float]] = [("base", policy.weight_base)]
    if case.risk_level == "high":
        parts.append(("risk concerns recorded as high", policy.weight_high_risk))
    elif case.on_high_risk_list:
        parts.append(("on the team's high-risk list", policy.weight_high_risk))
    elif case.risk_level == "medium":
        parts.append(("risk concerns recorded as medium", policy.weight_medium_risk))
    if case.open_safeguarding:
        parts.append(("open safeguarding concern", policy.weight_safeguarding))
    if case.dna_count >= policy.weight_dna_min_count:
        parts.append((f"{case.dna_count} DNAs or patient cancellations", policy.weight_dna))
    if case.additional_needs:
        parts.append(("additional needs", policy.weight_additional_needs))
    if seen_weekly_or_more(case.attended_contacts_in_window, policy):
        parts.append(("seen weekly or more", policy.weight_weekly_contact))
    if case.care_cluster is not None and case.care_cluster in policy.weight_clusters:
        parts.append((f"care cluster {case.care_cluster}", policy.weight_cluster))
    if case.step == 3:
        parts.append(("step 3", policy.weight_step3))
    if any(amount < 0 for _, amount in parts):
        raise ValueError("a weighting factor must never lower a weight")
    # Rounded so that 1.0 + 0.4 + 0.4 lands on the band boundary 1.8, not just below it.
    total = round(sum(amount for _, amount in parts), 6)
    return Weight(total, tuple(parts), band(total, policy))


def amount_text(amount: float) -> str:
    """An amount as the breakdown shows it: 1.0, 0.5, 0.25."""
    return repr(round(float(amount), 4))


def breakdown_text(weight: Weight) -> str:
    """The breakdown as one line, e.g. "base 1.0; step 3 +0.5" (the snapshot's weight_breakdown)."""
    return "; ".join(
        f"{factor} {amount_text(amount)}" if index == 0 else f"{factor} +{amount_text(amount)}"
        for index, (factor, amount) in enumerate(weight.breakdown)
    )


def band(weight: float, policy: Policy = DEFAULT_POLICY) -> int:
    """The complexity band, 1 (low) to 4 (very high): below 1.3, 1.8 and 2.3 by default."""
    if weight < policy.weight_band_2_from:
        return 1
    if weight < policy.weight_band_3_from:
        return 2
    if weight < policy.weight_band_4_from:
        return 3
    return 4


def capacity(role: str, wte: float, clinical_fraction: float, policy: Policy) -> float | None:
    """How many lead cases the practitioner can hold; None when the role's cap is not set.

    Per-WTE caps: cap x WTE x clinical fraction. Trainee caps are absolute figures (seed 002 §11).
    """
    if not 0 <= wte <= 1.5:
        raise ValueError(f"WTE must be 0 to 1.5, not {wte}")
    if not 0 <= clinical_fraction <= 1:
        raise ValueError(f"clinical fraction must be 0 to 1, not {clinical_fraction}")
    if role in ABSOLUTE_CAP_ROLES:
        absolute = policy.caseload_cap_absolute.get(role)
        return None if absolute is None else float(absolute)
    if role not in PER_WTE_CAP_ROLES:
        raise ValueError(f"unknown practitioner role {role!r}")
    per_wte = policy.caseload_cap_per_wte.get(role)
    return None if per_wte is None else per_wte * wte * clinical_fraction


def over_capacity_count_rule(caseload_count: int, capacity: float | None) -> bool | None:
    """OVER_CAPACITY (count): lead caseload, including those awaiting assessment, > capacity.

    None ("cannot assess") when the role has no cap set.
    """
    if capacity is None:
        return None
    return caseload_count > capacity


def normalised_load(weights: Sequence[float], typical_case_weight: float) -> float:
    """Weighted load in "typical cases": the sum of weights over the role's typical case weight."""
    if typical_case_weight <= 0:
        raise ValueError("the typical case weight must be positive")
    return sum(weights) / typical_case_weight


def calibration_adequate(kappa: float | None, pairs: int, policy: Policy) -> bool:
    """Weighted kappa >= kappa_minimum over at least kappa_minimum_pairs pooled pairs."""
    return (
        kappa is not None
        and pairs >= policy.kappa_minimum_pairs
        and kappa >= (policy.kappa_minimum)
    )


def over_capacity_weighted_rule(
    load: float, capacity: float | None, *, kappa: float | None, pairs: int, policy: Policy
) -> bool | None:
    """OVER_CAPACITY (weighted): normalised load > capacity, once calibration is adequate.

    None while the weights are not calibrated or the role has no cap: the rule does not fire.
    """
    if capacity is None or not calibration_adequate(kappa, pairs, policy):
        return None
    return load > capacity


def weighted_kappa(pairs: Sequence[tuple[int, int]], categories: int = 4) -> float | None:
    """Cohen's kappa with quadratic weights for two raters on the 1..``categories`` scale.

    None when there are no pairs or when agreement by chance is total (both raters used one
    and the same category throughout), where kappa is undefined.
    """
    if not pairs:
        return None
    for first, second in pairs:
        if not (1 <= first <= categories and 1 <= second <= categories):
            raise ValueError(f"scores must be 1 to {categories}, not {(first, second)}")
    n = len(pairs)
    rows = [sum(first == i for first, _ in pairs) for i in range(1, categories + 1)]
    cols = [sum(second == j for _, second in pairs) for j in range(1, categories + 1)]

    def disagreement(i: int, j: int) -> float:
        return (i - j) ** 2 / (categories - 1) ** 2

    observed = sum(disagreement(first, second) for first, second in pairs) / n
    expected = sum(
        disagreement(i + 1, j + 1) * rows[i] * cols[j] / n**2
        for i in range(categories)
        for j in range(categories)
    )
    if expected == 0:
        return None
    return 1 - observed / expected
