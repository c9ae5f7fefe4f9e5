"""The closed referrals: the history of a steady state, so a past month end looks like today.

Each team's referrals arrive at a steady rate (with the seasons of arrivals.py) for as long
before the window as its longest episode, each follows a script drawn as in episodes.py and is
led by someone in post when it arrives. Those that close inside the window are the closed
referrals; those still open at as_of are left out, because the open caseload is drawn on its own
(allocation.py) from the same scripts, length-biased (episodes.open_now). The rate is the one
that keeps that caseload open: a practitioner holding n open cases of mean length L takes n / L
new ones a day (Little's law), so the team's open caseload at every past month end is about
today's, and its referrals in each month about its closures.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from caseboard.synthetic import arrivals, scripts
from caseboard.synthetic.draw import days, stream
from caseboard.synthetic.episodes import STEP3_ROLES, Episode, Lead, new_episode
from caseboard.synthetic.organisation import Organisation, Staff, Team
from caseboard.synthetic.params import Params

LENGTH_SAMPLES = 300  # scripts drawn to estimate the mean episode length of a kind of lead
LEAD_TRIES = 10  # leads tried for an episode before it closes without one
TT_LONGEST = 600  # days: no Talking Therapies script runs longer


def _kind_of_lead(team: Team, lead: Staff) -> tuple[str, str]:
    """What sets an episode's script: the service, and in Talking Therapies the lead's step."""
    if team.kind != "talking_therapies":
        return team.kind, ""
    if lead.role == "team_manager":
        return team.kind, "manager"
    return team.kind, "step3" if lead.role in STEP3_ROLES else "step2"


class Lengths:
    """Mean episode lengths (days, every episode: closed ones included) by kind of lead, each
    estimated once from its own draws so it does not disturb the other streams."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.means: dict[tuple[str, str], float] = {}

    def mean(self, team: Team, lead: Staff) -> float:
        key = _kind_of_lead(team, lead)
        if key not in self.means:
            rng = stream(self.seed, f"lengths-{key[0]}-{key[1]}")
            total = sum(
                new_episode(rng, team, lead, closed=True).script.end_offset
                for _ in range(LENGTH_SAMPLES)
            )
            self.means[key] = max(1.0, total / LENGTH_SAMPLES)
        return self.means[key]


def longest(team: Team) -> int:
    if team.kind == "talking_therapies":
        return TT_LONGEST
    shape = scripts.SHAPES.get(team.kind, scripts.DEFAULT_SHAPE)
    return max(shape.open_days[1], shape.closed_days[1]) + 150


def _daily_rates(params: Params, first: dt.date, rate: float) -> np.ndarray:
    """Expected arrivals on each day from ``first`` to the day before as_of: ``rate`` a day on
    average over a year, shaped by the seasons and weekends."""
    n = (params.as_of - first).days
    weights = arrivals.weights(first, n)
    year = arrivals.weights(params.as_of - days(365 * 4), 365 * 4)
    return weights * (rate / float(year.mean()))


def _lead(
    rng: np.random.Generator, staff: list[Staff], weights: list[float], day: dt.date
) -> Staff | None:
    here = [
        (s, w)
        for s, w in zip(staff, weights, strict=True)
        if s.started_on <= day and (s.ended_on is None or day <= s.ended_on)
    ]
    if not here:
        return None
    share = np.array([w for _, w in here])
    return here[int(rng.choice(len(here), p=share / share.sum()))][0]


def _episode(
    rng: np.random.Generator,
    params: Params,
    team: Team,
    staff: list[Staff],
    weights: list[float],
    received: dt.date,
) -> Episode | None:
    """The referral received that day, if it closes inside the window (and before as_of)."""
    episode: Episode | None = None
    for _ in range(LEAD_TRIES):
        lead = _lead(rng, staff, weights, received)
        episode = new_episode(rng, team, lead, closed=True)
        episode.received_on = received
        closed_on = episode.closed_on
        assert closed_on is not None
        if closed_on >= params.as_of:
            return None  # open at as_of: the open caseload is drawn on its own
        if closed_on < params.window_start:
            return None  # closed before the window
        if not episode.script.appointments or lead is None:
            return episode  # declined or signposted at screening: never allocated
        if lead.in_post(episode.allocated_on, closed_on):
            episode.leads = [Lead(lead, episode.allocated_on, closed_on)]
            return episode
    return episode  # nobody in post for the whole episode: closed without a lead


def closed_history(
    rng: np.random.Generator,
    params: Params,
    org: Organisation,
    open_by_team: dict[int, int],
) -> list[Episode]:
    """Every team's closed referrals, in a steady state with its ``open_by_team`` open ones."""
    lengths = Lengths(params.seed)
    out: list[Episode] = []
    for team in org.teams:
        staff = org.members(team)
        active = [s for s in staff if s.ended_on is None]
        if not active or not open_by_team.get(team.id):
            continue
        # New referrals a day for each lead: caseload over mean length (Little's law).
        weights = [s.caseload_weight / lengths.mean(team, s) for s in staff]
        load = sum(s.caseload_weight for s in active)
        per_day = [w for s, w in zip(staff, weights, strict=True) if s.ended_on is None]
        rate = open_by_team[team.id] * sum(per_day) / load
        first = params.window_start - days(longest(team))
        expected = np.cumsum(_daily_rates(params, first, rate))
        # One referral each time the expected count passes a whole number (from a random
        # start): the months receive what the rate and the seasons say, give or take one.
        marks = np.arange(rng.random(), expected[-1], 1.0)
        for offset in np.searchsorted(expected, marks, side="right"):
            received = first + days(int(offset))
            episode = _episode(rng, params, team, staff, weights, received)
            if episode is not None:
                out.append(episode)
    return out
