"""A year of supervision: monthly caseload sessions and quarterly group safeguarding sessions
(the cases discussed and actions agreed are in discussions.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from caseboard.records.synthetic.discussions import discuss, signature
from caseboard.records.synthetic.draw import (
    between,
    chance,
    days,
    local_time,
    month_starts,
    to_utc,
    working_day,
)
from caseboard.records.synthetic.episodes import Episode, Lead
from caseboard.records.synthetic.organisation import Organisation, Staff
from caseboard.records.synthetic.params import Params
from caseboard.records.synthetic.rows import TableRows

MISSED_MONTH = 0.08  # a month with no session, for anyone


@dataclasses.dataclass
class Session:
    held_on: dt.date
    supervisor: Staff
    attendees: list[Staff]
    kind: str
    signed_at: dt.datetime | None


def _in_post(staff: Staff, day: dt.date) -> bool:
    return staff.started_on + days(14) <= day and (staff.ended_on is None or day <= staff.ended_on)


def _away(org: Organisation, staff: Staff, day: dt.date) -> bool:
    if org.absent is not staff or org.absence is None:
        return False
    start, end, _ = org.absence
    return start <= day and (end is None or day <= end)


def _sessions(rng: np.random.Generator, params: Params, org: Organisation) -> list[Session]:
    by_id = {s.id: s for s in org.staff}
    months = month_starts(params.as_of - days(365), params.as_of)
    supervisees = [s for s in org.staff if s.supervisor_id is not None]
    last_team = [
        s
        for s in supervisees
        if s.team is org.teams[-1]
        and s is not org.absent
        and s is not org.leaver
        and not any(o.supervisor_id == s.id for o in org.staff)
    ]
    neglected = last_team[0] if last_team else None  # unsupervised for the last three months
    sessions = []
    for supervisee in supervisees:
        supervisor = by_id[supervisee.supervisor_id or 0]
        for month in months:
            held_on = working_day(month + days(between(rng, 2, 25)))
            if held_on >= params.as_of or chance(rng, MISSED_MONTH):
                continue
            if not (_in_post(supervisee, held_on) and _in_post(supervisor, held_on)):
                continue
            if _away(org, supervisee, held_on) or _away(org, supervisor, held_on):
                continue
            if supervisee is neglected and month >= months[-4]:
                continue
            sessions.append(
                Session(
                    held_on,
                    supervisor,
                    [supervisee],
                    "caseload",
                    signature(rng, params, held_on, 16),
                )
            )
    for team in org.teams:  # quarterly group safeguarding supervision, led by the manager
        members = org.members(team)
        for month in months[::3]:
            held_on = working_day(month + days(between(rng, 5, 20)))
            present = [
                s for s in members[1:] if _in_post(s, held_on) and not _away(org, s, held_on)
            ]
            if held_on < params.as_of and present and _in_post(members[0], held_on):
                sessions.append(
                    Session(
                        held_on,
                        members[0],
                        present,
                        "safeguarding",
                        signature(rng, params, held_on, 17),
                    )
                )
    sessions.sort(key=lambda s: (s.held_on, s.supervisor.id, s.attendees[0].id, s.kind))
    latest = [s for s in sessions if s.kind == "caseload"][-1:]
    for session in latest:
        session.signed_at = None  # always one session waiting for its signature
    return sessions


def _caseloads(episodes: list[Episode]) -> dict[int, list[tuple[Episode, Lead]]]:
    caseloads: dict[int, list[tuple[Episode, Lead]]] = {}
    for episode in episodes:
        for lead in episode.leads:
            caseloads.setdefault(lead.staff.id, []).append((episode, lead))
    return caseloads


def _open_on(day: dt.date, episode: Episode, lead: Lead) -> bool:
    return (
        episode.received_on <= day
        and (episode.closed_on is None or day < episode.closed_on)
        and lead.starts_on <= day
        and (lead.ends_on is None or day <= lead.ends_on)
    )


def write(
    rng: np.random.Generator,
    params: Params,
    org: Organisation,
    episodes: list[Episode],
    tables: dict[str, TableRows],
) -> None:
    caseloads = _caseloads(episodes)
    for session in _sessions(rng, params, org):
        signed = session.signed_at
        session_id = tables["supervision_session"].add(
            supervisor_id=session.supervisor.id,
            held_on=session.held_on,
            kind=session.kind,
            counts_toward_standard=session.kind == "caseload",
            snapshot_as_of=session.held_on if signed else None,
            dashboard_reviewed_at=to_utc(local_time(session.held_on, 10, 0)) if signed else None,
            wellbeing_note=None,
            signed_off_at=signed,
            signed_off_by_id=session.supervisor.id if signed else None,
        )
        for attendee in session.attendees:
            tables["supervision_attendee"].add(session_id=session_id, practitioner_id=attendee.id)
        if session.kind != "caseload":
            continue
        open_cases = [
            e
            for e, lead in caseloads.get(session.attendees[0].id, [])
            if _open_on(session.held_on, e, lead)
        ]
        talking = session.attendees[0].team.kind == "talking_therapies"
        wanted = between(rng, 6, 14) if talking else between(rng, 3, 7)
        chosen = (
            sorted(
                rng.choice(
                    len(open_cases), size=min(wanted, len(open_cases)), replace=False
                ).tolist()
            )
            if open_cases
            else []
        )
        discuss(
            rng,
            params,
            session_id=session_id,
            held_on=session.held_on,
            supervisee_id=session.attendees[0].id,
            session_signed=signed is not None,
            cases=[open_cases[i] for i in chosen],
            tables=tables,
        )
