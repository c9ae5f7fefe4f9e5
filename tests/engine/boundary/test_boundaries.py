"""Every case-level flag at its boundaries, on every backend, from one fixture (issue 4 item 5).

Each case is one referral of the boundary trust (builder.py); its expected state is what
CLINICAL-RULES.md section 2 says at that distance from the threshold.
"""

from __future__ import annotations

from collections import defaultdict

import pyarrow.parquet as pq
import pytest

from caseboard.contract import schema
from caseboard.domain.flag_types import AMBER, CLEAR, NOT_APPLICABLE, RED, flag_column
from caseboard.engine.rules import RULES

from .builder import ARROW_TYPES
from .cases import CASES

pytestmark = pytest.mark.parity

ALWAYS = ("service_kind", "received_on", "days_since_received", "first_assessment_on")
FACTS = {
    "WAIT_FIRST": ("next_booked_on",),
    "WAIT_SECOND": ("assessment_outcome", "first_treatment_on", "second_treatment_on"),
    "KIT_DUE": ("first_treatment_on", "second_treatment_on", "last_kit_attended_on"),
    "WAIT_LETTER_DUE": ("waiting_letter_on",),
    "UNSCREENED": ("screened_on", "urgent"),
    "NO_CONTACT": ("first_treatment_on", "last_attended_on", "next_booked_on"),
    "DNA_REVIEW": ("first_treatment_on", "non_attendance_in_treatment", "dna_or_cancellations"),
    "DNA_ASSESSMENT": ("first_assessment_outcome",),
    "DNA_FOLLOWUP": ("last_dna_on", "dna_followed_up_on"),
    "OUTCOME_NOT_RECORDED": ("outcome_not_recorded", "oldest_unrecorded_on"),
    "SESSION_LIMIT": ("step", "treatment_contacts", "attended_clinical_contacts"),
    "LONG_EPISODE": ("step", "first_treatment_on"),
    "STEP_CHANGE": ("step_change_pending_since",),
    "SAFEGUARDING": ("open_safeguarding",),
    "HIGH_RISK": ("risk_recorded_on", "risk_level", "risk_on_high_risk_list"),
    "RISK_REVIEW_DUE": ("risk_recorded_on",),
    "CARE_DOCS": ("first_allocated_on", "care_plan_on", "safety_summary_on", "safety_plan_on"),
    "SAFETY_PLAN_STALE": ("last_event_on", "safety_plan_on"),
    "ORPHANED_CASE": ("lead_practitioner_id", "lead_in_post", "absent_since"),
    "UNALLOCATED_WAIT": ("lead_practitioner_id",),
    "NOT_DISCUSSED": ("last_discussed_on", "lead_since"),
    "TRANSFER_REVIEW": ("leads_so_far", "lead_since", "last_discussed_on"),
    "ACTION_OVERDUE": ("overdue_actions",),
    "READY_TO_STEP_DOWN": ("goals_met_on", "last_decision", "phq9_last", "anxiety_last"),
    "DISCHARGE_AGREED_NOT_DONE": ("leaving_agreed_on",),
    "STAGE_STALLED": ("pathway_stage", "pathway_stage_entered_on"),
    "CLUSTER_REVIEW": ("care_cluster", "cluster_assessed_on"),
    "CLUSTER_MISSING": ("care_cluster", "attended_clinical_contacts"),
    "OUTCOME_DUE": ("clinician_outcome_on", "patient_outcome_on"),
}
MEASURES = (
    *(
        f"{p}_{s}"
        for p in ("phq9", "anxiety")
        for s in ("first", "previous", "last", "first_on", "last_on", "count")
    ),
    "anxiety_instrument",
    "phq9_item9",
    "phq9_item9_on",
    "treatment_contacts",
)


def _relevant(case, row) -> dict:
    names = ALWAYS + FACTS.get(case.flag, MEASURES)
    return {name: row.get(name) for name in names} | {"flags": row.get("flags")}


def _param(case):
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_flag_state_at_boundary(case, boundary_snapshot):
    backend, rows = boundary_snapshot
    assert case.name in rows, f"{case.name}: referral not in the {backend} snapshot"
    row = rows[case.name]
    got = row[flag_column(case.flag)]
    assert got == case.expected, (
        f"{case.name} ({backend}): {case.flag} is {got}, expected {case.expected}; "
        f"facts {_relevant(case, row)}"
    )


def test_case_names_are_unique():
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))


def test_every_flag_has_boundary_cases():
    by_flag = defaultdict(list)
    for case in CASES:
        by_flag[case.flag].append(case.expected)
    assert set(by_flag) <= set(RULES)
    thin = {
        code: by_flag.get(code, [])
        for code in RULES
        if len(by_flag.get(code, [])) < 3
        or not {RED, AMBER} & set(by_flag[code])
        or not {CLEAR, NOT_APPLICABLE} & set(by_flag[code])
    }
    assert not thin, f"flags without N-1/N/N+1, raised and clear cases: {thin}"


def test_mirror_files_hold_exactly_the_declared_columns(boundary_parquet):
    files = sorted(boundary_parquet.glob("*.parquet"))
    assert (boundary_parquet / "manifest.json").exists()
    assert {table.name for table in schema.RECORD_TABLES} <= {path.stem for path in files}
    for path in files:
        declared = schema.table(path.stem)
        written = pq.read_schema(path)
        assert written.names == list(declared.column_names), path.name
        for column in declared.columns:
            assert written.field(column.name).type == ARROW_TYPES[column.type], column.name


def test_the_boundary_trust_keeps_the_data_contract(boundary_tables):
    """Ids 1..n, required columns filled, codes valid, source ids unique per table."""
    for name, table in boundary_tables.items():
        declared = schema.table(name)
        assert table.column("id").to_pylist() == list(range(1, table.num_rows + 1)), name
        for column in declared.columns:
            values = table.column(column.name).to_pylist()
            if not column.nullable:
                assert None not in values, f"{name}.{column.name} has a null"
            if column.codes:
                assert set(values) - {None} <= set(column.codes), f"{name}.{column.name}"
        if "source_id" in declared.column_names:
            ids = table.column("source_id").to_pylist()
            assert len(ids) == len(set(ids)), name
