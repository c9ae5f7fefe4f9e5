"""The complexity weight of each open case, as Ibis expressions over the snapshot's facts.

**Unvalidated**: the factors are DESIGN's starting point, to be calibrated against supervisors'
blind scores; the weight is advisory and shown with its components. ``domain/weighting.py``'s
``complexity_weight`` is the reference: ``weight_columns`` computes the same total, breakdown and
band in the database (tests/engine/test_weights.py checks that they agree on every row), and
``case_factors`` reads a snapshot row into the reference's inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis

from caseboard.domain.policy import Policy
from caseboard.domain.weighting import CaseFactors, amount_text

# The patient columns that make "additional needs" (DESIGN "Policy": interpreter, learning
# disability, autism or sensory impairment).
ADDITIONAL_NEEDS = ("interpreter_needed", "learning_disability", "autism", "sensory_impairment")


def _factors(f: ibis.Table, policy: Policy) -> list[tuple[ibis.Value, ibis.Value, float]]:
    """(applies, label, amount) per factor, in the order of ``complexity_weight``."""
    level_high = (f.risk_level == "high").fill_null(False)
    listed = f.risk_on_high_risk_list.fill_null(False)
    needs = ibis.literal(False)
    for name in ADDITIONAL_NEEDS:
        needs = needs | f[name].fill_null(False)
    label = ibis.literal
    return [
        (level_high, label("risk concerns recorded as high"), policy.weight_high_risk),
        (~level_high & listed, label("on the team's high-risk list"), policy.weight_high_risk),
        (
            ~level_high & ~listed & (f.risk_level == "medium").fill_null(False),
            label("risk concerns recorded as medium"),
            policy.weight_medium_risk,
        ),
        (
            f.open_safeguarding.fill_null(0) > 0,
            label("open safeguarding concern"),
            policy.weight_safeguarding,
        ),
        (
            f.dna_or_cancellations.fill_null(0) >= policy.weight_dna_min_count,
            f.dna_or_cancellations.cast("int64")
            .cast("string")
            .concat(" DNAs or patient cancellations"),
            policy.weight_dna,
        ),
        (needs, label("additional needs"), policy.weight_additional_needs),
        (
            f.attended_contacts_in_window.fill_null(0) >= policy.weekly_contact_min_attended,
            label("seen weekly or more"),
            policy.weight_weekly_contact,
        ),
        (
            f.care_cluster.isin(list(policy.weight_clusters)).fill_null(False),
            label("care cluster ").concat(f.care_cluster.cast("int64").cast("string")),
            policy.weight_cluster,
        ),
        ((f.step == 3).fill_null(False), label("step 3"), policy.weight_step3),
    ]


def weight_columns(f: ibis.Table, policy: Policy) -> dict[str, ibis.Value]:
    """``weight`` (rounded to 6 places, as the reference), ``weight_breakdown`` (the text of
    ``domain.weighting.breakdown_text``) and ``weight_band`` (1-4) of every row of ``f``."""
    total: ibis.Value = ibis.literal(float(policy.weight_base))
    text: ibis.Value = ibis.literal(f"base {amount_text(policy.weight_base)}")
    for applies, label, amount in _factors(f, policy):
        total = total + ibis.ifelse(applies, float(amount), 0.0)
        part = ibis.literal("; ").concat(label, f" +{amount_text(amount)}")
        text = text.concat(ibis.ifelse(applies, part, ""))
    weight = total.round(6)
    band = ibis.cases(
        (weight >= policy.weight_band_4_from, 4),
        (weight >= policy.weight_band_3_from, 3),
        (weight >= policy.weight_band_2_from, 2),
        else_=1,
    ).cast("int64")
    return {"weight": weight.cast("float64"), "weight_breakdown": text, "weight_band": band}


def case_factors(row: Mapping[str, Any]) -> CaseFactors:
    """A snapshot row as the reference function's inputs."""
    return CaseFactors(
        risk_level=row["risk_level"],
        on_high_risk_list=bool(row["risk_on_high_risk_list"]),
        open_safeguarding=(row["open_safeguarding"] or 0) > 0,
        dna_count=row["dna_or_cancellations"] or 0,
        additional_needs=any(bool(row[name]) for name in ADDITIONAL_NEEDS),
        attended_contacts_in_window=row["attended_contacts_in_window"] or 0,
        care_cluster=row["care_cluster"],
        step=row["step"],
    )
