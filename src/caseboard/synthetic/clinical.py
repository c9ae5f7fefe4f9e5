"""Care documents, events, safeguarding, risk information, step changes and letters."""

from __future__ import annotations

import datetime as dt

import numpy as np

from caseboard.domain.contacts import TREATMENT_KINDS
from caseboard.synthetic import vocab
from caseboard.synthetic.contacts import Contact
from caseboard.synthetic.draw import Choice, between, chance, days, pick
from caseboard.synthetic.episodes import Episode
from caseboard.synthetic.params import Params
from caseboard.synthetic.rows import TableRows

# Community care documents: how often each is written and how long until it is reviewed.
DOCUMENTS = (("care_plan", 0.97, 182), ("safety_summary", 0.96, 365), ("safety_plan", 0.92, 182))
# Learning disability teams keep a health action plan; CAMHS a transition plan for a young
# person from 17 years and 6 months (CLINICAL-RULES section 1): (kind, share written, review).
KIND_DOCUMENTS = {
    "learning_disability": (("health_action_plan", 0.92, 365),),
    "camhs": (("transition_plan", 0.85, 182),),
}
TRANSITION_MONTHS = 210  # 17 years and 6 months (policy transition_plan_from_months)
DOCUMENT_REVIEWED = 0.9  # a document is reviewed when due this often; else left past its date
TT_RISK_REVIEWED = 0.9  # Talking Therapies: risk reviewed at this share of treatment sessions
LEVELS = Choice({"low": 50, "medium": 35, "high": 15})
EVENTS = Choice({"crisis_contact": 50, "self_harm": 30, "admission": 20})


def _end(params: Params, episode: Episode) -> dt.date:
    """The last day anything can be recorded for this episode."""
    return episode.closed_on or params.as_of - days(1)


def _assessment(params: Params, episode: Episode) -> Contact | None:
    return next(
        (
            c
            for c in episode.contacts
            if c.attended
            and c.on < params.as_of
            and c.appointment.kind in ("assessment", "assessment_and_treatment")
        ),
        None,
    )


def _transition_from(birth_date: dt.date) -> dt.date:
    """The day a young person turns 17 years and 6 months."""
    month = birth_date.month + TRANSITION_MONTHS
    year, month = birth_date.year + (month - 1) // 12, (month - 1) % 12 + 1
    day = min(birth_date.day, 28)
    return dt.date(year, month, day)


def _documents(
    rng: np.random.Generator,
    params: Params,
    episode: Episode,
    assessed: Contact,
    birth_date: dt.date,
    rows: TableRows,
) -> None:
    end = _end(params, episode)
    if episode.team.kind == "talking_therapies":
        if chance(rng, 0.95):  # the IAPT risk questions at assessment
            rows.add(referral_id=episode.id, kind="risk_assessment", completed_on=assessed.on)
        return
    kinds = DOCUMENTS + KIND_DOCUMENTS.get(episode.team.kind, ())
    for kind, share, period in kinds:
        if not chance(rng, share):
            continue  # missing altogether: the CARE_DOCS case
        start = assessed.on
        if kind == "transition_plan":
            start = max(assessed.on, _transition_from(birth_date) - days(between(rng, 0, 60)))
            if start > end:
                continue  # not 17 and a half during the episode: no plan needed
        completed = start + days(between(rng, 0, 14))
        while completed <= end:
            due = completed + days(period)
            rows.add(referral_id=episode.id, kind=kind, completed_on=completed, review_due_on=due)
            if due > end or not chance(rng, DOCUMENT_REVIEWED):
                break  # left past its review date when the review was missed
            completed = due - days(between(rng, 0, 20))


