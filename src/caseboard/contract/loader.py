"""Bulk-load mirror tables (Arrow) into an existing, migrated database through a DB-API cursor.

Pure Python: works with sqlite3 (placeholder "?") and with Django's cursor or psycopg ("%s").
Tables go in in load order, so every referenced row exists before the rows that reference it;
ids are inserted as given. The caller owns the transaction (and, on PostgreSQL, moving the id
sequences past the loaded ids).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pyarrow as pa

from caseboard.contract import schema

BATCH_ROWS = 5000


def _quote(name: str) -> str:
    # Names come from the declared schema, never from input; quoting keeps reserved words safe.
    return '"' + name.replace('"', '""') + '"'


def insert_statement(table: schema.Table, placeholder: str) -> str:
    columns = ", ".join(_quote(name) for name in table.column_names)
    values = ", ".join([placeholder] * len(table.column_names))
    return f"INSERT INTO {_quote(table.name)} ({columns}) VALUES ({values})"  # noqa: S608


def _check_columns(table: schema.Table, data: pa.Table) -> None:
    declared, given = set(table.column_names), set(data.column_names)
    if declared != given:
        raise ValueError(
            f"{table.name}: columns do not match the declaration "
            f"(undeclared: {sorted(given - declared)}, missing: {sorted(declared - given)})"
        )


def _batches(
    table: schema.Table, data: pa.Table, size: int, naive_utc: bool
) -> Iterator[list[tuple[Any, ...]]]:
    """Rows as tuples of Python values: dates as datetime.date, timestamps as aware datetimes
    (UTC) or, with ``naive_utc``, naive UTC datetimes, nulls as None."""
    data = data.select(list(table.column_names))
    if naive_utc:
        for index, field in enumerate(data.schema):
            if pa.types.is_timestamp(field.type):
                naive = data.column(index).cast(pa.timestamp(field.type.unit))
                data = data.set_column(index, field.name, naive)
    for batch in data.to_batches(max_chunksize=size):
        columns = [column.to_pylist() for column in batch.columns]
        yield list(zip(*columns, strict=True))


def load_tables(
    cursor: Any,
    tables: Mapping[str, pa.Table],
    *,
    placeholder: str,
    batch_rows: int = BATCH_ROWS,
    naive_utc_datetimes: bool = False,
) -> dict[str, int]:
    """Insert each table's rows with ``executemany``; return the row count per table.

    ``naive_utc_datetimes`` writes datetimes as naive UTC, the form Django keeps in SQLite, so a
    column never holds two spellings of the same instant.
    """
    if placeholder not in ("?", "%s"):
        raise ValueError(
            f"placeholder must be '?' (sqlite3) or '%s' (psycopg, Django), not {placeholder!r}"
        )
    unknown = set(tables) - {t.name for t in schema.TABLES}
    if unknown:
        raise ValueError(f"not tables of the data contract: {sorted(unknown)}")
    counts: dict[str, int] = {}
    for table in schema.load_order():
        if table.name not in tables:
            continue
        data = tables[table.name]
        _check_columns(table, data)
        statement = insert_statement(table, placeholder)
        for rows in _batches(table, data, batch_rows, naive_utc_datetimes):
            cursor.executemany(statement, rows)
        counts[table.name] = data.num_rows
    return counts


# For a plain SQLite database without Django (benchmarks, loader tests): column types as
# Django's SQLite backend declares them, foreign keys deferred as Django declares them.
SQLITE_TYPES = {
    "integer": "INTEGER",
    "float": "REAL",
    "text": "TEXT",
    "boolean": "BOOL",
    "date": "DATE",
    "datetime": "DATETIME",
}


def sqlite_create_statement(table: schema.Table) -> str:
    lines = []
    for column in table.columns:
        line = f"{_quote(column.name)} {SQLITE_TYPES[column.type]}"
        if column.name == "id":
            line += " PRIMARY KEY"
        elif not column.nullable:
            line += " NOT NULL"
        if column.references:
            line += f' REFERENCES {_quote(column.references)} ("id") DEFERRABLE INITIALLY DEFERRED'
        lines.append(line)
    return f"CREATE TABLE {_quote(table.name)} ({', '.join(lines)})"
