"""Outcome measures at attended contacts, following a trajectory chosen for each episode.

Talking Therapies: PHQ-9 and GAD-7 at assessment and treatment contacts (with all nine PHQ-9 item
scores), WSAS for some, and the anxiety-disorder-specific measure where the problem descriptor
calls for one. Community teams: HoNOS (or its family: HoNOS65+, HoNOS-LD, HoNOSCA) with DIALOG or
ReQoL now and then, and in CAMHS RCADS or the SDQ with goal-based outcomes; never PHQ-9.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from caseboard.domain.measures import INSTRUMENTS
from caseboard.domain.policy import ADSM_FOR_DESCRIPTOR
from caseboard.synthetic.contacts import Contact
from caseboard.synthetic.draw import Choice, chance
from caseboard.synthetic.episodes import Episode
from caseboard.synthetic.params import Params
from caseboard.synthetic.rows import TableRows

# The instruments' ranges, the ADSM a descriptor calls for and which measures read higher as
# better are the domain's (domain/measures.py, domain/policy.py).
RANGES = {code: (spec.minimum, spec.maximum) for code, spec in INSTRUMENTS.items()}
ADSM = ADSM_FOR_DESCRIPTOR
# Typical first score of someone in treatment, and its spread.
BASELINE = {
    "phq9": (14.8, 4.5),
    "gad7": (13.5, 3.5),
    "wsas": (17.8, 7),
    "spin": (40, 10),
    "pcl5": (45, 12),
    "pdss": (14, 4),
    "oci_r": (30, 10),
    "shai": (28, 7),
    "mi": (3.2, 0.6),
    "honos": (14, 5),
    "honos65": (13, 5),
    "honos_ld": (18, 6),
    "honosca": (16, 5),
    "dialog": (3.8, 0.8),
    "reqol10": (18, 6),
    "sdq": (18, 6),
    "rcads": (55, 18),
    "gbo": (6.5, 1.5),  # mirrored (HIGHER_IS_BETTER): goals about a third met at first
}
# Patient-reported measures where a higher score is better: their course is mirrored.
HIGHER_IS_BETTER = tuple(code for code, spec in INSTRUMENTS.items() if spec.higher_is_better)
CLINICIAN_RATED = {
    "older_adult_cmh": "honos65",
    "learning_disability": "honos_ld",
    "camhs": "honosca",
}
# Where the last score ends up, as a share of the first: recovering, improving without recovering,
# unchanged and deteriorating. Tuned with BASELINE to the published England figures (recovery,
# reliable improvement, PHQ-9/GAD-7/WSAS means at start and end): see published.py and
# docs/synthetic-data.md.
COURSES = Choice({(0.25, 0.5): 57, (0.55, 0.75): 20, (1.0, 1.25): 18, (1.35, 1.7): 5})
# How far the work and social adjustment scale moves against the symptom measures: nationally it
# falls by about a quarter over a course where PHQ-9 and GAD-7 fall by about a third.
RESPONSE = {"wsas": 0.85}
MEASURED = ("assessment", "assessment_and_treatment", "treatment")
# Community teams rate the clinician measure about every five months (so mostly inside the six
# months of OUTCOME_DUE), with the patient-reported one alongside this often.
COMMUNITY_MEASURE_DAYS = 150
PATIENT_REPORTED = 0.8
INSTRUMENT_ORDER = {name: index for index, name in enumerate(RANGES)}


def _score(rng: np.random.Generator, instrument: str, value: float) -> float:
    low, high = RANGES[instrument]
    value = min(max(value, low), high)
    if instrument in ("mi",):
        return round(value, 1)
    if instrument == "dialog":
        return round(value, 2)
    return float(round(value))


class Course:
    """One patient's scores: a baseline per instrument moving towards an end point."""

    def __init__(self, rng: np.random.Generator, sessions: int) -> None:
        self.rng = rng
        self.end_share = float(rng.uniform(*COURSES.draw(rng)))
        self.sessions = sessions
        self.below = chance(rng, 0.08)  # starts below caseness: the NOT_CASENESS case
        self.start: dict[str, float] = {}

    def score(self, instrument: str, index: int) -> float:
        if instrument not in self.start:
            mean, spread = BASELINE[instrument]
            if self.below and instrument in ("phq9", "gad7"):
                mean = 6.0 if instrument == "phq9" else 5.0
            self.start[instrument] = float(self.rng.normal(mean, spread))
        start = self.start[instrument]
        progress = min(1.0, index / self.sessions) * RESPONSE.get(instrument, 1.0)
        noise = self.rng.normal(0, 0.05 * (RANGES[instrument][1] - RANGES[instrument][0]))
        return _score(
            self.rng, instrument, start + (start * self.end_share - start) * progress + noise
        )


