"""Who leads what: the open referrals shared out by caseload, the leaver's cases, step-ups
and co-workers.

Open referrals (OPEN_SHARE of ``params.referrals``) are shared out in proportion to each
practitioner's usual caseload (a PWP holds more than a psychologist), so each open caseload is set
by design rather than left to chance; the closed referrals are the history of a steady state with
that caseload (history.py), as many as it takes.
"""

from __future__ import annotations

import numpy as np

from caseboard.synthetic.draw import between, chance, days
from caseboard.synthetic.episodes import (
    Episode,
    Lead,
    new_episode,
    open_episode,
    place_open,
)
from caseboard.synthetic.history import closed_history
from caseboard.synthetic.organisation import Organisation
from caseboard.synthetic.params import Params

OPEN_SHARE = 0.6  # of params.referrals, open at as_of; the closed ones follow from the steady state
UNALLOCATED_SHARE = 0.06
LEAVER_ORPHANS = 2  # open cases the leaver still leads
LEAVER_TRANSFERS = 4  # open cases handed on when they left
# Unallocated referrals not screened yet at as_of: urgent ones in the first team, a routine one
# past the screening week in the last (the UNSCREENED cases).
UNSCREENED_URGENT = 2


def shares(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder; ties to the first)."""
    if total <= 0 or sum(weights) <= 0:
        return [0] * len(weights)
    exact = [total * w / sum(weights) for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    return counts


def _unscreened(
    rng: np.random.Generator, params: Params, episode: Episode, *, urgent: bool
) -> None:
    """A referral not screened yet at as_of: an urgent one from the last day or two (to be
    screened the same day), or a routine one past the week screening should take."""
    script = episode.script
    received = between(rng, 1, 2) if urgent else between(rng, 9, 12)
    shift = received + between(rng, 1, 3) - script.screen_offset
    script.screen_offset += shift
    script.end_offset += shift
    for appointment in script.appointments:
        appointment.offset += shift
    if script.kit_opt_out_offset is not None:
        script.kit_opt_out_offset += shift
    if script.stable_offset is not None:
        script.stable_offset += shift
    episode.urgent = urgent
    episode.received_on = params.as_of - days(received)


def _leaver_cases(
    rng: np.random.Generator, params: Params, org: Organisation, count: int
) -> list[Episode]:
    leaver = org.leaver
    assert leaver is not None and leaver.ended_on is not None
    heirs = [
        s for s in org.members(leaver.team) if s.ended_on is None and s.role != "team_manager"
    ] or [s for s in org.members(leaver.team) if s.ended_on is None]
    out = []
    for index in range(count):
        episode = new_episode(rng, leaver.team, leaver, closed=False)
        # Long enough to have started well before the leaving date.
        for _ in range(20):
            if episode.script.end_offset > (params.as_of - leaver.ended_on).days + 60:
                break
            episode = new_episode(rng, leaver.team, leaver, closed=False)
        place_open(rng, params, episode, earliest=(params.as_of - leaver.ended_on).days + 30)
        episode.script.step_change = None
        if episode.allocated_on >= leaver.ended_on:  # too short to have been theirs
            episode.leads = [Lead(heirs[0], episode.allocated_on, None)] if heirs else []
        elif index < LEAVER_ORPHANS or not heirs:
            episode.leads = [Lead(leaver, episode.allocated_on, None)]
        else:
            heir = heirs[index % len(heirs)]
            handed = leaver.ended_on + days(between(rng, 1, 5))
            episode.leads = [
                Lead(leaver, episode.allocated_on, leaver.ended_on),
                Lead(heir, handed, None),
            ]
        out.append(episode)
    return out


def _step_up_leads(
    rng: np.random.Generator, params: Params, episode: Episode, org: Organisation
) -> None:
    """A stepped-up episode is led by a PWP at step 2, then by the step 3 therapist."""
    change = episode.script.step_change
    if change is None or not episode.leads:
        return
    actioned = episode.on(change[3])
    lead = episode.leads[0]
    pwps = [
        s
        for s in org.members(episode.team)
        if s.role in ("pwp", "trainee_pwp")
        and s.in_post(episode.allocated_on, min(actioned, params.as_of))
    ]
    if not pwps:
        episode.script.step_change = None
        return
    pwp = pwps[int(rng.integers(len(pwps)))]
    if actioned >= params.as_of:  # not stepped up yet: the PWP still leads
        episode.leads = [Lead(pwp, episode.allocated_on, lead.ends_on)]
    else:
        episode.leads = [
            Lead(pwp, episode.allocated_on, actioned - days(1)),
            Lead(lead.staff, actioned, lead.ends_on),
        ]


def _co_worker(
    rng: np.random.Generator, params: Params, episode: Episode, org: Organisation
) -> None:
    if not episode.leads or not chance(
        rng, 0.03 if episode.team.kind == "talking_therapies" else 0.12
    ):
        return
    last = episode.closed_on or params.as_of - days(1)
    start = episode.allocated_on + days(between(rng, 7, 60))
    leads = {lead.staff.id for lead in episode.leads}
    others = [
        s
        for s in org.members(episode.team)
        if s.id not in leads and s.in_post(start, last) and s.role != "team_manager"
    ]
    if start >= last or not others:
        return
    ends = episode.closed_on
    if ends is None and chance(rng, 0.3) and start + days(45) < last:
        ends = start + days(between(rng, 30, min(120, (last - start).days)))
    episode.co_worker = Lead(others[int(rng.integers(len(others)))], start, ends)


def plan(rng: np.random.Generator, params: Params, org: Organisation) -> list[Episode]:
    n_open = round(params.referrals * OPEN_SHARE) or 1
    extras = min(LEAVER_ORPHANS + LEAVER_TRANSFERS, n_open) if org.leaver else 0
    unallocated = round((n_open - extras) * UNALLOCATED_SHARE)
    active = [s for s in org.staff if s.ended_on is None]
    quotas = shares(n_open - extras - unallocated, [s.caseload_weight for s in active])
    episodes: list[Episode] = []
    for member, quota in zip(active, quotas, strict=True):
        colleagues = org.members(member.team)
        episodes.extend(open_episode(rng, params, member, colleagues) for _ in range(quota))
    if extras:
        episodes.extend(_leaver_cases(rng, params, org, extras))
    team_weights = [
        sum(s.caseload_weight for s in org.members(t) if s.ended_on is None) or 1.0
        for t in org.teams
    ]
    last_team = len(org.teams) - 1
    for position, (team, count) in enumerate(
        zip(org.teams, shares(unallocated, team_weights), strict=True)
    ):
        for index in range(count):
            episode = new_episode(rng, team, None, closed=False)
            episode.script.step_change = None
            if position == 0 and index < UNSCREENED_URGENT:
                _unscreened(rng, params, episode, urgent=True)
            elif position == last_team and index == count - 1 and count > 1:
                _unscreened(rng, params, episode, urgent=False)
            else:
                first = episode.script.appointments[0].offset if episode.script.appointments else 1
                place_open(rng, params, episode, latest=first - 1)
            episodes.append(episode)
    open_by_team = {team.id: sum(e.team is team for e in episodes) for team in org.teams}
    episodes.extend(closed_history(rng, params, org, open_by_team))
    for episode in episodes:
        _step_up_leads(rng, params, episode, org)
        _co_worker(rng, params, episode, org)
    # Referral ids follow the date received, as they would in the source system.
    order = sorted(range(len(episodes)), key=lambda i: (episodes[i].received_on, i))
    episodes = [episodes[i] for i in order]
    for number, episode in enumerate(episodes, start=1):
        episode.id = number
    return episodes
