"""Every case-level flag at its boundaries, on every backend, from one fixture (issue 4 item 5).

Each case is one referral of the boundary trust (builder.py); its expected state is what
CLINICAL-RULES.md section 2 says at that distance from the threshold.
"""

from __future__ import annotations

from collections import defaultdict

import pyarrow.parquet as pq
import pytest

from caseboard.contract import schema
from caseboard.contract.schema_snapshot import CASE_FLAGS
from caseboard.domain.flag_types import AMBER, CLEAR, NOT_APPLICABLE, RAISED, RED, flag_column
from caseboard.domain.flags import discussion_priority
from caseboard.engine.rules import RULES
from caseboard.engine.rules.inputs import rule_inputs

from .builder import ARROW_TYPES
from .cases import CASES

pytestmark = pytest.mark.parity

ALWAYS = ("service_kind", "received_on", "days_since_received", "first_assessment_on")


def _relevant(case, row) -> dict:
    names = ALWAYS + rule_inputs()[case.flag]
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


def test_the_priority_column_is_the_catalogues_discussion_priority(boundary_snapshot):
    backend, rows = boundary_snapshot
    codes = [flag.code for flag in CASE_FLAGS]
    for name, row in rows.items():
        expected = discussion_priority({code: row[flag_column(code)] for code in codes}, row)
        assert row["priority"] == expected, (backend, name, row["flags"])
    assert {row["priority"] for row in rows.values()} == {0, 1, 2, 3, 4}
    # Some cases are first only through a flag that is in the safety lane in that state or case
    # (NO_CONTACT red, a long first wait, missing safety documents: domain/lanes.py).
    by_lane_alone = [
        name
        for name, row in rows.items()
        if row["priority"] == 0
        and not any(
            flag.lane == "safety" and not flag.marker and row[flag_column(flag.code)] in RAISED
            for flag in CASE_FLAGS
        )
    ]
    assert len(by_lane_alone) >= 5, by_lane_alone
    # A discharge agreed 10 days ago supersedes an amber NO_CONTACT and MEASURE_MISSING: what
    # is left is a process flag. At 29 days they return beside DISCHARGE_AGREED_NOT_DONE; a red
    # NO_CONTACT is in the safety lane and never superseded (CLINICAL-RULES revision 2).
    superseded = rows["NO_CONTACT-15-discharge-agreed-10"]
    assert (superseded["priority"], superseded["flags"]) == (2, "RISK_REVIEW_DUE")
    returned = rows["NO_CONTACT-15-discharge-agreed-29"]
    assert returned["priority"] == 1
    assert {"NO_CONTACT", "DISCHARGE_AGREED_NOT_DONE"} <= set(returned["flags"].split(";"))
    assert rows["NO_CONTACT-29-discharge-agreed-10"]["priority"] == 0


def test_a_service_whose_record_carries_no_events_cannot_assess_a_stale_safety_plan(
    boundary_parquet, boundary_tables
):
    """SAFETY_PLAN_STALE is cannot_assess, never clear, where the policy says the service's
    record carries no crisis, admission or self-harm events (CLINICAL-RULES revision 2)."""
    import dataclasses

    from caseboard.domain.policy import DEFAULT_POLICY
    from caseboard.domain.policy_fields import FrozenMap
    from caseboard.engine import backends
    from caseboard.engine.snapshot import build_snapshot

    from .builder import AS_OF

    recorded = dict(DEFAULT_POLICY.safety_events_recorded) | {"talking_therapies": 0}
    policy = dataclasses.replace(DEFAULT_POLICY, safety_events_recorded=FrozenMap(recorded))
    names = dict(enumerate(boundary_tables["referral"].column("source_id").to_pylist(), start=1))
    con = backends.duckdb_parquet(boundary_parquet)
    try:
        rows = build_snapshot(con, as_of=AS_OF, policy=policy).to_pyarrow().to_pylist()
    finally:
        con.disconnect()
    states = {names[row["referral_id"]]: row[flag_column("SAFETY_PLAN_STALE")] for row in rows}
    assert states["SAFETY_PLAN_STALE-tt"] == "cannot_assess"
    assert states["SAFETY_PLAN_STALE-tt-risk-review-after"] == "cannot_assess"
    assert states["SAFETY_PLAN_STALE-event-day-after"] == RED  # adult CMH still records events
