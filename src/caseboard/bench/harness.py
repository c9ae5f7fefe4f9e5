"""Benchmarks: BENCH lines on standard output and the same records in var/bench/results.jsonl,
with the versions and the machine, so figures from different runs can be compared."""

from __future__ import annotations

import importlib
import json
import os
import platform
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from caseboard import config
from caseboard.domain import clock

# Each benchmark is a function (size, scratch folder) -> records, imported only when run.
BENCHMARKS = {
    "generate": "caseboard.bench.generate:bench_generate",
    "incremental": "caseboard.bench.incremental:bench_incremental",
    "write": "caseboard.bench.write:bench_write",
    "refresh": "caseboard.bench.refresh:bench_full_refresh",
    "load": "caseboard.bench.load:bench_load",
}
PACKAGES = ("caseboard", "ibis-framework", "duckdb", "pyarrow", "numpy", "django")


def environment() -> dict[str, Any]:
    versions: dict[str, str | None] = {}
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


def figure(
    name: str,
    value: float,
    *,
    unit: str,
    floor: float | None,
    target: float | None,
    digits: int = 4,
) -> dict[str, Any]:
    """One benchmark record: the value beside the floor measured in the same run, and their
    ratio."""
    return {
        "name": name,
        "value": round(value, digits),
        "unit": unit,
        "floor": None if floor is None else round(floor, digits),
        "ratio": round(value / floor, 1) if floor else None,
        "target": target,
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
    module, function = BENCHMARKS[name].split(":")
    measure = getattr(importlib.import_module(module), function)
    with tempfile.TemporaryDirectory(prefix="caseboard-bench-") as scratch:
        records: list[dict[str, Any]] = measure(size, Path(scratch))
    results = settings.bench_dir / "results.jsonl"
    results.parent.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().isoformat(timespec="seconds")
    context = environment()
    with results.open("a", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps({**record, "size": size, "at": stamp, **context}) + "\n")
    return records
