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
from dataclasses import dataclass

import ibis
from ibis.backends import BaseBackend

from caseboard.domain.flag_types import AMBER, CANNOT_ASSESS, CLEAR, NOT_APPLICABLE, RED
from caseboard.domain.periods import Month, month_frozen_on
from caseboard.domain.policy import DEFAULT_POLICY, Policy
from caseboard.engine.rules.waiting import waiting_for_treatment
from caseboard.engine.tables import Tables
from caseboard.records.schema_snapshot import CASE_FLAGS, flag_column

TIERS = ("practitioner", "team", "service", "trust")
# How a flag state is stored in tier_summary.value; cannot_assess is null (no data).
STATE_VALUES: dict[str, float] = {NOT_APPLICABLE: -1.0, CLEAR: 0.0, AMBER: 1.0, RED: 2.0}
STATE_OF_VALUE: dict[float | None, str] = {
    **{value: state for state, value in STATE_VALUES.items()},
    None: CANNOT_ASSESS,
}
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


def _flag_measure(code: str) -> str:
    return f"flag_{code.lower()}"


CASE_COUNTS = (
    "open_cases",
    "lead_cases",
    "unallocated_cases",
    "high_risk_cases",
    "high_risk_unknown_cases",
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
    *(Measure(_flag_measure(code), ("practitioner",), False) for code in PRACTITIONER_FLAGS),
    *(Measure(name, GROUPS, True) for name in STAFF_COUNTS),
    Measure("supervised_this_month_share", GROUPS, False),
    Measure("compliance_month", GROUPS, False),
    Measure("compliance_share", GROUPS, False),
    Measure(_flag_measure("COMPLIANCE_BELOW_STANDARD"), ("team",), False),
    Measure("teams_below_compliance_standard", ("service", "trust"), True),
    # Practitioner tier: 1 or 0; team, service and trust: how many practitioners.
    Measure("supervision_eligible_this_month", ALL, True),
    Measure("supervised_this_month", ALL, True),
)


def frozen_month(as_of: dt.date, policy: Policy) -> Month:
    """The latest month whose compliance figures are frozen on as_of (CLINICAL-RULES §2)."""
    month = Month.from_date(as_of).previous()
    while month_frozen_on(month, policy.month_freeze_working_days) > as_of:
        month = month.previous()
    return month


def capacity(role: ibis.Value, wte: ibis.Value, fraction: ibis.Value, policy: Policy) -> ibis.Value:
    """domain.weighting.capacity as an expression: cap x WTE x clinical fraction, the absolute
    trainee caps, null where the role's cap is not set."""
    known: list[tuple[ibis.Value, ibis.Value]] = []
    for name, cap in sorted(policy.caseload_cap_absolute.items()):
        if cap is not None:
            known.append((role == name, ibis.literal(float(cap))))
    for name, cap in sorted(policy.caseload_cap_per_wte.items()):
        if cap is not None and name not in policy.caseload_cap_absolute:
            known.append((role == name, float(cap) * wte * fraction))
    if not known:
        return ibis.null().cast("float64")
    return ibis.cases(*known, else_=ibis.null().cast("float64"))


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


