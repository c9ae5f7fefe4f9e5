# ruff: noqa: S608 (SQL written here names tables and placeholders only)
"""The engine's writes are all or nothing on SQLite and on PostgreSQL (where Ibis connects in
autocommit mode, so a transaction has to be asked for), and an incremental refresh on each
recomputes the referral a writer queued."""

import datetime as dt
import math
import shutil

import pytest

from caseboard.engine import backends, incremental, refresh, store

pytestmark = pytest.mark.parity
AS_OF = dt.date(2026, 11, 20)  # the trust's as_of (conftest.py TRUST)


@pytest.fixture(params=["sqlite", "postgres"])
def application(request, trust_home, tmp_path, postgres_databases, postgres_url, run_caseboard):
    """A private copy of the test trust in a Django-migrated database of each kind."""
    if request.param == "sqlite":
        shutil.copy(trust_home / "caseboard.sqlite3", tmp_path / "caseboard.sqlite3")
        con = backends.sqlite(tmp_path / "caseboard.sqlite3")
    else:
        database = postgres_databases("store")
        url = postgres_url(database)
        args = ["--seed", "17", "--referrals", "300", "--as-of", AS_OF.isoformat()]
        run_caseboard(tmp_path, "generate", "--format", "db", *args, database_url=url)
        con = backends.postgres(database)
    yield con
    con.disconnect()


def _count(con, sql):
    cursor = con.con.cursor()
    cursor.execute(sql)
    (value,) = cursor.fetchone()
    cursor.close()
    return value


def test_a_refresh_that_fails_midway_leaves_the_last_snapshot_whole(application, monkeypatch):
    con = application
    written = refresh.full(con, as_of=AS_OF)
    runs = _count(con, "SELECT COUNT(*) FROM refresh_run")
    # The snapshot rows are replaced, then the summaries' statement fails.
    monkeypatch.setattr(store, "tier_select", lambda *args: "SELECT no_such_column FROM team")
    with pytest.raises(Exception, match="no_such_column"):
        refresh.full(con, as_of=AS_OF + dt.timedelta(days=1))
    monkeypatch.undo()
    assert _count(con, "SELECT COUNT(*) FROM case_snapshot") == written
    assert str(_count(con, "SELECT MIN(as_of) FROM case_snapshot"))[:10] == AS_OF.isoformat()
    assert str(_count(con, "SELECT MAX(as_of) FROM case_snapshot"))[:10] == AS_OF.isoformat()
    assert _count(con, "SELECT COUNT(*) FROM refresh_run") == runs


def test_a_queued_contact_reaches_the_snapshot(application):
    con = application
    refresh.full(con, as_of=AS_OF)
    mark = store.placeholder(con)
    sqlite = con.name == "sqlite"
    day = AS_OF.isoformat() if sqlite else AS_OF
    at = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    cursor = con.con.cursor()
    cursor.execute(
        "SELECT referral_id, lead_practitioner_id, attended_clinical_contacts FROM case_snapshot "
        "WHERE last_attended_on < " + mark + " ORDER BY referral_id LIMIT 1",
        (day,),
    )
    referral_id, lead, attended = cursor.fetchone()
    with store.transaction(con) as writer:
        writer.execute(
            "INSERT INTO contact (source_system, source_id, referral_id, practitioner_id, "
            "starts_at, starts_on, kind, direct, mode, outcome, minutes) VALUES "
            f"('test', 'queued-contact', {mark}, {mark}, {mark}, {mark}, 'treatment', "
            f"{mark}, 'face_to_face', 'attended', 50)",
            (referral_id, lead, at.isoformat(" ")[:19] if sqlite else at, day, True),
        )
        writer.execute(
            "INSERT INTO refresh_queue (referral_id, queued_at, reason) "
            f"VALUES ({mark}, {mark}, 'contact')",
            (referral_id, at.isoformat(" ")[:19] if sqlite else at),
        )
    assert incremental.drain(con, today=AS_OF)["kind"] == "incremental"
    cursor.execute(
        "SELECT last_attended_on, attended_clinical_contacts FROM case_snapshot "
        "WHERE referral_id = " + mark,
        (referral_id,),
    )
    last, now_attended = cursor.fetchone()
    cursor.close()
    assert str(last)[:10] == AS_OF.isoformat()
    assert now_attended == attended + 1
    assert _count(con, "SELECT COUNT(*) FROM refresh_queue") == 0


def _table(con, sql):
    cursor = con.con.cursor()
    cursor.execute(sql)
    rows = sorted(cursor.fetchall(), key=repr)
    cursor.close()
    return rows


def _values(rows):
    """(tier, tier_id, measure) -> value: sums of floats differ in the last bits by order."""
    return {row[:3]: row[3] for row in rows}


def _agree(stored, full):
    def same(left, right):
        if left is None or right is None:
            return left is right
        return math.isclose(left, right, rel_tol=1e-9)

    return all(same(value, full[key]) for key, value in stored.items())


SNAPSHOT = "SELECT * FROM case_snapshot ORDER BY referral_id"
SUMMARIES = "SELECT tier, tier_id, measure, value FROM tier_summary WHERE month IS NULL"


def test_drains_one_after_another_rewrite_what_they_touch_as_a_full_refresh_would(application):
    """Three drains on one connection (on PostgreSQL the second and third reuse the prepared
    statements): each queued referral's snapshot row, spoiled first, comes back equal to a full
    refresh's, and so do the spoiled practitioner summaries it touches and the trust's (rolled
    up from the team rows, which are left whole)."""
    con = application
    refresh.full(con, as_of=AS_OF)
    full = [row[1:] for row in _table(con, SNAPSHOT)]  # without the row id
    full_summaries = _values(_table(con, SUMMARIES))
    ids = [row[0] for row in _table(con, "SELECT referral_id FROM case_snapshot")]
    mark = store.placeholder(con)
    for referral_id in (ids[0], ids[len(ids) // 2], ids[-1]):
        with store.transaction(con) as writer:
            writer.execute(
                "UPDATE case_snapshot SET attended_clinical_contacts = -1 WHERE referral_id = "
                + mark,
                (referral_id,),
            )
            writer.execute(
                "UPDATE tier_summary SET value = -1 "
                "WHERE month IS NULL AND tier IN ('practitioner', 'trust')"
            )
            writer.execute(
                "INSERT INTO refresh_queue (referral_id, queued_at, reason) "
                f"VALUES ({mark}, {mark}, 'test')",
                (referral_id, f"{AS_OF} 12:00:00"),
            )
        assert incremental.drain(con, today=AS_OF)["kind"] == "incremental"
        assert sorted(row[1:] for row in _table(con, SNAPSHOT)) == sorted(full)
        stored = _values(_table(con, SUMMARIES))
        assert stored.keys() == full_summaries.keys()
        # The practitioners touched are rewritten; the rest keep the spoiled value.
        rewritten = {k: v for k, v in stored.items() if k[0] == "practitioner" and v != -1}
        assert rewritten and _agree(rewritten, full_summaries)
        assert _agree({k: v for k, v in stored.items() if k[0] == "trust"}, full_summaries)
