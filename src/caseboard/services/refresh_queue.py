"""Writers queue the referrals they change; a refresher drains the queue after commit
(DESIGN "Refresh, full and incremental").

Every writer (importer, FHIR endpoint, supervision sign-off, action completion, allocation or
practitioner change) calls ``queue_refresh`` inside the transaction that makes its change, so the
change and its queue rows commit together or not at all. After the commit a background thread
of this process drains the queue on the engine's own connection (engine/incremental.py); if the
process dies in between, the rows wait for the next drain, ``caseboard refresh --queued`` or the
next full refresh. A drain that fails leaves its rows queued and is logged.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from caseboard.domain import clock
from caseboard.records.models import RefreshQueue

log = logging.getLogger(__name__)


class NotInTransaction(RuntimeError):
    """Queue rows belong to the writer's own transaction."""


def queue_refresh(referral_ids: Iterable[int], *, reason: str) -> int:
    """Queue ``referral_ids`` with ``reason`` in the caller's transaction; drain after commit.
    Returns how many referrals were queued."""
    if not connection.in_atomic_block:
        raise NotInTransaction("queue_refresh must run inside the writer's transaction.atomic()")
    ids = sorted({int(referral_id) for referral_id in referral_ids})
    if not ids:
        return 0
    now = clock.now()
    RefreshQueue.objects.bulk_create(
        [RefreshQueue(referral_id=i, queued_at=now, reason=reason) for i in ids]
    )
    transaction.on_commit(drain_soon)
    return len(ids)


def engine_database() -> Any:
    """The application database as the engine names it, read from Django's connection (so a
    test database is the one drained)."""
    from caseboard.config import Database

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return Database(engine="sqlite", name=str(settings["NAME"]))
    return Database(
        engine="postgres",
        name=settings["NAME"],
        host=settings.get("HOST") or "",
        port=int(settings["PORT"]) if settings.get("PORT") else None,
        user=settings.get("USER") or "",
        password=settings.get("PASSWORD") or "",
    )


def drain_now(con: Any) -> dict[str, Any]:
    """Drain the queue once on the engine connection ``con``, at today's date (Europe/London)."""
    from caseboard.engine import incremental
    from caseboard.services.policy import current_policy

    return incremental.drain(con, today=clock.today(), policy=current_policy())


def engine_connection(database: Any) -> Any:
    from caseboard.config import Config, load
    from caseboard.engine import backends

    return backends.application(Config(home=load().home, database=database))


class _Drainer:
    """One thread per process: woken after each commit that queued rows, drains until no wake-up
    is pending. Wake-ups during a drain are folded into one more drain."""

    def __init__(self) -> None:
        self.wake = threading.Event()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.database: Any = None

    def request(self, database: Any) -> None:
        with self.lock:
            self.database = database
            self.wake.set()
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="refresh-drain", daemon=True)
                self.thread.start()

    def _run(self) -> None:
        con, connected_to = None, None
        while True:
            self.wake.wait()
            with self.lock:
                self.wake.clear()
                database = self.database
            try:
                if con is None or connected_to != database:
                    if con is not None:
                        con.disconnect()
                    con, connected_to = engine_connection(database), database
                drain_now(con)
            except Exception:  # the rows stay queued for the next drain
                log.exception("draining the refresh queue failed; the rows stay queued")
                if con is not None:
                    with contextlib.suppress(Exception):
                        con.disconnect()
                con = None


_drainer = _Drainer()


def drain_soon() -> None:
    """After a commit: wake this process's drainer (in memory databases cannot be drained from
    another connection, so they are left to the caller)."""
    database = engine_database()
    if database.engine == "sqlite" and ("memory" in database.name or database.name == ""):
        return
    _drainer.request(database)
