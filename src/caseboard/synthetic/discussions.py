"""The cases discussed in a caseload session, each a signed entry written for the patient to
read, and the actions agreed."""

from __future__ import annotations

import datetime as dt

import numpy as np

from caseboard.domain.contacts import TREATMENT_KINDS
from caseboard.synthetic import vocab
from caseboard.synthetic.draw import Choice, between, chance, days, local_time, pick, to_utc
from caseboard.synthetic.episodes import Episode
from caseboard.synthetic.params import Params
from caseboard.synthetic.rows import TableRows

# Decisions follow the case: an extension is agreed at the session review point (seed 002 app. 2:
# "discuss by session 4", by session 10 at step 3), a discharge when the course is ending, stable
# casing once a community case has settled, a step-up when one is being recorded. Otherwise
# nothing changes, bar a few reallocations and discharges agreed and then not done.
SESSION_REVIEW = {2: 4, 3: 10}
EXTENSION_LIMIT = {2: (8, 10), 3: (16, 20)}
ENDING_DAYS = 21  # a course ending within this many days of the session is discussed as such
RARE = Choice({"none": 97.5, "reallocate": 1.2, "discharge": 0.8, "closure": 0.5})
COMMUNITY_RARE = Choice({"none": 97.0, "reallocate": 1.0, "step_down": 1.2, "discharge": 0.8})
ACTION_CHANCE = {"talking_therapies": 0.06}  # per case discussed; fortnightly there
ACTION_CHANCE_OTHER = 0.2


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


def _decision(
    rng: np.random.Generator, episode: Episode, held_on: dt.date, extended: set[tuple[int, int]]
) -> tuple[str, int | None]:
    """The decision recorded for this case at this session, and any session limit agreed."""
    script = episode.script
    ends_in = (episode.on(script.end_offset) - held_on).days
    ending = 0 <= ends_in <= ENDING_DAYS and script.closure_reason == "completed"
    if episode.team.kind != "talking_therapies":
        stable = script.stable_offset
        if stable is not None and abs((episode.on(stable) - held_on).days) <= 30:
            return ("stable_casing" if chance(rng, 0.6) else "none"), None
        if ending:
            return ("discharge" if chance(rng, 0.6) else "none"), None
        return COMMUNITY_RARE.draw(rng), None
    before = [c for c in episode.contacts if c.on < held_on]
    step = next((c.appointment.step for c in reversed(before) if c.appointment.step), None)
    step = step or episode.step or 2
    change = script.step_change
    if change is not None and -7 <= (episode.on(change[2]) - held_on).days <= 14:
        return "step_up", None
    if ending:
        return ("discharge" if chance(rng, 0.6) else "none"), None
    treated = sum(c.attended and c.appointment.kind in TREATMENT_KINDS for c in before)
    if (episode.id, step) not in extended and treated >= SESSION_REVIEW[step] - 1:
        if not chance(rng, 0.85):
            return "none", None
        extended.add((episode.id, step))  # a step-up is reviewed again at the new step
        return "extension_agreed", between(rng, *EXTENSION_LIMIT[step])
    return RARE.draw(rng), None


def discuss(
    rng: np.random.Generator,
    params: Params,
    *,
    session_id: int,
    held_on: dt.date,
    supervisee_id: int,
    session_signed: bool,
    cases: list[Episode],
    extended: set[tuple[int, int]],
    tables: dict[str, TableRows],
) -> None:
    """One entry per case, authored and signed by the supervisee; some agree an action."""
    for episode in cases:
        decision, limit = _decision(rng, episode, held_on, extended)
        if limit is not None:
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
        if chance(rng, ACTION_CHANCE.get(episode.team.kind, ACTION_CHANCE_OTHER)):
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
    if chance(rng, 0.92 if due < params.as_of else 0.3):
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
