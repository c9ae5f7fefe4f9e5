"""Refresh benchmarks (DESIGN "Command line": BENCH lines), each beside a floor measured in the
same run: one grouped scan of contacts and measures on the same backend (``FLOOR``, pinned).

``incremental``: the demo trust in a SQLite file, a full refresh, then 100 random referrals each
queued and drained on its own (snapshot rows, every tier summary and the queue, one transaction);
p50 and p95 against the 100 ms target. The first drain of the day compiles the statements and is
timed apart.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import statistics
import time
from pathlib import Path
from typing import Any

from caseboard.engine import backends, incremental, refresh

SEED = 20261123
AS_OF = dt.date(2026, 11, 20)
SAMPLES = 100
TARGET_SECONDS = 0.1
FLOOR = (
    "SELECT referral_id, COUNT(*), MAX(starts_on) FROM contact GROUP BY referral_id "
    "UNION ALL SELECT referral_id, COUNT(*), MAX(measured_on) FROM measure GROUP BY referral_id"
)


def _database(folder: Path) -> Path:
    from caseboard.records import schema
    from caseboard.records.loader import load_tables, sqlite_create_statement
    from caseboard.records.synthetic.params import Params
    from caseboard.records.synthetic.trust import generate

    path = folder / "bench.sqlite3"
    sqlite3.register_adapter(dt.date, dt.date.isoformat)
    sqlite3.register_adapter(dt.datetime, lambda value: value.isoformat(" "))
    connection = sqlite3.connect(path)
    for table in schema.load_order():
        connection.execute(sqlite_create_statement(table))
        # The indexes Django makes for foreign keys, which the filtered queries use.
        for column in ("referral_id", "patient_id", "practitioner_id"):
            if column in table.column_names:
                connection.execute(
                    f'CREATE INDEX "{table.name}_{column}" ON "{table.name}" ("{column}")'
                )
    load_tables(connection.cursor(), generate(Params(seed=SEED, as_of=AS_OF)), placeholder="?")
    connection.commit()
    connection.close()
    return path


def _floor(con: Any) -> float:
    cursor = con.con.cursor()
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        cursor.execute(FLOOR)
        cursor.fetchall()
        best = min(best, time.perf_counter() - start)
    cursor.close()
    return best


def _queue(con: Any, referral_id: int) -> None:
    raw = con.con
    raw.execute(
        "INSERT INTO refresh_queue (referral_id, queued_at, reason) VALUES (?, ?, 'bench')",
        (referral_id, f"{AS_OF} 12:00:00"),
    )
    raw.commit()


def bench_incremental(size: str, folder: Path) -> list[dict[str, Any]]:
    con = backends.sqlite(_database(folder))
    refresh.full(con, as_of=AS_OF)
    ids = con.table("case_snapshot").referral_id.to_pyarrow().to_pylist()
    chosen = random.Random(SEED).choices(ids, k=SAMPLES + 1)
    _queue(con, chosen[0])
    start = time.perf_counter()
    incremental.drain(con, today=AS_OF)
    first = time.perf_counter() - start
    times = []
    for referral_id in chosen[1:]:
        _queue(con, referral_id)
        start = time.perf_counter()
        incremental.drain(con, today=AS_OF)
        times.append(time.perf_counter() - start)
    floor = _floor(con)
    con.disconnect()
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]

    def record(name: str, value: float, target: float) -> dict[str, Any]:
        return {
            "name": name,
            "value": round(value, 4),
            "unit": "s",
            "floor": round(floor, 4),
            "ratio": round(value / floor, 1) if floor else None,
            "target": target,
        }

    return [
        record("incremental_refresh_sqlite_p50", p50, TARGET_SECONDS),
        record("incremental_refresh_sqlite_p95", p95, TARGET_SECONDS),
        record("incremental_refresh_sqlite_first_of_day", first, 10.0),
    ]
