"""The bulk loader, against plain sqlite3 tables built from the schema declarations (no Django)."""

import datetime as dt
import sqlite3

import pyarrow as pa
import pytest

from caseboard.contract import schema
from caseboard.contract.loader import insert_statement, load_tables, sqlite_create_statement
from caseboard.synthetic.params import Params
from caseboard.synthetic.trust import generate

# Explicit adapters, as Django registers them (Python 3.12 deprecates sqlite3's defaults).
sqlite3.register_adapter(dt.date, dt.date.isoformat)
sqlite3.register_adapter(dt.datetime, lambda value: value.isoformat(" "))


@pytest.fixture(scope="module")
def trust():
    return generate(Params(seed=11, as_of=dt.date(2026, 5, 15), referrals=300))


@pytest.fixture
def database():
    connection = sqlite3.connect(":memory:")
    connection.execute("PRAGMA foreign_keys = ON")
    for table in schema.load_order():
        connection.execute(sqlite_create_statement(table))
    connection.commit()
    yield connection
    connection.close()


def test_load_tables_counts_and_every_foreign_key_resolves(database, trust):
    counts = load_tables(database.cursor(), trust, placeholder="?")
    database.commit()  # deferred foreign keys are checked here
    assert counts == {name: table.num_rows for name, table in trust.items()}
    assert list(counts) == [t.name for t in schema.load_order() if t.name in trust]
    # Table and column names below come from the schema declarations, not from input.
    for name, expected in counts.items():
        count = database.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608
        assert count.fetchone()[0] == expected
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []
    for name in trust:
        for column in schema.table(name).foreign_keys:
            query = (
                f'SELECT count(*) FROM "{name}" AS child WHERE child."{column.name}" IS NOT NULL '  # noqa: S608
                f'AND NOT EXISTS (SELECT 1 FROM "{column.references}" AS parent '
                f'WHERE parent.id = child."{column.name}")'
            )
            dangling = database.execute(query).fetchone()[0]
            assert dangling == 0, (name, column.name)


def test_load_tables_dangling_reference_fails_at_commit(database, trust):
    # Proves the foreign-key check above is not vacuous: a team without its service is refused.
    load_tables(database.cursor(), {"team": trust["team"]}, placeholder="?")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        database.commit()


def test_load_tables_values_round_trip(database, trust):
    load_tables(database.cursor(), trust, placeholder="?")
    database.commit()
    first = trust["contact"].slice(0, 1).to_pylist()[0]
    stored = database.execute(
        'SELECT starts_at, starts_on, direct, minutes, intervention FROM "contact" WHERE id = 1'
    ).fetchone()
    assert stored[0] == first["starts_at"].isoformat(" ") and stored[0].endswith("+00:00")
    assert stored[1] == first["starts_on"].isoformat()
    assert stored[2] == int(first["direct"])
    assert stored[3] == first["minutes"] and stored[4] == first["intervention"]
    nulls = database.execute('SELECT count(*) FROM "patient" WHERE deceased_on IS NULL').fetchone()
    assert nulls[0] == trust["patient"].column("deceased_on").null_count


class RecordingCursor:
    def __init__(self):
        self.calls = []

    def executemany(self, statement, rows):
        self.calls.append((statement, list(rows)))


def test_load_tables_converts_arrow_values_to_python(trust):
    cursor = RecordingCursor()
    load_tables(
        cursor,
        {
            "service": trust["service"],
            "team": trust["team"],
            "practitioner": trust["practitioner"],
            "contact": trust["contact"],
            "patient": trust["patient"],
            "referral": trust["referral"],
        },
        placeholder="%s",
    )
    by_table = {statement.split('"')[1]: rows for statement, rows in cursor.calls}
    contact = by_table["contact"][0]
    columns = schema.table("contact").column_names
    starts_at = contact[columns.index("starts_at")]
    assert isinstance(starts_at, dt.datetime) and starts_at.utcoffset() == dt.timedelta(0)
    assert type(contact[columns.index("starts_on")]) is dt.date
    assert isinstance(contact[columns.index("direct")], bool)
    practitioner = dict(
        zip(schema.table("practitioner").column_names, by_table["practitioner"][0], strict=True)
    )
    assert practitioner["supervisor_id"] is None and practitioner["ended_on"] is None
    assert all("%s" in statement and "?" not in statement for statement, _ in cursor.calls)


def test_load_tables_in_batches(trust):
    cursor = RecordingCursor()
    counts = load_tables(
        cursor,
        {
            "service": trust["service"],
            "team": trust["team"],
            "practitioner": trust["practitioner"],
            "practitioner_modality": trust["practitioner_modality"],
        },
        placeholder="?",
        batch_rows=5,
    )
    modality_calls = [
        rows for statement, rows in cursor.calls if "practitioner_modality" in statement
    ]
    assert len(modality_calls) == -(-counts["practitioner_modality"] // 5)
    assert all(len(rows) <= 5 for rows in modality_calls)
    assert sum(len(rows) for rows in modality_calls) == counts["practitioner_modality"]


def test_insert_statement_uses_only_declared_columns():
    statement = insert_statement(schema.table("team"), "?")
    assert statement == (
        'INSERT INTO "team" ("id", "source_system", "source_id", "service_id", '
        '"name", "locality", "uses_care_clusters") VALUES (?, ?, ?, ?, ?, ?, ?)'
    )


def test_load_tables_refuses_undeclared_or_missing_columns(trust):
    extra = trust["team"].append_column("colour", pa.array(["red"] * trust["team"].num_rows))
    with pytest.raises(ValueError, match="colour"):
        load_tables(RecordingCursor(), {"team": extra}, placeholder="?")
    missing = trust["team"].drop_columns(["locality"])
    with pytest.raises(ValueError, match="locality"):
        load_tables(RecordingCursor(), {"team": missing}, placeholder="?")


def test_load_tables_refuses_unknown_tables_and_placeholders(trust):
    with pytest.raises(ValueError, match="widgets"):
        load_tables(RecordingCursor(), {"widgets": trust["team"]}, placeholder="?")
    with pytest.raises(ValueError, match="placeholder"):
        load_tables(RecordingCursor(), {"team": trust["team"]}, placeholder=":1")


def test_load_tables_reorders_columns_to_the_declaration(database, trust):
    team = trust["team"]
    shuffled = team.select(list(reversed(team.column_names)))
    load_tables(database.cursor(), {"service": trust["service"], "team": shuffled}, placeholder="?")
    database.commit()
    names = [row[0] for row in database.execute('SELECT name FROM "team" ORDER BY id')]
    assert names == team.column("name").to_pylist()
