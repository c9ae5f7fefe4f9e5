"""Service and trust summaries rolled up from the stored team rows (incremental refresh).

Every open referral belongs to one team and every practitioner to one team, and every team to
one service, so each count and sum of a service is the sum over its teams, and the trust's the
sum over all teams; the shares are then worked out from the summed counts by the same
``group_shares`` as the full refresh, and ``teams_below_compliance_standard`` counts the teams
whose COMPLIANCE_BELOW_STANDARD flag is raised. An incremental refresh rewrites the rows of the
teams it touched, then these: a few rows read instead of every open case. The state machine in
tests/engine/test_incremental.py checks the result equals the full computation.
"""

from __future__ import annotations

import datetime as dt

import ibis
from ibis.backends import BaseBackend

from caseboard.domain.policy import DEFAULT_POLICY, Policy
from caseboard.engine.summaries import (
    MEASURES,
    flag_measure,
    group_shares,
    wide,
)
from caseboard.engine.summaries_staff import Ids, frozen_month, raised
from caseboard.engine.tables import Tables

# Worked out from the sums (group_shares) or counted from the team flags, never summed.
DERIVED = frozenset(
    {
        "high_risk_share",
        "tt_waiting_within_6_weeks_share",
        "tt_waiting_within_18_weeks_share",
        "tt_waiting_second_over_90_days_share",
        "capacity_used",
        "supervised_this_month_share",
        "compliance_share",
        "compliance_month",
        "teams_below_compliance_standard",
    }
)
SUMMED = tuple(m.name for m in MEASURES if "service" in m.tiers and m.name not in DERIVED)


def rollup(
    con: BaseBackend,
    *,
    as_of: dt.date,
    policy: Policy = DEFAULT_POLICY,
    service_ids: Ids = None,
) -> ibis.Table:
    """Wide rows (``summaries.wide``) of the services ``service_ids`` (all when None) and of
    the trust, from the current team rows of ``tier_summary``."""
    t = Tables(con)
    frozen = frozen_month(as_of, policy)
    stored = con.table("tier_summary")
    rows = stored.filter(stored.month.isnull() & (stored.tier == "team"))
    teams = t.team.select(team_key="id", service_key="service_id")
    rows = rows.join(teams, rows.tier_id == teams.team_key)
    below = (rows.measure == flag_measure("COMPLIANCE_BELOW_STANDARD")) & raised(rows.value)
    sums = {name: rows.value.sum(where=rows.measure == name) for name in SUMMED}
    sums["teams_below_compliance_standard"] = ibis.ifelse(below, 1, 0).sum()

    by_service = rows.group_by(summed_service="service_key").aggregate(**sums)
    spine = t.service.select(tier_id="id")
    if service_ids is not None:
        spine = spine.filter(spine.tier_id.isin(service_ids))
    service = spine.left_join(by_service, spine.tier_id == by_service.summed_service)
    service = group_shares(service, frozen)

    trust = rows.aggregate(**sums)
    trust = group_shares(trust.mutate(tier_id=ibis.null().cast("int64")), frozen)
    return ibis.union(wide(service, "service"), wide(trust, "trust"))
