"""Incremental refresh equals a full refresh at the same as_of, whatever changes arrive.

A Hypothesis state machine applies random changes to a copy of the test trust, each written with
its refresh_queue row as a writer does (a new contact, a new score, a reallocation, a signed
discussion, an action completed, a safeguarding concern opened), drains the queue, and compares
every snapshot row and every current tier summary with a full recomputation. It runs on SQLite
and on PostgreSQL, whose drains run prepared statements with generic plans.
"""

import datetime as dt
import math
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from caseboard.engine import backends, incremental, refresh, store
from caseboard.engine.snapshot import SNAPSHOT_COLUMNS, build_snapshot
from caseboard.engine.summaries import build_summaries

pytestmark = pytest.mark.parity
AS_OF = dt.date(2026, 11, 20)  # the trust's as_of (tests/engine/conftest.py)
DAY = AS_OF.isoformat()
_FULL_SQL: dict[tuple[str, str], str] = {}


def _rows(cursor, table, where="1 = 1", params=(), mark="?"):
    """The rows of ``table`` as dicts; ``where`` marks its parameters with ``?``."""
    cursor.execute(f"SELECT * FROM {table} WHERE {where.replace('?', mark)}", params)  # noqa: S608
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _copy(cursor, table, row, mark="?", **changes):
    """Insert a copy of ``row`` with a new id (and source id) and ``changes``."""
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
    new = {**row, **changes, "id": cursor.fetchone()[0]}
    if "source_id" in new:
        new["source_id"] = f"{table}-change-{new['id']}"
    names = ", ".join(new)
    cursor.execute(
        f"INSERT INTO {table} ({names}) VALUES ({', '.join([mark] * len(new))})",  # noqa: S608
        list(new.values()),
    )
    return new["id"]


def _same(left, right):
    if isinstance(left, float) and isinstance(right, float):
        return math.isclose(left, right, abs_tol=1e-9)
    return left == right


