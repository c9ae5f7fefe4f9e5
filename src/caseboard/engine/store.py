"""The one writer of the case snapshot: a short transaction on the engine's own connection.

Delete the affected snapshot rows, INSERT INTO case_snapshot (<declared columns>) SELECT from the
compiled expression, replace the current tier summaries (``month`` empty) when given them, and
record the refresh_run; all or nothing. Migrations own the tables: the only DDL here is a
temporary stage table (``Stage``), private to the session and dropped at commit. Every
statement is compiled before the transaction opens (Ibis's own SQLite ``begin()`` would commit
an open transaction), and none takes parameters besides the ids and the run row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import ibis
from ibis.backends import BaseBackend

from caseboard.domain import clock
from caseboard.engine.compiling import sql
from caseboard.engine.snapshot import SNAPSHOT_COLUMNS
from caseboard.engine.summaries import unpivot

SUMMARY_COLUMNS = ("as_of", "month", "tier", "tier_id", "measure", "value")


@dataclass(frozen=True)
class Stage:
    """A temporary table ``name`` filled from ``expression`` inside the write's transaction,
    before the snapshot's INSERT (which reads it); dropped at commit. PostgreSQL only."""

    name: str
    expression: ibis.Table

    def table(self) -> ibis.Table:
        """The stage as a table for the expressions that read it (compiled, not yet made)."""
        return ibis.table(self.expression.schema(), name=self.name)


@contextmanager
def transaction(con: BaseBackend) -> Iterator[Any]:
    """A cursor inside one transaction on the engine's own connection, committed when the block
    ends and rolled back when it raises. SQLite: BEGIN IMMEDIATE (the write lock first, so two
    refreshes queue rather than fail). PostgreSQL: Ibis connects in autocommit mode, where every
    statement would commit on its own, so the block is an explicit psycopg transaction."""
    raw = con.con  # the DB-API connection Ibis holds (its SQLite functions are registered on it)
    if con.name != "sqlite":
        with raw.transaction(), raw.cursor() as cursor:
            yield cursor
        return
    cursor = raw.cursor()
    try:
        cursor.execute("BEGIN IMMEDIATE")
        yield cursor
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        cursor.close()


def placeholder(con: BaseBackend) -> str:
    """The DB-API parameter mark of the engine's connection: SQLite's ? or psycopg's %s."""
    return "?" if con.name == "sqlite" else "%s"


def quote(name: str) -> str:
    return '"' + name + '"'


def run_row(
    con: BaseBackend, as_of: dt.date, kind: str, referrals: int, *, started: Any = None
) -> tuple[Any, ...]:
    """A refresh_run row: as_of, kind, engine, started_at, finished_at, status, referrals."""
    day = as_of.isoformat() if con.name == "sqlite" else as_of
    now = _now(con)
    return (day, kind, con.name, started or now, now, "succeeded", referrals)


RUN_COLUMNS = "as_of, kind, engine, started_at, finished_at, status, referrals"


def insert_run(cursor: Any, con: BaseBackend, row: tuple[Any, ...]) -> None:
    """Insert one refresh_run row (see ``run_row``) on ``cursor``, inside the caller's
    transaction."""
    marks = ", ".join([placeholder(con)] * 7)
    cursor.execute(f"INSERT INTO refresh_run ({RUN_COLUMNS}) VALUES ({marks})", row)  # noqa: S608


def _now(con: BaseBackend) -> Any:
    now = clock.now()
    # Django keeps naive UTC in SQLite; PostgreSQL takes the aware value.
    return now.replace(tzinfo=None).isoformat(sep=" ") if con.name == "sqlite" else now


