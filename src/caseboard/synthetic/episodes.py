"""Episodes of care: the treatment planned, the script it follows and where it sits in time.

An open episode is drawn length-biased and placed so that as_of falls inside its script, as in a
steady state; the closed ones are the history of that steady state (history.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from caseboard.synthetic import arrivals, scripts, tt_episode
from caseboard.synthetic.draw import chance, days
from caseboard.synthetic.organisation import Staff, Team
from caseboard.synthetic.params import Params
from caseboard.synthetic.scripts import Script
from caseboard.synthetic.talking_therapies import STEP2, STEP3

STEP3_ROLES = ("high_intensity_therapist", "trainee_hit", "counsellor", "psychologist")


@dataclasses.dataclass
class Lead:
    staff: Staff
    starts_on: dt.date
    ends_on: dt.date | None


@dataclasses.dataclass
class Episode:
    team: Team
    script: Script
    received_on: dt.date
    closed: bool
    step: int | None
    intervention: str
    urgent: bool
    leads: list[Lead] = dataclasses.field(default_factory=list)
    co_worker: Lead | None = None
    id: int = 0
    patient_id: int = 0
    # Filled once contacts exist: the contacts in date order and the problem descriptor.
    contacts: list[Any] = dataclasses.field(default_factory=list)
    descriptor: str | None = None

    @property
    def closed_on(self) -> dt.date | None:
        return self.on(self.script.end_offset) if self.closed else None

    @property
    def allocated_on(self) -> dt.date:
        return self.on(self.script.screen_offset)

    def on(self, offset: int) -> dt.date:
        return self.received_on + days(offset)

    def lead_on(self, day: dt.date) -> Staff | None:
        for lead in self.leads:
            if lead.starts_on <= day and (lead.ends_on is None or day <= lead.ends_on):
                return lead.staff
        return None


def _treatment(
    rng: np.random.Generator, team: Team, lead: Staff | None
) -> tuple[int | None, str, str | None]:
    """Step, planned intervention and (for a step-up) the step 2 intervention first tried."""
    trained = lead.modalities if lead is not None else ()
    if team.kind != "talking_therapies":
        options = [m for m in trained if m not in ("cbt", "emdr")] or ["care_coordination"]
        return None, options[int(rng.integers(len(options)))], None
    step3 = lead.role in STEP3_ROLES if lead is not None else chance(rng, 0.25)
    if lead is not None and lead.role == "team_manager":
        step3 = chance(rng, 0.4)
    choice = STEP3 if step3 else STEP2
    intervention = choice.draw(rng)
    for _ in range(8):  # prefer what the lead is trained in
        if not trained or intervention in trained:
            break
        intervention = choice.draw(rng)
    first = STEP2.draw(rng) if step3 and chance(rng, 0.08) else None
    return (3 if step3 else 2), intervention, first


def new_episode(
    rng: np.random.Generator, team: Team, lead: Staff | None, *, closed: bool
) -> Episode:
    step, intervention, first = _treatment(rng, team, lead)
    urgent = chance(rng, scripts.URGENT)
    if team.kind == "talking_therapies":
        script = tt_episode.script(
            rng,
            step=step or 2,
            intervention=intervention,
            first_intervention=first,
            closed=closed,
            urgent=urgent,
        )
    else:
        script = scripts.community(
            rng, kind=team.kind, intervention=intervention, closed=closed, urgent=urgent
        )
    return Episode(team, script, dt.date.min, closed, step, intervention, urgent)


# In a steady state an episode is open on a given day in proportion to its length, so the
# episodes open at as_of are drawn length-biased: a drawn script is kept with a chance of its
# length over this many days (longer ones always), else drawn again.
LENGTH_BIAS_DAYS = {"talking_therapies": 420}
LENGTH_BIAS_TRIES = 40


def open_now(rng: np.random.Generator, team: Team, lead: Staff | None) -> Episode:
    """An episode open at as_of, its length drawn as a steady state would have it."""
    shape = scripts.SHAPES.get(team.kind, scripts.DEFAULT_SHAPE)
    scale = LENGTH_BIAS_DAYS.get(team.kind, shape.open_days[1] + 60)
    episode = new_episode(rng, team, lead, closed=False)
    for _ in range(LENGTH_BIAS_TRIES):
        if rng.random() * scale < episode.script.end_offset:
            break
        episode = new_episode(rng, team, lead, closed=False)
    return episode


def place_open(
    rng: np.random.Generator,
    params: Params,
    episode: Episode,
    *,
    earliest: int = 0,
    latest: int | None = None,
) -> None:
    """Receive the referral ``p`` days before as_of, with p inside the script so it is open,
    on a day drawn with the seasons of arrivals.py. A long episode may have been received
    before the window (it was open at its start: brought forward)."""
    top = episode.script.end_offset - 1
    if latest is not None:
        top = min(top, latest)
    if top <= 0:
        episode.received_on = params.as_of
        return
    low, high = min(earliest, top), max(top, 0)
    episode.received_on = arrivals.arrival(rng, params.as_of - days(high), params.as_of - days(low))


# The unallocated referrals (allocation.UNALLOCATED_SHARE of the open ones) are the newest: so
# that the open caseload is not younger than a steady state's, an allocated one placed before its
# first appointment is placed again this often.
YOUNG_REPLACED = 0.5


def _predecessor(
    rng: np.random.Generator, colleagues: Sequence[Staff], lead: Staff, first: dt.date
) -> Staff | None:
    """Who led a case from ``first`` until ``lead`` started (a clinician in post throughout)."""
    last = lead.started_on - days(1)
    eligible = [s for s in colleagues if s is not lead and s.in_post(first, last)]
    chosen = [s for s in eligible if s.role != "team_manager"] or eligible
    return chosen[int(rng.integers(len(chosen)))] if chosen else None


def open_episode(
    rng: np.random.Generator, params: Params, lead: Staff, colleagues: Sequence[Staff] = ()
) -> Episode:
    """An episode open at as_of led by ``lead``; one received before the lead started was led
    by a colleague until then (a caseload handed on), or else is placed after they started."""
    episode = open_now(rng, lead.team, lead)
    in_post = (params.as_of - lead.started_on).days - episode.script.screen_offset
    place_open(rng, params, episode)
    appointments = episode.script.appointments
    first = episode.on(appointments[0].offset) if appointments else None
    if first is not None and first >= params.as_of and chance(rng, YOUNG_REPLACED):
        place_open(rng, params, episode)
    if episode.allocated_on < lead.started_on:
        before = _predecessor(rng, colleagues, lead, episode.allocated_on)
        if before is not None:
            episode.script.step_change = None
            episode.leads = [
                Lead(before, episode.allocated_on, lead.started_on - days(1)),
                Lead(lead, lead.started_on, None),
            ]
            return episode
        place_open(rng, params, episode, latest=in_post)
    episode.leads = [Lead(lead, episode.allocated_on, None)]
    return episode
