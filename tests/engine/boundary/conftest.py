"""The boundary trust, loaded once: a Django-migrated SQLite file, a Django-migrated PostgreSQL
database (where DATABASE_URL names a server) and mirror Parquet (DuckDB and Spark), all written
from the same Arrow tables; the snapshot computed once per backend."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from caseboard.contract.loader import load_tables
from caseboard.engine import backends
from caseboard.engine.snapshot import build_snapshot

from .builder import AS_OF, SOURCE, build
from .cases import CASES

BACKENDS = [
    "sqlite",
    "duckdb",
    pytest.param("postgres", marks=pytest.mark.postgres),
]  # Spark is held to the parity suites (tests/engine/test_parity_*.py): its JVM start is slow.


@pytest.fixture(scope="session")
def boundary_tables():
    return build(CASES)


@pytest.fixture(scope="session")
def boundary_sqlite(tmp_path_factory, boundary_tables) -> Path:
    """An empty database migrated by the real command, then loaded with the boundary trust."""
    home = tmp_path_factory.mktemp("boundary_home")
    _migrate(home)
    path = home / "caseboard.sqlite3"
    connection = sqlite3.connect(path)
    try:
        load_tables(connection.cursor(), boundary_tables, placeholder="?", naive_utc_datetimes=True)
        connection.commit()
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        assert not broken, f"rows referring to missing rows: {broken[:5]}"
    finally:
        connection.close()
    return path


def _migrate(home: Path, database_url: str | None = None) -> None:
    """Migrate the (empty) application database by the real command."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["CASEBOARD_HOME"] = str(home)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    command = [
        str(Path(sys.executable).parent / "caseboard"),
        "refresh",
        "--as-of",
        AS_OF.isoformat(),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="session")
def boundary_postgres(tmp_path_factory, boundary_tables, postgres_databases, postgres_url):
    """A PostgreSQL database migrated by the real command, then loaded with the boundary
    trust."""
    import psycopg

    database = postgres_databases("boundary")
    url = postgres_url(database)
    _migrate(tmp_path_factory.mktemp("boundary_postgres_home"), url)
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        load_tables(cursor, boundary_tables, placeholder="%s")
    return database


@pytest.fixture(scope="session")
def boundary_parquet(tmp_path_factory, boundary_tables) -> Path:
    folder = tmp_path_factory.mktemp("boundary_mirror")
    counts = {}
    for name, table in boundary_tables.items():
        pq.write_table(table, folder / f"{name}.parquet")
        counts[name] = table.num_rows
    manifest = {
        "format": "caseboard-mirror-parquet",
        "format_version": 1,
        "as_of": AS_OF.isoformat(),
        "timezone": "Europe/London",
        "source_system": SOURCE,
        "tables": sorted(counts),
        "files": {name: f"{name}.parquet" for name in sorted(counts)},
        "row_counts": counts,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder


def _snapshot(con, referral_tables) -> dict[str, dict]:
    rows = build_snapshot(con, as_of=AS_OF).to_pyarrow().to_pylist()
    names = dict(
        zip(
            referral_tables.column("id").to_pylist(),
            referral_tables.column("source_id").to_pylist(),
            strict=True,
        )
    )
    return {names[row["referral_id"]]: row for row in rows}


_SNAPSHOTS: dict[str, dict[str, dict]] = {}


@pytest.fixture(scope="session", params=BACKENDS)
def boundary_snapshot(request, boundary_tables):
    """{case name: snapshot row}, computed once per backend."""
    backend = request.param
    if backend not in _SNAPSHOTS:
        if backend == "sqlite":
            con = backends.sqlite(request.getfixturevalue("boundary_sqlite"))
        elif backend == "postgres":
            con = backends.postgres(request.getfixturevalue("boundary_postgres"))
        elif backend == "spark":
            request.getfixturevalue("spark_available")
            con = backends.spark_parquet(request.getfixturevalue("boundary_parquet"))
        else:
            con = backends.duckdb_parquet(request.getfixturevalue("boundary_parquet"))
        try:
            _SNAPSHOTS[backend] = _snapshot(con, boundary_tables["referral"])
        finally:
            con.disconnect()
    return backend, _SNAPSHOTS[backend]
