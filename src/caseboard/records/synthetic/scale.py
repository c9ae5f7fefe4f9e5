"""A Talking Therapies trust at scale: vectorised generation in blocks, written in chunks.

``generate(params)`` in trust.py builds the demo trust row by row, with every story the screens
need (the leaver's orphaned cases, the supervisor's two teams, signed discussions). This module
builds the bulk a benchmark or a regional demo needs, up to millions of referrals, with numpy:

- the organisation (services, teams, practitioners, leave) is the same as trust.py's, drawn
  for a Talking Therapies service scaled to the number of referrals;
- referrals are cut into fixed blocks of ``BLOCK`` referrals. Block ``b`` draws from its own
  generator, ``default_rng(SeedSequence(seed, spawn_key=(b,)))`` (the ``b``-th child that
  ``SeedSequence(seed).spawn`` would give), and its row ids follow from the rows of the blocks
  before it. A chunk is any run of whole blocks, so the tables are the same whatever the chunk
  size; ``write_parquet`` re-cuts rows into fixed row groups, so the files are byte-identical too;
- each referral follows the Talking Therapies script of talking_therapies.py (screening,
  assessment, treatment at step 2 or 3, keeping-in-touch calls while waiting for step 3, drop-out
  after missed sessions) and the score trajectories of measures.py, with the same tuned constants,
  so the published figures of published.py hold for a scaled trust as for the demo trust.

Simplifications against the demo generator (said here so nobody mistakes them for data): no
step-ups, co-workers, leavers' orphaned cases or supervision history; one lead per referral, a
PWP at step 2 and a step 3 therapist at step 3; about one referral in twelve is a second referral
of a patient of the same block; NHS numbers run out after about 909,000 patients (the 999 test
range), after which nhs_number is null.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from caseboard.records import schema
from caseboard.records.synthetic import (
    episodes,
    measures,
    organisation,
    referrals,
    scripts,
    talking_therapies,
    vocab,
    writers,
)
from caseboard.records.synthetic.draw import Choice, stream
from caseboard.records.synthetic.params import Params
from caseboard.records.synthetic.rows import SOURCE_PREFIXES, SOURCE_SYSTEM, TableRows, arrow_schema

BLOCK = 4096  # referrals per random block: the unit of determinism
ROW_GROUP = 1 << 20  # rows per Parquet row group, whatever the chunk size
PATIENTS_PER_BLOCK = 3780  # the rest of a block's referrals are second referrals
REFERRALS_PER_TEAM = 25_000
REFERRALS_PER_PRACTITIONER = 400
ORG_TABLES = ("service", "team", "practitioner", "practitioner_modality", "absence")
BULK_TABLES = ("patient", "referral", "referral_care_team", "contact", "measure", "measure_item")
TABLE_NAMES = ORG_TABLES + BULK_TABLES
MAX_SESSION_SLOTS = 36  # appointments offered in treatment, attended or not
EPOCH = dt.date(1970, 1, 1)
# Referrals are fewer in August and December and peak in January (NHS TT monthly series).
SEASON = (1.12, 1.05, 1.08, 0.98, 1.0, 0.99, 0.97, 0.86, 1.0, 1.04, 1.03, 0.88)

KIND_CODES = ("assessment", "assessment_and_treatment", "treatment", "keeping_in_touch")
OUTCOME_CODES = ("attended", "did_not_attend", "cancelled_by_patient", "cancelled_by_service")
ATTENDED, DNA, PATIENT_CANCEL, SERVICE_CANCEL = range(4)
ASSESS, BOTH, TREAT, KIT = range(4)
MODE_CODES = ("telephone", "video", "face_to_face", "online", "group")
ETHNICITY = Choice(vocab.ETHNIC_CATEGORIES)
STEP_ROLES = {2: ("pwp", "trainee_pwp"), 3: episodes.STEP3_ROLES}


def _table(choice: Choice[Any]) -> tuple[list[Any], np.ndarray]:
    """A Choice's options and cumulative probabilities, for vectorised draws."""
    return list(choice.options), np.asarray(choice.cumulative)


def _draw(rng: np.random.Generator, choice: Choice[Any], n: int) -> np.ndarray:
    """Indices into choice.options, one per row."""
    cumulative = np.asarray(choice.cumulative)
    return np.minimum(np.searchsorted(cumulative, rng.random(n), side="right"), len(cumulative) - 1)


def _between(rng: np.random.Generator, low: int, high: int, n: int) -> np.ndarray:
    return rng.integers(low, high + 1, size=n)


