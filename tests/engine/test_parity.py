"""The snapshot on SQLite and DuckDB: the incremental path and the open referrals (the row for row
comparison of every backend is in test_parity_backends.py)."""

import datetime as dt

import pytest

from caseboard.engine.snapshot import build_snapshot

pytestmark = pytest.mark.parity
AS_OF = dt.date(2026, 11, 20)  # the as_of the trust in conftest.py is generated to


def normalised(con, **kwargs):
    table = build_snapshot(con, as_of=AS_OF, **kwargs).to_pyarrow()
    rows = sorted(table.to_pylist(), key=lambda row: row["referral_id"])
    for row in rows:
        for key, value in row.items():
            if hasattr(value, "date") and callable(value.date):
                row[key] = value.date()
    return rows


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
