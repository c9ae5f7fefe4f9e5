"""Tier summaries: measures of each practitioner, team and service, and of the trust.

``build_summaries`` returns an Ibis expression of long rows (tier, tier_id, measure, value) from
a case snapshot (the expression ``build_snapshot`` returns, or the stored ``case_snapshot``
table) and the practitioner and supervision tables; it never writes (engine/store.py does).

Attribution (ADR 6): a case counts for its lead practitioner and for the team and service of the
referral; capacity, supervision and the practitioner-level flags count for the practitioner's own
team and its service. The trust tier carries aggregates only, never a practitioner's flag.

Practitioner-level flags (domain/flags_oversight.py) are measures ``flag_<code>`` whose value is
a state: see ``STATE_VALUES``. OVER_CAPACITY uses the count rule only: the weighted rule does not
fire until the weights are calibrated (CLINICAL-RULES §2), and the weight itself is unvalidated.
Shares are fractions (0 to 1); thresholds given in percent are compared by cross-multiplying, so
3 of 20 is exactly 15%. Every ratio goes through ``ratio`` (a zero denominator gives null).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ibis
import pyarrow as pa
from ibis.backends import BaseBackend

from caseboard.contract.schema_snapshot import CASE_FLAGS
from caseboard.domain.flag_types import AMBER, CANNOT_ASSESS, NOT_APPLICABLE, RED, flag_column
from caseboard.domain.periods import Month
from caseboard.domain.policy import DEFAULT_POLICY, Policy
from caseboard.engine.rules.waiting import waiting_for_treatment
from caseboard.engine.summaries_staff import (
    STATE_OF_VALUE,
    STATE_VALUES,
    Ids,
    compliance_state,
    frozen_month,
    practitioners,
    raised,
    staff_measures,
)
from caseboard.engine.tables import Tables

TIERS = ("practitioner", "team", "service", "trust")
__all__ = [
    "STATE_OF_VALUE",
    "STATE_VALUES",
    "build_summaries",
    "long_rows",
    "tier_rows",
    "unpivot",
]
SIX_WEEKS_DAYS = 6 * 7  # "n weeks" = 7n days (DESIGN "Data contract")
EIGHTEEN_WEEKS_DAYS = 18 * 7
PRACTITIONER_FLAGS = ("OVER_CAPACITY", "HIGH_RISK_SHARE", "SUPERVISION_DUE")

ALL = TIERS
GROUPS = ("team", "service", "trust")  # aggregates of practitioners


@dataclass(frozen=True)
class Measure:
    """A measure and the tiers it is reported for."""

    name: str
    tiers: tuple[str, ...]
    count: bool  # a count: 0 when the tier has nothing to count, never null


def ratio(numerator: ibis.Value, denominator: ibis.Value) -> ibis.Value:
    """numerator / denominator as a float; null when the denominator is zero or null."""
    return numerator.cast("float64") / denominator.nullif(0).cast("float64")


def flag_measure(code: str) -> str:
    return f"flag_{code.lower()}"


CASE_COUNTS = (
    "open_cases",
    "lead_cases",
    "unallocated_cases",
    "high_risk_cases",
    "high_risk_unknown_cases",
    "high_risk_recorded_cases",
    "flagged_cases",
    *(f"flagged_{flag.code.lower()}" for flag in CASE_FLAGS),
    *(f"cases_priority_{n}" for n in range(5)),
    "waiting_first_assessment",
    "waiting_first_assessment_over_target",
    "tt_waiting_first_treatment",
    "tt_waiting_within_6_weeks",
    "tt_waiting_within_18_weeks",
    "tt_waiting_second_treatment",
    "tt_waiting_second_over_90_days",
)
STAFF_COUNTS = (
    "practitioners",
    "practitioners_without_cap",
    "capped_lead_cases",
    "practitioners_over_capacity",
    "practitioners_high_risk_share",
    "practitioners_supervision_due",
    "compliance_eligible",
    "compliance_supervised",
)
MEASURES: tuple[Measure, ...] = (
    *(Measure(name, ALL, True) for name in CASE_COUNTS),
    Measure("weighted_load", ALL, True),
    Measure("high_risk_share", ALL, False),
    Measure("tt_waiting_within_6_weeks_share", ALL, False),
    Measure("tt_waiting_within_18_weeks_share", ALL, False),
    Measure("tt_waiting_second_over_90_days_share", ALL, False),
    Measure("capacity", ALL, False),
    Measure("capacity_used", ALL, False),
    *(Measure(flag_measure(code), ("practitioner",), False) for code in PRACTITIONER_FLAGS),
    *(Measure(name, GROUPS, True) for name in STAFF_COUNTS),
    Measure("supervised_this_month_share", GROUPS, False),
    Measure("compliance_month", GROUPS, False),
    Measure("compliance_share", GROUPS, False),
    Measure(flag_measure("COMPLIANCE_BELOW_STANDARD"), ("team",), False),
    Measure("teams_below_compliance_standard", ("service", "trust"), True),
    # Practitioner tier: 1 or 0; team, service and trust: how many practitioners.
    Measure("supervision_eligible_this_month", ALL, True),
    Measure("supervised_this_month", ALL, True),
)


def _case_measures(s: ibis.Table, as_of: dt.date, policy: Policy) -> dict[str, ibis.Value]:
    led = s.lead_practitioner_id.notnull()
    tt = s.service_kind == "talking_therapies"
    waiting_first = s.first_assessment_on.isnull()
    waiting_treatment = tt & s.first_treatment_on.isnull()
    waiting_second = tt & waiting_for_treatment(s)
    # Waited beyond the red days: the first treatment contact before this date.
    second_cutoff = as_of - dt.timedelta(days=policy.second_appointment_red_days)
    counts: dict[str, ibis.Value] = {
        "open_cases": s.count(),
        "lead_cases": led.sum(),
        "unallocated_cases": (~led).sum(),
        "high_risk_cases": (s.flag_high_risk == RED).sum(),
        "high_risk_unknown_cases": (s.flag_high_risk == CANNOT_ASSESS).sum(),
        # Cases whose service records a risk level (HIGH_RISK applies): the share's denominator,
        # so a service that records none shows no share, never 0% (CLINICAL-RULES section 4).
        "high_risk_recorded_cases": (s.flag_high_risk != NOT_APPLICABLE).sum(),
        "flagged_cases": (s.flags != "").sum(),
        **{
            f"flagged_{flag.code.lower()}": s[flag_column(flag.code)].isin((RED, AMBER)).sum()
            for flag in CASE_FLAGS
        },
        **{f"cases_priority_{n}": (s.priority == n).sum() for n in range(5)},
        "waiting_first_assessment": waiting_first.sum(),
        "waiting_first_assessment_over_target": (
            waiting_first & (s.days_since_received > policy.first_appointment_internal_days)
        ).sum(),
        "tt_waiting_first_treatment": waiting_treatment.sum(),
        "tt_waiting_within_6_weeks": (
            waiting_treatment & (s.days_since_received <= SIX_WEEKS_DAYS)
        ).sum(),
        "tt_waiting_within_18_weeks": (
            waiting_treatment & (s.days_since_received <= EIGHTEEN_WEEKS_DAYS)
        ).sum(),
        "tt_waiting_second_treatment": waiting_second.sum(),
        "tt_waiting_second_over_90_days": (
            waiting_second & (s.first_treatment_on < second_cutoff)
        ).sum(),
    }
    measures = {name: value.cast("int64").fill_null(0) for name, value in counts.items()}
    measures["weighted_load"] = s.weight.sum(where=led).cast("float64").fill_null(0.0)
    return measures


def case_shares(table: ibis.Table) -> dict[str, ibis.Value]:
    return {
        "high_risk_share": ratio(table.high_risk_cases, table.high_risk_recorded_cases),
        "tt_waiting_within_6_weeks_share": ratio(
            table.tt_waiting_within_6_weeks, table.tt_waiting_first_treatment
        ),
        "tt_waiting_within_18_weeks_share": ratio(
            table.tt_waiting_within_18_weeks, table.tt_waiting_first_treatment
        ),
        "tt_waiting_second_over_90_days_share": ratio(
            table.tt_waiting_second_over_90_days, table.tt_waiting_second_treatment
        ),
    }


def build_summaries(
    con: BaseBackend,
    snapshot: ibis.Table,
    *,
    as_of: dt.date,
    policy: Policy = DEFAULT_POLICY,
) -> ibis.Table:
    """Long rows (tier, tier_id, measure, value) for every practitioner, team and service, and
    the trust, from ``snapshot`` (every open referral at as_of) and the record tables."""
    return long_rows(tier_rows(con, snapshot, as_of=as_of, policy=policy), snapshot)


def tier_rows(
    con: BaseBackend,
    snapshot: ibis.Table,
    *,
    as_of: dt.date,
    policy: Policy = DEFAULT_POLICY,
    practitioner_ids: Ids = None,
    team_ids: Ids = None,
) -> ibis.Table:
    """Wide rows (tier, tier_id, one column per measure). Given ``practitioner_ids`` and
    ``team_ids``, only those practitioners and teams, every base table filtered first: the
    practitioner ids must include every practitioner of the teams (engine/incremental.py);
    services and the trust are then rolled up from the team rows (engine/summaries_rollup.py)."""
    partial = practitioner_ids is not None or team_ids is not None
    if partial and (practitioner_ids is None or team_ids is None):
        raise ValueError("give both practitioner_ids and team_ids, or neither")
    t = Tables(con)
    s = snapshot
    frozen = frozen_month(as_of, policy)
    staff = practitioners(t, s, as_of, policy, frozen, practitioner_ids)

    # Practitioner tier: the caseload is the lead cases, whatever the referral's team.
    led = s.filter(s.lead_practitioner_id.notnull())
    if practitioner_ids is not None:
        led = led.filter(led.lead_practitioner_id.isin(practitioner_ids))
    by_lead = led.group_by(lead_key=led.lead_practitioner_id).aggregate(
        **_case_measures(led, as_of, policy)
    )
    by_lead = by_lead.mutate(**case_shares(by_lead))
    prac = staff.left_join(by_lead, staff.practitioner_id == by_lead.lead_key)
    prac = prac.mutate(
        tier_id=prac.practitioner_id,
        capacity_used=ratio(prac.caseload, prac.capacity),
        supervised_this_month=ibis.ifelse(prac.now_supervised, 1, 0),
        supervision_eligible_this_month=ibis.ifelse(prac.now_eligible, 1, 0),
        **{
            flag_measure("OVER_CAPACITY"): prac.over_capacity_state,
            flag_measure("HIGH_RISK_SHARE"): prac.high_risk_share_state,
            flag_measure("SUPERVISION_DUE"): prac.supervision_due_state,
        },
    )

    cases_in_teams = s if team_ids is None else s.filter(s.team_id.isin(team_ids))
    team_spine = t.team.select(tier_id="id")
    if team_ids is not None:
        team_spine = team_spine.filter(team_spine.tier_id.isin(team_ids))
    team = _grouped(
        cases_in_teams, "team_id", staff, "practitioner_team_id", team_spine, as_of, policy, frozen
    )
    team = team.mutate(
        compliance_state=compliance_state(
            team.compliance_eligible, team.compliance_supervised, policy
        )
    )
    team = team.mutate(**{flag_measure("COMPLIANCE_BELOW_STANDARD"): team.compliance_state})
    if partial:
        return ibis.union(wide(prac, "practitioner"), wide(team, "team"))

    below = team.filter(raised(team.compliance_state)).select(below_team="tier_id")
    team_service = t.team.select(team_id="id", team_service_id="service_id")
    below_by_service = (
        below.join(team_service, below.below_team == team_service.team_id)
        .group_by(below_service="team_service_id")
        .aggregate(teams_below_compliance_standard=ibis._.count())
    )
    service_spine = t.service.select(tier_id="id")
    service = _grouped(
        s, "service_id", staff, "practitioner_service_id", service_spine, as_of, policy, frozen
    )
    service = service.left_join(below_by_service, service.tier_id == below_by_service.below_service)

    trust_cases = s.aggregate(**_case_measures(s, as_of, policy))
    trust_staff = staff.aggregate(**staff_measures(staff))
    trust_below = below.aggregate(teams_below_compliance_standard=below.count())
    trust = trust_cases.cross_join(trust_staff).cross_join(trust_below)
    trust = group_shares(trust.mutate(tier_id=ibis.null().cast("int64")), frozen)
    return ibis.union(
        wide(prac, "practitioner"),
        wide(team, "team"),
        wide(service, "service"),
        wide(trust, "trust"),
    )


def wide(table: ibis.Table, tier: str) -> ibis.Table:
    """The tier, its id and one column per measure in ``MEASURES`` order (null where ``table``
    lacks it)."""
    null_float = ibis.null().cast("float64")
    columns = {
        m.name: table[m.name].cast("float64") if m.name in table.columns else null_float
        for m in MEASURES
    }
    return table.select(tier=ibis.literal(tier), tier_id=table.tier_id.cast("int64"), **columns)


def unpivot(row: Sequence[Any]) -> list[tuple[str, int | None, str, float | None]]:
    """``long_rows`` for one fetched wide row (tier, tier_id, the measures in order): the
    measures that apply to the tier, a count's null read as 0. The incremental refresh reshapes
    its few rows here; SQLite took ~60 ms to do it in SQL."""
    tier, tier_id, *values = row
    return [
        (tier, tier_id, m.name, 0.0 if value is None and m.count else value)
        for m, value in zip(MEASURES, values, strict=True)
        if tier in m.tiers
    ]


def long_table(wide: pa.Table) -> pa.Table:
    """``unpivot`` of every row of fetched wide tier rows, as an Arrow table (tier, tier_id,
    measure, value): the long rows ``long_rows`` computes in SQL."""
    columns = [column.to_pylist() for column in wide.columns]
    rows = [long for row in zip(*columns, strict=True) for long in unpivot(row)]
    types = {
        "tier": pa.string(),
        "tier_id": pa.int64(),
        "measure": pa.string(),
        "value": pa.float64(),
    }
    return pa.table(
        {
            name: pa.array([row[i] for row in rows], kind)
            for i, (name, kind) in enumerate(types.items())
        }
    )


def group_shares(table: ibis.Table, frozen: Month) -> ibis.Table:
    """The shares of a team, service or trust row, from its counts."""
    return table.mutate(
        **case_shares(table),
        capacity_used=ratio(table.capped_lead_cases, table.capacity),
        supervised_this_month_share=ratio(
            table.supervised_this_month, table.supervision_eligible_this_month
        ),
        compliance_share=ratio(table.compliance_supervised, table.compliance_eligible),
        compliance_month=ibis.literal(float(frozen.year * 100 + frozen.month)),
    )


def _grouped(
    s: ibis.Table,
    case_key: str,
    staff: ibis.Table,
    staff_key: str,
    spine: ibis.Table,
    as_of: dt.date,
    policy: Policy,
    frozen: Month,
) -> ibis.Table:
    """Team or service rows: the spine's ids with their cases' and their staff's measures."""
    by_case = s.group_by(case_group=s[case_key]).aggregate(**_case_measures(s, as_of, policy))
    by_staff = staff.group_by(staff_group=staff[staff_key]).aggregate(**staff_measures(staff))
    joined = spine.left_join(by_case, spine.tier_id == by_case.case_group).left_join(
        by_staff, spine.tier_id == by_staff.staff_group
    )
    return group_shares(joined, frozen)


