"""The script of a Talking Therapies episode: screening, assessment, then treatment at step 2
or step 3, with keeping-in-touch calls while waiting for step 3 and an optional step-up."""

from __future__ import annotations

import numpy as np

from caseboard.synthetic.draw import Choice, between, chance
from caseboard.synthetic.scripts import (
    CANCELLATION_COUNTS_AS_MISS,
    FIRST_OUTCOMES,
    OUTCOMES,
    Appointment,
    Script,
)

# The interventions at each step, and how many sessions a course plans.
STEP2 = Choice(
    {"guided_self_help": 50, "ccbt": 15, "psychoeducation_group": 10, "behavioural_activation": 15}
)
STEP3 = Choice(
    {
        "cbt": 60,
        "counselling_for_depression": 15,
        "emdr": 10,
        "ipt": 8,
        "dit": 4,
        "couple_therapy": 3,
    }
)
STEP2_SESSIONS = Choice({2: 4, 3: 8, 4: 15, 5: 20, 6: 25, 7: 15, 8: 8, 9: 3, 10: 2})
STEP3_SESSIONS = Choice({6: 5, 8: 10, 10: 20, 12: 25, 14: 20, 16: 12, 18: 5, 20: 3})
TT_EXITS = Choice(
    {
        ("signposted", "referred_on"): 4,
        ("not_suitable", "not_suitable"): 3,
        ("stepped_up", "referred_on"): 2,
        ("declined", "declined"): 2,
    }
)
# The course's numbers, named once (the script is tt_script.py). Day ranges are inclusive.
STEP3_SHARE = 0.3  # of the scaled trust's referrals (the demo trust's follow their lead's role)
SCREEN_DAYS = (0, 4)  # referral to screening (urgent: the same day)
SCREEN_EXIT = 0.08  # leave at screening: signposted (this often) or declined
SCREEN_SIGNPOSTED = 0.6
SCREEN_EXIT_DAYS = (0, 5)
# Days from screening to the first assessment: 3 + a gamma(2, FIRST_WAIT_SCALE) draw, at most
# 90 (urgent referrals: within a week).
FIRST_WAIT_SCALE = 6.5
FIRST_WAIT_MIN, FIRST_WAIT_MAX = 3, 90
URGENT_FIRST_DAYS = (1, 7)
REBOOK_DAYS = (7, 14)  # a missed first assessment is booked again after this
ASSESSMENT_QUIT = 0.5  # after a second missed first assessment, the patient leaves this often
QUIT_END_DAYS = (7, 21)  # ... and the referral is closed this long after
EXIT_AFTER_ASSESSMENT = 0.1  # leave after the assessment (TT_EXITS)
EXIT_DAYS = (3, 14)
STEP2_WEEKLY = 0.45  # step 2 sessions weekly this often, else fortnightly
STEP2_START_DAYS = (7, 21)  # after an assessment-only first appointment
STEP3_WAIT_DAYS = (21, 200)  # assessment to the first step 3 session
KIT_OPT_OUT = 0.08  # opt out of keeping-in-touch calls while waiting for step 3
KIT_OPT_OUT_DAYS = (7, 27)
KIT_EVERY = 28  # days between keeping-in-touch calls
SESSION_QUIT = 0.4  # after two missed sessions in a row, the patient drops out this often
SESSION_JITTER = (-1, 2)  # days added to each session interval
DROPPED_END_DAYS = (14, 28)  # last session to closure, dropped out
COMPLETED_END_DAYS = (3, 21)  # last session to closure, completed
STEP_UP_SESSIONS = (3, 5)  # step 2 sessions attended before a step-up
STEP_UP_RECORDED_DAYS = (0, 7)  # the last step 2 session to the step change recorded
STEP_UP_ACTIONED_DAYS = (3, 14)  # recorded to actioned: the step 3 wait runs from then
ASSESSMENT_MINUTES = (45, 60)
BOTH_MINUTES = (50, 60)  # an assessment and treatment (the vectorised script: as an assessment)
STEP2_MINUTES, STEP3_MINUTES = (30, 35), (50, 60)
GROUP_MINUTES, KIT_MINUTES = 90, 15
# The chance that the first appointment is assessment and treatment, by the step it is at.
BOTH_AT_STEP = {2: 0.75, 3: 0.85}
TT_MODES = {
    "assessment": Choice({"telephone": 60, "video": 20, "face_to_face": 20}),
    2: Choice({"telephone": 55, "video": 25, "face_to_face": 15, "online": 5}),
    3: Choice({"face_to_face": 45, "video": 45, "telephone": 10}),
}


def _appointment(
    rng: np.random.Generator,
    offset: int,
    kind: str,
    outcome: str,
    step: int,
    intervention: str | None,
) -> Appointment:
    if kind == "keeping_in_touch":
        return Appointment(offset, kind, outcome, step, None, "telephone", KIT_MINUTES)
    if kind == "assessment":
        return Appointment(
            offset,
            kind,
            outcome,
            step,
            None,
            TT_MODES["assessment"].draw(rng),
            between(rng, *ASSESSMENT_MINUTES),
        )
    if intervention == "psychoeducation_group":
        return Appointment(offset, kind, outcome, step, intervention, "group", GROUP_MINUTES)
    mode = "online" if intervention == "ccbt" else TT_MODES[step].draw(rng)
    minutes = between(rng, *STEP2_MINUTES) if step == 2 else between(rng, *STEP3_MINUTES)
    if kind == "assessment_and_treatment":
        minutes = between(rng, *BOTH_MINUTES)
    return Appointment(offset, kind, outcome, step, intervention, mode, minutes)


