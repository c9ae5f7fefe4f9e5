"""The cases discussed in a caseload session, each a signed entry written for the patient to
read, and the actions agreed."""

from __future__ import annotations

import datetime as dt

import numpy as np

from caseboard.domain.contacts import TREATMENT_KINDS
from caseboard.domain.measures import in_caseness
from caseboard.domain.policy import DEFAULT_POLICY
from caseboard.synthetic import vocab
from caseboard.synthetic.draw import Choice, between, chance, days, local_time, pick, to_utc
from caseboard.synthetic.episodes import Episode
from caseboard.synthetic.params import Params
from caseboard.synthetic.rows import TableRows

# Decisions follow the case: an extension is agreed at the session review point (seed 002 app. 2:
# "discuss by session 4", by session 10 at step 3), a discharge when the course is ending, stable
# casing once a community case has settled, a step-up when one is being recorded. Otherwise
# nothing changes, bar a few reallocations and discharges agreed and then not done.
SESSION_REVIEW = {2: 4, 3: 10}
EXTENSION_LIMIT = {2: (8, 10), 3: (16, 20)}
ENDING_DAYS = 21  # a course ending within this many days of the session is discussed as such
RARE = Choice({"none": 97.5, "reallocate": 1.2, "discharge": 0.8, "closure": 0.5})
COMMUNITY_RARE = Choice({"none": 97.0, "reallocate": 1.0, "step_down": 1.2, "discharge": 0.8})
ACTION_CHANCE = {"talking_therapies": 0.06}  # per case discussed; fortnightly there
ACTION_CHANCE_OTHER = 0.2
# A case with risk evidence in the weeks before the session is discussed with a risk plan and a
# review date (RISK_CONCERNS' qualifying discussion) most of the time; the review comes at the
# next discussion due (28 days in Talking Therapies, about three months in the community teams).
RISK_EVIDENCE_DAYS = 90
RISK_PLAN_CHANCE = 0.85
RISK_REVIEW_DAYS = {"talking_therapies": 28}
RISK_REVIEW_DAYS_OTHER = 91
SEVERE = DEFAULT_POLICY.severity_step_phq9  # PHQ-9 or GAD-7: SEVERITY_STEP's cut-off
CONTINUE_CHANCE = 0.7
RISK_EVENTS = frozenset({"crisis_contact", "self_harm", "admission"})


def risk_evidence(tables: dict[str, TableRows]) -> dict[int, list[dt.date]]:
    """Per patient, the days of risk evidence in the record: entries recording concerns, crisis
    contacts, self-harm and admissions, and PHQ-9s whose item 9 is 2 or more."""
    found: dict[int, list[dt.date]] = {}
    risk = tables["risk_information"].values
    for patient, day, recorded in zip(
        risk["patient_id"], risk["recorded_on"], risk["concerns_recorded"], strict=True
    ):
        if recorded:
            found.setdefault(patient, []).append(day)
    event = tables["event"].values
    for patient, day, kind in zip(
        event["patient_id"], event["occurred_on"], event["kind"], strict=True
    ):
        if kind in RISK_EVENTS:
            found.setdefault(patient, []).append(day)
    item = tables["measure_item"].values
    measure = tables["measure"]
    referral = tables["referral"]
    for measure_id, number, score in zip(
        item["measure_id"], item["item"], item["score"], strict=True
    ):
        if number == 9 and score >= 2:
            patient = referral.get(measure.get(measure_id, "referral_id"), "patient_id")
            found.setdefault(patient, []).append(measure.get(measure_id, "measured_on"))
    return found


def _risk_plan(
    rng: np.random.Generator,
    episode: Episode,
    held_on: dt.date,
    evidence: list[dt.date],
    review_due: bool = False,
) -> tuple[str | None, dt.date | None]:
    """A risk plan and its review date where there is recent evidence or the last plan's review
    has come, most of the time."""
    recent = any(0 <= (held_on - day).days <= RISK_EVIDENCE_DAYS for day in evidence)
    if not (recent or review_due) or not chance(rng, RISK_PLAN_CHANCE):
        return None, None
    review = RISK_REVIEW_DAYS.get(episode.team.kind, RISK_REVIEW_DAYS_OTHER)
    return pick(rng, vocab.RISK_PLANS), held_on + days(review)


def signature(
    rng: np.random.Generator, params: Params, held_on: dt.date, hour: int
) -> dt.datetime | None:
    """When a session or entry was signed (a few days after it, at most), or None: most are
    signed, and the last week's often not yet."""
    recent = (params.as_of - held_on).days <= 7
    if not chance(rng, 0.5 if recent else 0.96):
        return None
    signed_on = min(held_on + days(between(rng, 0, 3)), params.as_of - days(1))
    return to_utc(local_time(signed_on, hour, 30))


def latest_scores(tables: dict[str, TableRows]) -> dict[int, list[tuple[dt.date, str, float]]]:
    """Per referral, its PHQ-9 and GAD-7 scores by date (SEVERITY_STEP's story)."""
    found: dict[int, list[tuple[dt.date, str, float]]] = {}
    m = tables["measure"].values
    for referral, day, instrument, score in zip(
        m["referral_id"], m["measured_on"], m["instrument"], m["score"], strict=True
    ):
        if instrument in ("phq9", "gad7"):
            found.setdefault(referral, []).append((day, instrument, score))
    for scores in found.values():
        scores.sort()
    return found


def latest_before(scores: list[tuple[dt.date, str, float]], held_on: dt.date) -> dict[str, float]:
    """The latest PHQ-9 and GAD-7 before the session."""
    latest: dict[str, float] = {}
    for day, instrument, score in scores:
        if day < held_on:
            latest[instrument] = score
    return latest


