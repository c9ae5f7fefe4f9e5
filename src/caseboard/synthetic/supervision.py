"""Fourteen months of supervision (HISTORY_DAYS: every month end the trends look back on has its
cases discussed as they were then): caseload sessions (fortnightly in Talking Therapies, monthly
elsewhere) and quarterly group safeguarding sessions; the cases each caseload session discusses
(most of the caseload within the policy's interval, a few never); the entries and actions are in
discussions.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from caseboard.synthetic.discussions import discuss, latest_scores, risk_evidence, signature
from caseboard.synthetic.draw import (
    between,
    chance,
    days,
    local_time,
    month_starts,
    to_utc,
    working_day,
)
from caseboard.synthetic.episodes import Episode, Lead
from caseboard.synthetic.organisation import Organisation, Staff
from caseboard.synthetic.params import Params
from caseboard.synthetic.rows import TableRows

MISSED = 0.1  # a session cancelled, for anyone
REBOOKED = 0.5  # a cancelled session rebooked within the week; the rest do not happen
# Talking Therapies supervisees have case management supervision every fortnight (seed 002 §14.2:
# the whole caseload discussed within 2-4 weeks); community supervisees monthly (seed 000 §4.3).
CADENCE_DAYS = {"talking_therapies": 14}
NEGLECTED_DAYS = {"talking_therapies": 60}  # unsupervised this long at as_of; others 100
NEGLECTED_OTHER_DAYS = 100
HISTORY_DAYS = 427  # sessions from this many days before as_of: 12 month ends and more


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


def _neglected(org: Organisation, supervisees: list[Staff]) -> list[Staff]:
    """The supervisees left without supervision for months: one in the last team and, where
    there are two teams or more, one in the second, the one with the smallest caseload."""
    out = []
    teams = [org.teams[-1]] + [t for t in org.teams[1:2] if t is not org.teams[-1]]
    for team in teams:
        candidates = [
            s
            for s in supervisees
            if s.team is team
            and s is not org.absent
            and s is not org.leaver
            and s.role != "team_manager"
            and not any(o.supervisor_id == s.id for o in org.staff)
            and s not in out
        ]
        if candidates:
            out.append(min(candidates, key=lambda s: (s.caseload_weight, s.id)))
    return out


def _session_days(rng: np.random.Generator, params: Params, staff: Staff) -> list[dt.date]:
    """The caseload session dates of one supervisee over the history, on working days."""
    if staff.team.kind not in CADENCE_DAYS:
        months = month_starts(params.as_of - days(HISTORY_DAYS), params.as_of)
        return [working_day(month + days(between(rng, 2, 25))) for month in months]
    cadence = CADENCE_DAYS[staff.team.kind]
    day = params.as_of - days(HISTORY_DAYS + between(rng, 0, cadence - 1))
    out = []
    while day < params.as_of:
        out.append(working_day(day + days(between(rng, -2, 2))))
        day += days(cadence)
    return out


def _sessions(rng: np.random.Generator, params: Params, org: Organisation) -> list[Session]:
    by_id = {s.id: s for s in org.staff}
    months = month_starts(params.as_of - days(HISTORY_DAYS), params.as_of)
    supervisees = [s for s in org.staff if s.supervisor_id is not None]
    neglected = _neglected(org, supervisees)
    sessions = []
    for supervisee in supervisees:
        supervisor = by_id[supervisee.supervisor_id or 0]
        gap = NEGLECTED_DAYS.get(supervisee.team.kind, NEGLECTED_OTHER_DAYS)
        for planned in _session_days(rng, params, supervisee):
            held_on = planned
            if chance(rng, MISSED):  # cancelled: mostly rebooked within the week
                if not chance(rng, REBOOKED):
                    continue
                held_on = working_day(planned + days(between(rng, 3, 7)))
            if held_on >= params.as_of:
                continue
            if not (_in_post(supervisee, held_on) and _in_post(supervisor, held_on)):
                continue
            if _away(org, supervisee, held_on) or _away(org, supervisor, held_on):
                continue
            if supervisee in neglected and held_on >= params.as_of - days(gap):
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


# Cases never discussed, whatever the supervision (the NOT_DISCUSSED case), by service kind.
NEVER_DISCUSSED = {"talking_therapies": 0.03}
NEVER_DISCUSSED_OTHER = 0.05
RISK_BROUGHT = 0.9  # a case with new risk evidence is brought to the next session
# Talking Therapies: a case is brought to a session when its last discussion is at least this
# many days old, and then this often: most are discussed every fortnight, nearly all within the
# four weeks of the policy unless a session does not happen.
TT_DUE_DAYS = 9
TT_BROUGHT = 0.9
COMMUNITY_CASES = (3, 7)  # cases per monthly session, the longest undiscussed first


def _choose(
    rng: np.random.Generator,
    held_on: dt.date,
    open_cases: list[tuple[Episode, Lead]],
    last: dict[int, dt.date],
    talking: bool,
    evidence: dict[int, list[dt.date]],
    reviews: dict[int, dt.date],
) -> list[Episode]:
    """The cases brought: those due, and nearly always those with risk evidence (a new concern,
    an item 9 of 2 or more, a crisis or self-harm) since they were last discussed or whose risk
    plan's review date has come."""
    risky = {
        e.id
        for e, lead in open_cases
        if any(
            last.get(e.id, lead.starts_on - days(1)) < day <= held_on
            for day in evidence.get(e.patient_id, ())
        )
        or reviews.get(e.id, held_on + days(1)) <= held_on
    }
    risky = {case_id for case_id in risky if chance(rng, RISK_BROUGHT)}
    if talking:
        return [
            e
            for e, lead in open_cases
            if e.id in risky
            or (
                (held_on - last.get(e.id, lead.starts_on - days(TT_DUE_DAYS))).days >= TT_DUE_DAYS
                and chance(rng, TT_BROUGHT)
            )
        ]
    wanted = between(rng, *COMMUNITY_CASES)
    # The longest undiscussed first (never discussed: since allocation), and one at random.
    ordered = sorted(open_cases, key=lambda c: (last.get(c[0].id, c[1].starts_on), c[0].id))
    chosen = [e for e, _ in ordered[: max(0, wanted - 1)]]
    rest = [e for e, _ in ordered[max(0, wanted - 1) :]]
    if rest:
        chosen.append(rest[int(rng.integers(len(rest)))])
    chosen += [e for e, _ in open_cases if e.id in risky and e not in chosen]
    return sorted(chosen, key=lambda e: e.id)