def write_snapshot(
    con: BaseBackend,
    expression: ibis.Table,
    *,
    as_of: dt.date,
    kind: str,
    referral_ids: Collection[int] | None = None,
    tiers: ibis.Table | None = None,
    stage: Stage | None = None,
) -> int:
    """Replace the snapshot rows of ``referral_ids`` (all rows when None); return rows written.

    ``tiers`` (engine/summaries.py ``tier_rows``: one wide row per tier, best built over the
    stored ``case_snapshot`` table, which it then reads after the new rows are in) replaces the
    current tier summaries in the same transaction: fetched, reshaped to long rows by
    ``summaries.unpivot`` as the incremental refresh does, and inserted. ``stage``, when
    ``expression`` reads one, is made first in the same transaction.
    """
    if stage is not None and con.name != "postgres":
        raise ValueError("a stage table is for PostgreSQL only")
    mark = placeholder(con)
    columns = ", ".join(quote(name) for name in SNAPSHOT_COLUMNS)
    select = sql(con, expression.select(*SNAPSHOT_COLUMNS))
    insert = f"INSERT INTO case_snapshot ({columns}) SELECT {columns} FROM ({select}) AS computed"  # noqa: S608
    select_tiers = None if tiers is None else tier_select(con, tiers)
    make_stage = None
    if stage is not None:
        make_stage = (
            f"CREATE TEMPORARY TABLE {quote(stage.name)} ON COMMIT DROP AS "
            f"{sql(con, stage.expression)}"
        )
    started = _now(con)
    with transaction(con) as cursor:
        if make_stage is not None:
            cursor.execute(make_stage)
        if referral_ids is None:
            cursor.execute("DELETE FROM case_snapshot")
        else:
            ids = sorted(set(referral_ids))
            marks = ", ".join([mark] * len(ids))
            cursor.execute(f"DELETE FROM case_snapshot WHERE referral_id IN ({marks})", ids)  # noqa: S608
        cursor.execute(insert)
        written = cursor.rowcount
        if select_tiers is not None:
            cursor.execute("DELETE FROM tier_summary WHERE month IS NULL")
            cursor.execute(select_tiers)
            day = as_of.isoformat() if con.name == "sqlite" else as_of
            rows = [(day, None, *long) for wide in cursor.fetchall() for long in unpivot(wide)]
            insert_summary_rows(cursor, con, rows)
        insert_run(cursor, con, run_row(con, as_of, kind, written, started=started))
    return int(written)


def tier_select(con: BaseBackend, tiers: ibis.Table) -> str:
    """The SELECT of the wide tier rows, compiled for ``con``."""
    return sql(con, tiers)


def insert_summary_rows(cursor: Any, con: BaseBackend, rows: list[tuple[Any, ...]]) -> None:
    """Insert tier_summary rows (``SUMMARY_COLUMNS`` order) on ``cursor``: COPY on PostgreSQL
    (a full refresh writes about 200,000 rows), a prepared INSERT on SQLite."""
    columns = ", ".join(quote(name) for name in SUMMARY_COLUMNS)
    if con.name == "postgres":
        with cursor.copy(f"COPY tier_summary ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join([placeholder(con)] * len(SUMMARY_COLUMNS))
    cursor.executemany(f"INSERT INTO tier_summary ({columns}) VALUES ({marks})", rows)  # noqa: S608


def write_history(
    con: BaseBackend,
    months: dict[dt.date, list[tuple[str, int | None, str, float | None]]],
    *,
    as_of: dt.date,
) -> None:
    """Replace the tier summaries of each month end in ``months`` (tier, tier_id, measure,
    value rows) and record a history refresh_run; all months in one transaction."""
    mark = placeholder(con)
    started = _now(con)

    def day(value: dt.date) -> Any:
        return value.isoformat() if con.name == "sqlite" else value

    with transaction(con) as cursor:
        for month_end, rows in sorted(months.items()):
            cursor.execute(
                f"DELETE FROM tier_summary WHERE month = {mark}",  # noqa: S608
                (day(month_end),),
            )
            insert_summary_rows(cursor, con, [(day(as_of), day(month_end), *row) for row in rows])
        insert_run(cursor, con, run_row(con, as_of, "history", 0, started=started))
