"""Ibis backends for the engine: its own connection, never Django's.

SQLite and PostgreSQL read the application database that Django migrated; DuckDB (and later
Spark) read a folder of mirror Parquet, one file per declared table.
"""

from __future__ import annotations

from pathlib import Path

import ibis
from ibis.backends import BaseBackend

from caseboard.config import Config, Database
from caseboard.records import schema

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=20000",
)


def sqlite(path: str | Path) -> BaseBackend:
    if not Path(path).exists():
        raise FileNotFoundError(f"no database at {path}")
    con = ibis.sqlite.connect(str(path))
    for pragma in SQLITE_PRAGMAS:
        con.raw_sql(pragma)
    return con


def postgres(database: Database) -> BaseBackend:
    return ibis.postgres.connect(
        host=database.host or None,
        port=database.port,
        user=database.user or None,
        password=database.password or None,
        database=database.name,
    )


def duckdb_parquet(folder: str | Path, *, threads: int | None = None) -> BaseBackend:
    """An in-memory DuckDB with a view per mirror Parquet file found in ``folder``."""
    folder = Path(folder)
    if not (folder / "manifest.json").exists():
        raise FileNotFoundError(f"{folder} is not a mirror Parquet folder (no manifest.json)")
    con = ibis.duckdb.connect(threads=threads) if threads else ibis.duckdb.connect()
    for table in schema.TABLES:
        path = folder / f"{table.name}.parquet"
        if path.exists():
            con.read_parquet(path, table_name=table.name)
    return con


def application(config: Config) -> BaseBackend:
    """The engine's own connection to the application database."""
    if config.database.is_sqlite:
        return sqlite(config.database.name)
    return postgres(config.database)
