"""Roles, the permissions each role carries, and the scope a grant of that role names.

A user holds one or more grants (role over a scope object); what they may do is the union.
Views ask for a Permission, never for a role name.
"""

from __future__ import annotations

import enum


class Permission(enum.Enum):
    VIEW_OWN_CASELOAD = "view own caseload"
    VIEW_SUPERVISEE_CASELOADS = "view supervisees' caseloads"
    VIEW_TEAM = "view a team's cases"
    ALLOCATE = "allocate and reallocate cases"
    VIEW_SERVICE = "view a service's teams"
    VIEW_TRUST = "view trust-wide aggregates"
    VIEW_PATIENT = "view a patient's episode"
    ACKNOWLEDGE_FLAGS = "acknowledge or snooze a flag"
    SNOOZE_SAFETY_FLAGS = "snooze a red safety flag until the next session"
    ADMINISTER = "manage users and imports"


P = Permission

PERMISSIONS_OF_ROLE: dict[str, frozenset[Permission]] = {
    "practitioner": frozenset({P.VIEW_OWN_CASELOAD, P.VIEW_PATIENT, P.ACKNOWLEDGE_FLAGS}),
    # Only a supervisor snoozes a red safety flag (CLINICAL-RULES hazard H5).
    "supervisor": frozenset(
        {P.VIEW_SUPERVISEE_CASELOADS, P.VIEW_PATIENT, P.ACKNOWLEDGE_FLAGS, P.SNOOZE_SAFETY_FLAGS}
    ),
    "team_manager": frozenset({P.VIEW_TEAM, P.ALLOCATE, P.VIEW_PATIENT, P.ACKNOWLEDGE_FLAGS}),
    "clinical_lead": frozenset({P.VIEW_TEAM, P.VIEW_PATIENT, P.ACKNOWLEDGE_FLAGS}),
    "duty": frozenset({P.VIEW_TEAM, P.VIEW_PATIENT}),
    # Identifiable only on drill-down with a reason (DESIGN "Who uses it"): the service pages
    # are aggregates until that drill-down exists.
    "service_manager": frozenset({P.VIEW_SERVICE, P.VIEW_TRUST}),
    "board": frozenset({P.VIEW_TRUST}),
    "admin": frozenset({P.ADMINISTER}),
}

# The kind of object a grant of each role is held over; None means the whole trust.
SCOPE_OF_ROLE: dict[str, str | None] = {
    "practitioner": "practitioner",
    "supervisor": "practitioner",
    "team_manager": "team",
    "clinical_lead": "team",
    "duty": "team",
    "service_manager": "service",
    "board": None,
    "admin": None,
}
