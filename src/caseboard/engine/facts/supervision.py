"""Facts from supervision: the last signed discussion of the case, its decision, and actions."""

from __future__ import annotations

import datetime as dt

import ibis

from caseboard.domain.codes import DISCHARGE_DECISIONS
from caseboard.engine.tables import Tables


def discussions(t: Tables, as_of: dt.date) -> ibis.Table:
    """Per referral, from its signed discussions in one ranked pass: the last discussion and its
    decision; the latest discharge or closure agreed and the latest decision to continue at the
    current step (SEVERITY_STEP); the latest agreed session limit; and the latest qualifying
    risk discussion (one that records a risk plan and a review date: CLINICAL-RULES
    RISK_CONCERNS) with its review date. One pass, not a join of parts: SQLite's parser stack
    limits how deeply the snapshot's query may nest."""
    d = t.supervision_discussion
    signed = d.filter(d.signed_off_at.notnull() & (d.session_date <= as_of))
    has_limit = signed.agreed_session_limit.notnull()
    plan = signed.risk_plan.strip().fill_null("")
    qualifying = (plan != "") & signed.risk_review_on.notnull()
    newest = [ibis.desc(signed.session_date), ibis.desc(signed.id)]
    ranked = signed.mutate(
        is_extension=has_limit,
        is_qualifying=qualifying,
        last_rank=ibis.row_number().over(group_by=signed.referral_id, order_by=newest),
        extension_rank=ibis.row_number().over(
            group_by=[signed.referral_id, has_limit], order_by=newest
        ),
        risk_rank=ibis.row_number().over(
            group_by=[signed.referral_id, qualifying], order_by=newest
        ),
    )
    last = ranked.last_rank == 0
    extension = ranked.is_extension & (ranked.extension_rank == 0)
    risk = ranked.is_qualifying & (ranked.risk_rank == 0)
    return ranked.group_by("referral_id").aggregate(
        last_discussed_on=ranked.session_date.max(),
        last_decision=ranked.decision.max(where=last),
        leaving_agreed_on=ranked.session_date.max(where=ranked.decision.isin(DISCHARGE_DECISIONS)),
        continue_agreed_on=ranked.session_date.max(where=ranked.decision == "continue_at_step"),
        agreed_extension=ranked.agreed_session_limit.max(where=extension),
        risk_discussed_on=ranked.session_date.max(where=risk),
        risk_review_on=ranked.risk_review_on.max(where=risk),
    )


def actions(t: Tables, as_of: dt.date) -> ibis.Table:
    a = t.supervision_action
    overdue = (a.due_on < as_of) & (a.completed_on.isnull() | (a.completed_on > as_of))
    return (
        a.filter(a.referral_id.notnull())
        .group_by("referral_id")
        .aggregate(
            overdue_actions=overdue.sum().cast("int64"),
            earliest_overdue_due_on=a.due_on.min(where=overdue),
        )
    )