def severe_on(scores: list[tuple[dt.date, str, float]], held_on: dt.date) -> bool:
    """The latest PHQ-9 or GAD-7 before the session is 15 or more (seed 002 §9 step table)."""
    return any(score >= SEVERE for score in latest_before(scores, held_on).values())


def in_caseness_on(scores: list[tuple[dt.date, str, float]], held_on: dt.date) -> bool:
    """The latest PHQ-9 or GAD-7 at or above its caseness cut-off (CLINICAL-RULES 3)."""
    latest = latest_before(scores, held_on)
    found = in_caseness(latest.get("phq9"), latest.get("gad7"), "gad7", DEFAULT_POLICY)
    return bool(found)


def _decision(
    rng: np.random.Generator,
    episode: Episode,
    held_on: dt.date,
    extended: set[tuple[int, int]],
    severe: bool = False,
) -> tuple[str, int | None]:
    """The decision recorded for this case at this session, and any session limit agreed. A
    case at step 2 with severe scores is usually agreed to continue at the step, as seed 002
    app. 2 asks ("is another step indicated?"), when it is not being stepped up."""
    script = episode.script
    ends_in = (episode.on(script.end_offset) - held_on).days
    ending = 0 <= ends_in <= ENDING_DAYS and script.closure_reason == "completed"
    if episode.team.kind != "talking_therapies":
        stable = script.stable_offset
        if stable is not None and abs((episode.on(stable) - held_on).days) <= 30:
            return ("stable_casing" if chance(rng, 0.6) else "none"), None
        if ending:
            return ("discharge" if chance(rng, 0.6) else "none"), None
        return COMMUNITY_RARE.draw(rng), None
    before = [c for c in episode.contacts if c.on < held_on]
    step = next((c.appointment.step for c in reversed(before) if c.appointment.step), None)
    step = step or episode.step or 2
    change = script.step_change
    if change is not None and -7 <= (episode.on(change[2]) - held_on).days <= 14:
        return "step_up", None
    if ending:
        return ("discharge" if chance(rng, 0.6) else "none"), None
    if severe and step == 2 and chance(rng, CONTINUE_CHANCE):
        return "continue_at_step", None
    treated = sum(c.attended and c.appointment.kind in TREATMENT_KINDS for c in before)
    if (episode.id, step) not in extended and treated >= SESSION_REVIEW[step] - 1:
        if not chance(rng, 0.85):
            return "none", None
        extended.add((episode.id, step))  # a step-up is reviewed again at the new step
        return "extension_agreed", between(rng, *EXTENSION_LIMIT[step])
    return RARE.draw(rng), None


def discuss(
    rng: np.random.Generator,
    params: Params,
    *,
    session_id: int,
    held_on: dt.date,
    supervisee_id: int,
    session_signed: bool,
    cases: list[Episode],
    extended: set[tuple[int, int]],
    evidence: dict[int, list[dt.date]],
    scores: dict[int, list[tuple[dt.date, str, float]]],
    tables: dict[str, TableRows],
    reviews: dict[int, dt.date] | None = None,
) -> None:
    """One entry per case, authored and signed by the supervisee; some agree an action, and a
    case with recent risk evidence usually a risk plan."""
    for episode in cases:
        measured = scores.get(episode.id, [])
        decision, limit = _decision(rng, episode, held_on, extended, severe_on(measured, held_on))
        entries = vocab.DISCUSSION_ENTRIES[decision]
        if in_caseness_on(measured, held_on):
            entries = vocab.DISCUSSION_ENTRIES_IN_CASENESS.get(decision, entries)
        due = reviews is not None and reviews.get(episode.id, held_on + days(1)) <= held_on
        plan, review_on = _risk_plan(
            rng, episode, held_on, evidence.get(episode.patient_id, []), due
        )
        if limit is not None:
            tables["referral"].set(episode.id, "agreed_session_limit", limit)
        signed = (
            signature(rng, params, held_on, 15) if (session_signed or chance(rng, 0.7)) else None
        )
        tables["supervision_discussion"].add(
            session_id=session_id,
            referral_id=episode.id,
            session_date=held_on,
            entry=pick(rng, entries),
            decision=decision,
            agreed_session_limit=limit,
            risk_plan=plan,
            risk_review_on=review_on,
            do_not_disclose=chance(rng, 0.03),
            authored_by_id=supervisee_id,
            signed_off_at=signed,
            signed_off_by_id=supervisee_id if signed else None,
            filed_at=signed,
        )
        if reviews is not None and review_on is not None and signed is not None:
            reviews[episode.id] = review_on
        if chance(rng, ACTION_CHANCE.get(episode.team.kind, ACTION_CHANCE_OTHER)):
            _action(
                rng,
                params,
                session_id,
                held_on,
                supervisee_id,
                episode.id,
                pick(rng, vocab.ACTIONS),
                tables["supervision_action"],
            )
    if chance(rng, 0.1):
        _action(
            rng,
            params,
            session_id,
            held_on,
            supervisee_id,
            None,
            pick(rng, vocab.PRACTITIONER_ACTIONS),
            tables["supervision_action"],
        )


def _action(
    rng: np.random.Generator,
    params: Params,
    session_id: int,
    held_on: dt.date,
    owner_id: int,
    referral_id: int | None,
    description: str,
    rows: TableRows,
) -> None:
    due = held_on + days(pick(rng, (14, 28)))
    completed = None
    if chance(rng, 0.92 if due < params.as_of else 0.3):
        completed = held_on + days(between(rng, 1, (due - held_on).days + 10))
        if completed >= params.as_of:
            completed = None  # still open; overdue once due_on has passed
    rows.add(
        session_id=session_id,
        referral_id=referral_id,
        description=description,
        owner_id=owner_id,
        due_on=due,
        completed_on=completed,
        completed_by_id=owner_id if completed else None,
    )
