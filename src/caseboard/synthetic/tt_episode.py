"""One Talking Therapies episode of the demo trust, as tt_script.course draws it: courses are
drawn ahead in batches for the same step, urgency, closure and step-up (a batch of 64 costs
about what one course does), and each episode takes one and holds its contacts with its own
interventions."""

from __future__ import annotations

import dataclasses

import numpy as np

from caseboard.synthetic.scripts import Appointment, Script
from caseboard.synthetic.tt_script import (
    ASSESS,
    KIND_CODES,
    KIT,
    MODE_CODES,
    NONE,
    OUTCOME_CODES,
    Course,
    course,
    modes_and_minutes,
)

BATCH = 64


@dataclasses.dataclass(frozen=True)
class _Ahead:
    """One course of a batch, with its contacts, waiting to be taken by an episode."""

    script: Script
    before_step_up: np.ndarray
    kinds: np.ndarray
    steps: np.ndarray


def script(
    rng: np.random.Generator,
    *,
    step: int,
    intervention: str,
    first_intervention: str | None,
    closed: bool,
    urgent: bool,
) -> Script:
    """One episode's course, as ``course`` draws it. ``first_intervention`` set (at step 3)
    means the episode starts at step 2 with it and is stepped up. With a generator that keeps
    draws ahead (draw.Stream) the course is taken from a batch drawn for the same step,
    urgency, closure and step-up."""
    stepped = first_intervention is not None and step == 3
    key = ("talking_therapies", step, urgent, closed, stepped)
    ahead = getattr(rng, "ahead", None)
    queue = ahead.setdefault(key, []) if ahead is not None else []
    if not queue:
        queue.extend(
            _draw_ahead(rng, BATCH if ahead is not None else 1, step, urgent, closed, stepped)
        )
    taken = queue.pop()
    assert isinstance(taken, _Ahead)
    return _held(rng, taken, intervention, first_intervention)


def _draw_ahead(
    rng: np.random.Generator, n: int, step: int, urgent: bool, closed: bool, stepped: bool
) -> list[_Ahead]:
    drawn = course(
        rng,
        n,
        step=np.full(n, step),
        urgent=np.full(n, urgent),
        closed=np.full(n, closed),
        stepped_up=np.full(n, stepped),
        intervention=np.full(n, None, dtype=object),
    )
    bounds = np.searchsorted(drawn.contact_referral, np.arange(n + 1))
    out = []
    for row in range(n):
        part = slice(bounds[row], bounds[row + 1])
        out.append(
            _Ahead(
                _script_of(drawn, row, part),
                drawn.contact_before_step_up[part],
                drawn.contact_kind[part],
                drawn.contact_step[part],
            )
        )
    return out


def _script_of(drawn: Course, row: int, part: slice) -> Script:
    s = drawn.script
    if s["screen_exit"][row]:
        screening, assessment = ("signposted" if drawn.screen_signposted[row] else "declined"), None
    elif not drawn.assessed[row]:
        screening, assessment = "accepted", None
    elif drawn.exit_roll[row]:
        screening, assessment = "accepted", str(drawn.exit_outcome[row])
    else:
        screening, assessment = "accepted", "treatment_agreed"
    recorded, actioned = int(drawn.step_change_recorded[row]), int(drawn.step_change_actioned[row])
    appointments = [
        Appointment(int(offset), KIND_CODES[kind], OUTCOME_CODES[outcome], int(step), None, "", 0)
        for offset, kind, outcome, step in zip(
            drawn.contact_offset[part],
            drawn.contact_kind[part],
            drawn.contact_outcome[part],
            drawn.contact_step[part],
            strict=True,
        )
    ]
    return Script(
        appointments,
        int(s["screen"][row]),
        int(drawn.end[row]),
        str(drawn.reason[row]),
        screening,
        assessment,
        step_change=(2, 3, recorded, actioned) if recorded != NONE else None,
        kit_opt_out_offset=int(drawn.opt_out_day[row]) if drawn.kit_opted_out[row] else None,
    )


def _held(
    rng: np.random.Generator, taken: _Ahead, intervention: str, first_intervention: str | None
) -> Script:
    """The course with the episode's interventions, and how each contact is held."""
    kinds = taken.kinds
    chosen = np.where(taken.before_step_up, first_intervention or intervention, intervention)
    interventions = np.where((kinds == ASSESS) | (kinds == KIT), None, chosen).astype(object)
    modes, minutes = modes_and_minutes(rng, kinds, taken.steps, interventions)
    appointments = [
        dataclasses.replace(
            appointment,
            intervention=interventions[index],
            mode=MODE_CODES[modes[index]],
            minutes=int(minutes[index]),
        )
        for index, appointment in enumerate(taken.script.appointments)
    ]
    return dataclasses.replace(taken.script, appointments=appointments)
