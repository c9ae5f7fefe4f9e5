"""Facts from supervision: the last signed discussion of the case, its decision, and actions."""

from __future__ import annotations

import datetime as dt

import ibis

from caseboard.domain.codes import DISCHARGE_DECISIONS
from caseboard.engine.facts.common import latest
from caseboard.engine.tables import Tables


def discussions(t: Tables, as_of: dt.date) -> ibis.Table:
    d = t.supervision_discussion
    signed = d.filter(d.signed_off_at.notnull() & (d.session_date <= as_of))
    last = latest(signed, "referral_id", "session_date").select(
        "referral_id", last_discussed_on="session_date", last_decision="decision"
    )
    leaving = signed.filter(signed.decision.isin(DISCHARGE_DECISIONS))
    agreed = leaving.group_by(leaving_key="referral_id").aggregate(
        leaving_agreed_on=leaving.session_date.max()
    )
    extension = latest(
        signed.filter(signed.agreed_session_limit.notnull()), "referral_id", "session_date"
    ).select(extension_key="referral_id", agreed_extension="agreed_session_limit")
    return (
        last.outer_join(agreed, last.referral_id == agreed.leaving_key)
        .outer_join(extension, last.referral_id == extension.extension_key)
        .mutate(
            referral_id=ibis.coalesce(ibis._.referral_id, ibis._.leaving_key, ibis._.extension_key)
        )
        .drop("leaving_key", "extension_key")
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
