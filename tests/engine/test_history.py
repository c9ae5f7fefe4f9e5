"""Monthly history: summaries at each past month end, with referrals in and discharges out."""

import datetime as dt
import shutil

import pytest

from caseboard.engine import backends
from caseboard.engine.history import backfill, month_ends
from caseboard.engine.snapshot import build_snapshot


def test_month_ends_are_the_whole_months_before_today():
    assert month_ends(dt.date(2026, 3, 15), 3) == [
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
    ]
    assert month_ends(dt.date(2026, 3, 1), 1) == [dt.date(2026, 2, 28)]
    with pytest.raises(ValueError, match="1 or more"):
        month_ends(dt.date(2026, 3, 1), 0)


@pytest.mark.parity
def test_backfill_writes_each_month_end_in_one_go(trust_home, tmp_path):
    database = tmp_path / "caseboard.sqlite3"
    shutil.copy(trust_home / "caseboard.sqlite3", database)
    con = backends.sqlite(database)
    today = dt.date(2026, 11, 20)
    written = backfill(con, months=2, today=today)
    assert sorted(written) == [dt.date(2026, 9, 30), dt.date(2026, 10, 31)]
    summary = con.table("tier_summary").to_pyarrow().to_pylist()
    for month_end in written:
        rows = [
            r for r in summary if r["month"] is not None and str(r["month"])[:10] == str(month_end)
        ]
        assert len(rows) == written[month_end]
        trust = {r["measure"]: r["value"] for r in rows if r["tier"] == "trust"}
        open_then = build_snapshot(con, as_of=month_end).count().execute()
        assert trust["open_cases"] == open_then
        referrals = con.table("referral").to_pyarrow().to_pylist()
        received = sum(1 for r in referrals if str(r["received_on"])[:7] == str(month_end)[:7])
        assert trust["referrals_in"] == received
    # Run again: the months are replaced, not doubled.
    backfill(con, months=2, today=today)
    again = con.table("tier_summary").to_pyarrow().num_rows
    assert again == len(summary)
    runs = con.table("refresh_run").filter(lambda t: t.kind == "history").count().execute()
    assert runs == 2
    con.disconnect()
