"""Each case-level flag of the catalogue as an expression over the snapshot's facts.

A flag that does not apply to the case's service profile (or whose ``applies_when`` does not
hold) is not_applicable; otherwise its rule gives red, amber, clear or cannot_assess. RECOVERED
and READY_TO_STEP_DOWN are held back (shown clear) while a flag that holds them back
(DETERIORATING, PHQ9_ITEM9, SAFETY_PLAN_STALE) is red.
"""

from __future__ import annotations

import ibis

from caseboard.contract.schema_snapshot import CASE_FLAGS
from caseboard.domain.flag_types import (
    AMBER,
    CANNOT_ASSESS,
    CLEAR,
    NOT_APPLICABLE,
    RED,
    flag_column,
)
from caseboard.domain.flags import PRIORITY_LADDER, Flag
from caseboard.engine.rules import oversight, treatment, waiting  # noqa: F401  (each registers its rules)
from caseboard.engine.rules.common import REGISTERED, Context, Rule

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
        holding = holding | (states[column(holder.code)] == RED)
    for code in sorted({code for holder in holders for code in holder.holds_back}):
        name = column(code)
        raised = states[name].isin((RED, AMBER))
        states[name] = ibis.ifelse(holding & raised, ibis.literal(CLEAR), states[name])
    return states


def summary(f: ibis.Table) -> dict[str, ibis.Value]:
    """Counts, the raised codes (sorted, ';'-joined) and the discussion priority, read from the
    catalogue's ``PRIORITY_LADDER`` (domain/flags.py)."""
    names = [column(flag.code) for flag in CASE_FLAGS]

    def count(state: str) -> ibis.Value:
        total: ibis.Value = ibis.literal(0)
        for name in names:
            total = total + ibis.ifelse(f[name] == state, 1, 0)
        return total

    joined: ibis.Value = ibis.literal("")
    for flag in sorted(CASE_FLAGS, key=lambda each: each.code):
        raised = f[column(flag.code)].isin((RED, AMBER))
        joined = joined.concat(ibis.ifelse(raised, ibis.literal(";" + flag.code), ibis.literal("")))
    safety_red: ibis.Value = ibis.literal(0)
    for flag in CASE_FLAGS:
        if flag.safety:
            safety_red = safety_red + ibis.ifelse(f[column(flag.code)] == RED, 1, 0)
    red, amber, unknown = count(RED), count(AMBER), count(CANNOT_ASSESS)
    counts = {"safety_red": safety_red, "red": red, "amber": amber, "cannot_assess": unknown}
    ladder = [(counts[name] > 0, rank) for rank, name in enumerate(PRIORITY_LADDER)]
    return {
        "red_flags": red.cast("int64"),
        "amber_flags": amber.cast("int64"),
        "cannot_assess_flags": unknown.cast("int64"),
        "flags": joined.substr(1),
        "priority": ibis.cases(*ladder, else_=len(PRIORITY_LADDER)).cast("int64"),
    }
