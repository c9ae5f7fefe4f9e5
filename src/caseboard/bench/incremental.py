"""Refresh benchmarks (DESIGN "Command line": BENCH lines), each beside a floor measured in the
same run: one grouped scan of contacts and measures on the same backend (``FLOOR``, pinned).

``incremental``: the demo trust in a SQLite file (and, when DATABASE_URL names a PostgreSQL
server, in a fresh Django-migrated database there), a full refresh, then 100 random referrals each
queued and drained on its own (snapshot rows, the touched tier summaries and the queue, one
transaction); p50 and p95 against the 100 ms target. The first drain of the day compiles the
statements and is timed apart.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from caseboard.bench.harness import best_of, figure, percentiles, run_command
from caseboard.bench.postgres import scratch_database
from caseboard.config import parse_database_url
from caseboard.engine import backends, incremental, refresh
from caseboard.engine.store import placeholder

SEED = 20261123
AS_OF = dt.date(2026, 11, 20)
SAMPLES = {"tiny": 5, "full": 100}
TARGET_SECONDS = 0.1
FLOOR = (
    "SELECT referral_id, COUNT(*), MAX(starts_on) FROM contact GROUP BY referral_id "
    "UNION ALL SELECT referral_id, COUNT(*), MAX(measured_on) FROM measure GROUP BY referral_id"
)


def _database(folder: Path) -> Path:
    from caseboard.contract import schema
    from caseboard.contract.loader import load_tables, sqlite_create_statement
    from caseboard.synthetic.params import Params
    from caseboard.synthetic.trust import generate

    path = folder / "bench.sqlite3"
    sqlite3.register_adapter(dt.date, dt.date.isoformat)
    sqlite3.register_adapter(dt.datetime, lambda value: value.isoformat(" "))
    connection = sqlite3.connect(path)
    for table in schema.load_order():
        connection.execute(sqlite_create_statement(table))
        # The indexes Django makes for foreign keys, which the filtered queries use.
        for column in table.column_names:
            if column.endswith("_id") and column != "source_id":
                connection.execute(
                    f'CREATE INDEX "{table.name}_{column}" ON "{table.name}" ("{column}")'
                )
    load_tables(connection.cursor(), generate(Params(seed=SEED, as_of=AS_OF)), placeholder="?")
    connection.commit()
    connection.close()
    return path


def _floor(con: Any) -> float:
    cursor = con.con.cursor()
    best, _ = best_of(5, lambda: cursor.execute(FLOOR).fetchall())
    cursor.close()
    return best


def _queue(con: Any, referral_id: int) -> None:
    raw = con.con
    mark = placeholder(con)
    cursor = raw.cursor()
    cursor.execute(
        "INSERT INTO refresh_queue (referral_id, queued_at, reason) "  # noqa: S608
        f"VALUES ({mark}, {mark}, 'bench')",
        (referral_id, f"{AS_OF} 12:00:00"),
    )
    cursor.close()
    raw.commit()


def bench_incremental(size: str, folder: Path) -> list[dict[str, Any]]:
    samples = SAMPLES[size]
    records = _drains(backends.sqlite(_database(folder)), "sqlite", samples)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        name = f"caseboard_bench_incremental_{os.getpid()}"
        with scratch_database(url, name) as bench_url:
            _generate(bench_url)
            records += _drains(
                backends.postgres(parse_database_url(bench_url)), "postgresql", samples
            )
    return records


def _generate(url: str) -> None:
    """The demo trust in the (empty) database ``url``, migrated and loaded by the real
    command."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = url
    command = [str(Path(sys.executable).parent / "caseboard"), "generate", "--format", "db"]
    command += ["--seed", str(SEED), "--as-of", AS_OF.isoformat()]
    run_command(command, env=env)


def _drains(con: Any, label: str, samples: int) -> list[dict[str, Any]]:
    refresh.full(con, as_of=AS_OF)
    ids = con.table("case_snapshot").referral_id.to_pyarrow().to_pylist()
    chosen = random.Random(SEED).choices(ids, k=samples + 1)
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
    p50, p95 = percentiles(times)

    def record(name: str, value: float, target: float) -> dict[str, Any]:
        return figure(
            f"incremental_refresh_{label}_{name}", value, unit="s", floor=floor, target=target
        )

    return [
        record("p50", p50, TARGET_SECONDS),
        record("p95", p95, TARGET_SECONDS),
        record("first_of_day", first, 10.0),
    ]
