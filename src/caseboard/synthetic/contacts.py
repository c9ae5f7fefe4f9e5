"""Contacts: a script's appointments put on working days, with who saw the patient and when.

What is before as_of has happened (attended, missed or cancelled); the next appointment after it
is `booked`; anything later is not yet in the diary. Appointment times are Europe/London wall
clock times in working hours, so a summer appointment at 10:00 is 09:00 UTC.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from caseboard.synthetic.draw import between, chance, local_time, to_utc, working_day
from caseboard.synthetic.episodes import Episode
from caseboard.synthetic.organisation import Organisation
from caseboard.synthetic.params import Params
from caseboard.synthetic.rows import TableRows
from caseboard.synthetic.scripts import Appointment

STALE_BOOKINGS = 2  # past contacts left `booked`: the outcome was never recorded


@dataclasses.dataclass
class Contact:
    episode: Episode
    on: dt.date
    starts_at: dt.datetime  # aware, Europe/London
    appointment: Appointment
    outcome: str
    practitioner_id: int | None
    id: int = 0

    @property
    def attended(self) -> bool:
        return self.outcome == "attended"


def _time(rng: np.random.Generator, day: dt.date, appointment: Appointment) -> dt.datetime:
    if appointment.mode == "group":
        return local_time(day, 10, 0)
    return local_time(day, between(rng, 9, 16), 30 * between(rng, 0, 1))


def _practitioner(
    rng: np.random.Generator, org: Organisation, episode: Episode, day: dt.date, past: bool
) -> tuple[int | None, bool, bool]:
    """Who the appointment is with, whether it happens at all, and whether the service cancels
    it (the practitioner is off sick and nobody could cover)."""
    lead = episode.lead_on(day)
    if lead is None:
        # Booked into a clinic slot before anyone is allocated; nothing happened without a lead.
        return None, not episode.leads and not past, False
    if lead.ended_on is not None and day > lead.ended_on:
        return None, False, False  # an orphaned case: nobody has seen the patient since
    co = episode.co_worker
    co_working = (
        co is not None and co.starts_on <= day and (co.ends_on is None or day <= co.ends_on)
    )
    if past and co is not None and co_working and chance(rng, 0.2):
        return co.staff.id, True, False
    if org.absent is lead and org.absence is not None:
        start, end, cover = org.absence
        if start <= day and (end is None or day <= end):
            if past and (cover is None or chance(rng, 0.5)):
                return lead.id, True, True
            return (cover.id if cover else lead.id), True, False
    return lead.id, True, False


def realise(
    rng: np.random.Generator, params: Params, org: Organisation, episodes: list[Episode]
) -> list[Contact]:
    """Every contact of every episode, in date order, with ids 1..n."""
    contacts: list[Contact] = []
    for episode in episodes:
        closed_on = episode.closed_on
        # Most open cases have their next appointment in the diary; a few have none (the
        # NO_CONTACT cases), and most unallocated referrals are not booked yet.
        book_next = chance(rng, 0.9 if episode.leads else 0.4)
        for appointment in episode.script.appointments:
            day = working_day(episode.on(appointment.offset), not_before=episode.received_on)
            if closed_on is not None and day > closed_on:
                continue
            past = day < params.as_of
            if not past and not book_next:
                break
            practitioner_id, happens, cancelled = _practitioner(rng, org, episode, day, past)
            if not happens:
                continue
            outcome = appointment.outcome if past else "booked"
            if cancelled:
                outcome = "cancelled_by_service"
            contacts.append(
                Contact(
                    episode,
                    day,
                    _time(rng, day, appointment),
                    appointment,
                    outcome,
                    practitioner_id,
                )
            )
            if not past:
                break  # only the next appointment is in the diary
    _leave_some_unrecorded(rng, params, contacts)
    contacts = _one_dna_not_followed_up(rng, params, contacts)
    contacts.sort(key=lambda c: (to_utc(c.starts_at), c.episode.id))
    for number, contact in enumerate(contacts, start=1):
        contact.id = number
    return contacts


def _leave_some_unrecorded(
    rng: np.random.Generator, params: Params, contacts: list[Contact]
) -> None:
    recent = [
        c
        for c in contacts
        if c.attended and c.episode.closed_on is None and 3 <= (params.as_of - c.on).days <= 20
    ]
    if recent:
        for index in rng.choice(len(recent), size=min(STALE_BOOKINGS, len(recent)), replace=False):
            recent[int(index)].outcome = "booked"


def _one_dna_not_followed_up(
    rng: np.random.Generator, params: Params, contacts: list[Contact]
) -> list[Contact]:
    """One open case whose last appointment, two to six weeks ago, was missed and nothing has
    been booked since (the DNA_FOLLOWUP case)."""
    last_past: dict[int, Contact] = {}
    booked: dict[int, Contact] = {}
    for contact in contacts:
        episode = contact.episode
        if episode.closed or not episode.leads:
            continue
        if contact.on < params.as_of:
            if episode.id not in last_past or last_past[episode.id].on < contact.on:
                last_past[episode.id] = contact
        elif contact.outcome == "booked":
            booked[episode.id] = contact
    candidates = [
        c
        for c in last_past.values()
        if 14 <= (params.as_of - c.on).days <= 42
        and c.appointment.kind == "treatment"
        and c.practitioner_id is not None
    ]
    if not candidates:
        return contacts
    chosen = candidates[int(rng.integers(len(candidates)))]
    chosen.outcome = "did_not_attend"
    dropped = booked.get(chosen.episode.id)
    return [c for c in contacts if c is not dropped]


def write(contacts: list[Contact], rows: TableRows) -> None:
    for contact in contacts:
        appointment = contact.appointment
        contact_id = rows.add(
            referral_id=contact.episode.id,
            practitioner_id=contact.practitioner_id,
            starts_at=to_utc(contact.starts_at),
            starts_on=contact.on,
            kind=appointment.kind,
            direct=appointment.direct,
            mode=appointment.mode,
            intervention=appointment.intervention,
            step=appointment.step,
            outcome=contact.outcome,
            minutes=appointment.minutes if contact.attended else None,
        )
        assert contact_id == contact.id
