"""The practitioner side of the tier summaries: each practitioner's caseload, capacity,
supervision status in this, last and the frozen month, and the practitioner-level flag states
(domain/flags_oversight.py), as Ibis expressions (engine/summaries.py assembles the tiers).

``only`` (a list of practitioner ids, or None for all) filters every base table before any
aggregate, so an incremental refresh recomputes just the practitioners it touched.
"""

from __future__ import annotations

import datetime as dt

import ibis

from caseboard.domain.flag_types import AMBER, CANNOT_ASSESS, CLEAR, NOT_APPLICABLE, RED
from caseboard.domain.periods import Month, month_frozen_on
from caseboard.domain.policy import Policy
from caseboard.engine.tables import Tables

# How a flag state is stored in tier_summary.value; cannot_assess is null (no data).
STATE_VALUES: dict[str, float] = {NOT_APPLICABLE: -1.0, CLEAR: 0.0, AMBER: 1.0, RED: 2.0}
STATE_OF_VALUE: dict[float | None, str] = {
    **{value: state for state, value in STATE_VALUES.items()},
    None: CANNOT_ASSESS,
}
Ids = list[int] | None


def _kept(column: ibis.Column, only: Ids) -> ibis.Value:
    return ibis.literal(True) if only is None else column.isin(only)


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


def _supervised(t: Tables, first: dt.date, until: dt.date, only: Ids) -> ibis.Table:
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
    attendee = attendee.filter(_kept(attendee.practitioner_id, only))
    joined = attendee.join(signed, attendee.session_id == signed.session_key)
    return joined.group_by(supervised_id=joined.practitioner_id).aggregate(sessions=joined.count())


def _led_in(t: Tables, periods: dict[str, tuple[dt.date, dt.date]], only: Ids) -> ibis.Table:
    """Per practitioner and period ``tag: (first, until)``: ``<tag>_led``, whether they were
    lead on an open referral on at least one day of [first, until], from one pass over the lead
    rows.

    A referral is open on day d when received <= d < closed; a lead row covers starts..ends. The
    periods overlap when every start is on or before every end, compared pairwise (dates only:
    SQLite's parser is kept shallow)."""
    m = t.referral_care_team
    r = t.referral.select(referral_key="id", received_on="received_on", closed_on="closed_on")
    # First the rows that can overlap any period (most lead rows ended, and most referrals
    # closed, before the earliest): a practitioner left with none is not led (null, read as no).
    earliest = min(first for first, _ in periods.values())
    latest = max(until for _, until in periods.values())
    m = m.filter(
        (m.role == "lead")
        & _kept(m.practitioner_id, only)
        & (m.starts_on <= latest)
        & (m.ends_on.isnull() | (m.ends_on >= earliest))
    )
    r = r.filter((r.received_on <= latest) & (r.closed_on.isnull() | (r.closed_on > earliest)))
    j = m.join(r, m.referral_id == r.referral_key)

    def overlapping(first: dt.date, until: dt.date) -> ibis.Value:
        ends_after = j.ends_on.isnull() | (
            (j.ends_on >= first) & (j.ends_on >= j.starts_on) & (j.ends_on >= j.received_on)
        )
        closes_after = j.closed_on.isnull() | (
            (j.closed_on > first) & (j.closed_on > j.starts_on) & (j.closed_on > j.received_on)
        )
        return (j.starts_on <= until) & (j.received_on <= until) & ends_after & closes_after

    return j.group_by(led_id=j.practitioner_id).aggregate(
        **{f"{tag}_led": overlapping(*period).any() for tag, period in periods.items()}
    )


def _month_status(
    t: Tables, month: Month, until: dt.date, policy: Policy, tag: str, only: Ids
) -> ibis.Table:
    """Per practitioner: in post at least the minimum days of the whole ``month`` and supervised
    in it (a signed counting session up to ``until``). Eligible for the month's compliance
    denominator is in post and lead on an open referral on a day up to ``until`` (``_led_in``)."""
    p = t.practitioner
    p = p.filter(_kept(p.id, only))
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
    supervised = _supervised(t, month.first_day, until, only)
    joined = staff.left_join(supervised, staff.status_id == supervised.supervised_id)
    return joined.select(
        **{
            f"{tag}_id": joined.status_id,
            f"{tag}_in_post": joined.in_post,
            f"{tag}_supervised": joined.supervised_id.notnull(),
        }
    )