def write(
    rng: np.random.Generator,
    params: Params,
    org: Organisation,
    episodes: list[Episode],
    tables: dict[str, TableRows],
) -> None:
    caseloads = _caseloads(episodes)
    never = {
        e.id
        for e in episodes
        if chance(rng, NEVER_DISCUSSED.get(e.team.kind, NEVER_DISCUSSED_OTHER))
    }
    last: dict[int, dt.date] = {}
    extended: set[tuple[int, int]] = set()  # (referral, step) with a session limit agreed
    evidence = risk_evidence(tables)
    reviews: dict[int, dt.date] = {}  # referral -> the review date its latest risk plan set
    scores = latest_scores(tables)
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
        supervisee = session.attendees[0]
        open_cases = [
            (e, lead)
            for e, lead in caseloads.get(supervisee.id, [])
            if _open_on(session.held_on, e, lead) and e.id not in never
        ]
        talking = supervisee.team.kind == "talking_therapies"
        cases = _choose(rng, session.held_on, open_cases, last, talking, evidence, reviews)
        for episode in cases:
            last[episode.id] = session.held_on
        discuss(
            rng,
            params,
            session_id=session_id,
            held_on=session.held_on,
            supervisee_id=supervisee.id,
            session_signed=signed is not None,
            cases=cases,
            extended=extended,
            evidence=evidence,
            scores=scores,
            reviews=reviews,
            tables=tables,
        )
