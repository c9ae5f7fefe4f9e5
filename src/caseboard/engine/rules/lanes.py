"""The conditions of domain/lanes.py ``SAFETY_WHEN`` as expressions over the snapshot's facts: a
flag in its catalogue lane, or in the safety lane where the condition holds."""

from __future__ import annotations

from collections.abc import Callable

import ibis

from caseboard.domain.flag_types import AMBER, RED
from caseboard.domain.lanes import (
    CHILD_OR_LD,
    SAFETY_WHEN,
    SUPERSEDED_BY_CLOSURE,
    WAIT_FIRST_PRIORITY_SAFETY_DAYS,
    WAIT_FIRST_SAFETY_DAYS,
)


def _red(state: ibis.Value, f: ibis.Table) -> ibis.Value:
    return state == RED


def _wait_first(state: ibis.Value, f: ibis.Table) -> ibis.Value:
    days = f.days_since_received
    priority = f.urgent.fill_null(False) | (f.priority_groups.fill_null(0) > 0)
    return (days > WAIT_FIRST_SAFETY_DAYS) | (priority & (days > WAIT_FIRST_PRIORITY_SAFETY_DAYS))


def _safety_documents_missing(state: ibis.Value, f: ibis.Table) -> ibis.Value:
    return f.safety_plan_on.isnull() | f.safety_summary_on.isnull()


def _child_or_ld(state: ibis.Value, f: ibis.Table) -> ibis.Value:
    return f.service_kind.isin(CHILD_OR_LD)


SAFETY_WHEN_EXPRESSION: dict[str, Callable[[ibis.Value, ibis.Table], ibis.Value]] = {
    "NO_CONTACT": _red,
    "WAIT_SECOND": _red,
    "KIT_DUE": _red,
    "WAIT_FIRST": _wait_first,
    "CARE_DOCS": _safety_documents_missing,
    "DNA_FOLLOWUP": _child_or_ld,
}
if SAFETY_WHEN_EXPRESSION.keys() != SAFETY_WHEN.keys():
    raise LookupError("engine/rules/lanes.py and domain/lanes.py name different flags")


def in_safety_lane(code: str, base_lane: str, state: ibis.Value, f: ibis.Table) -> ibis.Value:
    """Whether a raised flag is read in the safety lane (its own lane, or a condition)."""
    if base_lane == "safety":
        return ibis.literal(True)
    condition = SAFETY_WHEN_EXPRESSION.get(code)
    return ibis.literal(False) if condition is None else condition(state, f).fill_null(False)


def superseded(
    code: str, base_lane: str, state: ibis.Value, f: ibis.Table, days: int
) -> ibis.Value:
    """domain/lanes.py ``superseded`` as an expression."""
    if code not in SUPERSEDED_BY_CLOSURE:
        return ibis.literal(False)
    recent = (f.as_of.epoch_days() - f.leaving_agreed_on.epoch_days() <= days).fill_null(False)
    raised = state.isin((RED, AMBER))
    return raised & recent & ~in_safety_lane(code, base_lane, state, f)
