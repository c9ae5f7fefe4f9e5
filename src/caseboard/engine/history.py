"""Monthly history: the tier summaries at each past month end (DESIGN "Refresh": ``tier_summary``
per month end; ``caseboard refresh --history 12``), for the trends pages.

Each month end's snapshot is recomputed from the record as it stands now, as of that date (a
retrospective figure, not what a page showed then), then summarised as a full refresh does, and
joined by the month's referrals in and discharges out per team, service and the trust. Every
month is computed before anything is written; the write is one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
from ibis.backends import BaseBackend

from caseboard.domain.periods import Month
from caseboard.domain.policy import DEFAULT_POLICY, Policy
from caseboard.engine.compiling import compiling
from caseboard.engine.snapshot import build_snapshot
from caseboard.engine.store import write_history
from caseboard.engine.summaries import build_summaries
from caseboard.engine.tables import Tables

Row = tuple[str, int | None, str, float | None]  # tier, tier_id, measure, value


def month_ends(today: dt.date, months: int) -> list[dt.date]:
    """The last day of each of the ``months`` whole months before today's, oldest first."""
    if months < 1:
        raise ValueError("months must be 1 or more")
    month = Month.from_date(today)
    ends = []
    for _ in range(months):
        month = month.previous()
        ends.append(month.last_day)
    return sorted(ends)


def flows(con: BaseBackend, month: Month) -> list[Row]:
    """Referrals received and referrals closed in ``month``, per team, service and the trust."""
    t = Tables(con)
    r = t.referral.join(
        t.team.select(team_key="id", service_id="service_id"), [("team_id", "team_key")]
    )
    first, last = month.first_day, month.last_day
    inside = {
        "referrals_in": r.received_on.between(first, last),
        "discharges_out": r.closed_on.notnull() & r.closed_on.between(first, last),
    }
    rows: list[Row] = []
    for tier, key in (("team", r.team_id), ("service", r.service_id), ("trust", None)):
        grouped = r.group_by(tier_id=key if key is not None else ibis.literal(0))
        counts = grouped.aggregate(**{name: cond.sum() for name, cond in inside.items()})
        for row in counts.to_pyarrow().to_pylist():
            tier_id = None if tier == "trust" else int(row["tier_id"])
            rows += [(tier, tier_id, name, float(row[name] or 0)) for name in inside]
    return rows


def month_rows(con: BaseBackend, month_end: dt.date, policy: Policy) -> list[Row]:
    with compiling(con):
        computed = build_snapshot(con, as_of=month_end, policy=policy).to_pyarrow()
        snapshot = ibis.memtable(computed)
        summary = build_summaries(con, snapshot, as_of=month_end, policy=policy).to_pyarrow()
    rows: list[Row] = [
        (each["tier"], each["tier_id"], each["measure"], each["value"])
        for each in summary.to_pylist()
    ]
    return rows + flows(con, Month.from_date(month_end))


def backfill(
    con: BaseBackend, *, months: int, today: dt.date, policy: Policy = DEFAULT_POLICY
) -> dict[dt.date, int]:
    """Compute and write the history of the ``months`` month ends before today; return the rows
    written per month end."""
    computed: dict[dt.date, list[Any]] = {
        end: month_rows(con, end, policy) for end in month_ends(today, months)
    }
    write_history(con, computed, as_of=today)
    return {end: len(rows) for end, rows in computed.items()}