def block_rng(seed: int, block: int) -> np.random.Generator:
    """Block ``block``'s generator: the ``block``-th child of SeedSequence(seed)."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))


def scaled_params(referrals: int, *, seed: int = 1, as_of: dt.date, years: int = 2) -> Params:
    """Params for a Talking Therapies trust of this many referrals, with staff to match."""
    teams = max(1, min(len(vocab.TEAM_AREAS) * 25, referrals // REFERRALS_PER_TEAM))
    practitioners = max(teams * 4, referrals // REFERRALS_PER_PRACTITIONER)
    return Params(
        seed=seed,
        as_of=as_of,
        referrals=referrals,
        years=years,
        services=1,
        teams=teams,
        practitioners=practitioners,
    )


# -- the organisation, shared by every block -----------------------------------------------------


@dataclasses.dataclass
class Context:
    params: Params
    org_tables: dict[str, pa.Table]
    team_ids: np.ndarray
    team_areas: list[str]
    staff_by_team_step: dict[tuple[int, int], np.ndarray]
    day_cumulative: np.ndarray
    nhs_numbers: np.ndarray  # valid 999-range numbers in a fixed shuffled order
    bst: dict[int, tuple[int, int]]  # year -> (first, last) epoch day of summer time


def _valid_nhs_numbers(seed: int) -> np.ndarray:
    first_nine = np.arange(999_000_000, 1_000_000_000, dtype=np.int64)
    digits = (first_nine[:, None] // (10 ** np.arange(8, -1, -1))) % 10
    remainder = (digits * np.arange(10, 1, -1)).sum(axis=1) % 11
    check = (11 - remainder) % 11
    valid = check != 10
    numbers = first_nine[valid] * 10 + check[valid]
    return stream(seed, "nhs-numbers").permutation(numbers)


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def context(params: Params) -> Context:
    tables = {name: TableRows(name) for name in ORG_TABLES}
    org = organisation.build(stream(params.seed, "organisation"), params)
    organisation.write(stream(params.seed, "staff"), params, org, tables)
    staff: dict[tuple[int, int], np.ndarray] = {}
    for team in org.teams:
        members = [s for s in org.members(team) if s.ended_on is None]
        for step, roles in STEP_ROLES.items():
            chosen = (
                [s.id for s in members if s.role in roles]
                or [s.id for s in members if s.role != "team_manager"]
                or [s.id for s in members]
            )
            staff[(team.id, step)] = np.asarray(chosen, dtype=np.int64)
    window = (params.as_of - params.window_start).days
    first = params.window_start
    weights = np.array(
        [SEASON[(first + dt.timedelta(days=d)).month - 1] for d in range(window)], dtype=float
    )
    weekday = (np.arange(window) + (first - EPOCH).days + 3) % 7
    weights[weekday >= 5] *= 0.35  # fewer referrals arrive at weekends
    bst = {
        year: ((_last_sunday(year, 3) - EPOCH).days, (_last_sunday(year, 10) - EPOCH).days)
        for year in range(first.year - 1, params.as_of.year + 3)
    }
    return Context(
        params=params,
        org_tables={name: rows.to_arrow() for name, rows in tables.items()},
        team_ids=np.array([t.id for t in org.teams], dtype=np.int64),
        team_areas=[t.area for t in org.teams],
        staff_by_team_step=staff,
        day_cumulative=np.cumsum(weights) / weights.sum(),
        nhs_numbers=_valid_nhs_numbers(params.seed),
        bst=bst,
    )


# -- one block of referrals ------------------------------------------------------------------------


@dataclasses.dataclass
class Block:
    """A block's rows as columns; ids are local (0-based) until the block is placed."""

    tables: dict[str, dict[str, Any]]
    counts: dict[str, int]