def _talking(
    rng: np.random.Generator, episode: Episode, done: list[Contact]
) -> list[tuple[Contact, str, float]]:
    # The course reaches its end point at the last session the script planned, so a finished
    # course shows its whole trajectory and an open one shows part of it.
    planned = [a for a in episode.script.appointments if a.kind in MEASURED]
    course = Course(rng, max(1, sum(a.outcome == "attended" for a in planned) - 1))
    adsm = ADSM.get(episode.descriptor or "") if chance(rng, 0.75) else None
    wsas = chance(rng, 0.4)
    out: list[tuple[Contact, str, float]] = []
    for index, contact in enumerate(c for c in done if c.appointment.kind in MEASURED):
        if index > 0 and chance(rng, 0.08):
            continue  # not recorded: the MEASURE_MISSING case
        instruments = ["phq9", "gad7"] + ([adsm] if adsm else [])
        if wsas and index % 3 == 0:
            instruments.append("wsas")
        out.extend((contact, name, course.score(name, index)) for name in instruments)
    return out


def _community(
    rng: np.random.Generator, episode: Episode, done: list[Contact]
) -> list[tuple[Contact, str, float]]:
    clinician = CLINICIAN_RATED.get(episode.team.kind, "honos")
    goals = False
    if episode.team.kind == "camhs":
        # RCADS for anxiety and low mood, the SDQ otherwise; goal-based outcomes for most.
        patient = "rcads" if chance(rng, 0.5) else "sdq"
        goals = chance(rng, 0.7)
    else:
        patient = "reqol10" if chance(rng, 0.25) else "dialog"
    course = Course(rng, 4)
    course.end_share = float(rng.uniform(0.7, 1.1))
    out: list[tuple[Contact, str, float]] = []
    due: dt.date | None = None
    for contact in done:
        if due is not None and contact.on < due:
            continue
        if chance(rng, 0.9):
            index = len({c.id for c, _, _ in out})
            out.append((contact, clinician, course.score(clinician, index)))
            reported = [patient] if chance(rng, PATIENT_REPORTED) else []
            for name in reported + (["gbo"] if goals else []):
                value = course.score(name, index)
                if name in HIGHER_IS_BETTER:  # mirror the course
                    low, high = RANGES[name]
                    value = _score(rng, name, low + high - value)
                out.append((contact, name, value))
        due = contact.on + dt.timedelta(days=COMMUNITY_MEASURE_DAYS)
    return out


def _items(rng: np.random.Generator, totals: np.ndarray) -> np.ndarray:
    """Nine PHQ-9 item scores (0-3) summing to each total; item 9 mostly 0."""
    n = len(totals)
    risk = np.where(totals >= 15, 0.06, np.where(totals >= 10, 0.03, 0.005))
    item9 = (rng.random(n) < risk) * rng.choice([1, 1, 1, 2, 3], size=n)
    item9 = np.minimum(item9, totals)
    item9 = np.maximum(item9, totals - 24)  # the other eight items hold at most 24
    rest = totals - item9
    # Spread `rest` points over 8 items x 3 slots, choosing slots uniformly at random.
    ranks = rng.random((n, 24)).argsort(axis=1).argsort(axis=1)
    first_eight = (ranks < rest[:, None]).reshape(n, 8, 3).sum(axis=2)
    return np.concatenate([first_eight, item9[:, None]], axis=1)


def write(
    rng: np.random.Generator, params: Params, episodes: list[Episode], tables: dict[str, TableRows]
) -> list[tuple[Episode, dt.date]]:
    """Write measures and PHQ-9 items; return (episode, date) of each PHQ-9 with item 9 >= 1."""
    found: list[tuple[Contact, str, float]] = []
    for episode in episodes:
        done = [
            c
            for c in episode.contacts
            if c.attended and c.on < params.as_of and c.appointment.direct
        ]
        if not done:
            continue
        talking = episode.team.kind == "talking_therapies"
        found.extend((_talking if talking else _community)(rng, episode, done))
    found.sort(key=lambda m: (m[0].on, m[0].id, INSTRUMENT_ORDER[m[1]]))
    phq9: list[tuple[int, Contact]] = []
    totals = []
    for contact, instrument, score in found:
        measure_id = tables["measure"].add(
            referral_id=contact.episode.id,
            contact_id=contact.id,
            measured_on=contact.on,
            instrument=instrument,
            score=score,
        )
        if instrument == "phq9":
            phq9.append((measure_id, contact))
            totals.append(int(score))
    items = _items(rng, np.array(totals, dtype=np.int64).reshape(-1))
    flagged = []
    for (measure_id, contact), scores in zip(phq9, items.tolist(), strict=True):
        for item, value in enumerate(scores, start=1):
            tables["measure_item"].add(measure_id=measure_id, item=item, score=int(value))
        if scores[8] >= 1:
            flagged.append((contact.episode, contact.on))
    return flagged
