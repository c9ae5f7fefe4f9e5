"""Episodes of care: the treatment planned, the script it follows and where it sits in time.

An open episode is placed so that as_of falls inside its script; a closed one so that its whole
script ends before as_of, inside the window of ``years`` years.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import numpy as np

from caseboard.records.synthetic import arrivals, scripts, talking_therapies
from caseboard.records.synthetic.draw import Choice, chance, days
from caseboard.records.synthetic.organisation import Staff, Team
from caseboard.records.synthetic.params import Params
from caseboard.records.synthetic.scripts import Script

STEP2 = Choice(
    {"guided_self_help": 50, "ccbt": 15, "psychoeducation_group": 10, "behavioural_activation": 15}
)
STEP3 = Choice(
    {
        "cbt": 60,
        "counselling_for_depression": 15,
        "emdr": 10,
        "ipt": 8,
        "dit": 4,
        "couple_therapy": 3,
    }
)
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
    urgent = chance(rng, 0.03)
    if team.kind == "talking_therapies":
        script = talking_therapies.script(
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


def place_open(
    rng: np.random.Generator,
    params: Params,
    episode: Episode,
    *,
    earliest: int = 0,
    latest: int | None = None,
) -> None:
    """Receive the referral ``p`` days before as_of, with p inside the script so it is open,
    on a day drawn with the seasons of arrivals.py."""
    window = (params.as_of - params.window_start).days
    top = min(episode.script.end_offset - 1, window, latest if latest is not None else window)
    if top <= 0:
        episode.received_on = params.as_of
        return
    low, high = min(earliest, top), max(top, 0)
    episode.received_on = arrivals.arrival(rng, params.as_of - days(high), params.as_of - days(low))


def _squeeze(script: Script, span: int) -> None:
    """Shrink a script that would not fit in the window (a long course, few years)."""
    factor = span / script.end_offset

    def fit(offset: int) -> int:
        return int(offset * factor)

    for appointment in script.appointments:
        appointment.offset = fit(appointment.offset)
    script.screen_offset, script.end_offset = fit(script.screen_offset), span
    if script.step_change:
        start, end, recorded, actioned = script.step_change
        script.step_change = (start, end, fit(recorded), fit(actioned))
    if script.kit_opt_out_offset is not None:
        script.kit_opt_out_offset = fit(script.kit_opt_out_offset)
    if script.stable_offset is not None:
        script.stable_offset = fit(script.stable_offset)


def closed_episode(
    rng: np.random.Generator, params: Params, team: Team, staff: list[Staff]
) -> Episode:
    """A referral received and closed inside the window, led by someone in post throughout."""
    span = (params.as_of - params.window_start).days - 2
    weights = np.array([s.caseload_weight for s in staff])
    for _ in range(10):
        lead = staff[int(rng.choice(len(staff), p=weights / weights.sum()))]
        episode = new_episode(rng, team, lead, closed=True)
        if episode.script.end_offset > span:
            _squeeze(episode.script, span)
        latest = span - episode.script.end_offset
        start = params.window_start
        episode.received_on = arrivals.arrival(rng, start, start + days(max(0, latest)))
        closed_on = episode.closed_on
        assert closed_on is not None
        if not episode.script.appointments:
            return episode  # declined or signposted at screening: never allocated
        if lead.in_post(episode.allocated_on, closed_on):
            episode.leads = [Lead(lead, episode.allocated_on, closed_on)]
            return episode
    return episode  # nobody in post for the whole episode: closed without a lead


def open_episode(rng: np.random.Generator, params: Params, lead: Staff) -> Episode:
    episode = new_episode(rng, lead.team, lead, closed=False)
    in_post = (params.as_of - lead.started_on).days - episode.script.screen_offset
    place_open(rng, params, episode, latest=in_post)
    episode.leads = [Lead(lead, episode.allocated_on, None)]
    return episode
