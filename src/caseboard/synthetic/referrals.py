"""Referral rows and what hangs off them: patients, priority groups, the care team, step changes.

A referral's pathway stage, screening and assessment outcomes are read off the contacts that had
happened by as_of, so the record agrees with itself.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from caseboard.domain.contacts import TREATMENT_KINDS
from caseboard.synthetic import patients, vocab
from caseboard.synthetic.draw import Choice, between, chance, days
from caseboard.synthetic.episodes import Episode
from caseboard.synthetic.params import Params
from caseboard.synthetic.rows import TableRows

TT_SOURCES = Choice(
    {"self": 45, "gp": 40, "primary_care_other": 8, "secondary_care": 3, "other": 4}
)
CMH_SOURCES = Choice(
    {"gp": 50, "secondary_care": 20, "ae": 12, "primary_care_other": 10, "self": 3, "other": 5}
)
DESCRIPTORS = Choice(
    {
        "depression": 30,
        "generalised_anxiety": 20,
        "mixed_anxiety_depression": 18,
        "social_anxiety": 7,
        "ptsd": 6,
        "panic": 6,
        "ocd": 4,
        "health_anxiety": 4,
        "agoraphobia": 2,
        "specific_phobia": 1,
        "other": 2,
    }
)
CLUSTERS = Choice(
    {
        1: 2,
        2: 3,
        3: 14,
        4: 14,
        5: 6,
        6: 3,
        7: 14,
        8: 8,
        10: 4,
        11: 10,
        12: 8,
        13: 6,
        14: 1,
        15: 1,
        16: 3,
        17: 3,
    }
)
OLDER_ADULT_CLUSTERS = Choice({3: 10, 4: 10, 7: 8, 11: 6, 12: 6, 18: 15, 19: 20, 20: 12, 21: 8})
CLUSTER_REVIEW_DAYS = {
    0: 182,
    1: 84,
    2: 105,
    14: 28,
    15: 28,
    7: 365,
    8: 365,
    10: 365,
    11: 365,
    12: 365,
    13: 365,
    18: 365,
}  # others: 6 months
ASSESSMENTS = ("assessment", "assessment_and_treatment")


def _stage(params: Params, episode: Episode) -> tuple[str, dt.date]:
    """The pathway stage at as_of (or at closure) and the day it was entered."""
    script = episode.script
    screened = episode.on(script.screen_offset)
    if screened >= params.as_of:
        return "awaiting_screening", episode.received_on
    done = [c for c in episode.contacts if c.on < params.as_of and c.attended]
    assessed = [c for c in done if c.appointment.kind in ASSESSMENTS]
    if not assessed:
        return "awaiting_assessment", screened
    booked = any(c.outcome == "booked" and c.on >= params.as_of for c in episode.contacts)
    last_planned = episode.on(script.appointments[-1].offset) if script.appointments else screened
    if (episode.closed and script.closure_reason == "completed") or (
        not episode.closed and not booked and last_planned < params.as_of and done
    ):
        return "discharge_planned", (done[-1].on if done else screened)
    if script.stable_offset is not None and episode.on(script.stable_offset) < params.as_of:
        return "stable", episode.on(script.stable_offset)
    treated = [c for c in done if c.appointment.kind in TREATMENT_KINDS or episode.step is None]
    if episode.team.kind == "talking_therapies" and not [
        c for c in done if c.appointment.kind in TREATMENT_KINDS
    ]:
        return "awaiting_treatment", assessed[0].on
    return "in_treatment", (treated[0].on if treated else assessed[0].on)


def _cluster(
    rng: np.random.Generator, params: Params, episode: Episode
) -> tuple[int | None, dt.date | None]:
    """Clustered after one or two contacts, and reviewed (mostly) when the review falls due."""
    seen = [c.on for c in episode.contacts if c.on < params.as_of and c.attended]
    if not seen or chance(rng, 0.05):
        return None, None  # a few never clustered: the CLUSTER_MISSING case
    clusters = OLDER_ADULT_CLUSTERS if episode.team.kind == "older_adult_cmh" else CLUSTERS
    cluster = clusters.draw(rng)
    assessed_on = seen[min(len(seen) - 1, between(rng, 0, 1))]
    period = CLUSTER_REVIEW_DAYS.get(cluster, 182)
    while chance(rng, 0.88):
        later = [day for day in seen if day >= assessed_on + days(period - 14)]
        if not later:
            break
        assessed_on = later[0]
    return cluster, assessed_on


def _referral(rng: np.random.Generator, params: Params, episode: Episode, rows: TableRows) -> None:
    script, talking = episode.script, episode.team.kind == "talking_therapies"
    stage, entered = _stage(params, episode)
    screened = episode.on(script.screen_offset)
    screened_on = screened if screened < params.as_of else None
    assessed = stage not in ("awaiting_screening", "awaiting_assessment")
    if talking and assessed:
        episode.descriptor = None if chance(rng, 0.03) else DESCRIPTORS.draw(rng)
        if episode.intervention == "emdr":
            episode.descriptor = "ptsd"
    cluster, clustered_on = (
        _cluster(rng, params, episode) if episode.team.clusters else (None, None)
    )
    step = episode.step
    change = script.step_change
    if change and episode.on(change[3]) >= params.as_of:
        step = change[0]  # the step-up has not been actioned yet
    done = [c for c in episode.contacts if c.on < params.as_of and c.attended]
    opted_out = script.kit_opt_out_offset
    opted_out_on = episode.on(opted_out) if opted_out is not None else None
    if opted_out_on and opted_out_on >= (episode.closed_on or params.as_of):
        opted_out_on = None
    rows.add(
        patient_id=episode.patient_id,
        team_id=episode.team.id,
        received_on=episode.received_on,
        source=(TT_SOURCES if talking else CMH_SOURCES).draw(rng),
        screened_on=screened_on,
        screening_outcome=script.screening_outcome if screened_on else None,
        assessment_outcome=script.assessment_outcome if assessed else None,
        pathway=vocab.TT_PATHWAY if talking else vocab.SERVICE_NAMES[episode.team.kind].lower(),
        pathway_stage=stage,
        pathway_stage_entered_on=entered,
        step=step,
        planned_intervention=episode.intervention if assessed or episode.leads else None,
        care_cluster=cluster,
        cluster_assessed_on=clustered_on,
        problem_descriptor=episode.descriptor,
        primary_diagnosis=(
            None
            if talking or not assessed or chance(rng, 0.15)
            else vocab.CMH_DIAGNOSES[between(rng, 0, len(vocab.CMH_DIAGNOSES) - 1)]
        ),
        stable_casing_review_on=entered + days(182) if stage == "stable" else None,
        kit_opted_out_on=opted_out_on,
        # Discharge is planned because the goals set at the start are met, in every service.
        goals_met_on=done[-1].on if stage == "discharge_planned" and done else None,
        status="closed" if episode.closed else "open",
        closed_on=episode.closed_on,
        closure_reason=script.closure_reason if episode.closed else None,
    )


def _priority_groups(rng: np.random.Generator, episode: Episode, people: TableRows) -> list[str]:
    sex = people.get(episode.patient_id, "sex")
    age = patients.age_on(people, episode.patient_id, episode.received_on)
    groups = []
    if episode.team.kind == "perinatal" or (
        sex == "female" and 16 <= age <= 45 and chance(rng, 0.06)
    ):
        groups.append("perinatal")
    if chance(rng, 0.04 if sex == "male" else 0.01) and age >= 18:
        groups.append("veteran")
    if episode.script.step_change is None and chance(rng, 0.03 if episode.step is None else 0.01):
        groups.append("step_up")
    if episode.urgent:
        groups.append("urgent")
    return groups


def write(
    rng: np.random.Generator, params: Params, episodes: list[Episode], tables: dict[str, TableRows]
) -> None:
    patients.assign(rng, episodes, tables["patient"])
    both_done = False
    for episode in episodes:
        _referral(rng, params, episode, tables["referral"])
        groups = _priority_groups(rng, episode, tables["patient"])
        if not both_done and not episode.closed and "perinatal" in groups:
            both_done = True
            groups = ["perinatal", "veteran"] + [
                g for g in groups if g not in ("perinatal", "veteran")
            ]
        for group in groups:
            tables["referral_priority_group"].add(referral_id=episode.id, priority_group=group)
        for lead in episode.leads:
            tables["referral_care_team"].add(
                referral_id=episode.id,
                practitioner_id=lead.staff.id,
                role="lead",
                starts_on=lead.starts_on,
                ends_on=lead.ends_on,
            )
        if episode.co_worker:
            co = episode.co_worker
            tables["referral_care_team"].add(
                referral_id=episode.id,
                practitioner_id=co.staff.id,
                role="co_worker",
                starts_on=co.starts_on,
                ends_on=co.ends_on,
            )
    patients.deceased_and_restricted(rng, episodes, tables)
