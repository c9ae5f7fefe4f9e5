"""Roles in a team: the order posts are filled, usual caseloads, supervisors and training."""

from __future__ import annotations

import numpy as np

from caseboard.synthetic.draw import Choice, chance

# Posts in the order a team fills them after its manager.
TT_ROLES = (
    "pwp",
    "high_intensity_therapist",
    "pwp",
    "trainee_pwp",
    "high_intensity_therapist",
    "pwp",
    "counsellor",
    "pwp",
    "trainee_hit",
)
COMMUNITY_ROLES = (
    "care_coordinator",
    "nurse",
    "psychologist",
    "social_worker",
    "occupational_therapist",
    "psychiatrist",
    "support_worker",
    "care_coordinator",
    "nurse",
)
# Open lead cases a practitioner of each role holds at 1.0 WTE: this spreads the open referrals.
# PWPs hold the most (seed 002 caps PWPs at 70 per WTE and HITs at 40); a team manager a few.
CASELOAD = {
    "pwp": 60,
    "trainee_pwp": 30,
    "high_intensity_therapist": 28,
    "trainee_hit": 12,
    "counsellor": 25,
    "care_coordinator": 32,
    "nurse": 28,
    "social_worker": 28,
    "occupational_therapist": 22,
    "psychologist": 14,
    "psychiatrist": 8,
    "support_worker": 10,
    "team_manager": 6,
    "other": 15,
}
# Who supervises a team's caseloads, most senior first.
SUPERVISOR_ROLES = ("high_intensity_therapist", "psychologist", "nurse", "counsellor")
JUNIOR_ROLES = ("pwp", "trainee_pwp", "trainee_hit", "support_worker", "care_coordinator")
MODALITIES = {
    "pwp": ("guided_self_help", "ccbt", "psychoeducation_group", "behavioural_activation"),
    "trainee_pwp": ("guided_self_help", "ccbt", "behavioural_activation"),
    "high_intensity_therapist": ("cbt", "behavioural_activation"),
    "trainee_hit": ("cbt",),
    "counsellor": ("counselling_for_depression",),
    "psychologist": ("cbt", "psychosocial"),
    "nurse": ("care_coordination", "medication_review", "psychosocial"),
    "psychiatrist": ("medication_review",),
}
EXTRA_MODALITIES = {
    "high_intensity_therapist": ("emdr", "ipt", "couple_therapy"),
    "counsellor": ("dit",),
    "psychologist": ("emdr",),
}
WTE = Choice({1.0: 55, 0.8: 20, 0.6: 15, 0.5: 6, 0.4: 4})


def role_at(kind: str, index: int) -> str:
    """The role of a team's ``index``-th post (0 is the team manager)."""
    if index == 0:
        return "team_manager"
    cycle = TT_ROLES if kind == "talking_therapies" else COMMUNITY_ROLES
    return cycle[(index - 1) % len(cycle)]


def trained_in(rng: np.random.Generator, role: str, kind: str) -> tuple[str, ...]:
    """The interventions someone in this role, in a service of this kind, is trained in."""
    if role == "team_manager":
        return (
            ("cbt", "guided_self_help") if kind == "talking_therapies" else ("care_coordination",)
        )
    base = MODALITIES.get(role, ("care_coordination", "psychosocial"))
    extra = tuple(m for m in EXTRA_MODALITIES.get(role, ()) if chance(rng, 0.4))
    return base + extra
