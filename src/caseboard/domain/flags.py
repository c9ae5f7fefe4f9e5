"""The flag catalogue: every named reason to discuss a case, its rule, source and severity.

The catalogue is data (``CATALOGUE``), gathered from ``flags_case`` and ``flags_oversight``; the
engine turns each rule into columns and the interface shows the rule and the evidence. Each flag
declares the service profiles it applies to: for every referral and flag the snapshot holds red,
amber, clear, not_applicable or cannot_assess, and cannot_assess is never shown as clear
(hazard H1 of CLINICAL-RULES.md).

Discussion priority (the order cases are brought to supervision, ``discussion_priority``), by
lane as CLINICAL-RULES revision 2 orders it, so process flags never lift a case above one with a
clinical or safety flag:

    0  a raised flag in the safety lane (domain/lanes.py: some flags only in some states)
    1  a raised clinical flag
    2  a raised process flag
    3  a flag that cannot be assessed (missing data is not reassurance)
    4  everything else

Within a rank: a priority group (perinatal, veteran, step-up, urgent: hazard H7) first, then
more red flags, then more amber flags, then the longest open (``discussion_sort_key``). A marker
(HIGH_RISK) is never counted, nor a flag superseded by a recent discharge or closure decision
(domain/lanes.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from caseboard.domain.flag_types import (
    AMBER,
    CANNOT_ASSESS,
    CLEAR,
    NOT_APPLICABLE,
    RAISED,
    RED,
    STATES,
    Flag,
)
from caseboard.domain.flags_case import CASE_FLAGS
from caseboard.domain.flags_oversight import OVERSIGHT_FLAGS
from caseboard.domain.lanes import lane, superseded
from caseboard.domain.policy import DEFAULT_POLICY, Policy

__all__ = [
    "AMBER",
    "CANNOT_ASSESS",
    "CATALOGUE",
    "CLEAR",
    "NOT_APPLICABLE",
    "PRIORITY_LADDER",
    "RED",
    "SAFETY_CODES",
    "STATES",
    "Flag",
    "by_code",
    "discussion_priority",
    "discussion_sort_key",
    "held_back",
    "rule_settings",
    "rule_text",
]

CATALOGUE: tuple[Flag, ...] = CASE_FLAGS + OVERSIGHT_FLAGS
_BY_CODE = {flag.code: flag for flag in CATALOGUE}
SAFETY_CODES = frozenset(flag.code for flag in CATALOGUE if flag.safety)
_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")


def by_code(code: str) -> Flag:
    """The catalogue entry for ``code``; KeyError naming the code when there is none."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"no flag {code!r} in the catalogue") from None


def rule_settings(flag: Flag) -> list[str]:
    """The policy settings a flag's rule names, in the order it names them."""
    return _PLACEHOLDER.findall(flag.rule)


def _shown(value: object, profile: str | None) -> str:
    if isinstance(value, Mapping):
        if profile in value:
            return _shown(value[profile], None)
        set_values = [f"{key}: {item}" for key, item in value.items() if item is not None]
        unset = len(value) - len(set_values)
        return "[" + "; ".join(set_values + ([f"{unset} others not set"] if unset else [])) + "]"
    if value is None:
        return "(not set)"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def rule_text(flag: Flag, policy: Policy, profile: str | None = None) -> str:
    """The rule with the values of ``policy`` in place of the setting names.

    With a service ``profile``, a per-profile setting shows that profile's value only.
    """
    return _PLACEHOLDER.sub(
        lambda match: _shown(getattr(policy, match.group(1)), profile), flag.rule
    )


def _checked(states: Mapping[str, str]) -> Mapping[str, str]:
    for code, state in states.items():
        by_code(code)
        if state not in STATES:
            raise ValueError(f"{state!r} is not a flag state (one of {', '.join(STATES)})")
    return states


def held_back(states: Mapping[str, str]) -> frozenset[str]:
    """Codes held back by a raised flag (e.g. RECOVERED while PHQ9_ITEM9 is raised)."""
    return frozenset(
        code
        for raised, state in _checked(states).items()
        if state in RAISED
        for code in by_code(raised).holds_back
    )


# Discussion priority as counts of a case's flag states: its rank is the first of these that is
# above zero (0 first), and 4 when none is. The engine's ``priority`` column reads the same ladder.
PRIORITY_LADDER = ("safety", "clinical", "process", "cannot_assess")


def counted_states(
    states: Mapping[str, str], row: Mapping[str, Any] | None = None, policy: Policy | None = None
) -> dict[str, str]:
    """The states that count toward the discussion order and the alert burden: not a marker
    (HIGH_RISK), and not superseded by a recent discharge or closure decision."""
    days = (policy or DEFAULT_POLICY).discharge_agreed_days
    return {
        code: state
        for code, state in _checked(states).items()
        if not by_code(code).marker and not superseded(code, state, row, days)
    }


def priority_counts(
    states: Mapping[str, str], row: Mapping[str, Any] | None = None, policy: Policy | None = None
) -> dict[str, int]:
    """The raised flags per lane (read with the case's snapshot ``row`` where a lane depends on
    it), the unassessable, red and amber counts, for one case's counted flag states."""
    states = counted_states(states, row, policy)
    values = list(states.values())
    counts = dict.fromkeys(("safety", "clinical", "process"), 0)
    for code, state in states.items():
        if state in RAISED:
            counts[lane(code, state, row)] += 1
    return counts | {
        "cannot_assess": values.count(CANNOT_ASSESS),
        "red": values.count(RED),
        "amber": values.count(AMBER),
    }


def _rank(counts: Mapping[str, int]) -> int:
    ranks = (rank for rank, name in enumerate(PRIORITY_LADDER) if counts[name] > 0)
    return next(ranks, len(PRIORITY_LADDER))


def discussion_priority(
    states: Mapping[str, str], row: Mapping[str, Any] | None = None, policy: Policy | None = None
) -> int:
    """0 (first) to 4 (last): see the module docstring for the order."""
    return _rank(priority_counts(states, row, policy))


def discussion_sort_key(
    states: Mapping[str, str], row: Mapping[str, Any] | None = None, policy: Policy | None = None
) -> tuple[int, int, int, int, int]:
    """Sort cases with this key to bring them in discussion order (smallest first): lane, then
    priority group, then severity, then age."""
    counts = priority_counts(states, row, policy)
    row = row or {}
    grouped = bool(row.get("urgent")) or int(row.get("priority_groups") or 0) > 0
    days_open = int(row.get("days_since_received") or 0)
    return _rank(counts), 0 if grouped else 1, -counts["red"], -counts["amber"], -days_open
