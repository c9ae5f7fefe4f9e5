"""Facts about who holds a case: the open referrals, their lead, the lead's status and cover."""

from __future__ import annotations

import datetime as dt

import ibis
from ibis import _

from caseboard.domain.codes import LONG_TERM_ABSENCES
from caseboard.engine.tables import Tables


def open_referrals(t: Tables, as_of: dt.date) -> ibis.Table:
    """Referrals received on or before as_of and not closed by then."""
    r = t.referral
    is_open = (r.received_on <= as_of) & (r.closed_on.isnull() | (r.closed_on > as_of))
    return r.filter(is_open)


def current_lead(t: Tables, as_of: dt.date) -> ibis.Table:
    """The lead practitioner on as_of, and since when (the latest lead row if several)."""
    m = t.referral_care_team
    current = m.filter(
        (m.role == "lead") & (m.starts_on <= as_of) & (m.ends_on.isnull() | (m.ends_on >= as_of))
    )
    ranked = current.mutate(
        rank=ibis.row_number().over(
            group_by=_.referral_id, order_by=[ibis.desc(_.starts_on), ibis.desc(_.id)]
        )
    )
    return ranked.filter(ranked.rank == 0).select(
        "referral_id", lead_practitioner_id=_.practitioner_id, lead_since=_.starts_on
    )


def lead_status(t: Tables, as_of: dt.date) -> ibis.Table:
    """Per practitioner: still in post on as_of, and any long-term absence covering it (with
    the named cover)."""
    p = t.practitioner
    in_post = p.active & (p.ended_on.isnull() | (p.ended_on >= as_of))
    a = t.absence
    covering = a.filter(
        a.kind.isin(LONG_TERM_ABSENCES)
        & (a.starts_on <= as_of)
        & (a.ends_on.isnull() | (a.ends_on >= as_of))
    )
    absent = covering.group_by(absent_id="practitioner_id").aggregate(
        absent_since=covering.starts_on.min(),
        cover_practitioner_id=covering.cover_practitioner_id.max(),
    )
    staff = p.select(
        practitioner_key="id", lead_in_post=in_post, lead_supervisor_id="supervisor_id"
    )
    return staff.left_join(absent, staff.practitioner_key == absent.absent_id).drop("absent_id")


def lead_history(t: Tables, as_of: dt.date) -> ibis.Table:
    """How many leads the case has had by as_of, and when it was first allocated."""
    m = t.referral_care_team
    leads = m.filter((m.role == "lead") & (m.starts_on <= as_of))
    return leads.group_by("referral_id").aggregate(
        leads_so_far=leads.count(), first_allocated_on=leads.starts_on.min()
    )


def referral_extras(t: Tables, as_of: dt.date) -> ibis.Table:
    """Priority groups, an unactioned step change and the waiting letter, per referral."""
    g = t.referral_priority_group
    groups = g.group_by(group_key="referral_id").aggregate(
        urgent=(g.priority_group == "urgent").any(),
        priority_groups=g.count(),
    )
    s = t.step_change
    recorded = s.filter(s.recorded_on <= as_of)
    unactioned = recorded.actioned_on.isnull() | (recorded.actioned_on > as_of)
    steps = recorded.group_by(step_key="referral_id").aggregate(
        step_change_pending_since=recorded.recorded_on.min(where=unactioned),
        step_change_pending_to=recorded.to_step.max(where=unactioned),
    )
    letter = t.letter
    letters = letter.filter((letter.kind == "waiting") & (letter.sent_on <= as_of))
    waiting = letters.group_by(letter_key="referral_id").aggregate(
        waiting_letter_on=letters.sent_on.max()
    )
    ids = t.referral.select(referral_id="id")
    return (
        ids.left_join(groups, ids.referral_id == groups.group_key)
        .left_join(steps, ids.referral_id == steps.step_key)
        .left_join(waiting, ids.referral_id == waiting.letter_key)
        .drop("group_key", "step_key", "letter_key")
        .mutate(
            urgent=ibis._.urgent.fill_null(False),
            priority_groups=ibis._.priority_groups.fill_null(0),
        )
    )
