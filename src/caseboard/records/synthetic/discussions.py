"""The cases discussed in a caseload session, each a signed entry written for the patient to
read, and the actions agreed."""

from __future__ import annotations

import datetime as dt

import numpy as np

from caseboard.records.synthetic import vocab
from caseboard.records.synthetic.draw import Choice, between, chance, days, local_time, pick, to_utc
from caseboard.records.synthetic.episodes import Episode
from caseboard.records.synthetic.params import Params
from caseboard.records.synthetic.rows import TableRows

TT_DECISIONS = Choice(
    {
        "none": 72,
        "extension_agreed": 8,
        "step_up": 4,
        "discharge": 10,
        "closure": 3,
        "reallocate": 3,
    }
)
COMMUNITY_DECISIONS = Choice(
    {"none": 75, "stable_casing": 7, "discharge": 8, "closure": 4, "reallocate": 3, "step_down": 3}
)


def signature(
    rng: np.random.Generator, params: Params, held_on: dt.date, hour: int
) -> dt.datetime | None:
    """When a session or entry was signed (a few days after it, at most), or None: most are
    signed, and the last week's often not yet."""
    recent = (params.as_of - held_on).days <= 7
    if not chance(rng, 0.5 if recent else 0.96):
        return None
    signed_on = min(held_on + days(between(rng, 0, 3)), params.as_of - days(1))
    return to_utc(local_time(signed_on, hour, 30))


def discuss(
    rng: np.random.Generator,
    params: Params,
    *,
    session_id: int,
    held_on: dt.date,
    supervisee_id: int,
    session_signed: bool,
    cases: list[Episode],
    tables: dict[str, TableRows],
) -> None:
    """One entry per case, authored and signed by the supervisee; some agree an action."""
    for episode in cases:
        talking = episode.team.kind == "talking_therapies"
        decision = (TT_DECISIONS if talking else COMMUNITY_DECISIONS).draw(rng)
        if decision == "step_up" and episode.step != 2:
            decision = "none"
        limit = None
        if decision == "extension_agreed":
            limit = between(rng, 8, 10) if episode.step == 2 else between(rng, 16, 20)
            tables["referral"].set(episode.id, "agreed_session_limit", limit)
        signed = (
            signature(rng, params, held_on, 15) if (session_signed or chance(rng, 0.7)) else None
        )
        tables["supervision_discussion"].add(
            session_id=session_id,
            referral_id=episode.id,
            session_date=held_on,
            entry=pick(rng, vocab.DISCUSSION_ENTRIES[decision]),
            decision=decision,
            agreed_session_limit=limit,
            do_not_disclose=chance(rng, 0.03),
            authored_by_id=supervisee_id,
            signed_off_at=signed,
            signed_off_by_id=supervisee_id if signed else None,
            filed_at=signed,
        )
        if chance(rng, 0.3):
            _action(
                rng,
                params,
                session_id,
                held_on,
                supervisee_id,
                episode.id,
                pick(rng, vocab.ACTIONS),
                tables["supervision_action"],
            )
    if chance(rng, 0.1):
        _action(
            rng,
            params,
            session_id,
            held_on,
            supervisee_id,
            None,
            pick(rng, vocab.PRACTITIONER_ACTIONS),
            tables["supervision_action"],
        )


def _action(
    rng: np.random.Generator,
    params: Params,
    session_id: int,
    held_on: dt.date,
    owner_id: int,
    referral_id: int | None,
    description: str,
    rows: TableRows,
) -> None:
    due = held_on + days(pick(rng, (14, 28)))
    completed = None
    if chance(rng, 0.8 if due < params.as_of else 0.3):
        completed = held_on + days(between(rng, 1, (due - held_on).days + 10))
        if completed >= params.as_of:
            completed = None  # still open; overdue once due_on has passed
    rows.add(
        session_id=session_id,
        referral_id=referral_id,
        description=description,
        owner_id=owner_id,
        due_on=due,
        completed_on=completed,
        completed_by_id=owner_id if completed else None,
    )
