"""Benchmarks: BENCH lines on standard output and the same records in var/bench/results.jsonl,
with the versions and the machine, so figures from different runs can be compared."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from caseboard import config

BENCHMARKS = ("generate", "incremental")
PACKAGES = ("caseboard", "ibis-framework", "duckdb", "pyarrow", "numpy", "django")


def environment() -> dict[str, Any]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "system": platform.platform(),
        "versions": versions,
    }


def line(record: dict[str, Any]) -> str:
    return (
        f"BENCH {record['name']} value={record['value']} unit={record['unit']} "
        f"floor={record['floor']} ratio={record['ratio']} target={record['target']}"
    )


def run(name: str, size: str) -> list[dict[str, Any]]:
    """Run benchmark ``name`` at ``size``; append its records to the results file."""
    if name not in BENCHMARKS:
        raise ValueError(f"unknown benchmark {name!r}; benchmarks: {', '.join(BENCHMARKS)}")
    settings = config.load()
    with tempfile.TemporaryDirectory(prefix="caseboard-bench-") as scratch:
        if name == "generate":
            from caseboard.records.synthetic.bench import bench_generate

            records = bench_generate(size, Path(scratch))
        else:
            from caseboard.engine.bench import bench_incremental

            records = bench_incremental(Path(scratch))
    results = settings.bench_dir / "results.jsonl"
    results.parent.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    context = environment()
    with results.open("a", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps({**record, "size": size, "at": stamp, **context}) + "\n")
    return records
