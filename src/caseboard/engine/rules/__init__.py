"""Each case-level flag of the catalogue as an expression over the snapshot's facts.

A flag that does not apply to the case's service profile (or whose ``applies_when`` does not
hold) is not_applicable; otherwise its rule gives red, amber, clear or cannot_assess. RECOVERED
and READY_TO_STEP_DOWN are held back (shown clear) while a flag that holds them back
(DETERIORATING, PHQ9_ITEM9, RISK_CONCERNS, SAFETY_PLAN_STALE) is raised. A marker (HIGH_RISK)
keeps its state but is not counted among the raised flags or in the discussion priority.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

import ibis

from caseboard.contract.schema_snapshot import CASE_FLAGS
from caseboard.domain.flag_types import (
    AMBER,
    CANNOT_ASSESS,
    CLEAR,
    LANES,
    NOT_APPLICABLE,
    RED,
    flag_column,
)
from caseboard.domain.flags import PRIORITY_LADDER, Flag
from caseboard.domain.policy import Policy
from caseboard.engine.rules import oversight, treatment, waiting  # noqa: F401  (each registers its rules)
from caseboard.engine.rules.common import REGISTERED, Context, Rule
from caseboard.engine.rules.lanes import SAFETY_WHEN_EXPRESSION, in_safety_lane, superseded

# Each case flag's rule, registered beside its expression by ``@rule(CODE)``, in catalogue order.
_missing = [flag.code for flag in CASE_FLAGS if flag.code not in REGISTERED]
if _missing:
    raise LookupError(f"case flags without a rule: {', '.join(_missing)}")
RULES: dict[str, Rule] = {flag.code: REGISTERED[flag.code].state for flag in CASE_FLAGS}
column = flag_column


def applies(flag: Flag, f: ibis.Table) -> ibis.Value:
    applicable = f.service_kind.isin(sorted(flag.applies_to))
    condition = REGISTERED[flag.code].applies_when
    return applicable if condition is None else applicable & condition(f)


def flag_states(f: ibis.Table, context: Context) -> dict[str, ibis.Value]:
    states: dict[str, ibis.Value] = {}
    for flag in CASE_FLAGS:
        states[column(flag.code)] = ibis.ifelse(
            applies(flag, f), RULES[flag.code](f, context), ibis.literal(NOT_APPLICABLE)
        )
    holders = [flag for flag in CASE_FLAGS if flag.holds_back]
    holding: ibis.Value = ibis.literal(False)
    for holder in holders:
        holding = holding | states[column(holder.code)].isin((RED, AMBER))
    for code in sorted({code for holder in holders for code in holder.holds_back}):
        name = column(code)
        raised = states[name].isin((RED, AMBER))
        states[name] = ibis.ifelse(holding & raised, ibis.literal(CLEAR), states[name])
    return states


def balanced(
    values: list[ibis.Value], combine: Callable[[ibis.Value, ibis.Value], ibis.Value]
) -> ibis.Value:
    """``values`` combined pairwise as a balanced tree: a left-deep chain of 40 sums or
    concatenations nests 40 parentheses, and SQLite's parser stack overflows on a query this
    size; a tree nests six."""
    while len(values) > 1:
        pairs = [combine(a, b) for a, b in zip(values[::2], values[1::2], strict=False)]
        values = pairs + ([values[-1]] if len(values) % 2 else [])
    return values[0]


def summary(f: ibis.Table, policy: Policy) -> dict[str, ibis.Value]:
    """Counts, the raised codes (sorted, ';'-joined) and the discussion priority: the first lane
    of ``PRIORITY_LADDER`` (domain/flags.py) with a raised flag, read with the same lane
    conditions as domain/lanes.py. A marker (HIGH_RISK) is not counted, nor a flag superseded by
    a recent discharge or closure decision (the state stays as computed)."""
    days = policy.discharge_agreed_days
    counted = [flag for flag in CASE_FLAGS if not flag.marker]
    states: dict[str, ibis.Value] = {}
    for flag in counted:
        assert flag.lane is not None
        state = f[column(flag.code)]
        hidden = superseded(flag.code, flag.lane, state, f, days)
        states[flag.code] = ibis.ifelse(hidden, ibis.literal(CLEAR), state)

    def count(state: str) -> ibis.Value:
        ones = [ibis.ifelse(value == state, 1, 0) for value in states.values()]
        return balanced([ibis.literal(0), *ones], operator.add)

    codes = [
        ibis.ifelse(
            states[flag.code].isin((RED, AMBER)),
            ibis.literal(";" + flag.code),
            ibis.literal(""),
        )
        for flag in sorted(counted, key=lambda each: each.code)
    ]
    joined = balanced([ibis.literal(""), *codes], lambda a, b: a.concat(b))
    in_lane: dict[str, list[ibis.Value]] = {name: [ibis.literal(False)] for name in LANES}
    for flag in counted:
        assert flag.lane is not None
        state = states[flag.code]
        raised = state.isin((RED, AMBER))
        if flag.lane == "safety" or flag.code not in SAFETY_WHEN_EXPRESSION:
            in_lane[flag.lane].append(raised)
        else:
            safety = in_safety_lane(flag.code, flag.lane, state, f)
            in_lane["safety"].append(raised & safety)
            in_lane[flag.lane].append(raised & ~safety)
    any_in = {name: balanced(values, operator.or_) for name, values in in_lane.items()}
    red, amber, unknown = count(RED), count(AMBER), count(CANNOT_ASSESS)
    ladder_values = {**any_in, "cannot_assess": unknown > 0}
    ladder = [(ladder_values[name], rank) for rank, name in enumerate(PRIORITY_LADDER)]
    return {
        "red_flags": red.cast("int64"),
        "amber_flags": amber.cast("int64"),
        "cannot_assess_flags": unknown.cast("int64"),
        "flags": joined.substr(1),
        "priority": ibis.cases(*ladder, else_=len(PRIORITY_LADDER)).cast("int64"),
    }
