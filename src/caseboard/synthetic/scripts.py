"""The course an episode of care would run, as appointments at day offsets from the referral.

A script is drawn before the episode is placed in time: the episode is then put so that as_of
falls inside it (an open referral) or after it ends (a closed one). Outcomes are drawn here so
that missed appointments can end an episode; what is still in the future at as_of becomes
`booked` later. This module holds the shared pieces and the community script; the Talking
Therapies script is in talking_therapies.py.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from caseboard.synthetic.draw import Choice, between, chance

# England's March 2026 Talking Therapies appointments (activity_performance_monthly, M082-M088):
# 8.2% did not attend, 10.5% cancelled by the patient and 5.3% by the service; the rest attended
# (on time or late). First assessments are missed or cancelled a little less often than later
# appointments; with them and the keeping-in-touch calls the shares over all appointments land on
# the published ones (published.py, docs/synthetic-data.md).
OUTCOMES = Choice(
    {
        "attended": 75.0,
        "did_not_attend": 8.2,
        "cancelled_by_patient": 11.1,
        "cancelled_by_service": 5.7,
    }
)
FIRST_OUTCOMES = Choice(
    {
        "attended": 84.0,
        "did_not_attend": 8.0,
        "cancelled_by_patient": 5.5,
        "cancelled_by_service": 2.5,
    }
)
# A cancellation by the patient is a missed session for the drop-out rule this often (a
# did-not-attend always is, a cancellation by the service never): patients who cancel ahead
# mostly come back.
CANCELLATION_COUNTS_AS_MISS = 0.4
URGENT = 0.03  # of referrals, in every service
CMH_CLOSURES = Choice(
    {"completed": 55, "referred_on": 15, "moved": 8, "dropped_out": 12, "declined": 5, "other": 5}
)
STABLE = 0.55  # a community episode settles into stable casing after 8-13 months
# A community episode's length is drawn from its shape's ``closed_days`` or, this often, from its
# longer ``open_days``: one distribution for every episode, so the trust is in a steady state
# (the episodes open at as_of are the long ones more often because they are open longer).
LONG_EPISODE = 0.25
CMH_KINDS = Choice({"treatment": 55, "review": 30, "keeping_in_touch": 15})
CMH_MODES = Choice({"face_to_face": 70, "telephone": 25, "video": 5})


@dataclasses.dataclass(frozen=True)
class Shape:
    """How a community service's episodes run: lengths in days (most episodes, the long
    quarter; LONG_EPISODE) and the days between contacts (while active, once stable)."""

    closed_days: tuple[int, int] = (90, 700)
    open_days: tuple[int, int] = (200, 2400)
    gap_days: tuple[int, int] = (21, 42)
    stable_gap_days: tuple[int, int] = (56, 90)
    kinds: Choice[str] = CMH_KINDS
    modes: Choice[str] = CMH_MODES


# Learning disability teams: long episodes, fewer contacts and more of them reviews (with the
# carers and the health action plan), nearly all face to face. CAMHS: shorter episodes with
# contacts every two to four weeks (the young person, their parents or both).
SHAPES = {
    "learning_disability": Shape(
        closed_days=(180, 1100),
        open_days=(300, 3000),
        gap_days=(35, 70),
        stable_gap_days=(84, 120),
        kinds=Choice({"treatment": 40, "review": 50, "keeping_in_touch": 10}),
        modes=Choice({"face_to_face": 90, "telephone": 8, "video": 2}),
    ),
    "camhs": Shape(
        closed_days=(90, 450),
        open_days=(120, 800),
        gap_days=(14, 35),
        stable_gap_days=(42, 70),
        kinds=Choice({"treatment": 70, "review": 25, "keeping_in_touch": 5}),
        modes=Choice({"face_to_face": 65, "video": 20, "telephone": 15}),
    ),
}
DEFAULT_SHAPE = Shape()


@dataclasses.dataclass
class Appointment:
    offset: int
    kind: str
    outcome: str
    step: int | None
    intervention: str | None
    mode: str
    minutes: int
    direct: bool = True


@dataclasses.dataclass
class Script:
    appointments: list[Appointment]
    screen_offset: int
    end_offset: int  # the day the referral closes if the script runs its course
    closure_reason: str
    screening_outcome: str = "accepted"
    assessment_outcome: str | None = "treatment_agreed"
    # (from step, to step, recorded offset, actioned offset) for a step-up within the episode
    step_change: tuple[int, int, int, int] | None = None
    kit_opt_out_offset: int | None = None
    stable_offset: int | None = None


def community(
    rng: np.random.Generator, *, kind: str, intervention: str, closed: bool, urgent: bool
) -> Script:
    """Assessment, then care-coordination contacts about monthly (less often once stable).
    Missed contacts never end the episode: community teams do not auto-discharge."""
    out: list[Appointment] = []
    screen = 0 if urgent else between(rng, 0, 7)
    if closed and chance(rng, 0.06):
        return Script(out, screen, screen + between(rng, 1, 10), "declined", "declined", None)
    missed = "was_not_brought" if kind in ("learning_disability", "camhs") else "did_not_attend"
    day = screen + (between(rng, 1, 5) if urgent else between(rng, 7, 42))
    while True:
        outcome = FIRST_OUTCOMES.draw(rng)
        outcome = missed if outcome == "did_not_attend" else outcome
        out.append(
            Appointment(
                day, "assessment", outcome, None, None, "face_to_face", between(rng, 50, 75)
            )
        )
        if outcome == "attended":
            break
        day += between(rng, 7, 14)
    if closed and chance(rng, 0.06):
        return Script(
            out, screen, day + between(rng, 3, 14), "referred_on", "accepted", "not_suitable"
        )
    daily = kind == "home_based_treatment"
    shape = SHAPES.get(kind, DEFAULT_SHAPE)
    if daily:
        length = between(rng, 14, 60)
    else:
        length = between(
            rng, *(shape.open_days if chance(rng, LONG_EPISODE) else shape.closed_days)
        )
    stable = day + between(rng, 240, 400) if not daily and chance(rng, STABLE) else None
    script = Script(out, screen, 0, CMH_CLOSURES.draw(rng), stable_offset=stable)
    end = day + length
    day += between(rng, 1, 3) if daily else between(rng, 14, 28)
    while day < end:
        outcome = OUTCOMES.draw(rng)
        outcome = missed if outcome == "did_not_attend" and chance(rng, 0.6) else outcome
        contact_kind = shape.kinds.draw(rng)
        direct = not (contact_kind == "review" and chance(rng, 0.1))
        out.append(
            Appointment(
                day,
                contact_kind,
                outcome,
                None,
                None if contact_kind == "keeping_in_touch" else intervention,
                shape.modes.draw(rng) if direct else "telephone",
                15 if contact_kind == "keeping_in_touch" else between(rng, 30, 60),
                direct,
            )
        )
        if daily:
            day += between(rng, 1, 3)
        elif stable is not None and day >= stable:
            day += between(rng, *shape.stable_gap_days)
        else:
            day += between(rng, *shape.gap_days)
    script.end_offset = out[-1].offset + between(rng, 7, 30)
    return script
