"""Every backend computes the same snapshot, row for row, from the same trust."""

import datetime as dt
import math

import pytest

from caseboard.engine import backends
from caseboard.engine.snapshot import build_snapshot

pytestmark = pytest.mark.parity
AS_OF = dt.date(2026, 11, 20)  # the as_of the trust in conftest.py is generated to
FLOAT_TOLERANCE = 1e-9


def normalised(con, **kwargs):
    table = build_snapshot(con, as_of=AS_OF, **kwargs).to_pyarrow()
    rows = sorted(table.to_pylist(), key=lambda row: row["referral_id"])
    for row in rows:
        for key, value in row.items():
            if hasattr(value, "date") and callable(value.date):
                row[key] = value.date()
    return rows


def same(left, right):
    if isinstance(left, float) and isinstance(right, float):
        return math.isclose(left, right, abs_tol=FLOAT_TOLERANCE)
    return left == right


def test_backends_agree_row_for_row(trust_home):
    sqlite = normalised(backends.sqlite(trust_home / "caseboard.sqlite3"))
    duckdb = normalised(backends.duckdb_parquet(trust_home / "mirror"))
    assert len(sqlite) == len(duckdb) > 100
    for left, right in zip(sqlite, duckdb, strict=True):
        differing = {k: (left[k], right[k]) for k in left if not same(left[k], right[k])}
        assert not differing, f"referral {left['referral_id']}: {differing}"


def test_snapshot_of_some_referrals_matches_the_full_snapshot(engine):
    full = {row["referral_id"]: row for row in normalised(engine)}
    chosen = sorted(full)[::17]
    part = normalised(engine, referral_ids=chosen)
    assert [row["referral_id"] for row in part] == chosen
    for row in part:
        assert row == full[row["referral_id"]]


def test_only_open_referrals_are_in_the_snapshot(engine):
    rows = normalised(engine)
    referral = engine.table("referral").to_pyarrow().to_pylist()
    open_ids = {
        r["id"]
        for r in referral
        if _date(r["received_on"]) <= AS_OF
        and (r["closed_on"] is None or _date(r["closed_on"]) > AS_OF)
    }
    assert {row["referral_id"] for row in rows} == open_ids


def _date(value):
    return value.date() if hasattr(value, "date") and callable(value.date) else value
