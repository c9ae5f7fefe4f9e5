"""What every rule shares: the flag states, elapsed days, per-profile settings, and ``rule``,
which registers each case flag's expression under its catalogue code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import ibis

from caseboard.domain.flag_types import AMBER, CANNOT_ASSESS, CLEAR, RED
from caseboard.domain.flags import by_code
from caseboard.domain.periods import add_months
from caseboard.domain.policy import Policy


@dataclass(frozen=True)
class Context:
    """The as_of date and the policy, with the calendar-month cut-offs worked out in Python
    (calendar months are not day counts, and SQLite cannot add months to a date)."""

    as_of: dt.date
    policy: Policy

    @property
    def today(self) -> ibis.Value:
        return ibis.literal(self.as_of).epoch_days()

    def months_before(self, months: int, *, days_after: int = 0) -> dt.date:
        """The date ``months`` calendar months before as_of (+ ``days_after``)."""
        return add_months(self.as_of + dt.timedelta(days=days_after), -months)

    def since(self, day: ibis.Value) -> ibis.Value:
        """Elapsed days from ``day`` (day 0) to as_of; null when ``day`` is null."""
        return self.today - day.epoch_days()


def state(
    *,
    red: ibis.Value | None = None,
    amber: ibis.Value | None = None,
    cannot_assess: ibis.Value | None = None,
) -> ibis.Value:
    """red, amber or clear, or cannot_assess when the data the rule needs is absent. A
    condition that is null (missing data not caught by ``cannot_assess``) does not raise."""
    cases: list[tuple[ibis.Value, str]] = []
    if cannot_assess is not None:
        cases.append((cannot_assess.fill_null(False), CANNOT_ASSESS))
    if red is not None:
        cases.append((red.fill_null(False), RED))
    if amber is not None:
        cases.append((amber.fill_null(False), AMBER))
    if not cases:
        return ibis.literal(CLEAR)
    return ibis.cases(*cases, else_=CLEAR)


def by_profile(service_kind: ibis.Value, values: Mapping[str, int | None]) -> ibis.Value:
    """A per-profile setting as an expression; null where the profile has no value set."""
    known = [
        (service_kind == kind, value) for kind, value in sorted(values.items()) if value is not None
    ]
    if not known:
        return ibis.null().cast("int64")
    return ibis.cases(*known, else_=ibis.null().cast("int64"))


def later(first: ibis.Value, second: ibis.Value) -> ibis.Value:
    """The later of two dates, either of which may be null (null only when both are); SQL's
    GREATEST is null when either is on some backends."""
    return ibis.ifelse(first.isnull() | (second > first), second, first)


def after(day: ibis.Value, since: ibis.Value) -> ibis.Value:
    """``day`` is recorded and falls after ``since`` (or there is no ``since``)."""
    return day.notnull() & (since.isnull() | (day > since))


Rule = Callable[[ibis.Table, Context], ibis.Value]
Condition = Callable[[ibis.Table], ibis.Value]


@dataclass(frozen=True)
class Registered:
    """A case flag's rule as an expression, and the expression of its catalogue entry's
    ``applies_when`` (beyond the service profile), if it has one."""

    code: str
    state: Rule
    applies_when: Condition | None = None


REGISTERED: dict[str, Registered] = {}


def rule(code: str, *, applies_when: Condition | None = None) -> Callable[[Rule], Rule]:
    """Register the decorated function as the rule of catalogue entry ``code``: one rule per
    flag, and only for a flag the catalogue holds."""

    def register(function: Rule) -> Rule:
        if by_code(code).level != "case":
            raise ValueError(f"{code} is not a case flag: its rule is not a snapshot column")
        if code in REGISTERED:
            raise ValueError(
                f"{code} has two rules: {REGISTERED[code].state.__name__} and {function.__name__}"
            )
        REGISTERED[code] = Registered(code, function, applies_when)
        return function

    return register


def uses_clusters(f: ibis.Table) -> ibis.Value:
    """The care-cluster flags apply "only if the team clusters" (CLINICAL-RULES section 1)."""
    return f.uses_care_clusters.fill_null(False)


def phq9_recorded(f: ibis.Table) -> ibis.Value:
    """PHQ9_ITEM9 applies once a PHQ-9 is recorded."""
    return f.phq9_count.fill_null(0) > 0