def _risk(
    rng: np.random.Generator,
    params: Params,
    episode: Episode,
    assessed: Contact,
    item9_days: set[dt.date],
    rows: TableRows,
) -> None:
    talking = episode.team.kind == "talking_therapies"
    reviews = [assessed]
    for contact in episode.contacts:
        if not contact.attended or contact.on >= params.as_of or contact.on <= reviews[-1].on:
            continue
        if talking:  # the risk questions are asked again at most treatment sessions
            routine = contact.appointment.kind in TREATMENT_KINDS and contact.on not in item9_days
            if routine and chance(rng, TT_RISK_REVIEWED):
                reviews.append(contact)
        elif contact.on >= reviews[-1].on + days(160) and chance(rng, 0.9):
            reviews.append(contact)  # community teams review risk about every six months
    concerns = chance(rng, 0.35 if talking else 0.6)
    level = None if talking else LEVELS.draw(rng)  # a level changes at a review now and then
    said = pick(rng, vocab.RISK_CONCERNS_TT if talking else vocab.RISK_CONCERNS_COMMUNITY)
    # A community case that settles (stable casing, or a course completed) has its concerns
    # resolved at the last review most of the time.
    settles = not talking and (
        episode.script.stable_offset is not None or episode.script.closure_reason == "completed"
    )
    for number, contact in enumerate(reviews, start=1):
        if chance(rng, 0.06 if talking else 0.15):  # weekly in Talking Therapies
            concerns = not concerns
        if not talking and chance(rng, 0.15):
            level = LEVELS.draw(rng)
        if settles and number == len(reviews) > 1 and chance(rng, 0.7):
            concerns, level = False, "low"
        recorded = concerns or level == "high"
        rows.add(
            patient_id=episode.patient_id,
            recorded_on=contact.on,
            recorded_by_id=contact.practitioner_id,
            concerns_recorded=recorded,
            concerns=said if recorded else None,
            level=level,
            on_high_risk_list=None if talking else (level == "high" and chance(rng, 0.8)),
        )


def _screening_risk(
    rng: np.random.Generator, params: Params, episode: Episode, rows: TableRows
) -> None:
    """The referral is screened for risk when it is triaged (what the referrer said)."""
    screened = episode.allocated_on
    if screened >= params.as_of or not episode.script.appointments or not chance(rng, 0.95):
        return
    recorded = chance(rng, 0.25)
    rows.add(
        patient_id=episode.patient_id,
        recorded_on=screened,
        recorded_by_id=episode.leads[0].staff.id if episode.leads else None,
        concerns_recorded=recorded,
        concerns="Referrer reports low mood with passing thoughts of self-harm; no plan."
        if recorded
        else None,
        level=None,
        on_high_risk_list=None,
    )


def _step_changes(
    rng: np.random.Generator, params: Params, episodes: list[Episode], rows: TableRows
) -> None:
    changes: list[tuple[dt.date, int, int, int, dt.date | None]] = []
    for episode in episodes:
        change = episode.script.step_change
        if change is None or not episode.leads:
            continue
        recorded, actioned = episode.on(change[2]), episode.on(change[3])
        if recorded < params.as_of:
            changes.append(
                (
                    recorded,
                    episode.id,
                    change[0],
                    change[1],
                    actioned if actioned < params.as_of else None,
                )
            )
    # One step-up recorded weeks ago and never actioned: the STEP_CHANGE case.
    for episode in episodes:
        treated = [
            c
            for c in episode.contacts
            if c.attended
            and c.on < params.as_of - days(28)
            and c.appointment.kind in TREATMENT_KINDS
        ]
        if (
            episode.step == 2
            and not episode.closed
            and treated
            and episode.script.step_change is None
            and episode.leads
        ):
            recorded = max(treated[0].on, params.as_of - days(between(rng, 21, 28)))
            changes.append((recorded, episode.id, 2, 3, None))
            break
    for on, referral_id, from_step, to_step, done in sorted(changes, key=lambda c: c[:2]):
        rows.add(
            referral_id=referral_id,
            from_step=from_step,
            to_step=to_step,
            recorded_on=on,
            actioned_on=done,
        )


def _happenings(
    rng: np.random.Generator, params: Params, episode: Episode, assessed: Contact
) -> tuple[list[tuple[dt.date, int, str]], list[tuple[dt.date, int, str, dt.date | None]]]:
    """Crisis events and safeguarding concerns during the episode."""
    end = _end(params, episode)
    span = (end - assessed.on).days
    events: list[tuple[dt.date, int, str]] = []
    concerns: list[tuple[dt.date, int, str, dt.date | None]] = []
    talking = episode.team.kind == "talking_therapies"
    if span > 0 and chance(rng, 0.015 if talking else 0.08):
        for _ in range(between(rng, 1, 2)):
            day = assessed.on + days(between(rng, 1, span))
            kind = "crisis_contact" if talking and chance(rng, 0.6) else EVENTS.draw(rng)
            events.append((day, episode.patient_id, kind))
            stay = day + days(between(rng, 7, 40))
            if kind == "admission" and stay <= end:
                events.append((stay, episode.patient_id, "discharge_from_hospital"))
    if span > 0 and chance(rng, 0.03 if talking else 0.06):
        opened = assessed.on + days(between(rng, 0, span))
        closed = opened + days(between(rng, 14, 120))
        kind = "child" if chance(rng, 0.5) else "adult"
        concerns.append(
            (
                opened,
                episode.patient_id,
                kind,
                closed if closed < params.as_of and chance(rng, 0.6) else None,
            )
        )
    return events, concerns


