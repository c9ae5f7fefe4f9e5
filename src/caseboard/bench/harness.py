"""Benchmarks: BENCH lines on standard output and the same records in var/bench/results.jsonl,
with the versions and the machine, so figures from different runs can be compared.

The one harness every benchmark uses: ``figure`` (a record beside its floor),
``percentiles`` (never beyond the measured values), ``peak_memory_mb`` (the process's own,
VmHWM), ``run_command`` (a command to its end) and ``run_child`` (a task of a benchmark module
in a fresh process, its figures back as JSON: ``python -m caseboard.bench.harness MODULE TASK
ARGS...``).
"""

from __future__ import annotations

import importlib
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar, cast

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
T = TypeVar("T")
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
    ratio (of the unrounded figures)."""
    return {
        "name": name,
        "value": round(value, digits),
        "unit": unit,
        "floor": None if floor is None else round(floor, digits),
        "ratio": round(value / floor, 2) if floor else None,
        "target": None if target is None else round(target, digits),
    }


def percentiles(values: Sequence[float]) -> tuple[float, float]:
    """The median and the 95th percentile by nearest rank: always one of the measured values,
    so a small run's p95 never exceeds its maximum (``statistics.quantiles`` extrapolates)."""
    if not values:
        return float("nan"), float("nan")
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]


def best_of(repeats: int, run: Callable[[], T]) -> tuple[float, T]:
    """The shortest of ``repeats`` timed runs of ``run`` (at least one), in seconds, and what the
    last run returned."""
    best, result = float("inf"), None
    for _ in range(max(repeats, 1)):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, cast(T, result)


def peak_memory_mb() -> float:
    """This process's peak resident memory: VmHWM on Linux (its own since exec; ``ru_maxrss``
    carries over the resident size of the parent a child was forked from), else ru_maxrss."""
    status = Path("/proc/self/status")
    if status.exists():
        for row in status.read_text().splitlines():
            if row.startswith("VmHWM:"):
                return int(row.split()[1]) / 1024  # kB
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes vs KiB


def run_command(
    command: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    timeout: float = 900,
    log: Path | None = None,
) -> str:
    """Run a command to its end and return its standard output; on failure, an error with the
    tail of its standard error (or of ``log``, where its standard error goes)."""
    if log is None:
        done = subprocess.run(
            list(command), env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
        errors = done.stderr
    else:
        with log.open("a") as handle:
            done = subprocess.run(
                list(command),
                env=env,
                stdout=subprocess.PIPE,
                stderr=handle,
                text=True,
                timeout=timeout,
                check=False,
            )
        errors = log.read_text(errors="replace")
    if done.returncode != 0:
        tail = "\n".join(errors.strip().splitlines()[-20:])
        raise RuntimeError(f"{' '.join(command[:4])} failed ({done.returncode}):\n{tail}")
    return done.stdout


def run_child(module: str, task: str, *args: str, timeout: float = 3600) -> dict[str, Any]:
    """Run ``module.CHILD_TASKS[task](*args)`` in a fresh Python process and return the figures
    it prints, so its time and peak memory are its own."""
    command = [sys.executable, "-m", "caseboard.bench.harness", module, task, *args]
    printed = run_command(command, timeout=timeout).strip().splitlines()
    found: dict[str, Any] = json.loads(printed[-1])
    return found


def _child(module: str, task: str, *args: str) -> None:
    tasks = importlib.import_module(module).CHILD_TASKS
    sys.stdout.write(json.dumps(tasks[task](*args)) + "\n")


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


if __name__ == "__main__":
    _child(*sys.argv[1:])
