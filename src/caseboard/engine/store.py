"""The one writer of the case snapshot: a short transaction on the engine's own connection.

Delete the affected snapshot rows, INSERT INTO case_snapshot (<declared columns>) SELECT from the
compiled expression, replace the current tier summaries (``month`` empty) when given them, and
record the refresh_run; all or nothing. Migrations own the tables: nothing here issues DDL.
Every statement is compiled before the transaction opens (Ibis's own SQLite ``begin()`` would
commit an open transaction), and none takes parameters besides the ids and the run row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

import ibis
from ibis.backends import BaseBackend

from caseboard.engine.snapshot import SNAPSHOT_COLUMNS

SUMMARY_COLUMNS = ("as_of", "month", "tier", "tier_id", "measure", "value")


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
    now = dt.datetime.now(dt.UTC)
    # Django keeps naive UTC in SQLite; PostgreSQL takes the aware value.
    return now.replace(tzinfo=None).isoformat(sep=" ") if con.name == "sqlite" else now


def write_snapshot(
    con: BaseBackend,
    expression: ibis.Table,
    *,
    as_of: dt.date,
    kind: str,
    referral_ids: Collection[int] | None = None,
    summaries: ibis.Table | None = None,
) -> int:
    """Replace the snapshot rows of ``referral_ids`` (all rows when None); return rows written.

    ``summaries`` (engine/summaries.py ``build_summaries``, best built over the stored
    ``case_snapshot`` table, which it then reads after the new rows are in) replaces the current
    tier summaries in the same transaction.
    """
    mark = placeholder(con)
    columns = ", ".join(quote(name) for name in SNAPSHOT_COLUMNS)
    select = con.compile(expression.select(*SNAPSHOT_COLUMNS))
    insert = f"INSERT INTO case_snapshot ({columns}) SELECT {columns} FROM ({select}) AS computed"  # noqa: S608
    insert_summaries = None if summaries is None else summary_insert(con, summaries, as_of)
    started = _now(con)
    with transaction(con) as cursor:
        if referral_ids is None:
            cursor.execute("DELETE FROM case_snapshot")
        else:
            ids = sorted(set(referral_ids))
            marks = ", ".join([mark] * len(ids))
            cursor.execute(f"DELETE FROM case_snapshot WHERE referral_id IN ({marks})", ids)  # noqa: S608
        cursor.execute(insert)
        written = cursor.rowcount
        if insert_summaries is not None:
            cursor.execute("DELETE FROM tier_summary WHERE month IS NULL")
            cursor.execute(insert_summaries)
        insert_run(cursor, con, run_row(con, as_of, kind, written, started=started))
    return int(written)


def summary_insert(con: BaseBackend, summaries: ibis.Table, as_of: dt.date) -> str:
    """INSERT INTO tier_summary ... SELECT the current rows: as_of given, month empty. The date
    is an ISO literal (digits and dashes only) that SQLite stores as Django does and PostgreSQL
    coerces; adding it in Ibis would nest the query one level deeper for SQLite's parser."""
    columns = ", ".join(quote(name) for name in SUMMARY_COLUMNS)
    select = con.compile(summaries.select("tier", "tier_id", "measure", "value"))
    day = as_of.isoformat()
    return (
        f"INSERT INTO tier_summary ({columns}) "  # noqa: S608
        f"SELECT '{day}', NULL, tier, tier_id, measure, value FROM ({select}) AS computed"
    )


def write_history(
    con: BaseBackend,
    months: dict[dt.date, list[tuple[str, int | None, str, float | None]]],
    *,
    as_of: dt.date,
) -> None:
    """Replace the tier summaries of each month end in ``months`` (tier, tier_id, measure,
    value rows) and record a history refresh_run; all months in one transaction."""
    mark = placeholder(con)
    marks = ", ".join([mark] * len(SUMMARY_COLUMNS))
    columns = ", ".join(quote(name) for name in SUMMARY_COLUMNS)
    insert = f"INSERT INTO tier_summary ({columns}) VALUES ({marks})"  # noqa: S608
    started = _now(con)

    def day(value: dt.date) -> Any:
        return value.isoformat() if con.name == "sqlite" else value

    with transaction(con) as cursor:
        for month_end, rows in sorted(months.items()):
            cursor.execute(
                f"DELETE FROM tier_summary WHERE month = {mark}",  # noqa: S608
                (day(month_end),),
            )
            cursor.executemany(
                insert,
                [(day(as_of), day(month_end), *row) for row in rows],
            )
        insert_run(cursor, con, run_row(con, as_of, "history", 0, started=started))
