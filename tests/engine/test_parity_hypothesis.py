"""Backends agree on generated small trusts: any seed, size, shape and as_of (weekends, month
ends, leap days), not only the parity trust. Each example's Arrow tables go into a SQLite file
(tables as Django declares them) and mirror Parquet (DuckDB and Spark). A Spark example costs
seconds, so Spark gets a handful of examples and SQLite/DuckDB more."""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
import tempfile
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from caseboard.contract import schema
from caseboard.contract.loader import load_tables, sqlite_create_statement
from caseboard.engine import backends
from caseboard.engine.snapshot import build_snapshot
from caseboard.services import generation
from caseboard.synthetic import writers
from caseboard.synthetic.params import Params
from caseboard.synthetic.trust import generate

pytestmark = pytest.mark.parity

# Explicit adapters, as Django registers them (Python 3.12 deprecates sqlite3's defaults).
sqlite3.register_adapter(dt.date, dt.date.isoformat)
sqlite3.register_adapter(dt.datetime, lambda value: value.isoformat(" "))

SQLITE_DUCKDB_EXAMPLES = 8
SPARK_EXAMPLES = 1
FLOAT_TOLERANCE = 1e-9  # as test_parity_backends.py
SLOW = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}


@st.composite
def small_trusts(draw) -> Params:
    services = draw(st.integers(1, 3))
    teams = draw(st.integers(services, services + 2))
    return generation.params(
        seed=draw(st.integers(0, 2**31 - 1)),
        as_of=draw(st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31))),
        referrals=draw(st.integers(30, 80)),
        years=draw(st.integers(1, 3)),
        services=services,
        teams=teams,
        practitioners=draw(st.integers(teams, teams + 8)),
    )


def write_sqlite(tables: dict[str, pa.Table], path: Path) -> Path:
    connection = sqlite3.connect(path)
    try:
        for table in schema.load_order():
            connection.execute(sqlite_create_statement(table))
        load_tables(connection.cursor(), tables, placeholder="?", naive_utc_datetimes=True)
        connection.commit()
    finally:
        connection.close()
    return path


def snapshot(con, as_of: dt.date) -> tuple[pa.Schema, list[dict]]:
    """The snapshot's schema and its rows by referral id (dates as dates)."""
    try:
        table = build_snapshot(con, as_of=as_of).to_pyarrow()
    finally:
        con.disconnect()
    rows = sorted(table.to_pylist(), key=lambda row: row["referral_id"])
    for row in rows:
        for key, value in row.items():
            if isinstance(value, dt.datetime):
                row[key] = value.date()
    return table.schema, rows


def kind(type_: pa.DataType) -> str:
    """Integer widths may differ by backend; the kind of value may not."""
    if pa.types.is_integer(type_):
        return "integer"
    if pa.types.is_timestamp(type_) or pa.types.is_date(type_):
        return "date"
    if pa.types.is_large_string(type_):
        return "string"
    return str(type_)


def same(left, right) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        return math.isclose(left, right, abs_tol=FLOAT_TOLERANCE)
    return left == right


def assert_agree(name: str, reference: tuple, other: tuple) -> None:
    (expected_schema, expected), (got_schema, got) = reference, other
    assert [r["referral_id"] for r in got] == [r["referral_id"] for r in expected], name
    # A column null on every row may be typed null: there is nothing to compare.
    typed = {
        a.name: (kind(a.type), kind(b.type))
        for a, b in zip(expected_schema, got_schema, strict=True)
        if not (pa.types.is_null(a.type) or pa.types.is_null(b.type))
    }
    assert got_schema.names == expected_schema.names, name
    assert {k: v for k, v in typed.items() if v[0] != v[1]} == {}, name
    wrong = []
    for one, other_row in zip(expected, got, strict=True):
        differing = {k: (one[k], other_row[k]) for k in one if not same(one[k], other_row[k])}
        if differing:
            wrong.append(f"referral {one['referral_id']}: {differing}")
    assert not wrong, f"{name} differs in {len(wrong)} rows: " + "; ".join(wrong[:5])


@settings(max_examples=SQLITE_DUCKDB_EXAMPLES, **SLOW)
@given(params=small_trusts())
def test_sqlite_and_duckdb_agree_on_generated_trusts(params):
    note(f"{params}")
    tables = generate(params)
    with tempfile.TemporaryDirectory(prefix="caseboard-hypothesis-") as folder:
        writers.write_parquet(tables, params, Path(folder) / "mirror")
        database = write_sqlite(tables, Path(folder) / "trust.sqlite3")
        sqlite = snapshot(backends.sqlite(database), params.as_of)
        duckdb = snapshot(backends.duckdb_parquet(Path(folder) / "mirror"), params.as_of)
    assert_agree("duckdb", sqlite, duckdb)


@pytest.mark.spark
@settings(max_examples=SPARK_EXAMPLES, **SLOW)
@given(params=small_trusts())
def test_spark_and_duckdb_agree_on_generated_trusts(spark_available, params):
    note(f"{params}")
    tables = generate(params)
    with tempfile.TemporaryDirectory(prefix="caseboard-hypothesis-") as folder:
        writers.write_parquet(tables, params, Path(folder) / "mirror")
        duckdb = snapshot(backends.duckdb_parquet(Path(folder) / "mirror"), params.as_of)
        spark = snapshot(backends.spark_parquet(Path(folder) / "mirror"), params.as_of)
    assert_agree("spark", duckdb, spark)
