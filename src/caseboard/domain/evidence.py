"""The evidence a person reads beside a raised flag, rendered from the case snapshot's facts.

Each flag's ``evidence_template`` (in the catalogue) is filled from the same named facts the
engine's rule read, so the evidence names every date and value the rule used and a third party
can recompute it from ``caseboard snapshot --out``. A flag that cannot be assessed says what is
missing instead (never shown as clear: hazard H1). Pure Python: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from caseboard.domain.evidence_fields import FIELDS
from caseboard.domain.evidence_text import Facts, as_date, day_text, instrument_name
from caseboard.domain.flag_types import CANNOT_ASSESS, RAISED, flag_column
from caseboard.domain.flags import by_code
from caseboard.domain.policy import Policy

__all__ = [
    "FIELDS",
    "NO_DATA",
    "Facts",
    "all_evidence",
    "as_date",
    "day_text",
    "evidence",
    "instrument_name",
]

NO_DATA: dict[str, str] = {
    "NO_CONTACT": "no contact interval is set for this service profile",
    "SESSION_LIMIT": "no stepped-care step is recorded",
    "NOT_IMPROVING": "no paired PHQ-9 or anxiety scores are recorded",
    "NOT_CASENESS": "assessed, but no PHQ-9 or anxiety scores are recorded",
    "LONG_EPISODE": "no stepped-care step is recorded",
    "HIGH_RISK": "no risk information is recorded",
    "RISK_REVIEW_DUE": "no risk information yet and not assessed, or no review interval is set "
    "for this service profile",
    "CARE_DOCS": "no care-document grace period is set for this service profile",
    "STAGE_STALLED": "no date is recorded for entering the current pathway stage",
}


def evidence(code: str, row: Mapping[str, Any], policy: Policy) -> str:
    """What a person reads beside flag ``code`` for this snapshot row; '' when not raised."""
    state = row[flag_column(code)]
    if state == CANNOT_ASSESS:
        return "cannot be assessed: " + NO_DATA.get(code, "the data the rule needs is missing")
    if state not in RAISED:
        return ""
    return by_code(code).evidence_template.format(**FIELDS[code](Facts(row, policy)))


def all_evidence(row: Mapping[str, Any], policy: Policy) -> dict[str, str]:
    """Evidence for every flag of the row that is raised or cannot be assessed."""
    shown = {code: evidence(code, row, policy) for code in FIELDS}
    return {code: text for code, text in shown.items() if text}
