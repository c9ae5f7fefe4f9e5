"""Filter and sort a case list by what a supervisor asks of it: flag, stage, step, cluster, risk
and practitioner; discussion priority first unless another order is chosen."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from caseboard.domain.flags import by_code
from caseboard.web.dashboard.case_view import UNKNOWN, CaseView


def _values(case: CaseView, name: str) -> Iterable[str]:
    if name == "flag":
        return case.codes
    value = {
        "stage": case.stage,
        "step": case.step,
        "cluster": case.cluster,
        "risk": case.risk,
        "lead": case.lead,
    }[name]
    return [UNKNOWN if value is None else str(value)]


FILTERS = {
    "flag": "Flag",
    "stage": "Pathway stage",
    "step": "Step",
    "cluster": "Care cluster",
    "risk": "Risk",
    "lead": "Practitioner",
}
SORTS: dict[str, tuple[str, Callable[[CaseView], Any]]] = {
    "priority": ("discussion priority", lambda c: c.sort_key),
    "received": ("longest open", lambda c: (c.received_on is None, c.received_on, c.referral_id)),
    "last_attended": (
        "longest since last attended",
        lambda c: (c.last_attended_on is not None, c.last_attended_on, c.referral_id),
    ),
    "lead": ("practitioner", lambda c: (c.lead, c.priority, c.referral_id)),
}


@dataclass(frozen=True)
class Choice:
    value: str
    text: str
    count: int
    selected: bool


def options(cases: list[CaseView], chosen: Mapping[str, str]) -> dict[str, list[Choice]]:
    """For each filter, the values present in ``cases`` with how many cases have each."""
    found: dict[str, list[Choice]] = {}
    for name in FILTERS:
        counts = Counter(value for case in cases for value in _values(case, name))
        found[name] = [
            Choice(value, _text(name, value), count, chosen.get(name) == value)
            for value, count in sorted(counts.items(), key=lambda item: _order(name, item[0]))
        ]
    return found


def _order(name: str, value: str) -> tuple[int, Any]:
    if name in ("step", "cluster") and value.isdigit():
        return (0, int(value))
    return (1 if value == UNKNOWN else 0, value)


def _text(name: str, value: str) -> str:
    if name == "flag":
        return f"{value.replace('_', ' ').lower()}: {by_code(value).title}"
    return value


def chosen_filters(params: Mapping[str, str]) -> dict[str, str]:
    return {name: params[name] for name in FILTERS if params.get(name)}


def apply(cases: list[CaseView], params: Mapping[str, str]) -> list[CaseView]:
    """The cases matching every chosen filter, in the chosen order (priority by default)."""
    chosen = chosen_filters(params)
    kept = [
        case
        for case in cases
        if all(value in _values(case, name) for name, value in chosen.items())
    ]
    _, key = SORTS.get(params.get("sort", ""), SORTS["priority"])
    return sorted(kept, key=key)