def _case_shares(table: ibis.Table) -> dict[str, ibis.Value]:
    return {
        "high_risk_share": ratio(table.high_risk_cases, table.open_cases),
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


def _supervised(t: Tables, first: dt.date, until: dt.date) -> ibis.Table:
    """Practitioners in at least one signed session of a counting type held in [first, until]
    (a group session counts for each attendee)."""
    session = t.supervision_session
    signed = session.filter(
        session.signed_off_at.notnull()
        & session.counts_toward_standard
        & (session.held_on >= first)
        & (session.held_on <= until)
    ).select(session_key="id")
    attendee = t.supervision_attendee
    joined = attendee.join(signed, attendee.session_id == signed.session_key)
    return joined.group_by(supervised_id=joined.practitioner_id).aggregate(sessions=joined.count())


def _led_in(t: Tables, first: dt.date, until: dt.date) -> ibis.Table:
    """Practitioners who were lead on an open referral on at least one day of [first, until].

    A referral is open on day d when received <= d < closed; a lead row covers starts..ends. The
    periods overlap when every start is on or before every end, compared pairwise (dates only:
    SQLite's parser is kept shallow)."""
    m = t.referral_care_team
    r = t.referral.select(referral_key="id", received_on="received_on", closed_on="closed_on")
    j = m.filter(m.role == "lead").join(r, m.referral_id == r.referral_key)
    ends_after = j.ends_on.isnull() | (
        (j.ends_on >= first) & (j.ends_on >= j.starts_on) & (j.ends_on >= j.received_on)
    )
    closes_after = j.closed_on.isnull() | (
        (j.closed_on > first) & (j.closed_on > j.starts_on) & (j.closed_on > j.received_on)
    )
    overlapping = j.filter(
        (j.starts_on <= until) & (j.received_on <= until) & ends_after & closes_after
    )
    return overlapping.group_by(led_id=overlapping.practitioner_id).aggregate(
        led_referrals=overlapping.count()
    )


def _month_status(t: Tables, month: Month, until: dt.date, policy: Policy, tag: str) -> ibis.Table:
    """Per practitioner: eligible for the compliance denominator of ``month`` (lead on an open
    referral on a day up to ``until``, in post at least the minimum days of the whole month) and
    supervised in it (a signed counting session up to ``until``)."""
    p = t.practitioner
    # In post >= n days of the month: from max(started, first day) to min(ended, last day).
    span = policy.compliance_min_days_in_post - 1
    in_post = (p.started_on <= month.last_day - dt.timedelta(days=span)) & (
        p.ended_on.isnull()
        | (
            (p.ended_on >= month.first_day + dt.timedelta(days=span))
            & (p.ended_on.epoch_days() - p.started_on.epoch_days() >= span)
        )
    )
    staff = p.select(status_id="id", in_post=in_post)
    led = _led_in(t, month.first_day, until)
    supervised = _supervised(t, month.first_day, until)
    joined = staff.left_join(led, staff.status_id == led.led_id).left_join(
        supervised, staff.status_id == supervised.supervised_id
    )
    return joined.select(
        **{
            f"{tag}_id": joined.status_id,
            f"{tag}_in_post": joined.in_post,
            f"{tag}_eligible": joined.in_post & joined.led_id.notnull(),
            f"{tag}_supervised": joined.supervised_id.notnull(),
        }
    )


def _practitioners(
    t: Tables, s: ibis.Table, as_of: dt.date, policy: Policy, frozen: Month
) -> ibis.Table:
    """One row per practitioner in post on as_of or leading an open case: the caseload, the
    capacity, supervision this month, last month and in the frozen month, and the flag states."""
    led = s.filter(s.lead_practitioner_id.notnull())
    caseload = led.group_by(caseload_id=led.lead_practitioner_id).aggregate(
        caseload=led.count(), high_risk=(led.flag_high_risk == RED).sum().cast("int64")
    )
    p = t.practitioner
    teams = t.team.select(team_key="id", practitioner_service_id="service_id")
    in_post = p.active & (p.started_on <= as_of) & (p.ended_on.isnull() | (p.ended_on >= as_of))
    staff = p.select(
        practitioner_id="id",
        practitioner_team_id="team_id",
        in_post=in_post,
        capacity=capacity(p.role, p.wte, p.clinical_fraction, policy),
    )
    this_month = Month.from_date(as_of)
    last_month = this_month.previous()
    months = (
        _month_status(t, this_month, as_of, policy, "now"),
        _month_status(t, last_month, last_month.last_day, policy, "last"),
        _month_status(t, frozen, frozen.last_day, policy, "frozen"),
    )
    joined = staff.left_join(caseload, staff.practitioner_id == caseload.caseload_id)
    joined = joined.left_join(teams, staff.practitioner_team_id == teams.team_key)
    for status, tag in zip(months, ("now", "last", "frozen"), strict=True):
        joined = joined.left_join(status, staff.practitioner_id == status[f"{tag}_id"])
    rows = joined.mutate(
        caseload=joined.caseload.fill_null(0), high_risk=joined.high_risk.fill_null(0)
    )
    rows = rows.filter(rows.in_post | (rows.caseload > 0))
    n, h = rows.caseload, rows.high_risk
    over_capacity = ibis.cases(
        (rows.capacity.isnull(), _state(CANNOT_ASSESS)),
        (n > rows.capacity, _state(AMBER)),
        else_=_state(CLEAR),
    )
    high_risk_share = ibis.cases(
        (n < policy.high_risk_share_minimum_cases, _state(NOT_APPLICABLE)),
        (h * 100 > n * policy.high_risk_share_red_percent, _state(RED)),
        (h * 100 > n * policy.high_risk_share_amber_percent, _state(AMBER)),
        else_=_state(CLEAR),
    )
    days_left = this_month.days_left_after(as_of)
    supervised_now = rows.now_supervised.fill_null(False)
    supervision_due = ibis.cases(
        (n == 0, _state(NOT_APPLICABLE)),
        (supervised_now, _state(CLEAR)),
        (rows.last_in_post.fill_null(False) & ~rows.last_supervised.fill_null(False), _state(RED)),
        (ibis.literal(days_left <= policy.supervision_due_amber_days_left), _state(AMBER)),
        else_=_state(CLEAR),
    )
    return rows.select(
        "practitioner_id",
        "practitioner_team_id",
        "practitioner_service_id",
        "in_post",
        "caseload",
        "high_risk",
        "capacity",
        now_eligible=rows.now_eligible.fill_null(False),
        now_supervised=rows.now_eligible.fill_null(False) & supervised_now,
        frozen_eligible=rows.frozen_eligible.fill_null(False),
        frozen_supervised=rows.frozen_eligible.fill_null(False)
        & rows.frozen_supervised.fill_null(False),
        over_capacity_state=over_capacity,
        high_risk_share_state=high_risk_share,
        supervision_due_state=supervision_due,
    )


def _state(name: str) -> ibis.Value:
    """A flag state as tier_summary stores it (``STATE_VALUES``; cannot_assess is null)."""
    return ibis.literal(STATE_VALUES.get(name), "float64")


def _raised(state: ibis.Value) -> ibis.Value:
    return (state >= STATE_VALUES[AMBER]).fill_null(False)


def _staff_measures(p: ibis.Table) -> dict[str, ibis.Value]:
    capped = p.capacity.notnull()
    counts: dict[str, ibis.Value] = {
        "practitioners": p.count(),
        "practitioners_without_cap": (~capped).sum(),
        "capped_lead_cases": p.caseload.sum(where=capped),
        "practitioners_over_capacity": _raised(p.over_capacity_state).sum(),
        "practitioners_high_risk_share": _raised(p.high_risk_share_state).sum(),
        "practitioners_supervision_due": _raised(p.supervision_due_state).sum(),
        "supervision_eligible_this_month": p.now_eligible.sum(),
        "supervised_this_month": p.now_supervised.sum(),
        "compliance_eligible": p.frozen_eligible.sum(),
        "compliance_supervised": p.frozen_supervised.sum(),
    }
    measures = {name: value.cast("int64").fill_null(0) for name, value in counts.items()}
    measures["capacity"] = p.capacity.sum().cast("float64")
    return measures


def _compliance_state(eligible: ibis.Value, supervised: ibis.Value, policy: Policy) -> ibis.Value:
    return ibis.cases(
        (eligible.fill_null(0) == 0, _state(CANNOT_ASSESS)),
        (supervised * 100 < eligible * policy.supervision_standard_percent, _state(RED)),
        else_=_state(CLEAR),
    )


def build_summaries(
    con: BaseBackend,
    snapshot: ibis.Table,
    *,
    as_of: dt.date,
    policy: Policy = DEFAULT_POLICY,
) -> ibis.Table:
    """Long rows (tier, tier_id, measure, value) for every practitioner, team and service, and
    the trust, from ``snapshot`` (every open referral at as_of) and the record tables."""
    t = Tables(con)
    s = snapshot
    frozen = frozen_month(as_of, policy)
    cases = _case_measures(s, as_of, policy)
    staff = _practitioners(t, s, as_of, policy, frozen)
    measure_names = [m.name for m in MEASURES]
    null_float = ibis.null().cast("float64")

    def wide(table: ibis.Table, tier: str) -> ibis.Table:
        present = {
            name: table[name].cast("float64") for name in measure_names if name in table.columns
        }
        missing = {name: null_float for name in measure_names if name not in table.columns}
        return table.select(
            tier=ibis.literal(tier), tier_id=table.tier_id.cast("int64"), **present, **missing
        )

    # Practitioner tier: the caseload is the lead cases, whatever the referral's team.
    led = s.filter(s.lead_practitioner_id.notnull())
    by_lead = led.group_by(lead_key=led.lead_practitioner_id).aggregate(
        **_case_measures(led, as_of, policy)
    )
    by_lead = by_lead.mutate(**_case_shares(by_lead))
    prac = staff.left_join(by_lead, staff.practitioner_id == by_lead.lead_key)
    prac = prac.mutate(
        tier_id=prac.practitioner_id,
        capacity_used=ratio(prac.caseload, prac.capacity),
        supervised_this_month=ibis.ifelse(prac.now_supervised, 1, 0),
        supervision_eligible_this_month=ibis.ifelse(prac.now_eligible, 1, 0),
        **{
            _flag_measure("OVER_CAPACITY"): prac.over_capacity_state,
            _flag_measure("HIGH_RISK_SHARE"): prac.high_risk_share_state,
            _flag_measure("SUPERVISION_DUE"): prac.supervision_due_state,
        },
    )

    def grouped(case_key: str, staff_key: str, spine: ibis.Table) -> ibis.Table:
        by_case = s.group_by(case_group=s[case_key]).aggregate(**cases)
        by_staff = staff.group_by(staff_group=staff[staff_key]).aggregate(**_staff_measures(staff))
        joined = spine.left_join(by_case, spine.tier_id == by_case.case_group).left_join(
            by_staff, spine.tier_id == by_staff.staff_group
        )
        return joined.mutate(
            **_case_shares(joined),
            capacity_used=ratio(joined.capped_lead_cases, joined.capacity),
            supervised_this_month_share=ratio(
                joined.supervised_this_month, joined.supervision_eligible_this_month
            ),
            compliance_share=ratio(joined.compliance_supervised, joined.compliance_eligible),
            compliance_month=ibis.literal(float(frozen.year * 100 + frozen.month)),
        )

    team = grouped("team_id", "practitioner_team_id", t.team.select(tier_id="id"))
    team = team.mutate(
        compliance_state=_compliance_state(
            team.compliance_eligible, team.compliance_supervised, policy
        )
    )
    team = team.mutate(**{_flag_measure("COMPLIANCE_BELOW_STANDARD"): team.compliance_state})
    below = team.filter(_raised(team.compliance_state)).select(below_team="tier_id")
    team_service = t.team.select(team_id="id", team_service_id="service_id")
    below_by_service = (
        below.join(team_service, below.below_team == team_service.team_id)
        .group_by(below_service="team_service_id")
        .aggregate(teams_below_compliance_standard=ibis._.count())
    )
    service = grouped("service_id", "practitioner_service_id", t.service.select(tier_id="id"))
    service = service.left_join(below_by_service, service.tier_id == below_by_service.below_service)

    trust_cases = s.aggregate(**cases)
    trust_staff = staff.aggregate(**_staff_measures(staff))
    trust_below = below.aggregate(teams_below_compliance_standard=below.count())
    trust = trust_cases.cross_join(trust_staff).cross_join(trust_below)
    trust = trust.mutate(
        tier_id=ibis.null().cast("int64"),
        **_case_shares(trust),
        capacity_used=ratio(trust.capped_lead_cases, trust.capacity),
        supervised_this_month_share=ratio(
            trust.supervised_this_month, trust.supervision_eligible_this_month
        ),
        compliance_share=ratio(trust.compliance_supervised, trust.compliance_eligible),
        compliance_month=ibis.literal(float(frozen.year * 100 + frozen.month)),
    )

    tiers = ibis.union(
        wide(prac, "practitioner"),
        wide(team, "team"),
        wide(service, "service"),
        wide(trust, "trust"),
    )
    return _long(tiers, s.aggregate(one=s.count()))


def _long(tiers: ibis.Table, one_row: ibis.Table) -> ibis.Table:
    """One row per tier row and measure: a cross join with a measure index, then one CASE per
    output column. The index is built from a table of one row (no temporary table) as binary
    digits: a union of 90 selects would nest too deep for SQLite's parser."""
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
