"""Services, teams and practitioners: who works where, who supervises whom, who is away."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from caseboard.synthetic import vocab
from caseboard.synthetic.draw import between, chance, days, pick
from caseboard.synthetic.params import Params
from caseboard.synthetic.roles import (
    CASELOAD,
    JUNIOR_ROLES,
    SUPERVISOR_ROLES,
    WTE,
    role_at,
    trained_in,
)
from caseboard.synthetic.rows import TableRows

# The first PWP of the first Talking Therapies team signs in as the demo practitioner.
DEMO_PRACTITIONER_ID = 2
# The second PWP of each Talking Therapies team carries this many times the usual caseload for
# their WTE: over the seed 002 cap (70 per WTE x clinical fraction), the OVER_CAPACITY case.
OVER_CAPACITY_POST = 3
OVER_CAPACITY_LOAD = 1.45


@dataclasses.dataclass
class Team:
    id: int
    service_id: int
    kind: str
    area: str
    clusters: bool


@dataclasses.dataclass
class Staff:
    id: int
    team: Team
    role: str
    wte: float
    started_on: dt.date
    ended_on: dt.date | None = None
    supervisor_id: int | None = None
    modalities: tuple[str, ...] = ()
    load: float = 1.0  # share of the usual caseload for the role and WTE

    @property
    def caseload_weight(self) -> float:
        return CASELOAD.get(self.role, 15) * self.wte * self.load

    def in_post(self, first: dt.date, last: dt.date) -> bool:
        return self.started_on <= first and (self.ended_on is None or last <= self.ended_on)


@dataclasses.dataclass
class Organisation:
    teams: list[Team]
    staff: list[Staff]
    leaver: Staff | None
    absent: Staff | None
    absence: tuple[dt.date, dt.date | None, Staff | None] | None  # from, to, cover

    def members(self, team: Team) -> list[Staff]:
        return [s for s in self.staff if s.team is team]


def _spread(total: int, buckets: int) -> list[int]:
    return [total // buckets + (1 if index < total % buckets else 0) for index in range(buckets)]


def _teams(params: Params) -> list[Team]:
    teams: list[Team] = []
    for service_index, count in enumerate(_spread(params.teams, params.services)):
        kind = vocab.SERVICE_KIND_ORDER[service_index]
        for index in range(count):
            area = vocab.TEAM_AREAS[index % len(vocab.TEAM_AREAS)]
            clusters = kind in ("adult_cmh", "older_adult_cmh")
            teams.append(Team(len(teams) + 1, service_index + 1, kind, area, clusters))
    return teams


def _staff(rng: np.random.Generator, params: Params, teams: list[Team]) -> list[Staff]:
    staff: list[Staff] = []
    long_ago = params.window_start
    for team, count in zip(teams, _spread(params.practitioners, len(teams)), strict=True):
        for index in range(count):
            role = role_at(team.kind, index)
            # The demo practitioner: full time and in post for the whole window.
            first_pwp = team.id == 1 and index == 1
            wte = 1.0 if role == "team_manager" or first_pwp else WTE.draw(rng)
            if role.startswith("trainee"):
                started = params.as_of - days(between(rng, 150, 300))
            elif role == "team_manager" or first_pwp or chance(rng, 0.8):
                started = long_ago - days(between(rng, 60, 3000))
            else:  # a newer member of staff, in post for part of the window
                started = params.as_of - days(between(rng, 200, 365 * params.years - 30))
            member = Staff(len(staff) + 1, team, role, wte, started)
            if team.kind == "talking_therapies" and index == OVER_CAPACITY_POST and role == "pwp":
                member.load = OVER_CAPACITY_LOAD
            staff.append(member)
    for member in staff:
        member.modalities = trained_in(rng, member.role, member.team.kind)
    return staff


def _supervise(teams: list[Team], staff: list[Staff]) -> None:
    """Each team's senior clinician supervises its staff and is supervised by the manager; the
    first team's supervisor also covers the junior staff of a second team."""
    team_supervisor: dict[int, Staff] = {}
    for team in teams:
        members = [s for s in staff if s.team is team]
        senior = [s for role in SUPERVISOR_ROLES for s in members if s.role == role]
        team_supervisor[team.id] = senior[0] if senior else members[0]
        for member in members:
            if member.role == "team_manager":
                continue  # supervised by the service lead, who is not on the caseload system
            boss = team_supervisor[team.id]
            member.supervisor_id = members[0].id if member is boss else boss.id
    if len(teams) < 2:
        return
    first, second = teams[0], teams[1]
    others = [
        s
        for s in staff
        if s.team is second and s.role != "team_manager" and s is not team_supervisor[second.id]
    ]
    covered = [s for s in others if s.role in JUNIOR_ROLES] or others[:1]
    for member in covered:
        member.supervisor_id = team_supervisor[first.id].id


