"""The evidence a person reads beside a raised flag, rendered from the case snapshot's facts.

Each flag's ``evidence_template`` (in the catalogue) is filled from the same named facts the
engine's rule read, so the evidence names every date and value the rule used and a third party
can recompute it from ``caseboard snapshot --out``. A flag that cannot be assessed says what is
missing instead (never shown as clear: hazard H1). Pure Python: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from caseboard.domain.evidence_text import Facts, as_date, day_text, instrument_name
from caseboard.domain.flag_types import CANNOT_ASSESS, RAISED, flag_column
from caseboard.domain.flags import CATALOGUE, by_code
from caseboard.domain.policy import Policy

__all__ = [
    "Facts",
    "all_evidence",
    "as_date",
    "day_text",
    "evidence",
    "instrument_name",
]


def evidence(code: str, row: Mapping[str, Any], policy: Policy) -> str:
    """What a person reads beside flag ``code`` for this snapshot row; '' when not raised."""
    flag, state = by_code(code), row[flag_column(code)]
    if state == CANNOT_ASSESS:
        return "cannot be assessed: " + (flag.no_data or "the data the rule needs is missing")
    if state not in RAISED or flag.fields is None:
        return ""
    return flag.evidence_template.format(**flag.fields(Facts(row, policy)))


def all_evidence(row: Mapping[str, Any], policy: Policy) -> dict[str, str]:
    """Evidence for every flag of the row that is raised or cannot be assessed."""
    shown = {flag.code: evidence(flag.code, row, policy) for flag in CATALOGUE if flag.fields}
    return {code: text for code, text in shown.items() if text}