def practitioners(
    t: Tables, s: ibis.Table, as_of: dt.date, policy: Policy, frozen: Month, only: Ids = None
) -> ibis.Table:
    """One row per practitioner in post on as_of or leading an open case: the caseload, the
    capacity, supervision this month, last month and in the frozen month, and the flag states."""
    led = s.filter(s.lead_practitioner_id.notnull() & _kept(s.lead_practitioner_id, only))
    caseload = led.group_by(caseload_id=led.lead_practitioner_id).aggregate(
        caseload=led.count(),
        high_risk=(led.flag_high_risk == RED).sum().cast("int64"),
        # Only cases whose service records a level count toward the share (section 4).
        level_recorded=(led.flag_high_risk != NOT_APPLICABLE).sum().cast("int64"),
    )
    p = t.practitioner
    p = p.filter(_kept(p.id, only))
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
    periods = {
        "now": (this_month, as_of),
        "last": (last_month, last_month.last_day),
        "frozen": (frozen, frozen.last_day),
    }
    # Last month's row needs its in-post and supervised columns only, not whether they led.
    eligible = ("now", "frozen")
    spans = {tag: (periods[tag][0].first_day, periods[tag][1]) for tag in eligible}
    led_in = _led_in(t, spans, only)
    joined = staff.left_join(caseload, staff.practitioner_id == caseload.caseload_id)
    joined = joined.left_join(teams, staff.practitioner_team_id == teams.team_key)
    joined = joined.left_join(led_in, staff.practitioner_id == led_in.led_id)
    for tag, (month, until) in periods.items():
        status = _month_status(t, month, until, policy, tag, only)
        joined = joined.left_join(status, staff.practitioner_id == status[f"{tag}_id"])
    rows = joined.mutate(
        caseload=joined.caseload.fill_null(0),
        high_risk=joined.high_risk.fill_null(0),
        level_recorded=joined.level_recorded.fill_null(0),
        **{
            f"{tag}_eligible": joined[f"{tag}_in_post"] & joined[f"{tag}_led"].fill_null(False)
            for tag in eligible
        },
    )
    rows = rows.filter(rows.in_post | (rows.caseload > 0))
    n, h = rows.caseload, rows.high_risk
    over_capacity = ibis.cases(
        (rows.capacity.isnull(), state(CANNOT_ASSESS)),
        (n > rows.capacity, state(AMBER)),
        else_=state(CLEAR),
    )
    recorded = rows.level_recorded
    high_risk_share = ibis.cases(
        (recorded < policy.high_risk_share_minimum_cases, state(NOT_APPLICABLE)),
        (h * 100 > recorded * policy.high_risk_share_red_percent, state(RED)),
        (h * 100 > recorded * policy.high_risk_share_amber_percent, state(AMBER)),
        else_=state(CLEAR),
    )
    days_left = this_month.days_left_after(as_of)
    supervised_now = rows.now_supervised.fill_null(False)
    supervision_due = ibis.cases(
        (n == 0, state(NOT_APPLICABLE)),
        (supervised_now, state(CLEAR)),
        (rows.last_in_post.fill_null(False) & ~rows.last_supervised.fill_null(False), state(RED)),
        (ibis.literal(days_left <= policy.supervision_due_amber_days_left), state(AMBER)),
        else_=state(CLEAR),
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


def state(name: str) -> ibis.Value:
    """A flag state as tier_summary stores it (``STATE_VALUES``; cannot_assess is null)."""
    return ibis.literal(STATE_VALUES.get(name), "float64")


def raised(value: ibis.Value) -> ibis.Value:
    return (value >= STATE_VALUES[AMBER]).fill_null(False)


def staff_measures(p: ibis.Table) -> dict[str, ibis.Value]:
    capped = p.capacity.notnull()
    counts: dict[str, ibis.Value] = {
        "practitioners": p.count(),
        "practitioners_without_cap": (~capped).sum(),
        "capped_lead_cases": p.caseload.sum(where=capped),
        "practitioners_over_capacity": raised(p.over_capacity_state).sum(),
        "practitioners_high_risk_share": raised(p.high_risk_share_state).sum(),
        "practitioners_supervision_due": raised(p.supervision_due_state).sum(),
        "supervision_eligible_this_month": p.now_eligible.sum(),
        "supervised_this_month": p.now_supervised.sum(),
        "compliance_eligible": p.frozen_eligible.sum(),
        "compliance_supervised": p.frozen_supervised.sum(),
    }
    measures = {name: value.cast("int64").fill_null(0) for name, value in counts.items()}
    measures["capacity"] = p.capacity.sum().cast("float64")
    return measures


def compliance_state(eligible: ibis.Value, supervised: ibis.Value, policy: Policy) -> ibis.Value:
    return ibis.cases(
        (eligible.fill_null(0) == 0, state(CANNOT_ASSESS)),
        (supervised * 100 < eligible * policy.supervision_standard_percent, state(RED)),
        else_=state(CLEAR),
    )
