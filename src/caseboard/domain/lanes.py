"""Which lane a raised flag is read in (CLINICAL-RULES section 2, "Flag lanes", revision 2).

Every case flag has a lane in its catalogue entry. A few move to the safety lane only in some
states or cases, as the revision lists them; the engine reads the same conditions as
expressions (engine/rules/lanes.py) and a boundary test holds the two to one answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from caseboard.domain.evidence_text import as_date
from caseboard.domain.flag_types import RAISED, RED, Lane

# Days from referral (WAIT_FIRST) beyond which the wait is a safety matter: the national target,
# or the internal one for an urgent or priority-group referral (hazard H7).
WAIT_FIRST_SAFETY_DAYS = 42
WAIT_FIRST_PRIORITY_SAFETY_DAYS = 28
CHILD_OR_LD = ("learning_disability", "camhs")


def _number(row: Mapping[str, Any], name: str) -> int:
    value = row.get(name)
    return int(value) if value not in (None, "") else 0


def _wait_first(state: str, row: Mapping[str, Any]) -> bool:
    days = _number(row, "days_since_received")
    priority = bool(row.get("urgent")) or _number(row, "priority_groups") > 0
    return days > WAIT_FIRST_SAFETY_DAYS or (priority and days > WAIT_FIRST_PRIORITY_SAFETY_DAYS)


def _red(state: str, row: Mapping[str, Any]) -> bool:
    return state == RED


def _safety_documents_missing(state: str, row: Mapping[str, Any]) -> bool:
    return row.get("safety_plan_on") in (None, "") or row.get("safety_summary_on") in (None, "")


def _child_or_ld(state: str, row: Mapping[str, Any]) -> bool:
    return row.get("service_kind") in CHILD_OR_LD


# Flags whose lane is safety when the condition holds (else the catalogue's lane), with the
# revision's words for it.
SAFETY_WHEN: dict[str, tuple[str, Callable[[str, Mapping[str, Any]], bool]]] = {
    "NO_CONTACT": ("when red", _red),
    "WAIT_SECOND": ("when red", _red),
    "KIT_DUE": ("when red", _red),
    "WAIT_FIRST": (
        f"beyond {WAIT_FIRST_SAFETY_DAYS} days (beyond {WAIT_FIRST_PRIORITY_SAFETY_DAYS} for "
        "urgent or priority-group referrals)",
        _wait_first,
    ),
    "CARE_DOCS": ("when the safety plan or safety summary is missing", _safety_documents_missing),
    "DNA_FOLLOWUP": ("in learning disability and CAMHS", _child_or_ld),
}


def lane(code: str, state: str, row: Mapping[str, Any] | None = None) -> Lane:
    """The lane a flag in ``state`` is read in for the case whose snapshot ``row`` this is
    (without a row, the catalogue's lane)."""
    from caseboard.domain.flags import by_code

    flag = by_code(code)
    assert flag.lane is not None, f"{code} is not a case flag"
    condition = SAFETY_WHEN.get(code)
    if row is not None and condition is not None and condition[1](state, row):
        return "safety"
    return flag.lane


# The waiting, contact, measure and step-down flags a discharge or closure decision supersedes
# for the days DISCHARGE_AGREED_NOT_DONE waits (discharge_agreed_days), after which they return
# beside it; never a flag in the safety lane, DNA_FOLLOWUP or STEP_CHANGE (CLINICAL-RULES
# section 2, revision 2; seed 002 §12.1).
SUPERSEDED_BY_CLOSURE = frozenset(
    {
        "WAIT_FIRST",
        "WAIT_SECOND",
        "KIT_DUE",
        "WAIT_LETTER_DUE",
        "NO_CONTACT",
        "DNA_REVIEW",
        "MEASURE_MISSING",
        "ADSM_MISSING",
        "OUTCOME_DUE",
        "READY_TO_STEP_DOWN",
        "RECOVERED",
    }
)


def closure_supersedes(row: Mapping[str, Any], days: int) -> dt.date | None:
    """The discharge or closure agreed within ``days`` of as_of that supersedes flags, if any."""
    agreed, as_of = as_date(row.get("leaving_agreed_on")), as_date(row.get("as_of"))
    if agreed is None or as_of is None or (as_of - agreed).days > days:
        return None
    return agreed


def superseded(code: str, state: str, row: Mapping[str, Any] | None, days: int) -> bool:
    """Whether a raised flag is superseded by a recent discharge or closure decision."""
    if row is None or code not in SUPERSEDED_BY_CLOSURE or state not in RAISED:
        return False
    return closure_supersedes(row, days) is not None and lane(code, state, row) != "safety"