def _script(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """The Talking Therapies script of n referrals, as day offsets from the referral."""
    urgent = rng.random(n) < 0.03
    step = np.where(rng.random(n) < 0.3, 3, 2)
    screen = np.where(urgent, 0, _between(rng, 0, 4, n))
    screen_exit = rng.random(n) < 0.08
    gamma = np.minimum(90, 3 + np.floor(rng.gamma(2.0, 8.0, n)).astype(np.int64))
    first_assessment = screen + np.where(urgent, _between(rng, 1, 7, n), gamma)
    both = rng.random(n) < np.where(
        step == 3, talking_therapies.BOTH_AT_STEP[3], talking_therapies.BOTH_AT_STEP[2]
    )
    return {
        "urgent": urgent,
        "step": step,
        "screen": screen,
        "screen_exit": screen_exit,
        "first_assessment": first_assessment,
        "both": both,
    }


def _assessments(
    rng: np.random.Generator, s: dict[str, np.ndarray], n: int
) -> tuple[list[tuple[np.ndarray, ...]], np.ndarray, np.ndarray, np.ndarray]:
    """Up to four attempts at the first assessment. Returns the contacts (referral, offset,
    outcome), whether it was attended, its offset, and the offset of a drop-out."""
    _, cumulative = _table(scripts.FIRST_OUTCOMES)
    day = s["first_assessment"].copy()
    pending = ~s["screen_exit"]
    attended = np.zeros(n, dtype=bool)
    assessed_on = np.zeros(n, dtype=np.int64)
    dropped_at = np.full(n, -1, dtype=np.int64)
    out = []
    for attempt in range(4):
        outcome = np.minimum(np.searchsorted(cumulative, rng.random(n), side="right"), 2)
        gap = _between(rng, 7, 14, n)
        quit_ = rng.random(n) < 0.5
        rows = np.nonzero(pending)[0]
        out.append((rows, day[rows], outcome[rows]))
        hit = pending & (outcome == ATTENDED)
        attended |= hit
        assessed_on[hit] = day[hit]
        missed = pending & (outcome != ATTENDED)
        stop = missed & ((attempt >= 1) & quit_ | (attempt == 3))
        dropped_at[stop] = day[stop]
        pending = missed & ~stop
        day = day + gap
    return out, attended, assessed_on, dropped_at


def _sessions(
    rng: np.random.Generator,
    start: np.ndarray,
    interval: np.ndarray,
    target: np.ndarray,
    attended_before: np.ndarray,
    active: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Treatment slots until the target is attended or two misses in a row end it (40%).
    Returns the (slots x n) offset and outcome grids, which slots were used, the last offset
    and whether the patient dropped out."""
    n = len(start)
    _, cumulative = _table(scripts.OUTCOMES)
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
        quit_ = rng.random(n) < 0.4
        jitter = _between(rng, -1, 2, n)
        days[slot], outcomes[slot], used[slot] = day, outcome, running
        last = np.where(running, day, last)
        hit = outcome == ATTENDED
        count = count + (running & hit)
        missed = running & ~hit & (outcome != SERVICE_CANCEL)
        misses = np.where(running & hit, 0, misses + missed)
        stop = missed & (misses >= 2) & quit_
        dropped |= stop
        running = running & ~stop & (count < target)
        day = day + interval + jitter
    return days, outcomes, used, last, dropped


def _kits(
    rng: np.random.Generator, from_day: np.ndarray, wait: np.ndarray, waiting: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A keeping-in-touch call every 28 days while waiting for step 3 therapy."""
    count = np.where(waiting, np.maximum(0, (wait - 8) // 28), 0)
    rows = np.repeat(np.arange(len(wait)), count)
    k = np.arange(len(rows)) - np.repeat(np.cumsum(count) - count, count) + 1
    _, cumulative = _table(scripts.OUTCOMES)
    outcome = np.minimum(np.searchsorted(cumulative, rng.random(len(rows)), side="right"), 3)
    return rows, from_day[rows] + 28 * k, outcome


def _modes(
    rng: np.random.Generator, kind: np.ndarray, step: np.ndarray, intervention: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    n = len(kind)
    u = rng.random(n)
    minutes_u = rng.random(n)
    mode = np.where(
        step == 3,
        np.select([u < 0.45, u < 0.9], [2, 1], 0),
        np.select([u < 0.55, u < 0.8, u < 0.95], [0, 1, 2], 3),
    )
    assessment_mode = np.select([u < 0.6, u < 0.8], [0, 1], 2)
    mode = np.where(kind == ASSESS, assessment_mode, mode)
    mode = np.where(intervention == "ccbt", 3, mode)
    group = intervention == "psychoeducation_group"
    mode = np.where(group & (kind != ASSESS), 4, mode)
    mode = np.where(kind == KIT, 0, mode)
    minutes = np.where(
        step == 3, 50 + (minutes_u * 11).astype(np.int64), 30 + (minutes_u * 6).astype(np.int64)
    )
    minutes = np.where(
        (kind == ASSESS) | (kind == BOTH), 45 + (minutes_u * 16).astype(np.int64), minutes
    )
    minutes = np.where(group & (kind != ASSESS), 90, minutes)
    minutes = np.where(kind == KIT, 15, minutes)
    return mode, minutes


def _weekday_shift(day: np.ndarray) -> np.ndarray:
    """Move weekend days forward to Monday (epoch day 0 was a Thursday)."""
    weekday = (day + 3) % 7
    return day + np.where(weekday == 5, 2, np.where(weekday == 6, 1, 0))


def _utc_micros(ctx: Context, day: np.ndarray, hour: np.ndarray, minute: np.ndarray) -> np.ndarray:
    years = day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    starts = np.array([ctx.bst[y][0] for y in range(min(ctx.bst), max(ctx.bst) + 1)])
    ends = np.array([ctx.bst[y][1] for y in range(min(ctx.bst), max(ctx.bst) + 1)])
    index = years - min(ctx.bst)
    summer = (day >= starts[index]) & (day < ends[index])
    seconds = day * 86400 + hour * 3600 + minute * 60 - np.where(summer, 3600, 0)
    return seconds * 1_000_000


def _block(ctx: Context, block: int, n: int) -> Block:
    params = ctx.params
    rng = block_rng(params.seed, block)
    as_of = (params.as_of - EPOCH).days
    window_start = (params.window_start - EPOCH).days
    received = window_start + np.searchsorted(ctx.day_cumulative, rng.random(n), side="right")
    received = np.minimum(received, as_of - 1)
    team_index = rng.integers(0, len(ctx.team_ids), size=n)
    s = _script(rng, n)
    step = s["step"]

    step2_options, _ = _table(episodes.STEP2)
    step3_options, _ = _table(episodes.STEP3)
    step2 = np.array(step2_options, dtype=object)[_draw(rng, episodes.STEP2, n)]
    step3 = np.array(step3_options, dtype=object)[_draw(rng, episodes.STEP3, n)]
    intervention = np.where(step == 3, step3, step2)

    attempts, assessed, assessed_on, dropped_before = _assessments(rng, s, n)
    exit_roll = rng.random(n) < 0.1
    exit_options, _ = _table(talking_therapies.TT_EXITS)
    exits = [o for o in exit_options if o[0] != "stepped_up"]
    exit_choice = rng.integers(0, len(exits), size=n)
    treated = assessed & ~exit_roll
    both = s["both"] & assessed
    # Treatment: step 2 weekly or fortnightly from the assessment; step 3 after a wait, with
    # keeping-in-touch calls (or an opt-out) meanwhile.
    interval2 = np.where(rng.random(n) < 0.45, 7, 14)
    start2 = assessed_on + np.where(both, interval2, _between(rng, 7, 21, n))
    wait = _between(rng, 21, 200, n)
    opted_out = rng.random(n) < 0.08
    opt_out_day = assessed_on + _between(rng, 7, 27, n)
    target2 = np.array(talking_therapies.STEP2_SESSIONS.options)[
        _draw(rng, talking_therapies.STEP2_SESSIONS, n)
    ]
    target3 = np.array(talking_therapies.STEP3_SESSIONS.options)[
        _draw(rng, talking_therapies.STEP3_SESSIONS, n)
    ]
    start = np.where(step == 3, assessed_on + wait, start2)
    interval = np.where(step == 3, 7, interval2)
    target = np.where(step == 3, target3, target2)
    slot_days, slot_outcomes, used, last, dropped = _sessions(
        rng, start, interval, target, both.astype(np.int64), treated
    )
    kit_rows, kit_days, kit_outcomes = _kits(
        rng, assessed_on, wait, treated & (step == 3) & ~opted_out
    )
    end = np.where(dropped, last + _between(rng, 14, 28, n), last + _between(rng, 3, 21, n))
    end = np.where(treated, end, 0)
    end = np.where(assessed & exit_roll, assessed_on + _between(rng, 3, 14, n), end)
    end = np.where(~assessed & ~s["screen_exit"], dropped_before + _between(rng, 7, 21, n), end)
    end = np.where(s["screen_exit"], s["screen"] + _between(rng, 0, 5, n), end)
    reason = np.where(
        treated,
        np.where(dropped, "dropped_out", "completed"),
        np.where(
            assessed, np.array([e[1] for e in exits], dtype=object)[exit_choice], "dropped_out"
        ),
    ).astype(object)
    screen_signposted = rng.random(n) < 0.6
    reason = np.where(
        s["screen_exit"], np.where(screen_signposted, "referred_on", "declined"), reason
    )

    # -- contacts: assessment attempts, KIT calls, treatment slots -------------------------------
    rows_parts, offset_parts, kind_parts, outcome_parts = [], [], [], []
    for rows, offsets, outcomes in attempts:
        rows_parts.append(rows)
        offset_parts.append(offsets)
        kind_parts.append(np.where(s["both"][rows], BOTH, ASSESS))
        outcome_parts.append(outcomes)
    rows_parts.append(kit_rows)
    offset_parts.append(kit_days)
    kind_parts.append(np.full(len(kit_rows), KIT))
    outcome_parts.append(kit_outcomes)
    slot, ref = np.nonzero(used)
    rows_parts.append(ref)
    offset_parts.append(slot_days[slot, ref])
    kind_parts.append(np.full(len(ref), TREAT))
    outcome_parts.append(slot_outcomes[slot, ref])
    c_ref = np.concatenate(rows_parts)
    c_offset = np.concatenate(offset_parts)
    c_kind = np.concatenate(kind_parts)
    c_outcome = np.concatenate(outcome_parts)
    order = np.lexsort((c_kind, c_offset, c_ref))
    c_ref, c_offset, c_kind, c_outcome = (a[order] for a in (c_ref, c_offset, c_kind, c_outcome))
    # The measured appointments the script planned to attend: the course's length.
    measured_kind = c_kind != KIT
    planned = np.bincount(c_ref[measured_kind & (c_outcome == ATTENDED)], minlength=n)

    c_day = _weekday_shift(received[c_ref] + c_offset)
    closed_day = received + end
    closed = closed_day < as_of
    keep = ~closed[c_ref] | (c_day <= closed_day[c_ref])
    past = c_day < as_of
    future = keep & ~past
    # Only the next appointment after as_of is in the diary, and not for everyone.
    first_future = future & np.r_[True, (c_ref[1:] != c_ref[:-1]) | ~future[:-1]]
    book_next = rng.random(n) < 0.9
    keep = keep & (past | (first_future & book_next[c_ref]))
    c_ref, c_offset, c_kind, c_outcome, c_day = (
        a[keep] for a in (c_ref, c_offset, c_kind, c_outcome, c_day)
    )
    c_booked = c_day >= as_of
    c_intervention = np.where(
        (c_kind == ASSESS) | (c_kind == KIT), None, intervention[c_ref]
    ).astype(object)
    c_step = step[c_ref]
    mode, minutes = _modes(rng, c_kind, c_step, c_intervention)
    hour = _between(rng, 9, 16, len(c_ref))
    minute = 30 * _between(rng, 0, 1, len(c_ref))
    group = mode == 4
    hour, minute = np.where(group, 10, hour), np.where(group, 0, minute)
    attended = (c_outcome == ATTENDED) & ~c_booked

    # -- the referral at as_of -------------------------------------------------------------------
    screened_day = received + s["screen"]
    screened = screened_day < as_of
    is_closed = closed
    att_assess = attended & ((c_kind == ASSESS) | (c_kind == BOTH))
    assessed_by_now = np.zeros(n, dtype=bool)
    assessed_by_now[c_ref[att_assess]] = True
    treated_days = np.full(n, np.iinfo(np.int64).max)
    att_treat = attended & ((c_kind == BOTH) | (c_kind == TREAT))
    np.minimum.at(treated_days, c_ref[att_treat], c_day[att_treat])
    treated_by_now = treated_days < np.iinfo(np.int64).max
    last_attended = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last_attended, c_ref[attended], c_day[attended])
    first_assess_day = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first_assess_day, c_ref[att_assess], c_day[att_assess])
    completed = is_closed & (reason == "completed")
    stage = np.select(
        [~screened, ~assessed_by_now, completed, ~treated_by_now],
        ["awaiting_screening", "awaiting_assessment", "discharge_planned", "awaiting_treatment"],
        "in_treatment",
    ).astype(object)
    entered = np.select(
        [~screened, ~assessed_by_now, completed, ~treated_by_now],
        [received, screened_day, np.maximum(last_attended, screened_day), first_assess_day],
        treated_days,
    )
    descriptor_options, _ = _table(referrals.DESCRIPTORS)
    descriptor = np.array(descriptor_options, dtype=object)[_draw(rng, referrals.DESCRIPTORS, n)]
    descriptor = np.where(intervention == "emdr", "ptsd", descriptor)
    descriptor = np.where((rng.random(n) < 0.03) | ~assessed_by_now, None, descriptor)
    source_options, _ = _table(referrals.TT_SOURCES)
    source = np.array(source_options, dtype=object)[_draw(rng, referrals.TT_SOURCES, n)]
    screening_outcome = np.where(
        s["screen_exit"], np.where(screen_signposted, "signposted", "declined"), "accepted"
    ).astype(object)
    assessment_outcome = np.where(
        exit_roll, np.array([e[0] for e in exits], dtype=object)[exit_choice], "treatment_agreed"
    ).astype(object)
    opted = opted_out & (step == 3) & treated
    opt_out_date = received + opt_out_day
    opted &= opt_out_date < np.where(is_closed, closed_day, as_of)

    # -- leads ---------------------------------------------------------------------------------
    team_id = ctx.team_ids[team_index]
    lead = np.zeros(n, dtype=np.int64)
    pick = rng.random(n)
    for (team, step_value), staff in ctx.staff_by_team_step.items():
        mask = (team_id == team) & (step == step_value)
        lead[mask] = staff[(pick[mask] * len(staff)).astype(np.int64)]
    allocated = screened & ~s["screen_exit"]

    # -- patients ------------------------------------------------------------------------------
    n_patients = min(n, PATIENTS_PER_BLOCK)
    local_patient = np.arange(n)
    if n > n_patients:
        local_patient[n_patients:] = rng.integers(0, n_patients, size=n - n_patients)
    patient = _patients(rng, ctx, block * PATIENTS_PER_BLOCK, n_patients, received, team_index)

    # -- measures -----------------------------------------------------------------------------
    measure_cols, items = _measures(rng, c_ref, c_kind, attended, planned, descriptor, n)

    referral_cols = {
        "patient_id": local_patient,
        "team_id": team_id,
        "received_on": received,
        "source": source,
        "screened_on": np.where(screened, screened_day, NULL_INT),
        "screening_outcome": np.where(screened, screening_outcome, None),
        "assessment_outcome": np.where(assessed_by_now, assessment_outcome, None),
        "pathway": np.full(n, vocab.TT_PATHWAY, dtype=object),
        "pathway_stage": stage,
        "pathway_stage_entered_on": entered,
        "step": step,
        "planned_intervention": np.where(assessed_by_now, intervention, None),
        "problem_descriptor": descriptor,
        "kit_opted_out_on": np.where(opted, opt_out_date, NULL_INT),
        "status": np.where(is_closed, "closed", "open").astype(object),
        "closed_on": np.where(is_closed, closed_day, NULL_INT),
        "closure_reason": np.where(is_closed, reason, None),
    }
    care_team = {
        "referral_id": np.nonzero(allocated)[0],
        "practitioner_id": lead[allocated],
        "role": np.full(int(allocated.sum()), "lead", dtype=object),
        "starts_on": screened_day[allocated],
        "ends_on": np.where(is_closed, closed_day, NULL_INT)[allocated],
    }
    practitioner = np.where(allocated[c_ref], lead[c_ref], NULL_INT)
    contact_cols = {
        "referral_id": c_ref,
        "practitioner_id": practitioner,
        "starts_at": _utc_micros(ctx, c_day, hour, minute),
        "starts_on": c_day,
        "kind": np.array(KIND_CODES, dtype=object)[c_kind],
        "direct": np.ones(len(c_ref), dtype=bool),
        "mode": np.array(MODE_CODES, dtype=object)[mode],
        "intervention": c_intervention,
        "step": c_step,
        "outcome": np.where(c_booked, "booked", np.array(OUTCOME_CODES, dtype=object)[c_outcome]),
        "minutes": np.where(attended, minutes, NULL_INT),
    }
    measure_cols["measured_on"] = c_day[measure_cols["contact_id"]]
    measure_cols["referral_id"] = c_ref[measure_cols["contact_id"]]
    tables = {
        "patient": patient,
        "referral": referral_cols,
        "referral_care_team": care_team,
        "contact": contact_cols,
        "measure": measure_cols,
        "measure_item": items,
    }
    counts = {name: len(next(iter(cols.values()))) for name, cols in tables.items()}
    return Block(tables, counts)


def _patients(
    rng: np.random.Generator,
    ctx: Context,
    first: int,
    n: int,
    received: np.ndarray,
    team_index: np.ndarray,
) -> dict[str, Any]:
    index = np.arange(first, first + n)
    known = index < len(ctx.nhs_numbers)
    nhs = np.full(n, None, dtype=object)
    nhs[known] = ctx.nhs_numbers[index[known]].astype(str)
    sex_roll = rng.random(n)
    sex = np.select(
        [sex_roll < 0.65, sex_roll < 0.99, sex_roll < 0.995],
        ["female", "male", "other"],
        "not_known",
    ).astype(object)
    female = np.array(vocab.FEMALE_NAMES, dtype=object)
    male = np.array(vocab.MALE_NAMES, dtype=object)
    other = np.array(vocab.OTHER_NAMES, dtype=object)
    given = np.where(
        sex == "female",
        female[rng.integers(0, len(female), n)],
        np.where(
            sex == "male",
            male[rng.integers(0, len(male), n)],
            other[rng.integers(0, len(other), n)],
        ),
    )
    family = np.array(vocab.FAMILY_NAMES, dtype=object)[rng.integers(0, len(vocab.FAMILY_NAMES), n)]
    age = 18 + rng.integers(0, 67, size=(n, 2)).min(axis=1)
    birth = received[:n] - (365.25 * age).astype(np.int64) - rng.integers(0, 365, n)
    ethnic_options, _ = _table(ETHNICITY)
    ethnicity = np.array(ethnic_options, dtype=object)[_draw(rng, ETHNICITY, n)]
    ethnicity = np.where(rng.random(n) < 0.02, None, ethnicity)
    area_index = np.array([vocab.TEAM_AREAS.index(a) for a in ctx.team_areas])[team_index[:n]]
    town = rng.integers(0, 3, n)
    letters = np.array(list(vocab.POSTCODE_UNIT_LETTERS), dtype=object)
    unit = (
        rng.integers(1, 10, n).astype(str).astype(object)
        + letters[rng.integers(0, len(letters), n)]
        + letters[rng.integers(0, len(letters), n)]
    )
    postcode = (
        vocab.POSTCODE_AREA + (area_index * 3 + town + 1).astype(str).astype(object) + " " + unit
    )
    towns = np.array([vocab.AREA_TOWNS[a] for a in vocab.TEAM_AREAS], dtype=object)
    locality = towns[area_index, town]
    restricted = rng.random(n) < 0.002
    learning_disability = rng.random(n) < 0.015
    autism = rng.random(n) < np.where(learning_disability, 0.3, 0.03)
    sensory = rng.random(n) < 0.04
    interpreter = rng.random(n) < 0.04
    return {
        "nhs_number": nhs,
        "given_name": given,
        "family_name": family,
        "birth_date": birth,
        "sex": sex,
        "ethnic_category": ethnicity,
        "postcode": np.where(restricted, None, postcode),
        "locality": np.where(restricted, None, locality),
        "interpreter_needed": interpreter,
        "learning_disability": learning_disability,
        "autism": autism,
        "sensory_impairment": sensory,
        "reasonable_adjustments": interpreter
        | learning_disability
        | autism
        | sensory
        | (rng.random(n) < 0.03),
        "dependent_children": rng.random(n) < 0.3,
        "deceased_on": np.full(n, NULL_INT, dtype=np.int64),
        "restricted": restricted,
    }


def _measures(
    rng: np.random.Generator,
    c_ref: np.ndarray,
    c_kind: np.ndarray,
    attended: np.ndarray,
    planned: np.ndarray,
    descriptor: np.ndarray,
    n: int,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """PHQ-9 and GAD-7 (with the ADSM for some, WSAS every third time for some) at attended
    assessment and treatment contacts, on each referral's trajectory (measures.py)."""
    course_options, _ = _table(measures.COURSES)
    bounds = np.array(course_options, dtype=float)[_draw(rng, measures.COURSES, n)]
    share = bounds[:, 0] + (bounds[:, 1] - bounds[:, 0]) * rng.random(n)
    below = rng.random(n) < 0.08
    sessions = np.maximum(1, planned - 1)
    adsm_name = np.array([measures.ADSM.get(d or "") for d in descriptor], dtype=object)
    adsm = np.where(rng.random(n) < 0.75, adsm_name, None)
    wsas = rng.random(n) < 0.4
    instruments = ["phq9", "gad7", "wsas", *sorted(set(measures.ADSM.values()))]
    starts = {}
    for name in instruments:
        mean, spread = measures.BASELINE[name]
        if name in ("phq9", "gad7"):
            mean = np.where(below, 6.0 if name == "phq9" else 5.0, mean)
        starts[name] = rng.normal(mean, spread, n)

    contact = np.nonzero(attended & (c_kind != KIT))[0]
    ref = c_ref[contact]
    new = np.r_[True, ref[1:] != ref[:-1]]
    group_start = np.maximum.accumulate(np.where(new, np.arange(len(ref)), 0))
    index = np.arange(len(ref)) - group_start
    recorded = (index == 0) | (rng.random(len(ref)) >= 0.08)
    contact, ref, index = contact[recorded], ref[recorded], index[recorded]
    parts = []
    for order, name in enumerate(instruments):
        if name == "phq9" or name == "gad7":
            mask = np.ones(len(ref), dtype=bool)
        elif name == "wsas":
            mask = wsas[ref] & (index % 3 == 0)
        else:
            mask = adsm[ref] == name
        parts.append((np.nonzero(mask)[0], order, name))
    rows = np.concatenate([p[0] for p in parts])
    instrument_index = np.concatenate([np.full(len(p[0]), p[1]) for p in parts])
    order = np.lexsort((instrument_index, rows))
    rows, instrument_index = rows[order], instrument_index[order]
    names = np.array(instruments, dtype=object)[instrument_index]
    r = ref[rows]
    start = np.zeros(len(rows))
    low = np.zeros(len(rows))
    high = np.zeros(len(rows))
    for position, name in enumerate(instruments):
        mask = instrument_index == position
        start[mask] = starts[name][r[mask]]
        low[mask], high[mask] = measures.RANGES[name]
    progress = np.minimum(1.0, index[rows] / sessions[r])
    noise = rng.normal(0, 1, len(rows)) * 0.05 * (high - low)
    value = np.clip(start + (start * share[r] - start) * progress + noise, low, high)
    score = np.where(names == "mi", np.round(value, 1), np.round(value))
    measure_cols = {
        "contact_id": contact[rows],
        "instrument": names,
        "score": score.astype(float),
    }
    phq = np.nonzero(names == "phq9")[0]
    item_scores = measures._items(rng, score[phq].astype(np.int64))
    items = {
        "measure_id": np.repeat(phq, 9),
        "item": np.tile(np.arange(1, 10), len(phq)),
        "score": item_scores.reshape(-1),
    }
    return measure_cols, items


# -- placing blocks: ids, source ids and Arrow tables --------------------------------------------

FOREIGN_KEYS = {
    ("referral", "patient_id"): "patient",
    ("referral_care_team", "referral_id"): "referral",
    ("contact", "referral_id"): "referral",
    ("measure", "referral_id"): "referral",
    ("measure", "contact_id"): "contact",
    ("measure_item", "measure_id"): "measure",
}
NULL_INT = np.iinfo(np.int64).min  # never a real day, id or count


def _constant_string(value: str, n: int) -> pa.Array:
    """n copies of one string, built from buffers (no Python objects)."""
    data = value.encode("utf-8")
    offsets = np.arange(0, len(data) * (n + 1), len(data), dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data * n))


def _arrow(name: str, columns: dict[str, Any], first_id: int) -> pa.Table:
    declared = schema.table(name)
    n = len(next(iter(columns.values())))
    ids = np.arange(first_id, first_id + n, dtype=np.int64)
    arrays = []
    for field in arrow_schema(declared):
        if field.name == "id":
            arrays.append(pa.array(ids))
        elif field.name == "source_system":
            arrays.append(_constant_string(SOURCE_SYSTEM, n))
        elif field.name == "source_id":
            text = pc.cast(pa.array(ids), pa.string())
            padded = pc.utf8_lpad(text, width=6, padding="0")
            arrays.append(pc.binary_join_element_wise(f"{SOURCE_PREFIXES[name]}-", padded, ""))
        elif field.name not in columns:
            arrays.append(pa.nulls(n, type=field.type))
        else:
            values = columns[field.name]
            if field.type in (pa.date32(), pa.int64(), pa.timestamp("us", tz="UTC")) and (
                isinstance(values, np.ndarray) and values.dtype.kind in "iu"
            ):
                mask = values == NULL_INT
                if field.type == pa.date32():
                    days = pa.array(values.astype(np.int32), mask=mask, type=pa.int32())
                    arrays.append(days.cast(pa.date32()))
                else:
                    arrays.append(pa.array(values.astype(np.int64), mask=mask).cast(field.type))
            elif field.type == pa.float64():
                arrays.append(pa.array(np.asarray(values, dtype=float)))
            elif field.type == pa.bool_():
                arrays.append(pa.array(np.asarray(values, dtype=bool)))
            else:
                arrays.append(pa.array(values, type=field.type, from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=arrow_schema(declared))


def blocks(params: Params) -> int:
    return -(-params.referrals // BLOCK)


def iter_chunks(
    params: Params, *, chunk_referrals: int = 65_536, ctx: Context | None = None
) -> Iterator[dict[str, pa.Table]]:
    """The bulk tables, a chunk of whole blocks at a time, with global ids. The rows are the
    same whatever ``chunk_referrals`` (rounded up to whole blocks)."""
    ctx = ctx or context(params)
    per_chunk = max(1, -(-chunk_referrals // BLOCK))
    next_id = dict.fromkeys(BULK_TABLES, 1)
    total = blocks(params)
    for first in range(0, total, per_chunk):
        parts: dict[str, list[pa.Table]] = {name: [] for name in BULK_TABLES}
        for block in range(first, min(total, first + per_chunk)):
            n = min(BLOCK, params.referrals - block * BLOCK)
            placed = _block(ctx, block, n)
            offsets = dict(next_id)
            # The patients of block b are numbered after those of the blocks before it.
            offsets["patient"] = block * PATIENTS_PER_BLOCK + 1
            for (table, column), target in FOREIGN_KEYS.items():
                values = placed.tables[table][column]
                placed.tables[table][column] = values + offsets[target]
            for name in BULK_TABLES:
                parts[name].append(_arrow(name, placed.tables[name], offsets[name]))
                next_id[name] = offsets[name] + placed.counts[name]
        yield {name: pa.concat_tables(tables) for name, tables in parts.items()}


def generate_tables(params: Params, *, chunk_referrals: int = 65_536) -> dict[str, pa.Table]:
    """The whole scaled trust in memory (for small sizes and tests), in load order."""
    ctx = context(params)
    chunks = list(iter_chunks(params, chunk_referrals=chunk_referrals, ctx=ctx))
    bulk = {name: pa.concat_tables([c[name] for c in chunks]) for name in BULK_TABLES}
    tables = {**ctx.org_tables, **bulk}
    return {t.name: tables[t.name] for t in schema.load_order() if t.name in tables}


class _RowGroups:
    """Writes one table's rows in row groups of exactly ROW_GROUP rows (the last may be short),
    however the rows arrive."""

    def __init__(self, path: Path, arrow: pa.Schema, rows_per_group: int) -> None:
        self.size = rows_per_group
        options = dict(writers.PARQUET_OPTIONS)
        self.writer = pq.ParquetWriter(path, arrow, **options)
        self.empty = arrow.empty_table()
        self.pending: list[pa.Table] = []
        self.rows = 0
        self.total = 0

    def add(self, table: pa.Table) -> None:
        self.pending.append(table)
        self.rows += table.num_rows
        self.total += table.num_rows
        while self.rows >= self.size:
            joined = pa.concat_tables(self.pending)
            self._write(joined.slice(0, self.size))
            rest = joined.slice(self.size)
            self.pending, self.rows = [rest], rest.num_rows

    def _write(self, table: pa.Table) -> None:
        # Contiguous columns: page boundaries must not depend on how the rows arrived.
        self.writer.write_table(table.combine_chunks(), row_group_size=self.size)

    def close(self) -> None:
        if self.rows or not self.total:
            self._write(pa.concat_tables(self.pending) if self.pending else self.empty)
        self.writer.close()


def write_parquet(
    params: Params,
    out_dir: Path | str,
    *,
    chunk_referrals: int = 65_536,
    rows_per_group: int = ROW_GROUP,
) -> dict[str, Any]:
    """Generate and write the scaled trust as mirror Parquet, a chunk at a time; returns the
    manifest. The bytes are the same whatever ``chunk_referrals``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ctx = context(params)
    counts: dict[str, int] = {}
    for name, table in ctx.org_tables.items():
        pq.write_table(table, out / f"{name}.parquet", **writers.PARQUET_OPTIONS)
        counts[name] = table.num_rows
    groups = {
        name: _RowGroups(out / f"{name}.parquet", arrow_schema(schema.table(name)), rows_per_group)
        for name in BULK_TABLES
    }
    for chunk in iter_chunks(params, chunk_referrals=chunk_referrals, ctx=ctx):
        for name, table in chunk.items():
            groups[name].add(table)
    for name, group in groups.items():
        group.close()
        counts[name] = group.total
    ordered = {t.name: counts[t.name] for t in schema.load_order() if t.name in counts}
    notes = [
        "Datetimes are UTC instants; dates are Europe/London calendar dates.",
        "A scaled Talking Therapies trust (records.synthetic.scale): no supervision history.",
    ]
    return writers._manifest(
        out, params, writers.MIRROR_FORMAT, ordered, "parquet", notes, generator_mode="scale"
    )
