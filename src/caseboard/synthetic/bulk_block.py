"""One block of the scaled trust: its referrals, their contacts, patients, leads and measures, as
columns with local (0-based) ids; scale.py places the blocks and gives them their ids."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from caseboard.synthetic import referrals, tt_script, vocab
from caseboard.synthetic.bulk_context import Context, utc_micros
from caseboard.synthetic.bulk_draw import (
    EPOCH,
    NULL_INT,
    between_n,
    block_rng,
    choice_table,
    draw_indices,
    weekday_shift,
)
from caseboard.synthetic.bulk_measures import measure_columns
from caseboard.synthetic.bulk_patients import patient_columns
from caseboard.synthetic.tt_script import (
    ASSESS,
    ATTENDED,
    BOTH,
    KIND_CODES,
    KIT,
    MODE_CODES,
    OUTCOME_CODES,
    TREAT,
    modes_and_minutes,
)

PATIENTS_PER_BLOCK = 3780  # the rest of a block's referrals are second referrals


@dataclasses.dataclass
class Block:
    """A block's rows as columns; ids are local (0-based) until the block is placed."""

    tables: dict[str, dict[str, Any]]
    counts: dict[str, int]


def build_block(ctx: Context, block: int, n: int) -> Block:
    params = ctx.params
    rng = block_rng(params.seed, block)
    as_of = (params.as_of - EPOCH).days
    window_start = (params.window_start - EPOCH).days
    received = window_start + np.searchsorted(ctx.day_cumulative, rng.random(n), side="right")
    received = np.minimum(received, as_of - 1)
    team_index = rng.integers(0, len(ctx.team_ids), size=n)
    course = tt_script.course(rng, n)
    s, step, intervention = course.script, course.step, course.intervention
    exit_roll = course.exit_roll
    opt_out_day = course.opt_out_day
    end, reason, screen_signposted = course.end, course.reason, course.screen_signposted
    c_ref, c_offset = course.contact_referral, course.contact_offset
    c_kind, c_outcome, c_step = course.contact_kind, course.contact_outcome, course.contact_step
    # The measured appointments the script planned to attend: the course's length.
    measured_kind = c_kind != KIT
    planned = np.bincount(c_ref[measured_kind & (c_outcome == ATTENDED)], minlength=n)

    c_day = weekday_shift(received[c_ref] + c_offset)
    closed_day = received + end
    closed = closed_day < as_of
    keep = ~closed[c_ref] | (c_day <= closed_day[c_ref])
    past = c_day < as_of
    future = keep & ~past
    # Only the next appointment after as_of is in the diary, and not for everyone.
    first_future = future & np.r_[True, (c_ref[1:] != c_ref[:-1]) | ~future[:-1]]
    book_next = rng.random(n) < 0.9
    keep = keep & (past | (first_future & book_next[c_ref]))
    c_ref, c_offset, c_kind, c_outcome, c_step, c_day = (
        a[keep] for a in (c_ref, c_offset, c_kind, c_outcome, c_step, c_day)
    )
    c_booked = c_day >= as_of
    c_intervention = np.where(
        (c_kind == ASSESS) | (c_kind == KIT), None, intervention[c_ref]
    ).astype(object)
    mode, minutes = modes_and_minutes(rng, c_kind, c_step, c_intervention)
    hour = between_n(rng, 9, 16, len(c_ref))
    minute = 30 * between_n(rng, 0, 1, len(c_ref))
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
    descriptor_options, _ = choice_table(referrals.DESCRIPTORS)
    descriptor = np.array(descriptor_options, dtype=object)[
        draw_indices(rng, referrals.DESCRIPTORS, n)
    ]
    descriptor = np.where(intervention == "emdr", "ptsd", descriptor)
    descriptor = np.where((rng.random(n) < 0.03) | ~assessed_by_now, None, descriptor)
    source_options, _ = choice_table(referrals.TT_SOURCES)
    source = np.array(source_options, dtype=object)[draw_indices(rng, referrals.TT_SOURCES, n)]
    screening_outcome = np.where(
        s["screen_exit"], np.where(screen_signposted, "signposted", "declined"), "accepted"
    ).astype(object)
    assessment_outcome = np.where(exit_roll, course.exit_outcome, "treatment_agreed").astype(object)
    opted = course.kit_opted_out
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
    patient = patient_columns(
        rng, ctx, block * PATIENTS_PER_BLOCK, n_patients, received, team_index
    )

    # -- measures -----------------------------------------------------------------------------
    measure_cols, items = measure_columns(rng, c_ref, c_kind, attended, planned, descriptor, n)

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
        "starts_at": utc_micros(ctx, c_day, hour, minute),
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
