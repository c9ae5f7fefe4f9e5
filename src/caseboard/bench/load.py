"""Web load benchmark (DESIGN "Command line": BENCH lines): gunicorn on loopback over the demo
trust, driven by locust, on SQLite and, when DATABASE_URL names a PostgreSQL server, on
PostgreSQL too (in a database of its own there, made and dropped by the benchmark).

For each database: ``caseboard demo --no-serve`` builds the demo trust in a fresh CASEBOARD_HOME;
``bench_accounts`` adds a practitioner account whose caseload page lists 70 open cases; gunicorn
serves it (5 gthread workers, the application loaded before they fork); locust runs headless in
its own process (``bench/users.py``) with a fixed number of users for a fixed time: 20 users,
each waiting 1 to 5 s between requests, a 10 s warm-up once every user has signed in, then 60 s
measured, after which the run stops itself (and is cut off in any case after a bounded time);
users 60% practitioners, 20% supervisors, 20% team managers. ``tiny`` runs 3 users (one of each),
a 1 s warm-up and 6 s measured with short waits, to prove it runs.

Figures: p50 and p95 of the practitioner page, the team page and the supervisees' page, in
milliseconds over the measured requests. The floor is the same percentile of /healthz (a trivial
page through the same middleware, no session or database) measured in the same run by the same
users, so the ratio says how much slower a case page is than the server's fastest answer on this
machine at this moment. Also reported: the rows each case page served, every request counted and
every error (target 0). Targets (SQLite): p95 under 150 ms for the practitioner page and 300 ms
for the team page. Everything started here is stopped on the way out, failure or not.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caseboard import config
from caseboard.bench import accounts as bench_accounts
from caseboard.bench import processes
from caseboard.bench.harness import figure, percentiles, run_command

WORKERS = 5
THREADS = 4
BENCH_DATABASE = "caseboard_bench_load"
SIGN_IN_ALLOWANCE = 120  # seconds
TARGETS = {"sqlite": {"practitioner_p95": 150.0, "team_p95": 300.0}}
PAGES = ("practitioner", "team", "supervisor")


@dataclass(frozen=True)
class Size:
    users: int
    seconds: int
    warmup: int
    wait: tuple[float, float]


SIZES = {
    "tiny": Size(users=3, seconds=6, warmup=1, wait=(0.2, 0.5)),
    "full": Size(users=20, seconds=60, warmup=10, wait=(1.0, 5.0)),
}


def _say(message: str) -> None:
    print(f"bench load: {message}", file=sys.stderr, flush=True)


def _caseboard() -> list[str]:
    script = Path(sys.executable).with_name("caseboard")
    return [str(script)] if script.exists() else [sys.executable, "-m", "caseboard"]


def _environment(home: Path, database_url: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CASEBOARD_DEBUG")
    }
    env["CASEBOARD_HOME"] = str(home)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _load(size: Size, port: int, env: dict[str, str], folder: Path, log: Path) -> dict[str, Any]:
    results = folder / "locust.json"
    # The run stops itself at the end of its window; this bounds it if sign-in never completes.
    run_seconds = size.warmup + size.seconds + SIGN_IN_ALLOWANCE
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(Path(__file__).with_name("users.py")),
        "--headless",
        "--host",
        f"http://127.0.0.1:{port}",
        "--users",
        str(size.users),
        "--spawn-rate",
        str(size.users),
        "--run-time",
        f"{run_seconds}s",
        "--stop-timeout",
        "5",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    locust = processes.start(command, env, log)
    try:
        locust.wait(timeout=run_seconds + 60)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"locust overran its {run_seconds} s; see {log}") from None
    finally:
        processes.stop(locust)
    if not results.exists():
        raise RuntimeError(f"locust wrote no results ({locust.returncode}); see {log}")
    return json.loads(results.read_text())


def _records(database: str, found: dict[str, Any], held_cases: int) -> list[dict]:
    measured: dict[str, list[float]] = {}
    start, end = found["window"]
    for name, milliseconds, ok, started in found["requests"]:
        if ok and start <= started <= end:
            measured.setdefault(name, []).append(milliseconds)
    floor = percentiles(measured.get("trivial", []))
    targets = TARGETS.get(database, {})
    records = []

    def record(name: str, value: float, unit: str, floor_value: float | None) -> None:
        target = targets.get(name)
        figures = figure(
            f"load_{database}_{name}", value, unit=unit, floor=floor_value, target=target, digits=2
        )
        records.append(figures)

    for page in PAGES:
        p50, p95 = percentiles(measured.get(page, []))
        record(f"{page}_p50", p50, "ms", floor[0])
        record(f"{page}_p95", p95, "ms", floor[1])
    rows = dict(found["rows"])  # the last answer of each page
    # The cases the page served, beside the open cases its practitioners hold in the database
    # on the trust's day (bench_accounts chose them to come as near CASELOAD as the trust allows).
    record("practitioner_cases", rows.get("practitioner", 0), "cases", None)
    records[-1]["target"] = bench_accounts.CASELOAD
    record("practitioner_cases_held", held_cases, "cases", None)
    records[-1]["target"] = bench_accounts.CASELOAD
    record("team_rows", rows.get("team", 0), "rows", None)
    record("requests", sum(len(times) for times in measured.values()), "requests", None)
    record("errors", len(found["errors"]), "errors", None)
    records[-1]["target"] = 0
    return records


def _measure(database: str, url: str | None, size: Size, folder: Path) -> list[dict]:
    home = folder / database
    home.mkdir(parents=True)
    env = _environment(home, url)
    log = home / "bench.log"
    _say(f"building the demo trust on {database} (log {log})")
    run_command([*_caseboard(), "demo", "--no-serve"], env=env, log=log, timeout=900)
    module = [sys.executable, "-m", "caseboard.bench.accounts"]
    accounts = json.loads(
        run_command(module, env=env, log=log, timeout=120).strip().splitlines()[-1]
    )
    _say(
        f"practitioner page: {accounts['practitioner_cases']} open cases on {accounts['as_of']}"
        f" (asked for {bench_accounts.CASELOAD})"
    )
    port = processes.free_port()
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "caseboard.web.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={WORKERS}",
        "--worker-class=gthread",
        f"--threads={THREADS}",
        "--timeout=60",
        # Longer than a user's longest wait, so a client never reuses a connection the server
        # has just closed (gunicorn's default keeps one 2 s).
        "--keep-alive=10",
        "--no-control-socket",
        "--preload",
    ]
    from caseboard.config import DEMO_PASSWORD

    load_env = {
        **env,
        "CASEBOARD_BENCH_RESULTS": str(home / "locust.json"),
        "CASEBOARD_BENCH_USERS": str(size.users),
        "CASEBOARD_BENCH_WARMUP": str(size.warmup),
        "CASEBOARD_BENCH_SECONDS": str(size.seconds),
        "CASEBOARD_BENCH_WAIT": f"{size.wait[0]},{size.wait[1]}",
        "CASEBOARD_BENCH_PASSWORD": DEMO_PASSWORD,
        "CASEBOARD_BENCH_PRACTITIONER": accounts["practitioner"],
        "CASEBOARD_BENCH_TEAM_ID": str(accounts["team_id"]),
    }
    server = processes.start(gunicorn, env, log)
    try:
        processes.wait_until_up(port, server, log)
        processes.warm(port, WORKERS * THREADS)
        _say(f"{size.users} users for {size.warmup} s warm-up + {size.seconds} s on {database}")
        found = _load(size, port, load_env, home, log)
    finally:
        processes.stop(server)
    for error in found["errors"][:5]:
        _say(f"error: {error}")
    if not found["window"]:
        raise RuntimeError(f"not every user signed in on {database}: {found['errors'][:5]}")
    return _records(database, found, accounts["practitioner_cases"])


def _terminated(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)  # so every ``finally`` above stops what it started


def bench_load(size: str, folder: Path) -> list[dict[str, Any]]:
    signal.signal(signal.SIGTERM, _terminated)
    chosen = SIZES[size]
    records = _measure("sqlite", None, chosen, folder)
    url = os.environ.get("DATABASE_URL")
    if not url or config.parse_database_url(url).is_sqlite:
        _say("PostgreSQL not measured: DATABASE_URL names no PostgreSQL server")
        return records
    from caseboard.bench import postgres as bench_postgres

    with bench_postgres.scratch_database(url, BENCH_DATABASE) as bench_url:
        records += _measure("postgres", bench_url, chosen, folder)
    return records
