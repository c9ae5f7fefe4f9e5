"""Benchmark: how long a contact written through the application takes to show in the case
snapshot (DESIGN "Refresh, full and incremental": writers queue, the refresher drains after
commit).

For each backend (SQLite, and PostgreSQL when DATABASE_URL names a server) a fresh trust is
generated as of today and refreshed, then, in a child process set up as the web application is
(Django, the records models, the refresh queue and its drainer thread), an attended contact dated
today is written for a random open referral, with its queue row, in one transaction; the clock
runs from the commit until that referral's snapshot row shows the contact (its last attended
date is today and its attended count has grown). The figure is the time a user waits between
saving and seeing the change; the floor is one read of that snapshot row. The first write in a
process waits for the day's statements to be compiled and is reported apart.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from caseboard.bench.harness import figure, percentiles, run_command
from caseboard.bench.postgres import scratch_database
from caseboard.domain import clock

SAMPLES = {"tiny": 3, "full": 30}
REFERRALS = {"tiny": 150, "full": 600}
TARGET_SECONDS = 1.0
FIRST_TARGET_SECONDS = 30.0  # compiles the day's statements first
SEED = 20261123
GIVE_UP_SECONDS = 30.0


def bench_write(size: str, folder: Path) -> list[dict[str, Any]]:
    records = _backend("sqlite", folder / "sqlite", None, size)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        with scratch_database(url, f"caseboard_bench_write_{os.getpid()}") as bench_url:
            records += _backend("postgres", folder / "postgres", bench_url, size)
    return records


def _backend(name: str, home: Path, database_url: str | None, size: str) -> list[dict[str, Any]]:
    home.mkdir(parents=True)
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["CASEBOARD_HOME"] = str(home)
    if database_url:
        env["DATABASE_URL"] = database_url
    caseboard = str(Path(sys.executable).parent / "caseboard")
    generate = [caseboard, "generate", "--format", "db", "--seed", str(SEED)]
    run_command([*generate, "--referrals", str(REFERRALS[size])], env=env)
    run_command([caseboard, "refresh"], env=env)
    child = [sys.executable, "-m", "caseboard.bench.write", str(SAMPLES[size])]
    result = json.loads(run_command(child, env=env))
    waits, floor = result["waits"], result["floor"]

    def record(label: str, value: float) -> dict[str, Any]:
        name_ = f"contact_visible_{name}_{label}"
        return figure(name_, value, unit="s", floor=floor, target=TARGET_SECONDS)

    p50, p95 = percentiles(waits)
    return [
        record("p50", p50),
        record("p95", p95),
        record("max", max(waits)),
        {**record("first_in_process", result["first"]), "target": FIRST_TARGET_SECONDS},
    ]


def _measure(samples: int) -> dict[str, Any]:
    """In the child: write ``samples`` contacts as the application would and time each until
    the snapshot shows it."""
    from caseboard.web import bootstrap

    bootstrap.setup()
    from django.db import transaction

    from caseboard.records.models import CaseSnapshot, Contact
    from caseboard.services import refresh_queue

    day = clock.today()
    rows = CaseSnapshot.objects.values_list("referral_id", flat=True)
    chosen = random.Random(SEED).sample(sorted(rows), samples + 1)
    waits, reads = [], []
    for referral_id in chosen:
        row = CaseSnapshot.objects.get(referral_id=referral_id)
        before = row.attended_clinical_contacts or 0
        with transaction.atomic():
            contact = Contact.objects.create(
                referral_id=referral_id,
                practitioner_id=row.lead_practitioner_id,
                source_system="bench",
                source_id=f"bench-{referral_id}-{time.time_ns()}",
                starts_at=clock.now(),
                starts_on=day,
                kind="treatment",
                direct=True,
                mode="face_to_face",
                outcome="attended",
                minutes=50,
            )
            refresh_queue.queue_refresh([referral_id], reason="contact")
        committed = time.perf_counter()
        while True:
            start = time.perf_counter()
            shown = CaseSnapshot.objects.filter(referral_id=referral_id).values_list(
                "last_attended_on", "attended_clinical_contacts"
            )
            last, attended = shown.first() or (None, 0)
            reads.append(time.perf_counter() - start)
            if last == day and (attended or 0) > before:
                break
            if time.perf_counter() - committed > GIVE_UP_SECONDS:
                raise RuntimeError(f"contact {contact.pk} not in the snapshot after 30 s")
            time.sleep(0.002)
        waits.append(time.perf_counter() - committed)
    # The first drain in a process compiles the day's statements: reported apart.
    return {"first": waits[0], "waits": waits[1:], "floor": min(reads)}


if __name__ == "__main__":
    print(json.dumps(_measure(int(sys.argv[1]))))