class Changes(RuleBasedStateMachine):
    home = None  # the trust folder, set by the test
    copy_postgres = None  # PostgreSQL: returns a new database holding the trust; else SQLite

    @initialize()
    def start(self):
        if self.copy_postgres is None:
            # A fresh folder per example: a copied file must not meet another's WAL files.
            self.path = Path(tempfile.mkdtemp(dir=self.workdir)) / "caseboard.sqlite3"
            shutil.copy(self.home / "caseboard.sqlite3", self.path)
            self.con = backends.sqlite(self.path)
        else:
            self.con = backends.postgres(self.copy_postgres())
        self.mark = store.placeholder(self.con)
        refresh.full(self.con, as_of=AS_OF)
        self.raw = self.con.con
        cursor = self.raw.cursor()
        self.open_ids = sorted(row["referral_id"] for row in self._rows(cursor, "case_snapshot"))
        self.practitioners = sorted(
            row["id"] for row in self._rows(cursor, "practitioner", "active")
        )

    def _rows(self, cursor, table, where="1 = 1", params=()):
        return _rows(cursor, table, where, params, mark=self.mark)

    def _copy(self, cursor, table, row, **changes):
        return _copy(cursor, table, row, mark=self.mark, **changes)

    def _sql(self, text):
        """``text`` with its ``?`` parameter marks in the backend's style."""
        return text.replace("?", self.mark)

    def _write(self, referral_id, reason, change):
        mark = self.mark
        with store.transaction(self.con) as cursor:
            change(cursor)
            cursor.execute(
                "INSERT INTO refresh_queue (referral_id, queued_at, reason) "  # noqa: S608
                f"VALUES ({mark}, {mark}, {mark})",
                (referral_id, f"{DAY} 12:00:00", reason),
            )
        drained = incremental.drain(self.con, today=AS_OF)
        assert drained["kind"] == "incremental", drained

    @rule(pick=st.integers(min_value=0), outcome=st.sampled_from(["attended", "did_not_attend"]))
    def new_contact(self, pick, outcome):
        referral_id = self.open_ids[pick % len(self.open_ids)]

        def change(cursor):
            like = self._rows(cursor, "contact", "1 = 1 LIMIT 1")[0]
            self._copy(
                cursor,
                "contact",
                like,
                referral_id=referral_id,
                starts_at=f"{DAY} 09:00:00",
                starts_on=DAY,
                kind="treatment",
                direct=True,
                outcome=outcome,
            )

        self._write(referral_id, "contact", change)

    @rule(pick=st.integers(min_value=0), score=st.integers(min_value=0, max_value=27))
    def new_score(self, pick, score):
        referral_id = self.open_ids[pick % len(self.open_ids)]

        def change(cursor):
            like = self._rows(cursor, "measure", "instrument = 'phq9' LIMIT 1")[0]
            self._copy(
                cursor,
                "measure",
                like,
                referral_id=referral_id,
                contact_id=None,
                measured_on=DAY,
                score=float(score),
            )

        self._write(referral_id, "measure", change)

    @rule(pick=st.integers(min_value=0), who=st.integers(min_value=0))
    def reallocation(self, pick, who):
        referral_id = self.open_ids[pick % len(self.open_ids)]
        practitioner_id = self.practitioners[who % len(self.practitioners)]

        def change(cursor):
            leads = self._rows(
                cursor,
                "referral_care_team",
                "referral_id = ? AND role = 'lead' AND ends_on IS NULL",
                (referral_id,),
            )
            yesterday = (AS_OF - dt.timedelta(days=1)).isoformat()
            for lead in leads:
                cursor.execute(
                    self._sql("UPDATE referral_care_team SET ends_on = ? WHERE id = ?"),
                    (yesterday, lead["id"]),
                )
            like = (
                leads[0] if leads else self._rows(cursor, "referral_care_team", "1 = 1 LIMIT 1")[0]
            )
            self._copy(
                cursor,
                "referral_care_team",
                like,
                referral_id=referral_id,
                practitioner_id=practitioner_id,
                role="lead",
                starts_on=DAY,
                ends_on=None,
            )

        self._write(referral_id, "reallocation", change)

    @rule(pick=st.integers(min_value=0))
    def discussion_signed(self, pick):
        referral_id = self.open_ids[pick % len(self.open_ids)]

        def change(cursor):
            like = self._rows(cursor, "supervision_discussion", "1 = 1 LIMIT 1")[0]
            self._copy(
                cursor,
                "supervision_discussion",
                like,
                referral_id=referral_id,
                session_date=DAY,
                decision="discharge",
                signed_off_at=f"{DAY} 15:00:00",
            )

        self._write(referral_id, "discussion", change)

    @rule(pick=st.integers(min_value=0))
    def action_completed(self, pick):
        cursor = self.raw.cursor()
        open_actions = self._rows(
            cursor, "supervision_action", "completed_on IS NULL AND referral_id IS NOT NULL"
        )
        if not open_actions:
            return
        action = open_actions[pick % len(open_actions)]

        def change(cursor):
            cursor.execute(
                self._sql(
                    "UPDATE supervision_action SET completed_on = ?, completed_by_id = owner_id"
                    " WHERE id = ?"
                ),
                (DAY, action["id"]),
            )

        self._write(action["referral_id"], "action", change)

    @rule(pick=st.integers(min_value=0))
    def safeguarding_opened(self, pick):
        referral_id = self.open_ids[pick % len(self.open_ids)]

        def change(cursor):
            cursor.execute(
                self._sql("SELECT patient_id FROM referral WHERE id = ?"), (referral_id,)
            )
            patient_id = cursor.fetchone()[0]
            cursor.execute(
                self._sql(
                    "INSERT INTO safeguarding_concern (source_system, source_id, kind, opened_on,"
                    " closed_on, patient_id) VALUES ('test', ?, 'adult', ?, NULL, ?)"
                ),
                (f"sg-change-{referral_id}-{pick}", DAY, patient_id),
            )

        # The writer queues the referral it knows; the engine recomputes every referral of the
        # patient.
        self._write(referral_id, "safeguarding", change)

    @invariant()
    def incremental_equals_full(self):
        if not hasattr(self, "con"):
            return
        key = (self.con.name, "snapshot")
        if key not in _FULL_SQL:
            _FULL_SQL[key] = str(self.con.compile(build_snapshot(self.con, as_of=AS_OF)))
        cursor = self.raw.cursor()
        cursor.execute(_FULL_SQL[key])
        names = [column[0] for column in cursor.description]
        full = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
        stored = {row["referral_id"]: row for row in self._rows(cursor, "case_snapshot")}
        assert sorted(stored) == sorted(full)
        for referral_id, row in full.items():
            kept = stored[referral_id]
            differing = {
                name: (kept[name], row[name])
                for name in SNAPSHOT_COLUMNS
                if not _same(kept[name], row[name])
            }
            assert not differing, f"referral {referral_id}: {differing}"
        cursor.execute("SELECT COUNT(*) FROM refresh_queue")
        assert cursor.fetchone()[0] == 0
        self.summaries_equal_full(cursor)

    def summaries_equal_full(self, cursor):
        """Every current tier summary row equals the full computation over the same snapshot:
        the touched practitioners and teams recomputed, services and the trust rolled up."""
        key = (self.con.name, "summaries")
        if key not in _FULL_SQL:
            expression = build_summaries(self.con, self.con.table("case_snapshot"), as_of=AS_OF)
            _FULL_SQL[key] = str(self.con.compile(expression))
        cursor.execute(_FULL_SQL[key])
        full = {(row[0], row[1], row[2]): row[3] for row in cursor.fetchall()}
        stored = {
            (row["tier"], row["tier_id"], row["measure"]): row["value"]
            for row in self._rows(cursor, "tier_summary", "month IS NULL")
        }
        assert sorted(stored, key=str) == sorted(full, key=str)
        differing = {
            key: (stored[key], full[key]) for key in full if not _same(stored[key], full[key])
        }
        assert not differing, differing

    def teardown(self):
        if hasattr(self, "con"):
            self.con.disconnect()


