"""Each case-level flag of the catalogue as an expression over the snapshot's facts.

A flag that does not apply to the case's service profile (or whose ``applies_when`` does not
hold) is not_applicable; otherwise its rule gives red, amber, clear or cannot_assess. RECOVERED
and READY_TO_STEP_DOWN are held back (shown clear) while a flag that holds them back
(DETERIORATING, PHQ9_ITEM9) is red.
"""

from __future__ import annotations

from collections.abc import Callable

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
from caseboard.domain.flags import Flag
from caseboard.engine.rules import oversight, treatment, waiting
from caseboard.engine.rules.common import Context

Rule = Callable[[ibis.Table, Context], ibis.Value]

RULES: dict[str, Rule] = {
    "WAIT_FIRST": waiting.wait_first,
    "WAIT_SECOND": waiting.wait_second,
    "KIT_DUE": waiting.kit_due,
    "WAIT_LETTER_DUE": waiting.wait_letter_due,
    "UNSCREENED": waiting.unscreened,
    "NO_CONTACT": waiting.no_contact,
    "DNA_REVIEW": waiting.dna_review,
    "DNA_ASSESSMENT": waiting.dna_assessment,
    "DNA_FOLLOWUP": waiting.dna_followup,
    "OUTCOME_NOT_RECORDED": waiting.outcome_not_recorded,
    "SESSION_LIMIT": treatment.session_limit,
    "NOT_IMPROVING": treatment.not_improving,
    "DETERIORATING": treatment.deteriorating,
    "PHQ9_ITEM9": treatment.item9,
    "RECOVERED": treatment.recovered,
    "NOT_CASENESS": treatment.not_caseness,
    "MEASURE_MISSING": treatment.measure_missing,
    "DESCRIPTOR_MISSING": treatment.descriptor_missing,
    "ADSM_MISSING": treatment.adsm_missing,
    "LONG_EPISODE": treatment.long_episode,
    "STEP_CHANGE": treatment.step_change,
    "OUTCOME_DUE": oversight.outcome_due,
    "SAFEGUARDING": oversight.safeguarding,
    "HIGH_RISK": oversight.high_risk,
    "RISK_REVIEW_DUE": oversight.risk_review_due,
    "CARE_DOCS": oversight.care_docs,
    "SAFETY_PLAN_STALE": oversight.safety_plan_stale,
    "ORPHANED_CASE": oversight.orphaned_case,
    "UNALLOCATED_WAIT": oversight.unallocated_wait,
    "NOT_DISCUSSED": oversight.not_discussed,
    "TRANSFER_REVIEW": oversight.transfer_review,
    "ACTION_OVERDUE": oversight.action_overdue,
    "READY_TO_STEP_DOWN": oversight.ready_to_step_down,
    "DISCHARGE_AGREED_NOT_DONE": oversight.discharge_agreed_not_done,
    "STAGE_STALLED": oversight.stage_stalled,
    "CLUSTER_REVIEW": oversight.cluster_review,
    "CLUSTER_MISSING": oversight.cluster_missing,
}
column = flag_column


def applies(flag: Flag, f: ibis.Table) -> ibis.Value:
    applicable = f.service_kind.isin(sorted(flag.applies_to))
    if flag.code in ("CLUSTER_REVIEW", "CLUSTER_MISSING"):
        applicable = applicable & f.uses_care_clusters.fill_null(False)
    if flag.code == "PHQ9_ITEM9":
        applicable = applicable & (f.phq9_count.fill_null(0) > 0)
    return applicable


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
    """Counts, the raised codes (sorted, ';'-joined) and the discussion priority: 0 a red
    safety flag, 1 another red, 2 an amber, 3 something cannot be assessed, 4 nothing raised."""
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
    safety_red = ibis.literal(False)
    for flag in CASE_FLAGS:
        if flag.safety:
            safety_red = safety_red | (f[column(flag.code)] == RED)
    red, amber, unknown = count(RED), count(AMBER), count(CANNOT_ASSESS)
    return {
        "red_flags": red.cast("int64"),
        "amber_flags": amber.cast("int64"),
        "cannot_assess_flags": unknown.cast("int64"),
        "flags": joined.substr(1),
        "priority": ibis.cases(
            (safety_red, 0), (red > 0, 1), (amber > 0, 2), (unknown > 0, 3), else_=4
        ).cast("int64"),
    }
