"""Incremental refresh equals a full refresh at the same as_of, whatever changes arrive.

A Hypothesis state machine applies random changes to a copy of the test trust, each written with
its refresh_queue row as a writer does (a new contact, a new score, a reallocation, a signed
discussion, an action completed, a safeguarding concern opened), drains the queue, and compares
every snapshot row and every current tier summary with a full recomputation.
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

from caseboard.engine import backends, incremental, refresh
from caseboard.engine.snapshot import SNAPSHOT_COLUMNS, build_snapshot
from caseboard.engine.summaries import build_summaries

pytestmark = pytest.mark.parity
AS_OF = dt.date(2026, 11, 20)  # the trust's as_of (tests/engine/conftest.py)
DAY = AS_OF.isoformat()
_FULL_SQL: dict[str, str] = {}


def _rows(cursor, table, where="1 = 1", params=()):
    cursor.execute(f"SELECT * FROM {table} WHERE {where}", params)  # noqa: S608
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _copy(cursor, table, row, **changes):
    """Insert a copy of ``row`` with a new id (and source id) and ``changes``."""
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
    new = {**row, **changes, "id": cursor.fetchone()[0]}
    if "source_id" in new:
        new["source_id"] = f"{table}-change-{new['id']}"
    names = ", ".join(new)
    cursor.execute(
        f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(new))})",  # noqa: S608
        list(new.values()),
    )
    return new["id"]


def _same(left, right):
    if isinstance(left, float) and isinstance(right, float):
        return math.isclose(left, right, abs_tol=1e-9)
    return left == right


class Changes(RuleBasedStateMachine):
    home = None  # the trust folder, set by the test

    @initialize()
    def start(self):
        # A fresh folder per example: a copied file must not meet another's WAL files.
        self.path = Path(tempfile.mkdtemp(dir=self.workdir)) / "caseboard.sqlite3"
        shutil.copy(self.home / "caseboard.sqlite3", self.path)
        self.con = backends.sqlite(self.path)
        refresh.full(self.con, as_of=AS_OF)
        self.raw = self.con.con
        cursor = self.raw.cursor()
        self.open_ids = sorted(
            row["referral_id"] for row in _rows(cursor, "case_snapshot", "1 = 1")
        )
        self.practitioners = sorted(row["id"] for row in _rows(cursor, "practitioner", "active"))

    def _write(self, referral_id, reason, change):
        cursor = self.raw.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        change(cursor)
        cursor.execute(
            "INSERT INTO refresh_queue (referral_id, queued_at, reason) VALUES (?, ?, ?)",
            (referral_id, f"{DAY} 12:00:00", reason),
        )
        self.raw.commit()
        drained = incremental.drain(self.con, today=AS_OF)
        assert drained["kind"] == "incremental", drained

    @rule(pick=st.integers(min_value=0), outcome=st.sampled_from(["attended", "did_not_attend"]))
    def new_contact(self, pick, outcome):
        referral_id = self.open_ids[pick % len(self.open_ids)]

        def change(cursor):
            like = _rows(cursor, "contact", "1 = 1 LIMIT 1")[0]
            _copy(
                cursor,
                "contact",
                like,
                referral_id=referral_id,
                starts_at=f"{DAY} 09:00:00",
                starts_on=DAY,
                kind="treatment",
                direct=1,
                outcome=outcome,
            )

        self._write(referral_id, "contact", change)

    @rule(pick=st.integers(min_value=0), score=st.integers(min_value=0, max_value=27))
    def new_score(self, pick, score):
        referral_id = self.open_ids[pick % len(self.open_ids)]

        def change(cursor):
            like = _rows(cursor, "measure", "instrument = 'phq9' LIMIT 1")[0]
            _copy(
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
            leads = _rows(
                cursor,
                "referral_care_team",
                "referral_id = ? AND role = 'lead' AND ends_on IS NULL",
                (referral_id,),
            )
            yesterday = (AS_OF - dt.timedelta(days=1)).isoformat()
            for lead in leads:
                cursor.execute(
                    "UPDATE referral_care_team SET ends_on = ? WHERE id = ?",
                    (yesterday, lead["id"]),
                )
            like = leads[0] if leads else _rows(cursor, "referral_care_team", "1 = 1 LIMIT 1")[0]
            _copy(
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
            like = _rows(cursor, "supervision_discussion", "1 = 1 LIMIT 1")[0]
            _copy(
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
        open_actions = _rows(
            cursor, "supervision_action", "completed_on IS NULL AND referral_id IS NOT NULL"
        )
        if not open_actions:
            return
        action = open_actions[pick % len(open_actions)]

        def change(cursor):
            cursor.execute(
                "UPDATE supervision_action SET completed_on = ?, completed_by_id = owner_id"
                " WHERE id = ?",
                (DAY, action["id"]),
            )

        self._write(action["referral_id"], "action", change)

    @rule(pick=st.integers(min_value=0))
    def safeguarding_opened(self, pick):
        referral_id = self.open_ids[pick % len(self.open_ids)]

        def change(cursor):
            cursor.execute("SELECT patient_id FROM referral WHERE id = ?", (referral_id,))
            patient_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO safeguarding_concern (source_system, source_id, kind, opened_on,"
                " closed_on, patient_id) VALUES ('test', ?, 'adult', ?, NULL, ?)",
                (f"sg-change-{referral_id}-{pick}", DAY, patient_id),
            )

        # The writer queues the referral it knows; the engine recomputes every referral of the
        # patient.
        self._write(referral_id, "safeguarding", change)

    @invariant()
    def incremental_equals_full(self):
        if not hasattr(self, "con"):
            return
        if "sql" not in _FULL_SQL:
            _FULL_SQL["sql"] = str(self.con.compile(build_snapshot(self.con, as_of=AS_OF)))
        cursor = self.raw.cursor()
        cursor.execute(_FULL_SQL["sql"])
        names = [column[0] for column in cursor.description]
        full = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
        stored = {row["referral_id"]: row for row in _rows(cursor, "case_snapshot")}
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
        if "summaries" not in _FULL_SQL:
            expression = build_summaries(self.con, self.con.table("case_snapshot"), as_of=AS_OF)
            _FULL_SQL["summaries"] = str(self.con.compile(expression))
        cursor.execute(_FULL_SQL["summaries"])
        full = {(row[0], row[1], row[2]): row[3] for row in cursor.fetchall()}
        stored = {
            (row["tier"], row["tier_id"], row["measure"]): row["value"]
            for row in _rows(cursor, "tier_summary", "month IS NULL")
        }
        assert sorted(stored, key=str) == sorted(full, key=str)
        differing = {
            key: (stored[key], full[key]) for key in full if not _same(stored[key], full[key])
        }
        assert not differing, differing

    def teardown(self):
        if hasattr(self, "con"):
            self.con.disconnect()


def test_incremental_refresh_equals_full(trust_home, tmp_path_factory):
    Changes.home = trust_home
    Changes.workdir = tmp_path_factory.mktemp("incremental")
    runner = Changes.TestCase
    runner.settings = settings(
        max_examples=4,
        stateful_step_count=5,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    runner().runTest()


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
