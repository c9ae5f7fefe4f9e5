"""Ibis backends for the engine: its own connection, never Django's.

SQLite and PostgreSQL read the application database that Django migrated; DuckDB and Spark
read a folder of mirror Parquet, one file per declared table. pyspark is imported only when a
Spark backend is asked for (it is a test and deployment option, not a demo dependency).
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

import ibis
from ibis.backends import BaseBackend

from caseboard.config import Config, Database
from caseboard.contract import schema

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


# The engine's PostgreSQL session runs without JIT: the snapshot is one wide query whose
# estimated cost passes the JIT thresholds, and compiling its expressions took 256 s of the
# 257 s its EXPLAIN ANALYZE took on a 12,000-referral trust (PostgreSQL 15).
POSTGRES_OPTIONS = "-c jit=off"


# Server-side prepared statements kept per connection (psycopg's default is 100): the drainer
# prepares four statements a day (engine/incremental.py), each planned for a ~100 KB query, and
# yesterday's are evicted rather than kept for months.
POSTGRES_PREPARED_MAX = 16


def postgres(database: Database) -> BaseBackend:
    con = ibis.postgres.connect(
        host=database.host or None,
        port=database.port,
        user=database.user or None,
        password=database.password or None,
        database=database.name,
        options=POSTGRES_OPTIONS,
    )
    con.con.prepared_max = POSTGRES_PREPARED_MAX
    return con


def duckdb_parquet(folder: str | Path, *, threads: int | None = None) -> BaseBackend:
    """An in-memory DuckDB with a view per mirror Parquet file found in ``folder``."""
    folder = _mirror_folder(folder)
    con = ibis.duckdb.connect(threads=threads) if threads else ibis.duckdb.connect()
    for table in schema.TABLES:
        path = folder / f"{table.name}.parquet"
        if path.exists():
            con.read_parquet(path, table_name=table.name)
    return con


def _mirror_folder(folder: str | Path) -> Path:
    folder = Path(folder)
    if not (folder / "manifest.json").exists():
        raise FileNotFoundError(f"{folder} is not a mirror Parquet folder (no manifest.json)")
    return folder


# Spark: one local session per process (a JVM takes seconds to start), shared by every Spark
# backend; each mirror folder gets its own child session, so its views never meet another
# folder's. The session runs in UTC; the engine compares local dates only. Small trusts need few
# shuffle partitions (the default 200 makes 200 tasks per shuffle).
SPARK_CONF = {
    "spark.master": "local[2]",
    "spark.app.name": "caseboard-engine",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.driver.host": "127.0.0.1",
}
# Settings each child session carries over explicitly (a new session starts from defaults).
SPARK_SESSION_CONF = ("spark.sql.session.timeZone", "spark.sql.shuffle.partitions")
# Declared column types as Spark reads mirror Parquet: the schema is given, never inferred
# (inference costs a Spark job per file).
SPARK_TYPES = {
    "integer": "BIGINT",
    "float": "DOUBLE",
    "text": "STRING",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
}
_spark_lock = threading.Lock()
_spark_session: Any = None


def spark_session() -> Any:
    """The process's one local SparkSession (local[2], UTC), started on first use."""
    global _spark_session
    with _spark_lock:
        if _spark_session is None:
            # The workers must run this interpreter, and the driver stays on loopback.
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            from pyspark.sql import SparkSession

            builder = SparkSession.builder
            for key, value in SPARK_CONF.items():
                builder = builder.config(key, value)
            _spark_session = builder.getOrCreate()
            _spark_session.sparkContext.setLogLevel("ERROR")
        return _spark_session


def spark_parquet(folder: str | Path) -> BaseBackend:
    """A PySpark backend with a temporary view per mirror Parquet file found in ``folder``.

    Every call reads the folder afresh into a new child of the process's one SparkSession (so
    two folders' views never meet); ``disconnect`` leaves the shared session running
    (``stop_spark`` stops it).
    """
    folder = _mirror_folder(folder)
    session = spark_session().newSession()
    for key in SPARK_SESSION_CONF:
        session.conf.set(key, SPARK_CONF[key])
    for table in schema.TABLES:
        path = folder / f"{table.name}.parquet"
        if path.exists():
            ddl = ", ".join(f"`{c.name}` {SPARK_TYPES[c.type]}" for c in table.columns)
            session.read.schema(ddl).parquet(str(path.resolve())).createOrReplaceTempView(
                table.name
            )
    return _shared_session_backend(session)


def _shared_session_backend(session: Any) -> BaseBackend:
    ibis.pyspark  # noqa: B018  (loading the backend through ibis registers its options)
    from ibis.backends.pyspark import Backend

    class SharedSessionBackend(Backend):  # type: ignore[misc]
        """Disconnecting leaves the SparkSession that other backends share running."""

        def disconnect(self) -> None:
            pass

    backend: BaseBackend = SharedSessionBackend().connect(session)
    return backend


def stop_spark() -> None:
    """Stop the shared SparkSession (every Spark backend stops working)."""
    global _spark_session
    with _spark_lock:
        if _spark_session is not None:
            _spark_session.stop()
        _spark_session = None


def application(config: Config) -> BaseBackend:
    """The engine's own connection to the application database."""
    if config.database.is_sqlite:
        return sqlite(config.database.name)
    return postgres(config.database)