def _letters(
    rng: np.random.Generator,
    params: Params,
    episode: Episode,
    assessed: Contact | None,
    opted_out: dt.date | None,
) -> list[tuple[dt.date, int, str]]:
    letters = []
    seen = assessed.on if assessed else (episode.closed_on or params.as_of)
    waiting_letter = episode.received_on + days(between(rng, 28, 35))
    if waiting_letter < seen and waiting_letter < params.as_of and chance(rng, 0.75):
        letters.append((waiting_letter, episode.id, "waiting"))
    if opted_out is not None and opted_out + days(3) < params.as_of:
        letters.append((opted_out + days(between(rng, 0, 3)), episode.id, "kit_opt_out"))
    closed = episode.closed_on
    if closed and assessed and closed + days(5) < params.as_of:
        if chance(rng, 0.9):
            letters.append((closed + days(between(rng, 0, 5)), episode.id, "discharge_gp"))
        if episode.script.closure_reason != "deceased" and chance(rng, 0.8):
            letters.append((closed + days(between(rng, 0, 5)), episode.id, "discharge_patient"))
    return letters


def write(
    rng: np.random.Generator,
    params: Params,
    episodes: list[Episode],
    item9: list[tuple[Episode, dt.date]],
    tables: dict[str, TableRows],
) -> None:
    events: list[tuple[dt.date, int, str]] = []
    concerns: list[tuple[dt.date, int, str, dt.date | None]] = []
    letters: list[tuple[dt.date, int, str]] = []
    positive: dict[int, set[dt.date]] = {}
    for episode, day in item9:  # reviewed on the day only half the time (below)
        positive.setdefault(episode.id, set()).add(day)
    for episode in episodes:
        assessed = _assessment(params, episode)
        opted_out = tables["referral"].get(episode.id, "kit_opted_out_on")
        letters.extend(_letters(rng, params, episode, assessed, opted_out))
        _screening_risk(rng, params, episode, tables["risk_information"])
        if assessed is None:
            continue
        born = tables["patient"].get(episode.patient_id, "birth_date")
        _documents(rng, params, episode, assessed, born, tables["care_document"])
        _risk(
            rng,
            params,
            episode,
            assessed,
            positive.get(episode.id, set()),
            tables["risk_information"],
        )
        more_events, more_concerns = _happenings(rng, params, episode, assessed)
        events.extend(more_events)
        concerns.extend(more_concerns)
    # The newest item 9 answer of an open case is never reviewed that day (the PHQ9_ITEM9 story);
    # half the others get a risk review that day.
    current = [
        (day, episode.id)
        for episode, day in item9
        if not episode.closed
        and (assessed := _assessment(params, episode)) is not None
        and day > assessed.on  # risk is always asked at the assessment
    ]
    story = max(current) if current else None
    for episode, day in item9:
        if chance(rng, 0.5) and (day, episode.id) != story:
            lead = episode.lead_on(day)
            tables["risk_information"].add(
                patient_id=episode.patient_id,
                recorded_on=day,
                recorded_by_id=lead.id if lead else None,
                concerns_recorded=True,
                concerns=pick(rng, vocab.RISK_CONCERNS_TT),
                level=None,
                on_high_risk_list=None,
            )
    for day, patient_id, kind in sorted(events):
        tables["event"].add(patient_id=patient_id, kind=kind, occurred_on=day)
    for opened, patient_id, kind, closed in sorted(concerns, key=lambda c: c[:3]):
        tables["safeguarding_concern"].add(
            patient_id=patient_id, kind=kind, opened_on=opened, closed_on=closed
        )
    for day, referral_id, kind in sorted(letters):
        tables["letter"].add(referral_id=referral_id, kind=kind, sent_on=day)
    _step_changes(rng, params, episodes, tables["step_change"])
