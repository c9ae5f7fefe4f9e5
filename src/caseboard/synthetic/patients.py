"""Synthetic patients: names from small lists, NHS numbers in the 999 test range; a few
referred again, a few deceased, a few with a restricted record."""

from __future__ import annotations

import bisect
import datetime as dt

import numpy as np

from caseboard.domain.nhs_number import check_digit
from caseboard.synthetic import vocab
from caseboard.synthetic.draw import Choice, between, chance, days, pick
from caseboard.synthetic.episodes import Episode
from caseboard.synthetic.rows import TableRows

AGES = {  # youngest and oldest at referral, by service kind
    "talking_therapies": (18, 84),
    "adult_cmh": (18, 70),
    "older_adult_cmh": (65, 94),
    "learning_disability": (18, 70),
    "eip": (14, 35),
    "perinatal": (18, 44),
    "camhs": (6, 17),
    "eating_disorder": (16, 45),
    "home_based_treatment": (18, 75),
    "forensic_outreach": (20, 60),
}
ETHNICITY = Choice(vocab.ETHNIC_CATEGORIES)
REREFERRAL_SHARE = 0.05  # referred again after an earlier episode closed


class NhsNumbers:
    """Unique NHS numbers from 999 000 0000 to 999 999 9999, all with valid check digits."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.used: set[str] = set()  # only membership is asked; order never matters

    def next(self) -> str:
        while True:
            first_nine = f"999{int(self.rng.integers(0, 1_000_000)):06d}"
            digit = check_digit(first_nine)
            number = f"{first_nine}{digit}"
            if digit is not None and number not in self.used:
                self.used.add(number)
                return number


def _sex(rng: np.random.Generator, kind: str) -> str:
    if kind == "perinatal":
        return "female"
    roll = float(rng.random())
    female = 0.65 if kind in ("talking_therapies", "eating_disorder") else 0.52
    if roll < female:
        return "female"
    if roll < 0.99:
        return "male"
    return "other" if roll < 0.995 else "not_known"


def _age(rng: np.random.Generator, kind: str) -> int:
    youngest, oldest = AGES.get(kind, (18, 75))
    draws = rng.integers(0, oldest - youngest + 1, size=2)
    if kind == "camhs":  # referrals to CAMHS rise through the teenage years: the higher draw
        return youngest + int(max(draws))
    # Referrals peak in early adulthood and thin out with age: the lower of two draws.
    return youngest + int(min(draws))


def _postcode(rng: np.random.Generator, area_index: int, town_index: int) -> str:
    district = area_index * 3 + town_index + 1
    units = vocab.POSTCODE_UNIT_LETTERS
    unit = pick(rng, units) + pick(rng, units)
    return f"{vocab.POSTCODE_AREA}{district} {between(rng, 1, 9)}{unit}"


def add_patient(
    rng: np.random.Generator,
    numbers: NhsNumbers,
    rows: TableRows,
    *,
    kind: str,
    area: str,
    received_on: dt.date,
) -> int:
    """Add a patient of a service of this kind, living in the team's area; return the id."""
    sex = _sex(rng, kind)
    if sex == "female":
        given = pick(rng, vocab.FEMALE_NAMES)
    elif sex == "male":
        given = pick(rng, vocab.MALE_NAMES)
    else:
        given = pick(rng, vocab.OTHER_NAMES)
    age = _age(rng, kind)
    birth_date = received_on - days(365 * age + between(rng, 0, 364) + age // 4)
    area_index = vocab.TEAM_AREAS.index(area)
    town_index = between(rng, 0, 2)
    learning_disability = kind == "learning_disability" or chance(rng, 0.015)
    autism = chance(rng, 0.3 if learning_disability else 0.03)
    sensory = chance(rng, 0.15 if kind == "older_adult_cmh" else 0.04)
    interpreter = chance(rng, 0.04)
    ethnicity: str | None = ETHNICITY.draw(rng)
    if chance(rng, 0.02):
        ethnicity = None  # not recorded at all, as distinct from Z "not stated"
    return rows.add(
        nhs_number=numbers.next(),
        given_name=given,
        family_name=pick(rng, vocab.FAMILY_NAMES),
        birth_date=birth_date,
        sex=sex,
        ethnic_category=ethnicity,
        postcode=_postcode(rng, area_index, town_index),
        locality=vocab.AREA_TOWNS[area][town_index],
        interpreter_needed=interpreter,
        learning_disability=learning_disability,
        autism=autism,
        sensory_impairment=sensory,
        reasonable_adjustments=interpreter
        or learning_disability
        or autism
        or sensory
        or chance(rng, 0.03),
        dependent_children=chance(rng, 0.35 if 20 <= age <= 50 else 0.03),
        deceased_on=None,
        restricted=False,
    )


def restrict(rows: TableRows, patient_id: int) -> None:
    """A restricted record: the address is never stored."""
    rows.set(patient_id, "restricted", True)
    rows.set(patient_id, "postcode", None)
    rows.set(patient_id, "locality", None)


def age_on(rows: TableRows, patient_id: int, day: dt.date) -> int:
    born: dt.date = rows.get(patient_id, "birth_date")
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def assign(rng: np.random.Generator, episodes: list[Episode], rows: TableRows) -> None:
    """A new patient for most referrals; a few come back after an earlier episode closed."""
    numbers = NhsNumbers(rng)
    closed = sorted(
        (e for e in episodes if e.closed_on is not None), key=lambda e: (e.closed_on, e.id)
    )
    closed_dates = [e.closed_on for e in closed if e.closed_on is not None]
    free_from: dict[int, dt.date | None] = {}  # a patient's latest episode end; None while open
    for episode in episodes:
        episode.patient_id = 0
        if chance(rng, REREFERRAL_SHARE):
            count = bisect.bisect_left(closed_dates, episode.received_on - days(14))
            if count:
                earlier = closed[int(rng.integers(count))]
                free = free_from.get(earlier.patient_id)
                if (
                    earlier.patient_id
                    and earlier.team.kind == episode.team.kind
                    and free
                    and free < episode.received_on - days(14)
                ):
                    episode.patient_id = earlier.patient_id
        if not episode.patient_id:
            episode.patient_id = add_patient(
                rng,
                numbers,
                rows,
                kind=episode.team.kind,
                area=episode.team.area,
                received_on=episode.received_on,
            )
        free_from[episode.patient_id] = episode.closed_on


def deceased_and_restricted(
    rng: np.random.Generator, episodes: list[Episode], tables: dict[str, TableRows]
) -> None:
    """A few patients died during their last episode (it closed that day); a few have a
    restricted record."""
    latest = {e.patient_id: e for e in episodes}  # episodes are in date order
    candidates = [
        e
        for e in latest.values()
        if e.closed
        and e.contacts
        and e.script.closure_reason in ("completed", "dropped_out", "other")
    ]
    people = tables["patient"]
    count = min(len(candidates), max(2, round(len(people) * 0.007)))
    for index in sorted(int(i) for i in rng.choice(len(candidates), size=count, replace=False)):
        episode = candidates[index]
        episode.script.closure_reason = "deceased"
        tables["referral"].set(episode.id, "closure_reason", "deceased")
        people.set(episode.patient_id, "deceased_on", episode.closed_on)
    count = min(len(people), max(1, round(len(people) * 0.005)))
    for patient_id in sorted(
        int(i) + 1 for i in rng.choice(len(people), size=count, replace=False)
    ):
        restrict(people, patient_id)