def missed(rng: np.random.Generator, outcome: str) -> bool:
    """Whether a session that did not happen counts towards dropping out."""
    if outcome == "cancelled_by_patient":
        return chance(rng, CANCELLATION_COUNTS_AS_MISS)
    return outcome in ("did_not_attend", "was_not_brought")


def _sessions(
    rng: np.random.Generator,
    out: list[Appointment],
    *,
    start: int,
    interval: int,
    target: int,
    step: int,
    intervention: str,
    attended: int = 0,
) -> tuple[int, bool]:
    """Treatment sessions until ``target`` are attended or two misses in a row end it.
    Returns the offset of the last appointment and whether the patient dropped out."""
    day, misses = start, 0
    last = start
    while attended < target:
        outcome = OUTCOMES.draw(rng)
        out.append(_appointment(rng, day, "treatment", outcome, step, intervention))
        last = day
        if outcome == "attended":
            attended, misses = attended + 1, 0
        elif missed(rng, outcome):
            misses += 1
            if misses >= 2 and chance(rng, SESSION_QUIT):
                return last, True
        day += interval + between(rng, *SESSION_JITTER)
    return last, False


def script(
    rng: np.random.Generator,
    *,
    step: int,
    intervention: str,
    first_intervention: str | None,
    closed: bool,
    urgent: bool,
) -> Script:
    """Screening, assessment, treatment at step 2 or 3 (with KIT calls while waiting for step 3).
    ``first_intervention`` set means the episode starts at step 2 and is stepped up."""
    out: list[Appointment] = []
    screen = 0 if urgent else between(rng, *SCREEN_DAYS)
    if closed and chance(rng, SCREEN_EXIT):
        outcome, reason = (
            ("signposted", "referred_on")
            if chance(rng, SCREEN_SIGNPOSTED)
            else ("declined", "declined")
        )
        return Script(out, screen, screen + between(rng, *SCREEN_EXIT_DAYS), reason, outcome, None)
    day = screen + (
        between(rng, *URGENT_FIRST_DAYS)
        if urgent
        else min(FIRST_WAIT_MAX, FIRST_WAIT_MIN + int(rng.gamma(2.0, FIRST_WAIT_SCALE)))
    )
    stepped_up = first_intervention is not None
    first_step = 2 if stepped_up else step
    # Most services treat at the first appointment (assessment_and_treatment), at step 3 too:
    # the wait for step 3 therapy then falls between the first and second treatment contacts,
    # as it does nationally (first treatment within 6 weeks for about 88% of finished courses).
    both = chance(rng, BOTH_AT_STEP[first_step])
    kind = "assessment_and_treatment" if both else "assessment"
    first_treatment = (first_intervention or "guided_self_help") if stepped_up else intervention
    while True:  # the first assessment, rebooked after a missed appointment
        outcome = FIRST_OUTCOMES.draw(rng)
        out.append(
            _appointment(rng, day, kind, outcome, first_step, first_treatment if both else None)
        )
        if outcome == "attended":
            break
        if outcome != "cancelled_by_service" and len(out) >= 2 and chance(rng, ASSESSMENT_QUIT):
            return Script(
                out, screen, day + between(rng, *QUIT_END_DAYS), "dropped_out", "accepted", None
            )
        day += between(rng, *REBOOK_DAYS)
    if closed and chance(rng, EXIT_AFTER_ASSESSMENT):
        outcome, reason = TT_EXITS.draw(rng)
        return Script(out, screen, day + between(rng, *EXIT_DAYS), reason, "accepted", outcome)
    script = Script(out, screen, 0, "completed")
    if stepped_up:
        start = day + (14 if both else between(rng, 7, 21))
        day, dropped = _sessions(
            rng,
            out,
            start=start,
            interval=14,
            target=between(rng, 3, 5),
            step=2,
            intervention=first_intervention or "guided_self_help",
            attended=1 if both else 0,
        )
        if dropped:
            script.end_offset, script.closure_reason = (
                day + between(rng, *DROPPED_END_DAYS),
                "dropped_out",
            )
            return script
        recorded = day + between(rng, 0, 7)
        day = recorded + between(rng, 3, 14)
        script.step_change = (2, 3, recorded, day)
    if step == 2:
        interval = 7 if chance(rng, STEP2_WEEKLY) else 14
        start = day + (interval if both else between(rng, *STEP2_START_DAYS))
        last, dropped = _sessions(
            rng,
            out,
            start=start,
            interval=interval,
            target=STEP2_SESSIONS.draw(rng),
            step=2,
            intervention=intervention,
            attended=1 if both else 0,
        )
    else:
        wait = between(rng, *STEP3_WAIT_DAYS)
        if chance(rng, KIT_OPT_OUT):
            script.kit_opt_out_offset = day + between(rng, *KIT_OPT_OUT_DAYS)
        else:
            for kit in range(day + KIT_EVERY, day + wait - 7, KIT_EVERY):
                out.append(_appointment(rng, kit, "keeping_in_touch", OUTCOMES.draw(rng), 3, None))
        last, dropped = _sessions(
            rng,
            out,
            start=day + wait,
            interval=7,
            target=STEP3_SESSIONS.draw(rng),
            step=3,
            intervention=intervention,
            attended=1 if both and not stepped_up else 0,
        )
    script.end_offset = last + (
        between(rng, *DROPPED_END_DAYS) if dropped else between(rng, *COMPLETED_END_DAYS)
    )
    script.closure_reason = "dropped_out" if dropped else "completed"
    return script
