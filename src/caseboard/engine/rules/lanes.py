"""The conditions of domain/lanes.py ``SAFETY_WHEN`` as expressions over the snapshot's facts: a
flag in its catalogue lane, or in the safety lane where the condition holds."""

from __future__ import annotations

from collections.abc import Callable

import ibis

from caseboard.domain.flag_types import RED
from caseboard.domain.lanes import (
    CHILD_OR_LD,
    SAFETY_WHEN,
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
