"""The Talking Therapies script, written once and drawn for many referrals at a time: screening,
the first assessment (rebooked after a missed one), an exit or treatment (step 2 from the
assessment; step 3 after a wait with keeping-in-touch calls; a step-up from step 2 to step 3),
its end, and how each contact is held, as day offsets from each referral. Its numbers are named
in talking_therapies.py.

The scaled trust draws a block of referrals at once (``course``, bulk_block.py); the demo trust
takes one episode at a time from courses drawn ahead in batches (tt_episode.py). The two trusts
differ in size, not in clinical logic."""

from __future__ import annotations

import dataclasses

import numpy as np

from caseboard.synthetic import scripts
from caseboard.synthetic import talking_therapies as tt
from caseboard.synthetic.bulk_draw import between_n, choice_table, draw_indices
from caseboard.synthetic.draw import Choice

MAX_SESSION_SLOTS = 36  # appointments offered in treatment, attended or not
KIND_CODES = ("assessment", "assessment_and_treatment", "treatment", "keeping_in_touch")
OUTCOME_CODES = ("attended", "did_not_attend", "cancelled_by_patient", "cancelled_by_service")
ATTENDED, DNA, PATIENT_CANCEL, SERVICE_CANCEL = range(4)
ASSESS, BOTH, TREAT, KIT = range(4)
MODE_CODES = ("telephone", "video", "face_to_face", "online", "group")