def _run(machine, examples):
    runner = machine.TestCase
    runner.settings = settings(
        max_examples=examples,
        stateful_step_count=5,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    runner().runTest()


def test_incremental_refresh_equals_full(trust_home, tmp_path_factory):
    Changes.home = trust_home
    Changes.workdir = tmp_path_factory.mktemp("incremental")
    _run(Changes, examples=4)


class ChangesOnPostgres(Changes):
    """The same changes on PostgreSQL, each example in a new copy of the trust."""


def test_incremental_refresh_equals_full_on_postgres(trust_postgres_copies):
    ChangesOnPostgres.copy_postgres = staticmethod(trust_postgres_copies)
    _run(ChangesOnPostgres, examples=3)


def test_a_snapshot_older_than_today_makes_the_refresh_full(trust_home, tmp_path):
    path = tmp_path / "caseboard.sqlite3"
    shutil.copy(trust_home / "caseboard.sqlite3", path)
    con = backends.sqlite(path)
    refresh.full(con, as_of=AS_OF)
    assert incremental.drain(con, today=AS_OF)["kind"] == "none"  # nothing queued
    raw = con.con
    raw.execute(
        "INSERT INTO refresh_queue (referral_id, queued_at, reason) VALUES (1, ?, 'test')",
        (f"{DAY} 12:00:00",),
    )
    raw.commit()
    tomorrow = AS_OF + dt.timedelta(days=1)
    assert incremental.drain(con, today=tomorrow)["kind"] == "full"
    assert incremental.current_as_of(con) == tomorrow
    assert con.table("refresh_queue").count().execute() == 0
    con.disconnect()
