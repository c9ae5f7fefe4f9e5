# ruff: noqa: S608 (SQL written here names tables and placeholders only)
"""The engine's writes are all or nothing on SQLite and on PostgreSQL (where Ibis connects in
autocommit mode, so a transaction has to be asked for), and an incremental refresh on each
recomputes the referral a writer queued."""

import datetime as dt
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
    monkeypatch.setattr(store, "summary_insert", lambda *args: "SELECT no_such_column FROM team")
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
