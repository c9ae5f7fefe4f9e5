"""All four backends compute the same snapshot, row for row, from the same trust: SQLite (the
Django-migrated file, the reference), DuckDB and Spark (mirror Parquet) and PostgreSQL (a
Django-migrated database). Floats agree within a stated tolerance; integer widths may differ
(PostgreSQL keeps small integer columns as int32), kinds of value may not."""

from __future__ import annotations

import datetime as dt
import math

import pyarrow as pa
import pytest

from caseboard.engine import backends
from caseboard.engine.snapshot import build_snapshot

pytestmark = pytest.mark.parity
AS_OF = dt.date(2026, 11, 20)  # the as_of the trust in conftest.py is generated to
FLOAT_TOLERANCE = 1e-9
OTHERS = [
    pytest.param("duckdb"),
    pytest.param("postgres", marks=pytest.mark.postgres),
    pytest.param("spark", marks=pytest.mark.spark),
]


def snapshot(con, **kwargs) -> tuple[pa.Schema, list[dict]]:
    table = build_snapshot(con, as_of=AS_OF, **kwargs).to_pyarrow()
    return table.schema, normalised(table.to_pylist())


def normalised(rows: list[dict]) -> list[dict]:
    """Rows by referral id; a date a backend returns as a timestamp becomes the date."""
    rows = sorted(rows, key=lambda row: row["referral_id"])
    for row in rows:
        for key, value in row.items():
            if isinstance(value, dt.datetime):
                row[key] = value.date()
    return rows


def same(left, right) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        return math.isclose(left, right, abs_tol=FLOAT_TOLERANCE)
    return left == right


def differences(left: list[dict], right: list[dict], limit: int = 5) -> list[str]:
    """The first ``limit`` referrals whose rows differ, with the differing columns."""
    found = []
    for one, other in zip(left, right, strict=True):
        differing = {k: (one[k], other[k]) for k in one if not same(one[k], other[k])}
        if differing:
            found.append(f"referral {one['referral_id']}: {differing}")
            if len(found) == limit:
                break
    return found


def kind(type_: pa.DataType) -> str:
    for name, test in (
        ("boolean", pa.types.is_boolean),
        ("integer", pa.types.is_integer),
        ("float", pa.types.is_floating),
        ("text", lambda t: pa.types.is_string(t) or pa.types.is_large_string(t)),
        ("date", lambda t: pa.types.is_date(t) or pa.types.is_timestamp(t)),
        ("null", pa.types.is_null),
    ):
        if test(type_):
            return name
    return str(type_)


def kinds(schema: pa.Schema) -> dict[str, str]:
    return {field.name: kind(field.type) for field in schema}


@pytest.fixture(scope="module")
def reference(trust_home):
    con = backends.sqlite(trust_home / "caseboard.sqlite3")
    try:
        return snapshot(con)
    finally:
        con.disconnect()


@pytest.fixture
def other(request, trust_home):
    """(name, engine connection) of the backend compared with SQLite."""
    name = request.param
    if name == "duckdb":
        con = backends.duckdb_parquet(trust_home / "mirror")
        yield name, con
        con.disconnect()
    else:
        # Opened once per run (a Spark session and a PostgreSQL load are costly).
        yield name, request.getfixturevalue(f"trust_{name}")


@pytest.mark.parametrize("other", OTHERS, indirect=True)
def test_backend_agrees_with_sqlite_row_for_row(reference, other):
    name, con = other
    expected_schema, expected = reference
    got_schema, got = snapshot(con)
    assert [row["referral_id"] for row in got] == [row["referral_id"] for row in expected]
    assert len(expected) > 100
    assert got_schema.names == expected_schema.names
    # A column that is null on every row is typed null by some backends: nothing to compare.
    typed = {k: v for k, v in kinds(got_schema).items() if v != "null"}
    assert typed == {k: v for k, v in kinds(expected_schema).items() if k in typed}, name
    wrong = differences(expected, got)
    assert not wrong, f"{name} differs from sqlite: " + "; ".join(wrong)


@pytest.mark.parametrize(
    "other", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_snapshot_of_some_referrals_matches_the_full_snapshot(reference, other):
    """The incremental path (every base table filtered to the referrals first) on PostgreSQL;
    test_parity.py covers SQLite and DuckDB."""
    name, con = other
    full = {row["referral_id"]: row for row in reference[1]}
    chosen = sorted(full)[::17]
    _, part = snapshot(con, referral_ids=chosen)
    assert [row["referral_id"] for row in part] == chosen
    wrong = differences([full[row["referral_id"]] for row in part], part)
    assert not wrong, f"{name}, some referrals: " + "; ".join(wrong)