def _leaver(
    rng: np.random.Generator, params: Params, teams: list[Team], staff: list[Staff]
) -> Staff | None:
    team = teams[1] if len(teams) > 1 else teams[0]
    candidates = [
        s
        for s in staff
        if s.team is team
        and s.role != "team_manager"
        and not any(o.supervisor_id == s.id for o in staff)
    ]
    if len([s for s in staff if s.team is team]) < 3 or not candidates:
        return None
    pwps = [s for s in candidates if s.role == "pwp"]
    leaver = (pwps or candidates)[-1]
    leaver.started_on = min(leaver.started_on, params.window_start - days(400))
    leaver.ended_on = params.as_of - days(between(rng, 30, 50))
    return leaver


def build(rng: np.random.Generator, params: Params) -> Organisation:
    teams = _teams(params)
    staff = _staff(rng, params, teams)
    _supervise(teams, staff)
    leaver = _leaver(rng, params, teams, staff)
    absent, absence = None, None
    last = teams[-1]
    choices = [
        s
        for s in staff
        if s.team is last
        and s.role != "team_manager"
        and s is not leaver
        and s.id != DEMO_PRACTITIONER_ID
        and s.started_on < params.as_of - days(200)
    ]
    if choices:
        # The one with the smallest caseload, so a long absence leaves a handful of cases.
        absent = min(choices, key=lambda s: (s.caseload_weight, s.id))
        others = [s for s in staff if s.team is last and s is not absent and s is not leaver]
        cover = next((s for s in others if s.role != "team_manager"), others[0] if others else None)
        absence = (params.as_of - days(between(rng, 30, 60)), None, cover)
    return Organisation(teams, staff, leaver, absent, absence)


def write(
    rng: np.random.Generator, params: Params, org: Organisation, out: dict[str, TableRows]
) -> None:
    for service_index in sorted({t.service_id for t in org.teams}):
        kind = vocab.SERVICE_KIND_ORDER[service_index - 1]
        out["service"].add(name=vocab.SERVICE_NAMES[kind], kind=kind)
    for team in org.teams:
        name = f"{vocab.SERVICE_NAMES[team.kind]} {team.area}"
        out["team"].add(
            service_id=team.service_id,
            name=name,
            locality=team.area,
            uses_care_clusters=team.clusters,
        )
    for s in org.staff:
        given = pick(rng, vocab.FEMALE_NAMES if chance(rng, 0.7) else vocab.MALE_NAMES)
        clinical = {"team_manager": 0.2, "trainee_pwp": 0.6, "trainee_hit": 0.6}.get(s.role, 0.85)
        if any(o.supervisor_id == s.id for o in org.staff) and s.role != "team_manager":
            clinical = 0.7  # supervising takes time out of the clinical week
        out["practitioner"].add(
            team_id=s.team.id,
            name=f"{given} {pick(rng, vocab.FAMILY_NAMES)}",
            role=s.role,
            wte=s.wte,
            clinical_fraction=clinical,
            supervisor_id=s.supervisor_id,
            active=s.ended_on is None,
            started_on=s.started_on,
            ended_on=s.ended_on,
        )
        for modality in s.modalities:
            out["practitioner_modality"].add(practitioner_id=s.id, modality=modality)
    _absences(rng, params, org, out["absence"])


def _absences(rng: np.random.Generator, params: Params, org: Organisation, rows: TableRows) -> None:
    """A little leave for most staff, and one long-term sickness covered by a colleague."""
    planned: list[tuple[dt.date, int, str, dt.date | None, int | None]] = []
    if org.absent is not None and org.absence is not None:
        start, end, cover = org.absence
        planned.append(
            (start, org.absent.id, "long_term_sickness", end, cover.id if cover else None)
        )
    for s in org.staff:
        for _ in range(between(rng, 0, 2)):
            start = params.as_of - days(between(rng, -40, 360))
            end = start + days(between(rng, 2, 11))
            in_post = start > s.started_on and (s.ended_on is None or end < s.ended_on)
            clash = any(
                p[1] == s.id and start <= (p[3] or dt.date.max) and p[0] <= end for p in planned
            )
            if in_post and not clash:
                study = s.role.startswith("trainee") and chance(rng, 0.5)
                planned.append((start, s.id, "study" if study else "annual_leave", end, None))
    for start, staff_id, kind, end, cover_id in sorted(planned, key=lambda p: (p[0], p[1])):
        rows.add(
            practitioner_id=staff_id,
            kind=kind,
            starts_on=start,
            ends_on=end,
            cover_practitioner_id=cover_id,
        )
