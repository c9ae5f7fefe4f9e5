"""Benchmarks of the synthetic trust: generating mirror Parquet at size, and the demo trust into
SQLite. ``bench_generate`` returns BENCH records (DESIGN "Command line"); it prints nothing, so
the command that calls it decides how to show them.

Each timed run happens in a fresh Python process (``harness.run_child``), so its peak memory
(VmHWM) is its own and not the caller's. Each figure has a floor measured in the same run on the
same machine: writing the same number of rows of a trivial Arrow table (one integer column) to
Parquet for generation, and inserting the same number of rows of a one-column table for SQLite.
The ratio is value / floor.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from caseboard.bench.harness import figure, peak_memory_mb, run_child

SIZES = {"tiny": 2_000, "full": 1_000_000}
AS_OF = "2026-03-31"
SEED = 1
# Targets from issue 3: a million referrals in under 10 minutes and 4 GB; the demo trust into
# SQLite in under 60 s. "tiny" is a smoke test of the same path, with loose targets.
TARGETS = {
    "full": {"seconds": 600.0, "peak_mb": 4096.0},
    "tiny": {"seconds": 30.0, "peak_mb": 1024.0},
}
DEMO_SQLITE_TARGET_SECONDS = 60.0


# -- what the child processes run --------------------------------------------------------------


def _child_generate(referrals: str, out_dir: str) -> dict[str, Any]:
    import datetime as dt

    from caseboard.synthetic import scale

    params = scale.scaled_params(int(referrals), seed=SEED, as_of=dt.date.fromisoformat(AS_OF))
    start = time.perf_counter()
    manifest = scale.write_parquet(params, out_dir)
    seconds = time.perf_counter() - start
    counts = manifest["row_counts"]
    return {
        "seconds": seconds,
        "peak_mb": peak_memory_mb(),
        "rows": sum(counts.values()),
        "row_counts": counts,
    }


def _child_floor(rows_text: str, out_dir: str) -> dict[str, Any]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from caseboard.synthetic.writers import PARQUET_OPTIONS

    rows = int(rows_text)
    start = time.perf_counter()
    table = pa.table({"id": pa.array(np.arange(1, rows + 1, dtype=np.int64))})
    pq.write_table(table, Path(out_dir) / "floor.parquet", **PARQUET_OPTIONS)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": peak_memory_mb(), "rows": rows}


def _child_demo_sqlite() -> dict[str, Any]:
    import datetime as dt
    import sqlite3

    from caseboard.contract import schema
    from caseboard.contract.loader import load_tables, sqlite_create_statement
    from caseboard.synthetic.params import Params
    from caseboard.synthetic.trust import generate

    sqlite3.register_adapter(dt.date, dt.date.isoformat)
    sqlite3.register_adapter(dt.datetime, lambda value: value.isoformat(" "))
    start = time.perf_counter()
    connection = sqlite3.connect(":memory:")
    connection.execute("PRAGMA foreign_keys = ON")
    for table in schema.load_order():
        connection.execute(sqlite_create_statement(table))
    tables = generate(Params(seed=SEED, as_of=dt.date.fromisoformat(AS_OF)))
    counts = load_tables(connection.cursor(), tables, placeholder="?")
    connection.commit()
    seconds = time.perf_counter() - start
    rows = sum(counts.values())
    connection.close()

    floor_start = time.perf_counter()
    floor = sqlite3.connect(":memory:")
    floor.execute('CREATE TABLE "floor" ("id" INTEGER PRIMARY KEY)')
    floor.executemany('INSERT INTO "floor" ("id") VALUES (?)', ((i,) for i in range(1, rows + 1)))
    floor.commit()
    floor_seconds = time.perf_counter() - floor_start
    floor.close()
    return {"seconds": seconds, "floor_seconds": floor_seconds, "rows": rows}


CHILD_TASKS = {
    "generate": _child_generate,
    "floor": _child_floor,
    "demo_sqlite": _child_demo_sqlite,
}


def bench_generate(size: str, out_dir: Path) -> list[dict[str, Any]]:
    """Time generating and writing mirror Parquet for ``size`` ("tiny": 2,000 referrals,
    "full": 1,000,000 with their contacts and measures) into ``out_dir``/mirror, with its peak
    memory; and the demo trust (default Params) generated into an in-memory SQLite database.
    Returns BENCH records {name, value, unit, floor, ratio, target}."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {sorted(SIZES)}, not {size!r}")
    out = Path(out_dir)
    mirror = out / "mirror"
    floor_dir = out / "floor"
    mirror.mkdir(parents=True, exist_ok=True)
    floor_dir.mkdir(parents=True, exist_ok=True)
    referrals = SIZES[size]
    generated = run_child(__name__, "generate", str(referrals), str(mirror))
    floor = run_child(__name__, "floor", str(generated["rows"]), str(floor_dir))
    demo = run_child(__name__, "demo_sqlite")
    targets = TARGETS[size]
    return [
        figure(
            f"generate_parquet_{size}_seconds",
            generated["seconds"],
            unit="s",
            floor=floor["seconds"],
            target=targets["seconds"],
        ),
        figure(
            f"generate_parquet_{size}_peak_memory",
            generated["peak_mb"],
            unit="MB",
            floor=floor["peak_mb"],
            target=targets["peak_mb"],
        ),
        figure(
            "generate_demo_sqlite_seconds",
            demo["seconds"],
            unit="s",
            floor=demo["floor_seconds"],
            target=DEMO_SQLITE_TARGET_SECONDS,
        ),
    ]
