"""Acknowledging and snoozing a flag (DESIGN "Flags"; CLINICAL-RULES hazard H5).

A flag is never deleted: an acknowledgement is kept beside it, tied to the flag's evidence (a
hash of its state and the facts its rule reads). When the case worsens (a new DNA, a higher
score, a new risk row, amber turning red) the hash changes and the flag is raised again. A
snooze lasts at most ``policy.snooze_maximum_days`` (28). Only a supervisor may snooze a red
safety flag, and only until the lead's next signed supervision session. NOT_CASENESS is cleared
only by a signed discussion, never by an acknowledgement (CLINICAL-RULES §2).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from caseboard.domain.flag_types import RAISED, RED
from caseboard.domain.flags import SAFETY_CODES
from caseboard.domain.policy import Policy

ACKNOWLEDGED, SNOOZED = "acknowledged", "snoozed"
NOT_ACKNOWLEDGEABLE = frozenset({"NOT_CASENESS"})
_DOCUMENTS = tuple(
    f"{kind}{suffix}"
    for kind in ("care_plan", "safety_summary", "safety_plan")
    for suffix in ("_on", "_review_due_on")
)
_SCORES = ("phq9_first", "phq9_last", "anxiety_first", "anxiety_last")

# The facts each rule reads, other than as_of: a change in any of them re-raises the flag.
INPUTS: dict[str, tuple[str, ...]] = {
    "WAIT_FIRST": ("received_on", "first_assessment_on", "next_booked_on"),
    "WAIT_SECOND": ("assessment_outcome", "first_treatment_on", "second_treatment_on"),
    "KIT_DUE": (
        "first_treatment_on",
        "last_kit_attended_on",
        "next_kit_booked_on",
        "kit_opted_out_on",
    ),
    "WAIT_LETTER_DUE": ("received_on", "first_assessment_on", "waiting_letter_on"),
    "UNSCREENED": ("received_on", "screened_on", "urgent"),
    "NO_CONTACT": ("first_treatment_on", "last_attended_on", "next_booked_on"),
    "DNA_REVIEW": ("non_attendance_in_treatment", "last_dna_on"),
    "DNA_ASSESSMENT": ("first_assessment_outcome", "first_assessment_on"),
    "DNA_FOLLOWUP": ("last_dna_on", "dna_followed_up_on"),
    "OUTCOME_NOT_RECORDED": ("outcome_not_recorded", "oldest_unrecorded_on"),
    "SESSION_LIMIT": (
        "step",
        "treatment_contacts",
        "session_contacts",
        "agreed_extension",
        "agreed_session_limit",
    ),
    "NOT_IMPROVING": _SCORES,
    "DETERIORATING": _SCORES,
    "PHQ9_ITEM9": ("phq9_item9", "phq9_item9_on", "risk_recorded_on", "safety_plan_on"),
    "RECOVERED": (*_SCORES, "phq9_previous", "anxiety_previous"),
    "NOT_CASENESS": ("first_assessment_on", "phq9_first", "anxiety_first"),
    "MEASURE_MISSING": ("last_attended_on",),
    "DESCRIPTOR_MISSING": ("first_assessment_on", "problem_descriptor"),
    "ADSM_MISSING": ("problem_descriptor", "anxiety_count"),
    "LONG_EPISODE": ("step", "first_treatment_on"),
    "STEP_CHANGE": ("step", "step_change_pending_since", "step_change_pending_to"),
    "OUTCOME_DUE": ("clinician_outcome_on", "patient_outcome_on"),
    "SAFEGUARDING": ("open_safeguarding", "open_child_safeguarding"),
    "HIGH_RISK": ("risk_recorded_on", "risk_level", "risk_on_high_risk_list"),
    "RISK_REVIEW_DUE": ("risk_recorded_on", "first_assessment_on"),
    "CARE_DOCS": (*_DOCUMENTS, "health_action_plan_on", "first_allocated_on"),
    "SAFETY_PLAN_STALE": ("last_event_on", "safety_plan_on"),
    "ORPHANED_CASE": (
        "lead_practitioner_id",
        "lead_in_post",
        "absent_since",
        "cover_practitioner_id",
    ),
    "UNALLOCATED_WAIT": ("lead_practitioner_id",),
    "NOT_DISCUSSED": ("last_discussed_on", "lead_since"),
    "TRANSFER_REVIEW": ("lead_since", "leads_so_far", "last_discussed_on"),
    "ACTION_OVERDUE": ("overdue_actions", "earliest_overdue_due_on"),
    "READY_TO_STEP_DOWN": ("goals_met_on", "last_decision", *_SCORES),
    "DISCHARGE_AGREED_NOT_DONE": ("leaving_agreed_on", "last_decision"),
    "STAGE_STALLED": ("pathway_stage", "pathway_stage_entered_on"),
    "CLUSTER_REVIEW": ("care_cluster", "cluster_assessed_on"),
    "CLUSTER_MISSING": ("care_cluster",),
}


class Refused(ValueError):
    """An acknowledgement or snooze the rules do not allow; the message says why."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def evidence_hash(code: str, row: Mapping[str, Any]) -> str:
    """The flag's state and the facts its rule reads, hashed: equal while nothing changed."""
    state = row[f"flag_{code.lower()}"]
    parts = [code, str(state), *(f"{name}={_text(row[name])}" for name in INPUTS[code])]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def is_red_safety(code: str, state: str) -> bool:
    return code in SAFETY_CODES and state == RED


def check(
    *,
    code: str,
    state: str,
    kind: str,
    until: dt.date | None,
    reason: str,
    today: dt.date,
    may_snooze_safety: bool,
    policy: Policy,
) -> None:
    """Raise Refused unless this acknowledgement or snooze is allowed."""
    if kind not in (ACKNOWLEDGED, SNOOZED):
        raise Refused(f"{kind!r} is neither an acknowledgement nor a snooze")
    if state not in RAISED:
        raise Refused("only a raised flag can be acknowledged or snoozed")
    if code in NOT_ACKNOWLEDGEABLE:
        raise Refused(f"{code} clears only with a signed supervision discussion")
    if not reason.strip():
        raise Refused("give a reason")
    if kind == ACKNOWLEDGED:
        return
    if until is None:
        raise Refused("a snooze needs an end date")
    if until <= today:
        raise Refused("a snooze must end after today")
    latest = today + dt.timedelta(days=policy.snooze_maximum_days)
    if until > latest:
        raise Refused(f"a snooze lasts at most {policy.snooze_maximum_days} days (to {latest})")
    if is_red_safety(code, state) and not may_snooze_safety:
        raise Refused("only a supervisor may snooze a red safety flag")


@dataclass(frozen=True)
class Acknowledgement:
    code: str
    kind: str  # acknowledged or snoozed
    until: dt.date | None
    evidence_hash: str
    recorded_on: dt.date
    red_safety: bool  # a red safety flag when it was snoozed
    by: str = ""
    reason: str = ""


def in_force(
    ack: Acknowledgement,
    row: Mapping[str, Any],
    *,
    today: dt.date,
    lead_session_since: dt.date | None,
) -> bool:
    """Whether ``ack`` still holds for the flag in ``row``. ``lead_session_since``: the date of
    the lead's first signed supervision session after the acknowledgement, if any."""
    if row[f"flag_{ack.code.lower()}"] not in RAISED:
        return False
    if ack.evidence_hash != evidence_hash(ack.code, row):
        return False  # the case changed: raised again
    if ack.kind == SNOOZED and (ack.until is None or today > ack.until):
        return False
    return not (ack.kind == SNOOZED and ack.red_safety and lead_session_since is not None)
