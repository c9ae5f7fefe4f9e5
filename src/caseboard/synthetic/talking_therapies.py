"""The numbers of a Talking Therapies course: the interventions, sessions, waits, drop-out and
exits, the keeping-in-touch calls while waiting for step 3, and how contacts are held. The script
that reads them, for the demo trust and the scaled trust alike, is tt_script.py."""

from __future__ import annotations

from caseboard.synthetic.draw import Choice

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
BOTH_MINUTES = (50, 60)  # an assessment and treatment
STEP2_MINUTES, STEP3_MINUTES = (30, 35), (50, 60)
GROUP_MINUTES, KIT_MINUTES = 90, 15
# The chance that the first appointment is assessment and treatment, by the step it is at.
BOTH_AT_STEP = {2: 0.75, 3: 0.85}
TT_MODES = {
    "assessment": Choice({"telephone": 60, "video": 20, "face_to_face": 20}),
    2: Choice({"telephone": 55, "video": 25, "face_to_face": 15, "online": 5}),
    3: Choice({"face_to_face": 45, "video": 45, "telephone": 10}),
}
