"""The demo trust's Talking Therapies episodes (one at a time, taken from courses drawn ahead in
batches: tt_episode.py) and the scaled trust's blocks (tt_script.course) run the same course:
drawn many times each, the shares and means a clinician would read off a caseload agree. The
script is one; this holds the batching and the episode's view of a course to it."""

from __future__ import annotations

import numpy as np
import pytest

from caseboard.synthetic import tt_episode, tt_script
from caseboard.synthetic.draw import Stream

N = 5000  # row-wise courses per step; the vectorised draw holds more
TREATMENT_KINDS = ("assessment_and_treatment", "treatment")
FIRST_KINDS = ("assessment", "assessment_and_treatment")  # the first appointment's kinds


def _rowwise(step: int) -> dict[str, np.ndarray]:
    rng = Stream([100, step])
    rows = []
    for _ in range(N):
        course = tt_episode.script(
            rng,
            step=step,
            intervention="cbt" if step == 3 else "guided_self_help",
            first_intervention=None,
            closed=True,  # as the block, which places the end in time later
            urgent=False,
        )
        first = [a for a in course.appointments if a.kind in FIRST_KINDS]
        attended = [a for a in course.appointments if a.outcome == "attended"]
        assessed = any(a in attended for a in first)
        rows.append(
            (
                not first,
                assessed,
                course.closure_reason,
                sum(a.kind in TREATMENT_KINDS for a in attended),
                sum(a.kind == "keeping_in_touch" for a in course.appointments),
                course.end_offset,
            )
        )
    screen_exit, assessed, reason, sessions, kit, end = (
        np.array(c) for c in zip(*rows, strict=True)
    )
    return _measures(screen_exit, assessed, reason, sessions, kit, end)


def _vectorised(step: int) -> dict[str, np.ndarray]:
    course = tt_script.course(np.random.default_rng(7), 8 * N)
    attended = course.contact_outcome == tt_script.ATTENDED
    kinds = np.array(tt_script.KIND_CODES)[course.contact_kind]
    treatment = attended & np.isin(kinds, TREATMENT_KINDS)
    n = len(course.step)
    sessions = np.bincount(course.contact_referral[treatment], minlength=n)
    kit = np.bincount(course.contact_referral[kinds == "keeping_in_touch"], minlength=n)
    chosen = (course.step == step) & ~course.script["urgent"]
    return _measures(
        course.script["screen_exit"][chosen],
        course.assessed[chosen],
        course.reason[chosen],
        sessions[chosen],
        kit[chosen],
        course.end[chosen],
    )


def _measures(screen_exit, assessed, reason, sessions, kit, end) -> dict[str, np.ndarray]:
    """Each measure as the values it is the share or the mean of."""
    treated = assessed & np.isin(reason, ("completed", "dropped_out")) & (sessions > 0)
    return {
        "left at screening": screen_exit,
        "assessed": assessed,
        "treated, of those assessed": treated[assessed],
        "dropped out, of those treated": reason[treated] == "dropped_out",
        "sessions attended, treated": sessions[treated],
        "keeping-in-touch calls, treated": kit[treated],
        "days to the end, treated": end[treated],
    }


def _apart(one: np.ndarray, other: np.ndarray) -> float:
    """How many standard errors apart two samples' means (or shares) are."""
    one, other = one.astype(float), other.astype(float)
    error = np.sqrt(one.var() / len(one) + other.var() / len(other))
    difference = abs(one.mean() - other.mean())
    return 0.0 if difference == 0 else float(difference / error) if error else float("inf")


@pytest.mark.parametrize("step", [2, 3])
def test_both_scripts_run_the_same_course(step):
    rowwise, vectorised = _rowwise(step), _vectorised(step)
    # Four standard errors: a chance difference this large is rarer than 1 in 15,000, and a
    # changed number in one script (e.g. the drop-out chance 0.4 made 0.8) lies far beyond it.
    differ = {
        name: (round(float(values.mean()), 3), round(float(vectorised[name].mean()), 3))
        for name, values in rowwise.items()
        if _apart(values, vectorised[name]) > 4
    }
    assert not differ, f"step {step}: row-wise against vectorised: {differ}"
    assert len(rowwise["sessions attended, treated"]) > N / 2  # most are treated
    assert rowwise["sessions attended, treated"].mean() > 2