def draw_script(
    rng: np.random.Generator,
    n: int,
    *,
    urgent: np.ndarray | None = None,
    step: np.ndarray | None = None,
    stepped_up: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Screening and the first appointment of n referrals, as day offsets from the referral.
    ``urgent``, ``step`` and ``stepped_up`` set what is otherwise drawn (the same draws are
    made either way)."""
    drawn_urgent = rng.random(n) < scripts.URGENT
    drawn_step = np.where(rng.random(n) < tt.STEP3_SHARE, 3, 2)
    urgent = drawn_urgent if urgent is None else urgent
    step = drawn_step if step is None else step
    stepped_up = np.zeros(n, dtype=bool) if stepped_up is None else stepped_up & (step == 3)
    screen = np.where(urgent, 0, between_n(rng, *tt.SCREEN_DAYS, n))
    screen_exit = rng.random(n) < tt.SCREEN_EXIT
    gamma = np.minimum(
        tt.FIRST_WAIT_MAX,
        tt.FIRST_WAIT_MIN + np.floor(rng.gamma(2.0, tt.FIRST_WAIT_SCALE, n)).astype(np.int64),
    )
    first_assessment = screen + np.where(urgent, between_n(rng, *tt.URGENT_FIRST_DAYS, n), gamma)
    # A stepped-up course starts at step 2.
    first_step = np.where(stepped_up, 2, step)
    both = rng.random(n) < np.where(first_step == 3, tt.BOTH_AT_STEP[3], tt.BOTH_AT_STEP[2])
    return {
        "urgent": urgent,
        "step": step,
        "stepped_up": stepped_up,
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
    """How each contact is held (tt.TT_MODES) and its minutes."""
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
    minutes = np.where(kind == ASSESS, _minutes(tt.ASSESSMENT_MINUTES, minutes_u), minutes)
    minutes = np.where(kind == BOTH, _minutes(tt.BOTH_MINUTES, minutes_u), minutes)
    minutes = np.where(group & (kind != ASSESS), tt.GROUP_MINUTES, minutes)
    minutes = np.where(kind == KIT, tt.KIT_MINUTES, minutes)
    return mode, minutes


NONE = -1  # no such offset (no step change)


@dataclasses.dataclass(frozen=True)
class Course:
    """The course of a block of referrals, as day offsets from each referral: the columns of
    draw_script (``script``), the treatment planned, how the course ended, a step-up's recorded
    and actioned offsets (NONE without one), and its contacts sorted by referral and offset:
    referral row, offset, KIND_CODES and OUTCOME_CODES index, step, and whether the contact
    is a step 2 session before a step-up (its intervention is the one first tried)."""

    script: dict[str, np.ndarray]
    step: np.ndarray
    intervention: np.ndarray
    assessed: np.ndarray
    exit_roll: np.ndarray
    exit_outcome: np.ndarray
    kit_opted_out: np.ndarray  # opted out of KIT calls while waiting at step 3
    opt_out_day: np.ndarray
    end: np.ndarray
    reason: np.ndarray
    screen_signposted: np.ndarray
    step_change_recorded: np.ndarray
    step_change_actioned: np.ndarray
    contact_referral: np.ndarray
    contact_offset: np.ndarray
    contact_kind: np.ndarray
    contact_outcome: np.ndarray
    contact_step: np.ndarray
    contact_before_step_up: np.ndarray


def course(
    rng: np.random.Generator,
    n: int,
    *,
    step: np.ndarray | None = None,
    urgent: np.ndarray | None = None,
    closed: np.ndarray | None = None,
    stepped_up: np.ndarray | None = None,
    intervention: np.ndarray | None = None,
) -> Course:
    """The whole course of n referrals. What is not given is drawn: the step, urgency and
    intervention as the scaled trust's shares have them, and no step-up. ``closed`` False
    keeps a referral from leaving at screening or after the assessment (an episode placed open
    at as_of is one that goes on to treatment)."""
    s = draw_script(rng, n, urgent=urgent, step=step, stepped_up=stepped_up)
    step, stepped = s["step"], s["stepped_up"]
    if closed is not None:
        s["screen_exit"] = s["screen_exit"] & closed

    step2_options, _ = choice_table(tt.STEP2)
    step3_options, _ = choice_table(tt.STEP3)
    step2 = np.array(step2_options, dtype=object)[draw_indices(rng, tt.STEP2, n)]
    step3 = np.array(step3_options, dtype=object)[draw_indices(rng, tt.STEP3, n)]
    if intervention is None:
        intervention = np.where(step == 3, step3, step2)

    attempts, assessed, assessed_on, dropped_before = first_assessments(rng, s, n)
    exit_roll = rng.random(n) < tt.EXIT_AFTER_ASSESSMENT
    if closed is not None:
        exit_roll &= closed
    exits, _ = choice_table(tt.TT_EXITS)
    exit_choice = draw_indices(rng, tt.TT_EXITS, n)
    treated = assessed & ~exit_roll
    both = s["both"] & assessed
    # Treatment: step 2 weekly or fortnightly from the assessment; step 3 after a wait, with
    # keeping-in-touch calls (or an opt-out) meanwhile.
    interval2 = np.where(rng.random(n) < tt.STEP2_WEEKLY, 7, 14)
    start2 = assessed_on + np.where(both, interval2, between_n(rng, *tt.STEP2_START_DAYS, n))
    wait = between_n(rng, *tt.STEP3_WAIT_DAYS, n)
    opted_out = rng.random(n) < tt.KIT_OPT_OUT
    opt_out_after = between_n(rng, *tt.KIT_OPT_OUT_DAYS, n)
    target2 = np.array(tt.STEP2_SESSIONS.options)[draw_indices(rng, tt.STEP2_SESSIONS, n)]
    target3 = np.array(tt.STEP3_SESSIONS.options)[draw_indices(rng, tt.STEP3_SESSIONS, n)]
    # A step-up: step 2 sessions fortnightly first, then the step change is recorded and
    # actioned, and the step 3 wait runs from then (the assessment's session counts at step 2).
    up = treated & stepped
    up_dropped = np.zeros(n, dtype=bool)
    up_last = np.zeros(n, dtype=np.int64)
    recorded = np.full(n, NONE, dtype=np.int64)
    actioned = np.full(n, NONE, dtype=np.int64)
    up_slots = None
    step3_from = assessed_on
    if up.any():
        up_start = assessed_on + np.where(both, 14, between_n(rng, *tt.STEP2_START_DAYS, n))
        up_target = between_n(rng, *tt.STEP_UP_SESSIONS, n)
        up_days, up_outcomes, up_used, up_last, up_dropped = treatment_slots(
            rng, up_start, np.full(n, 14), up_target, both.astype(np.int64), up
        )
        up_slots = (up_days, up_outcomes, up_used)
        up_dropped &= up
        going_on = up & ~up_dropped
        recorded_at = up_last + between_n(rng, *tt.STEP_UP_RECORDED_DAYS, n)
        actioned_at = recorded_at + between_n(rng, *tt.STEP_UP_ACTIONED_DAYS, n)
        recorded = np.where(going_on, recorded_at, NONE)
        actioned = np.where(going_on, actioned_at, NONE)
        step3_from = np.where(going_on, actioned_at, assessed_on)
    opt_out_day = step3_from + opt_out_after
    start = np.where(step == 3, step3_from + wait, start2)
    interval = np.where(step == 3, 7, interval2)
    target = np.where(step == 3, target3, target2)
    attended_before = (both & ~stepped).astype(np.int64)
    slot_days, slot_outcomes, used, last, dropped = treatment_slots(
        rng, start, interval, target, attended_before, treated & ~up_dropped
    )
    kit_rows, kit_days, kit_outcomes = kit_calls(
        rng, step3_from, wait, treated & ~up_dropped & (step == 3) & ~opted_out
    )
    dropped = np.where(up_dropped, True, dropped)
    last = np.where(up_dropped, up_last, last)
    end = np.where(
        dropped,
        last + between_n(rng, *tt.DROPPED_END_DAYS, n),
        last + between_n(rng, *tt.COMPLETED_END_DAYS, n),
    )
    end = np.where(treated, end, 0)
    end = np.where(assessed & exit_roll, assessed_on + between_n(rng, *tt.EXIT_DAYS, n), end)
    end = np.where(
        ~assessed & ~s["screen_exit"], dropped_before + between_n(rng, *tt.QUIT_END_DAYS, n), end
    )
    end = np.where(s["screen_exit"], s["screen"] + between_n(rng, *tt.SCREEN_EXIT_DAYS, n), end)
    reason = np.where(
        treated,
        np.where(dropped, "dropped_out", "completed"),
        np.where(
            assessed, np.array([e[1] for e in exits], dtype=object)[exit_choice], "dropped_out"
        ),
    ).astype(object)
    screen_signposted = rng.random(n) < tt.SCREEN_SIGNPOSTED
    reason = np.where(
        s["screen_exit"], np.where(screen_signposted, "referred_on", "declined"), reason
    )
    exit_outcome = np.array([e[0] for e in exits], dtype=object)[exit_choice]

    # -- contacts: assessment attempts, KIT calls, treatment slots -------------------------------
    parts: list[tuple[np.ndarray, ...]] = []  # referral, offset, kind, outcome, step, before
    for rows, offsets, outcomes in attempts:
        kinds = np.where(s["both"][rows], BOTH, ASSESS)
        first_step = np.where(stepped[rows], 2, step[rows])
        parts.append((rows, offsets, kinds, outcomes, first_step, stepped[rows] & (kinds == BOTH)))
    parts.append(
        (
            kit_rows,
            kit_days,
            np.full(len(kit_rows), KIT),
            kit_outcomes,
            np.full(len(kit_rows), 3),
            np.zeros(len(kit_rows), dtype=bool),
        )
    )
    slot, ref = np.nonzero(used)
    parts.append(
        (
            ref,
            slot_days[slot, ref],
            np.full(len(ref), TREAT),
            slot_outcomes[slot, ref],
            step[ref],
            np.zeros(len(ref), dtype=bool),
        )
    )
    if up_slots is not None:
        up_days, up_outcomes, up_used = up_slots
        slot, ref = np.nonzero(up_used)
        parts.append(
            (
                ref,
                up_days[slot, ref],
                np.full(len(ref), TREAT),
                up_outcomes[slot, ref],
                np.full(len(ref), 2),
                np.ones(len(ref), dtype=bool),
            )
        )
    columns = [np.concatenate(column) for column in zip(*parts, strict=True)]
    order = np.lexsort((columns[2], columns[1], columns[0]))
    c_ref, c_offset, c_kind, c_outcome, c_step, c_before = (c[order] for c in columns)
    return Course(
        script=s,
        step=step,
        intervention=intervention,
        assessed=assessed,
        exit_roll=exit_roll,
        exit_outcome=exit_outcome,
        kit_opted_out=opted_out & treated & ~up_dropped & (step == 3),
        opt_out_day=opt_out_day,
        end=end,
        reason=reason,
        screen_signposted=screen_signposted,
        step_change_recorded=recorded,
        step_change_actioned=actioned,
        contact_referral=c_ref,
        contact_offset=c_offset,
        contact_kind=c_kind,
        contact_outcome=c_outcome,
        contact_step=c_step,
        contact_before_step_up=c_before,
    )
