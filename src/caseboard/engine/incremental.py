"""Incremental refresh (DESIGN "Refresh, full and incremental").

Writers add referral ids to ``refresh_queue`` in the same transaction as their change; ``drain``
recomputes the queued referrals and every referral of their patients at the as_of of the current
snapshot, replaces their snapshot rows and the current tier summaries, and deletes the drained
queue rows, in one transaction. When the current snapshot is older than today the refresh is
full. The statements depend only on as_of and the policy: the snapshot is compiled once per day
with a stand-in id that each drain replaces with the dirty ids (integers), every base table
filtered to them before any window (SQLite's parser cannot take the queue as nested subqueries).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ibis
from ibis.backends import BaseBackend

from caseboard.domain.policy import DEFAULT_POLICY, Policy
from caseboard.engine import refresh
from caseboard.engine.snapshot import SNAPSHOT_COLUMNS, build_snapshot
from caseboard.engine.store import insert_run, placeholder, quote, run_row, summary_insert
from caseboard.engine.summaries import build_summaries
from caseboard.engine.tables import Tables

STAND_IN = -7_340_019_231  # an id no referral has, replaced in the compiled SQL


@dataclass(frozen=True)
class Statements:
    dirty: str  # SELECT the dirty referral ids
    select: str  # the snapshot's SELECT, for the stand-in referral id
    insert: str  # INSERT INTO case_snapshot (columns) VALUES (placeholders)
    summaries: str  # INSERT INTO tier_summary ... SELECT the current summaries

    def select_for(self, ids: list[int]) -> str:
        return self.select.replace(str(STAND_IN), ", ".join(str(int(i)) for i in ids))


_COMPILED: dict[tuple[str, dt.date, str], Statements] = {}


def statements(con: BaseBackend, as_of: dt.date, policy: Policy) -> Statements:
    key = (con.name, as_of, repr(policy))
    if key not in _COMPILED:
        columns = ", ".join(quote(name) for name in SNAPSHOT_COLUMNS)
        marks = ", ".join([placeholder(con)] * len(SNAPSHOT_COLUMNS))
        stand_in = build_snapshot(con, as_of=as_of, policy=policy, referral_ids=[STAND_IN])
        select = str(con.compile(stand_in))
        if str(STAND_IN) not in select:
            raise RuntimeError("the compiled snapshot does not filter by referral id")
        summaries = build_summaries(con, con.table("case_snapshot"), as_of=as_of, policy=policy)
        _COMPILED[key] = Statements(
            dirty=str(con.compile(dirty_referrals(con).name("id").as_table())),
            # Fetched, then inserted: INSERT ... SELECT over the filtered query nests one level
            # more than SQLite's parser takes.
            select=select,
            insert=f"INSERT INTO case_snapshot ({columns}) VALUES ({marks})",  # noqa: S608
            summaries=summary_insert(con, summaries, as_of),
        )
    return _COMPILED[key]


def dirty_referrals(con: BaseBackend) -> ibis.Column:
    """The queued referrals and every referral of their patients (a safeguarding or risk row
    belongs to the patient, so all their referrals are dirty)."""
    t = Tables(con)
    queue, referrals = t.refresh_queue, t.referral
    patients = referrals.filter(referrals.id.isin(queue.referral_id)).patient_id
    return referrals.filter(referrals.patient_id.isin(patients)).id


def current_as_of(con: BaseBackend) -> dt.date | None:
    runs = con.table("refresh_run")
    latest = (
        runs.filter(runs.status == "succeeded", runs.kind.isin(("full", "incremental")))
        .order_by([runs.finished_at.desc(), runs.id.desc()])
        .limit(1)
        .select("as_of")
        .to_pyarrow()
        .to_pylist()
    )
    if not latest:
        return None
    value: Any = latest[0]["as_of"]
    return (
        value.date() if isinstance(value, dt.datetime) else dt.date.fromisoformat(str(value)[:10])
    )


def drain(con: BaseBackend, *, today: dt.date, policy: Policy = DEFAULT_POLICY) -> dict[str, Any]:
    """Recompute what the queue names; {"kind": "incremental" | "full" | "none", "referrals": n}."""
    cursor = con.con.cursor()
    try:
        cursor.execute("SELECT MAX(id) FROM refresh_queue")
        last = cursor.fetchone()[0]
    finally:
        cursor.close()
    if last is None:
        return {"kind": "none", "referrals": 0}
    as_of = current_as_of(con)
    if as_of is None or as_of < today:
        written = refresh.full(con, as_of=today, policy=policy)
        _delete_queue(con, last)
        return {"kind": "full", "referrals": written}
    compiled = statements(con, as_of, policy)
    mark = placeholder(con)
    raw = con.con
    cursor = raw.cursor()
    started = run_row(con, as_of, "incremental", 0)[3]
    try:
        if con.name == "sqlite":
            cursor.execute("BEGIN IMMEDIATE")
        cursor.execute(compiled.dirty)
        dirty = sorted({row[0] for row in cursor.fetchall()})
        marks = ", ".join([mark] * len(dirty))
        cursor.execute(f"DELETE FROM case_snapshot WHERE referral_id IN ({marks})", dirty)  # noqa: S608
        cursor.execute(compiled.select_for(dirty))
        computed = cursor.fetchall()
        cursor.executemany(compiled.insert, computed)
        written = len(computed)
        cursor.execute("DELETE FROM tier_summary WHERE month IS NULL")
        cursor.execute(compiled.summaries)
        cursor.execute(f"DELETE FROM refresh_queue WHERE id <= {mark}", (last,))  # noqa: S608
        insert_run(cursor, con, run_row(con, as_of, "incremental", written, started=started))
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        cursor.close()
    return {"kind": "incremental", "referrals": len(dirty), "written": written}


def _delete_queue(con: BaseBackend, last: int) -> None:
    mark = placeholder(con)
    raw = con.con
    cursor = raw.cursor()
    try:
        cursor.execute(f"DELETE FROM refresh_queue WHERE id <= {mark}", (last,))  # noqa: S608
        raw.commit()
    finally:
        cursor.close()