def long_rows(tiers: ibis.Table, source: ibis.Table) -> ibis.Table:
    """One row per tier row and measure: a cross join with a measure index, then one CASE per
    output column. The index is built from one row (``source``'s row count, no temporary table)
    as binary digits: a union of 90 selects would nest too deep for SQLite's parser."""
    one_row = source.aggregate(one=source.count())
    bit = ibis.union(
        one_row.select(digit=ibis.literal(0, "int64")),
        one_row.select(digit=ibis.literal(1, "int64")),
    )
    digits = max(1, (len(MEASURES) - 1).bit_length())
    number = bit.select(d0="digit")
    for k in range(1, digits):
        number = number.cross_join(bit.select(**{f"d{k}": "digit"}))
    total: ibis.Value = ibis.literal(0, "int64")
    for k in range(digits):
        total = total + number[f"d{k}"] * (2**k)
    index = number.filter(total < len(MEASURES)).select(measure_index=total)
    pairs = tiers.cross_join(index)
    position = pairs.measure_index
    names, values, applies = [], [], []
    for i, measure in enumerate(MEASURES):
        value = pairs[measure.name]
        names.append((position == i, ibis.literal(measure.name)))
        values.append((position == i, value.fill_null(0.0) if measure.count else value))
        applies.append((position == i, pairs.tier.isin(measure.tiers)))
    applicable = pairs.filter(ibis.cases(*applies, else_=False))
    return applicable.select(
        "tier",
        "tier_id",
        measure=ibis.cases(*names, else_=ibis.null().cast("string")),
        value=ibis.cases(*values, else_=ibis.null().cast("float64")),
    )
