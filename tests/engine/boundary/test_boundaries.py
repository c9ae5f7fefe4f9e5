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
from caseboard.domain.flag_types import AMBER, CLEAR, NOT_APPLICABLE, RED, flag_column
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
        expected = discussion_priority({code: row[flag_column(code)] for code in codes})
        assert row["priority"] == expected, (backend, name, row["flags"])
    assert {row["priority"] for row in rows.values()} == {0, 1, 2, 3, 4}
