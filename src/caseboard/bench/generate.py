"""Benchmarks of the synthetic trust: generating mirror Parquet at size, and the demo trust into
SQLite. ``bench_generate`` returns BENCH records (DESIGN "Command line"); it prints nothing, so
the command that calls it decides how to show them.

Each timed run happens in a fresh Python process, so its peak memory (``ru_maxrss`` of that
process) is its own and not the caller's; the child reports its figures as one JSON line on its
stdout, which is captured. Each figure has a floor measured in the same run on the same machine:
writing the same number of rows of a trivial Arrow table (one integer column) to Parquet for
generation, and inserting the same number of rows of a one-column table for SQLite. The ratio is
value / floor.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

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


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes vs KiB


# -- what the child processes run --------------------------------------------------------------


def _child_generate(referrals: int, out_dir: str) -> dict[str, Any]:
    import datetime as dt

    from caseboard.synthetic import scale

    params = scale.scaled_params(referrals, seed=SEED, as_of=dt.date.fromisoformat(AS_OF))
    start = time.perf_counter()
    manifest = scale.write_parquet(params, out_dir)
    seconds = time.perf_counter() - start
    counts = manifest["row_counts"]
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "rows": sum(counts.values()),
        "row_counts": counts,
    }


def _child_floor(rows: int, out_dir: str) -> dict[str, Any]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from caseboard.synthetic.writers import PARQUET_OPTIONS

    start = time.perf_counter()
    table = pa.table({"id": pa.array(np.arange(1, rows + 1, dtype=np.int64))})
    pq.write_table(table, Path(out_dir) / "floor.parquet", **PARQUET_OPTIONS)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": _peak_mb(), "rows": rows}


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


def _child(task: str, *args: str) -> None:
    """Entry point of a child process: run one task and print its figures as JSON."""
    if task == "generate":
        result = _child_generate(int(args[0]), args[1])
    elif task == "floor":
        result = _child_floor(int(args[0]), args[1])
    elif task == "demo_sqlite":
        result = _child_demo_sqlite()
    else:
        raise ValueError(f"unknown task {task!r}")
    sys.stdout.write(json.dumps(result) + "\n")


def _run(task: str, *args: str) -> dict[str, Any]:
    code = "import sys; from caseboard.bench.generate import _child; _child(*sys.argv[1:])"
    done = subprocess.run(
        [sys.executable, "-c", code, task, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmark task {task} failed:\n{done.stderr.strip()}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _record(name: str, value: float, unit: str, floor: float, target: float) -> dict[str, Any]:
    return {
        "name": name,
        "value": round(value, 3),
        "unit": unit,
        "floor": round(floor, 3),
        "ratio": round(value / floor, 2) if floor > 0 else None,
        "target": target,
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
    generated = _run("generate", str(referrals), str(mirror))
    floor = _run("floor", str(generated["rows"]), str(floor_dir))
    demo = _run("demo_sqlite")
    targets = TARGETS[size]
    return [
        _record(
            f"generate_parquet_{size}_seconds",
            generated["seconds"],
            "s",
            floor["seconds"],
            targets["seconds"],
        ),
        _record(
            f"generate_parquet_{size}_peak_memory",
            generated["peak_mb"],
            "MB",
            floor["peak_mb"],
            targets["peak_mb"],
        ),
        _record(
            "generate_demo_sqlite_seconds",
            demo["seconds"],
            "s",
            demo["floor_seconds"],
            DEMO_SQLITE_TARGET_SECONDS,
        ),
    ]
