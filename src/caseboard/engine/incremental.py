"""Incremental refresh (DESIGN "Refresh, full and incremental").

Writers add referral ids to ``refresh_queue`` in the same transaction as their change; ``drain``
recomputes the queued referrals and every referral of their patients at the as_of of the current
snapshot, replaces their snapshot rows, rewrites the current summaries of every practitioner and
team they belonged to before or after (with every practitioner of those teams), rolls their
services and the trust up from the team rows (engine/summaries_rollup.py), and deletes the drained
queue rows, in one transaction. When the current snapshot is older than today the refresh is
full.

The statements depend only on as_of and the policy, so they are compiled once per day with
stand-in ids, and the statement text never changes within the day. SQLite: each stand-in is
replaced by a read of a temporary table holding the ids of this drain, so SQLite reuses its
prepared plan (it spent ~75 ms of ~100 preparing the snapshot query anew for each referral).
PostgreSQL: each stand-in becomes an array parameter (``= ANY(%(ids)s)``) of a server-side
prepared statement run with its generic plan, so the ~100 KB snapshot query is planned once a
day on the drainer's connection instead of at every drain (planning was ~105 ms of ~170; see
``_execute``). Every base table is filtered to the ids before any window or aggregate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ibis
from ibis.backends import BaseBackend
from psycopg.types.numeric import Int8

from caseboard.domain.evidence_text import as_date
from caseboard.domain.policy import DEFAULT_POLICY, Policy
from caseboard.engine import refresh
from caseboard.engine.snapshot import SNAPSHOT_COLUMNS, build_snapshot
from caseboard.engine.store import (
    SUMMARY_COLUMNS,
    insert_run,
    placeholder,
    quote,
    run_row,
    transaction,
)
from caseboard.engine.summaries import tier_rows, unpivot
from caseboard.engine.summaries_rollup import rollup
from caseboard.engine.tables import Tables

# Ids no row has, each replaced in the compiled SQL by a read of its temporary table.
STAND_IN = -7_340_019_231
STAND_IN_PRACTITIONER = -7_340_019_232
STAND_IN_TEAM = -7_340_019_233
STAND_IN_SERVICE = -7_340_019_234
DIRTY = {
    STAND_IN: "caseboard_dirty_referral",
    STAND_IN_PRACTITIONER: "caseboard_dirty_practitioner",
    STAND_IN_TEAM: "caseboard_dirty_team",
    STAND_IN_SERVICE: "caseboard_dirty_service",
}
LOCK_KEY = 7_340_019  # PostgreSQL advisory lock: one drain at a time
LEAD = SNAPSHOT_COLUMNS.index("lead_practitioner_id")
TEAM = SNAPSHOT_COLUMNS.index("team_id")


def _swap(con: BaseBackend, sql: str, *stand_ins: int) -> str:
    """``sql`` with each stand-in's IN list read from its temporary table (SQLite) or its
    array parameter, named after the table (PostgreSQL, whose other ``%`` are then escaped)."""
    if con.name != "sqlite":
        sql = sql.replace("%", "%%")
    for stand_in in stand_ins:
        marked = f"IN ({stand_in})"
        if marked not in sql:
            raise RuntimeError(f"the compiled statement does not filter by stand-in {stand_in}")
        if con.name == "sqlite":
            sql = sql.replace(marked, f"IN (SELECT id FROM {DIRTY[stand_in]})")  # noqa: S608
        else:
            sql = sql.replace(marked, f"= ANY(%({DIRTY[stand_in]})s)")
    if any(str(stand_in) in sql for stand_in in DIRTY):
        raise RuntimeError("a stand-in id is left in the compiled statement")
    return sql


@dataclass(frozen=True)
class Statements:
    dirty: str  # INSERT the dirty referral ids into their temporary table
    select: str  # the snapshot's SELECT of the dirty referrals
    insert: str  # INSERT INTO case_snapshot (columns) VALUES (placeholders)
    tiers: str  # SELECT the touched practitioners' and teams' wide summary rows
    rollup: str  # SELECT the touched services' and the trust's, from the stored team rows
    summary: str  # INSERT INTO tier_summary (columns) VALUES (placeholders)


_COMPILED: dict[tuple[str, dt.date, str], Statements] = {}


def statements(con: BaseBackend, as_of: dt.date, policy: Policy) -> Statements:
    key = (con.name, as_of, repr(policy))
    if key not in _COMPILED:
        # Yesterday's statements are never run again.
        for old in [k for k in _COMPILED if k[0] == con.name and k[1] != as_of]:
            del _COMPILED[old]
        columns = ", ".join(quote(name) for name in SNAPSHOT_COLUMNS)
        marks = ", ".join([placeholder(con)] * len(SNAPSHOT_COLUMNS))
        stand_in = build_snapshot(con, as_of=as_of, policy=policy, referral_ids=[STAND_IN])
        snapshot = con.table("case_snapshot")
        tiers = tier_rows(
            con,
            snapshot,
            as_of=as_of,
            policy=policy,
            practitioner_ids=[STAND_IN_PRACTITIONER],
            team_ids=[STAND_IN_TEAM],
        )
        rolled = rollup(con, as_of=as_of, policy=policy, service_ids=[STAND_IN_SERVICE])
        dirty = str(con.compile(dirty_referrals(con).name("id").as_table()))
        _COMPILED[key] = Statements(
            dirty=f"INSERT INTO {DIRTY[STAND_IN]} (id) {dirty}",
            # Fetched, then inserted: INSERT ... SELECT over the filtered query nests one level
            # more than SQLite's parser takes.
            select=_swap(con, str(con.compile(stand_in)), STAND_IN),
            insert=f"INSERT INTO case_snapshot ({columns}) VALUES ({marks})",  # noqa: S608
            tiers=_swap(con, str(con.compile(tiers)), STAND_IN_PRACTITIONER, STAND_IN_TEAM),
            rollup=_swap(con, str(con.compile(rolled)), STAND_IN_SERVICE),
            summary=(
                f"INSERT INTO tier_summary ({', '.join(quote(c) for c in SUMMARY_COLUMNS)}) "  # noqa: S608
                f"VALUES ({', '.join([placeholder(con)] * len(SUMMARY_COLUMNS))})"
            ),
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
    """The as_of of the latest succeeded full or incremental refresh (plain SQL: an Ibis
    expression cost ~20 ms of every drain to build)."""
    cursor = con.con.cursor()
    try:
        cursor.execute(
            "SELECT as_of FROM refresh_run WHERE status = 'succeeded' "
            "AND kind IN ('full', 'incremental') ORDER BY finished_at DESC, id DESC LIMIT 1"
        )
        latest = cursor.fetchone()
    finally:
        cursor.close()
    return None if latest is None else as_date(latest[0])


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
    _temporary_tables(con)
    started = run_row(con, as_of, "incremental", 0)[3]
    with transaction(con) as cursor:
        if con.name != "sqlite":
            cursor.execute(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
            cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        for table in DIRTY.values():
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute("SELECT MAX(id) FROM refresh_queue")
        last = cursor.fetchone()[0]
        dirty, written = _replace_snapshot_rows(cursor, con, compiled)
        if dirty:
            _rewrite_summaries(cursor, con, compiled, as_of)
        if last is not None:
            mark = placeholder(con)
            cursor.execute(f"DELETE FROM refresh_queue WHERE id <= {mark}", (last,))  # noqa: S608
        insert_run(cursor, con, run_row(con, as_of, "incremental", written, started=started))
    return {"kind": "incremental", "referrals": dirty, "written": written}


def _execute(cursor: Any, con: BaseBackend, sql: str) -> None:
    """Run one of the compiled statements. SQLite: as it is, so its statement cache reuses the
    plan (the text never changes within a day). PostgreSQL: prepared on the server, the ids of
    the temporary tables passed as bigint arrays, with the generic plan (``drain`` sets
    plan_cache_mode for its transaction). A generic plan takes an array parameter for about ten
    ids, so it reads the referral_id indexes as a drain's few ids need. Tried before: the ids
    written out into the text (planned at every drain, ~105 ms of ~170), and the temporary
    tables read by a prepared statement (planned for a table without statistics: whole-table
    scans, ~260 ms)."""
    if con.name == "sqlite":
        cursor.execute(sql)
        return
    params: dict[str, list[Int8]] = {}
    for table in DIRTY.values():
        if f"%({table})s" in sql:
            cursor.execute(f"SELECT id FROM {table} ORDER BY id")  # noqa: S608
            params[table] = [Int8(row[0]) for row in cursor.fetchall()]
    cursor.execute(sql, params or None, prepare=True)


def _replace_snapshot_rows(cursor: Any, con: BaseBackend, compiled: Statements) -> tuple[int, int]:
    """Replace the dirty referrals' snapshot rows; note the practitioners and teams they
    belonged to before and after. Returns (dirty referrals, rows written)."""
    _execute(cursor, con, compiled.dirty)
    cursor.execute(f"SELECT COUNT(*) FROM {DIRTY[STAND_IN]}")  # noqa: S608
    dirty = int(cursor.fetchone()[0])
    if not dirty:
        return 0, 0
    within = f"referral_id IN (SELECT id FROM {DIRTY[STAND_IN]})"  # noqa: S608
    cursor.execute(f"SELECT lead_practitioner_id, team_id FROM case_snapshot WHERE {within}")  # noqa: S608
    before = cursor.fetchall()
    cursor.execute(f"DELETE FROM case_snapshot WHERE {within}")  # noqa: S608
    _execute(cursor, con, compiled.select)
    computed = cursor.fetchall()
    if computed:
        cursor.executemany(compiled.insert, computed)
    touched = before + [(row[LEAD], row[TEAM]) for row in computed]
    leads = sorted({lead for lead, _ in touched if lead is not None})
    teams = sorted({team for _, team in touched if team is not None})
    _fill(cursor, con, STAND_IN_PRACTITIONER, leads)
    _fill(cursor, con, STAND_IN_TEAM, teams)
    return dirty, len(computed)


def _rewrite_summaries(cursor: Any, con: BaseBackend, compiled: Statements, as_of: dt.date) -> None:
    """The touched teams are the dirty referrals' teams and their leads' own teams; every
    practitioner of those teams is recomputed, then the teams, then their services and the
    trust from the team rows."""
    practitioners, teams, services = (
        DIRTY[STAND_IN_PRACTITIONER],
        DIRTY[STAND_IN_TEAM],
        DIRTY[STAND_IN_SERVICE],
    )
    cursor.execute(
        f"INSERT INTO {teams} (id) SELECT DISTINCT team_id FROM practitioner "  # noqa: S608
        f"WHERE id IN (SELECT id FROM {practitioners}) "
        f"AND team_id NOT IN (SELECT id FROM {teams})"
    )
    cursor.execute(
        f"INSERT INTO {practitioners} (id) SELECT id FROM practitioner "  # noqa: S608
        f"WHERE team_id IN (SELECT id FROM {teams}) AND id NOT IN (SELECT id FROM {practitioners})"
    )
    cursor.execute(
        f"INSERT INTO {services} (id) SELECT DISTINCT service_id FROM team "  # noqa: S608
        f"WHERE id IN (SELECT id FROM {teams})"
    )
    cursor.execute(
        "DELETE FROM tier_summary WHERE month IS NULL AND ("  # noqa: S608
        f"(tier = 'practitioner' AND tier_id IN (SELECT id FROM {practitioners})) "
        f"OR (tier = 'team' AND tier_id IN (SELECT id FROM {teams})) "
        f"OR (tier = 'service' AND tier_id IN (SELECT id FROM {services})) "
        "OR tier = 'trust')"
    )
    day = as_of.isoformat() if con.name == "sqlite" else as_of
    for select in (compiled.tiers, compiled.rollup):  # the rollup reads the new team rows
        _execute(cursor, con, select)
        rows = [long for wide in cursor.fetchall() for long in unpivot(wide)]
        cursor.executemany(compiled.summary, [(day, None, *row) for row in rows])


def _fill(cursor: Any, con: BaseBackend, stand_in: int, ids: list[int]) -> None:
    if ids:
        mark = placeholder(con)
        cursor.executemany(
            f"INSERT INTO {DIRTY[stand_in]} (id) VALUES ({mark})",  # noqa: S608
            [(int(i),) for i in ids],
        )


def _temporary_tables(con: BaseBackend) -> None:
    """The id tables the compiled statements read: this connection's own, emptied by each
    drain (PostgreSQL also empties them at commit)."""
    with transaction(con) as cursor:
        for table in DIRTY.values():
            if con.name == "sqlite":
                cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY)")
            else:
                cursor.execute(
                    f"CREATE TEMP TABLE IF NOT EXISTS {table} (id BIGINT PRIMARY KEY) "
                    "ON COMMIT DELETE ROWS"
                )


def _delete_queue(con: BaseBackend, last: int) -> None:
    with transaction(con) as cursor:
        mark = placeholder(con)
        cursor.execute(f"DELETE FROM refresh_queue WHERE id <= {mark}", (last,))  # noqa: S608
