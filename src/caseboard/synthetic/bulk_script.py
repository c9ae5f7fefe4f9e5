"""The Talking Therapies script of talking_therapies.py for a block of referrals at once, as day
offsets from each referral: screening, the first assessment (rebooked after a missed one),
treatment slots, keeping-in-touch calls while waiting for step 3, and how each contact is held."""

from __future__ import annotations

import numpy as np

from caseboard.synthetic import scripts
from caseboard.synthetic import talking_therapies as tt
from caseboard.synthetic.bulk_draw import between_n, choice_table
from caseboard.synthetic.draw import Choice

MAX_SESSION_SLOTS = 36  # appointments offered in treatment, attended or not
KIND_CODES = ("assessment", "assessment_and_treatment", "treatment", "keeping_in_touch")
OUTCOME_CODES = ("attended", "did_not_attend", "cancelled_by_patient", "cancelled_by_service")
ATTENDED, DNA, PATIENT_CANCEL, SERVICE_CANCEL = range(4)
ASSESS, BOTH, TREAT, KIT = range(4)
MODE_CODES = ("telephone", "video", "face_to_face", "online", "group")


def draw_script(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """The Talking Therapies script of n referrals, as day offsets from the referral."""
    urgent = rng.random(n) < scripts.URGENT
    step = np.where(rng.random(n) < 0.3, 3, 2)
    screen = np.where(urgent, 0, between_n(rng, *tt.SCREEN_DAYS, n))
    screen_exit = rng.random(n) < tt.SCREEN_EXIT
    gamma = np.minimum(
        tt.FIRST_WAIT_MAX,
        tt.FIRST_WAIT_MIN + np.floor(rng.gamma(2.0, tt.FIRST_WAIT_SCALE, n)).astype(np.int64),
    )
    first_assessment = screen + np.where(urgent, between_n(rng, *tt.URGENT_FIRST_DAYS, n), gamma)
    both = rng.random(n) < np.where(step == 3, tt.BOTH_AT_STEP[3], tt.BOTH_AT_STEP[2])
    return {
        "urgent": urgent,
        "step": step,
        "screen": screen,
        "screen_exit": screen_exit,
        "first_assessment": first_assessment,
        "both": both,
    }


def first_assessments(
    rng: np.random.Generator, s: dict[str, np.ndarray], n: int
) -> tuple[list[tuple[np.ndarray, ...]], np.ndarray, np.ndarray, np.ndarray]:
    """Up to four attempts at the first assessment. Returns the contacts (referral, offset,
    outcome), whether it was attended, its offset, and the offset of a drop-out."""
    _, cumulative = choice_table(scripts.FIRST_OUTCOMES)
    day = s["first_assessment"].copy()
    pending = ~s["screen_exit"]
    attended = np.zeros(n, dtype=bool)
    assessed_on = np.zeros(n, dtype=np.int64)
    dropped_at = np.full(n, -1, dtype=np.int64)
    out = []
    for attempt in range(4):
        outcome = np.minimum(np.searchsorted(cumulative, rng.random(n), side="right"), 3)
        gap = between_n(rng, *tt.REBOOK_DAYS, n)
        quit_ = rng.random(n) < tt.ASSESSMENT_QUIT
        rows = np.nonzero(pending)[0]
        out.append((rows, day[rows], outcome[rows]))
        hit = pending & (outcome == ATTENDED)
        attended |= hit
        assessed_on[hit] = day[hit]
        missed = pending & (outcome != ATTENDED)
        patient_side = outcome != SERVICE_CANCEL
        stop = missed & ((attempt >= 1) & quit_ & patient_side | (attempt == 3))
        dropped_at[stop] = day[stop]
        pending = missed & ~stop
        day = day + gap
    return out, attended, assessed_on, dropped_at


def treatment_slots(
    rng: np.random.Generator,
    start: np.ndarray,
    interval: np.ndarray,
    target: np.ndarray,
    attended_before: np.ndarray,
    active: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Treatment slots until the target is attended or two misses in a row end it (40%); a
    cancellation by the patient is a miss only sometimes (scripts.CANCELLATION_COUNTS_AS_MISS).
    Returns the (slots x n) offset and outcome grids, which slots were used, the last offset
    and whether the patient dropped out."""
    n = len(start)
    _, cumulative = choice_table(scripts.OUTCOMES)
    days = np.zeros((MAX_SESSION_SLOTS, n), dtype=np.int64)
    outcomes = np.zeros((MAX_SESSION_SLOTS, n), dtype=np.int64)
    used = np.zeros((MAX_SESSION_SLOTS, n), dtype=bool)
    day = start.copy()
    count = attended_before.copy()
    misses = np.zeros(n, dtype=np.int64)
    running = active & (count < target)
    last = start.copy()
    dropped = np.zeros(n, dtype=bool)
    for slot in range(MAX_SESSION_SLOTS):
        outcome = np.minimum(np.searchsorted(cumulative, rng.random(n), side="right"), 3)
        quit_ = rng.random(n) < tt.SESSION_QUIT
        counts = rng.random(n) < scripts.CANCELLATION_COUNTS_AS_MISS
        jitter = between_n(rng, *tt.SESSION_JITTER, n)
        days[slot], outcomes[slot], used[slot] = day, outcome, running
        last = np.where(running, day, last)
        hit = outcome == ATTENDED
        count = count + (running & hit)
        missed = running & ((outcome == DNA) | ((outcome == PATIENT_CANCEL) & counts))
        misses = np.where(running & hit, 0, misses + missed)
        stop = missed & (misses >= 2) & quit_
        dropped |= stop
        running = running & ~stop & (count < target)
        day = day + interval + jitter
    return days, outcomes, used, last, dropped


def kit_calls(
    rng: np.random.Generator, from_day: np.ndarray, wait: np.ndarray, waiting: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A keeping-in-touch call every KIT_EVERY days while waiting for step 3 therapy."""
    count = np.where(waiting, np.maximum(0, (wait - 8) // tt.KIT_EVERY), 0)
    rows = np.repeat(np.arange(len(wait)), count)
    k = np.arange(len(rows)) - np.repeat(np.cumsum(count) - count, count) + 1
    _, cumulative = choice_table(scripts.OUTCOMES)
    outcome = np.minimum(np.searchsorted(cumulative, rng.random(len(rows)), side="right"), 3)
    return rows, from_day[rows] + tt.KIT_EVERY * k, outcome


def _modes(choice: Choice[str], u: np.ndarray) -> np.ndarray:
    """A Choice of modes drawn with the uniform ``u``, as MODE_CODES indices."""
    options, cumulative = choice_table(choice)
    index = np.minimum(np.searchsorted(cumulative, u, side="right"), len(options) - 1)
    return np.array([MODE_CODES.index(option) for option in options])[index]


def _minutes(span: tuple[int, int], u: np.ndarray) -> np.ndarray:
    low, high = span
    return low + (u * (high - low + 1)).astype(np.int64)


def modes_and_minutes(
    rng: np.random.Generator, kind: np.ndarray, step: np.ndarray, intervention: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """How each contact is held (tt.TT_MODES) and its minutes; an assessment and treatment
    takes the assessment's minutes here."""
    n = len(kind)
    u = rng.random(n)
    minutes_u = rng.random(n)
    mode = np.where(step == 3, _modes(tt.TT_MODES[3], u), _modes(tt.TT_MODES[2], u))
    mode = np.where(kind == ASSESS, _modes(tt.TT_MODES["assessment"], u), mode)
    mode = np.where(intervention == "ccbt", MODE_CODES.index("online"), mode)
    group = intervention == "psychoeducation_group"
    mode = np.where(group & (kind != ASSESS), MODE_CODES.index("group"), mode)
    mode = np.where(kind == KIT, MODE_CODES.index("telephone"), mode)
    minutes = np.where(
        step == 3, _minutes(tt.STEP3_MINUTES, minutes_u), _minutes(tt.STEP2_MINUTES, minutes_u)
    )
    minutes = np.where(
        (kind == ASSESS) | (kind == BOTH), _minutes(tt.ASSESSMENT_MINUTES, minutes_u), minutes
    )
    minutes = np.where(group & (kind != ASSESS), tt.GROUP_MINUTES, minutes)
    minutes = np.where(kind == KIT, tt.KIT_MINUTES, minutes)
    return mode, minutes
