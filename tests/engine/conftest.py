"""One synthetic trust in every storage format the engine reads: a Django-migrated SQLite file
(loaded by the real `caseboard generate --format db`), mirror Parquet (for DuckDB and Spark) and,
where a PostgreSQL server is at hand, a Django-migrated PostgreSQL database; same seed and as_of.

Spark backends share one local SparkSession per test run (engine/backends.py). PostgreSQL comes
from DATABASE_URL (scripts/with-postgres sets it): the trust goes into a database of its own on
that server, dropped afterwards; without a PostgreSQL DATABASE_URL the PostgreSQL tests skip.
"""

import dataclasses
import itertools
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from caseboard.config import ConfigError, Database, parse_database_url
from caseboard.engine import backends

TRUST = ["--seed", "17", "--referrals", "300", "--as-of", "2026-11-20"]
BACKENDS = ["sqlite", "duckdb"]
# Markers of the backends that need more than the venv (until pyproject.toml declares them).
NO_POSTGRES = (
    "no PostgreSQL server: DATABASE_URL is not a postgresql:// URL "
    "(run under scripts/with-postgres, as the parity tier does)"
)


# pyspark 4.0 converts results through pandas with an argument pandas 3 deprecates.
SPARK_WARNINGS = ("ignore:The copy keyword is deprecated",)


def pytest_configure(config):
    for line in SPARK_WARNINGS:
        config.addinivalue_line("filterwarnings", line)


def _caseboard(home: Path, *args: str, database_url: str | None = None) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["CASEBOARD_HOME"] = str(home)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    command = [str(Path(sys.executable).parent / "caseboard"), *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="session")
def run_caseboard():
    """Run the caseboard command with CASEBOARD_HOME set: run_caseboard(home, *args)."""
    return _caseboard


@pytest.fixture(scope="session")
def trust_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("trust")
    _caseboard(home, "generate", "--format", "db", *TRUST)
    _caseboard(home, "generate", "--format", "parquet", "--out", str(home / "mirror"), *TRUST)
    return home


@pytest.fixture(params=BACKENDS)
def engine(request, trust_home):
    """An engine connection to the same trust, once per backend."""
    if request.param == "sqlite":
        con = backends.sqlite(trust_home / "caseboard.sqlite3")
    else:
        con = backends.duckdb_parquet(trust_home / "mirror")
    yield con
    con.disconnect()


def postgres_server() -> Database:
    """The PostgreSQL server DATABASE_URL names; skips the test when there is none."""
    url = os.environ.get("DATABASE_URL", "")
    try:
        database = parse_database_url(url) if url else None
    except ConfigError:
        database = None
    if database is None or database.is_sqlite:
        pytest.skip(NO_POSTGRES)
    return database


def _url(database: Database) -> str:
    credentials = quote(database.user, safe="") + (
        f":{quote(database.password, safe='')}" if database.password else ""
    )
    at = f"{credentials}@" if credentials else ""
    port = f":{database.port}" if database.port else ""
    return f"postgresql://{at}{database.host}{port}/{database.name}"


@pytest.fixture(scope="session")
def postgres_databases():
    """Makes fresh databases on the DATABASE_URL server (``make(label)`` returns an empty one,
    ``make(label, template=database)`` a copy of ``database``), each dropped at the end of the
    run."""
    import psycopg

    server = postgres_server()
    maintenance = _url(dataclasses.replace(server, name="postgres"))
    made = []

    def make(label: str, template: Database | None = None) -> Database:
        name = f"caseboard_{label}_{os.getpid()}"
        copy = f' TEMPLATE "{template.name}"' if template else ""
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"{copy}')
        made.append(name)
        return dataclasses.replace(server, name=name)

    yield make
    with psycopg.connect(maintenance, autocommit=True) as connection:
        for name in made:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_url():
    """The DATABASE_URL of a Database (the inverse of config.parse_database_url)."""
    return _url


@pytest.fixture(scope="session")
def trust_postgres(tmp_path_factory, postgres_databases):
    """An engine connection to the parity trust (trust_home's seed and as_of) loaded into a
    Django-migrated PostgreSQL database by the real command."""
    database = postgres_databases("parity")
    home = tmp_path_factory.mktemp("trust_postgres")
    _caseboard(home, "generate", "--format", "db", *TRUST, database_url=_url(database))
    con = backends.postgres(database)
    yield con
    con.disconnect()


@pytest.fixture(scope="session")
def trust_postgres_copies(tmp_path_factory, postgres_databases):
    """``copy()`` returns a new PostgreSQL database holding the parity trust, made from one
    loaded template (CREATE DATABASE ... TEMPLATE)."""
    template = postgres_databases("template")
    home = tmp_path_factory.mktemp("trust_template")
    _caseboard(home, "generate", "--format", "db", *TRUST, database_url=_url(template))
    copies = itertools.count()
    return lambda: postgres_databases(f"copy_{next(copies)}", template=template)


@pytest.fixture(scope="session")
def spark_available():
    """Skips when pyspark is not installed; stops the shared SparkSession after the run."""
    pytest.importorskip("pyspark", reason="pyspark is not installed (requirements/test.in)")
    yield
    backends.stop_spark()


@pytest.fixture(scope="session")
def trust_spark(spark_available, trust_home):
    """A Spark engine connection to the parity trust's mirror Parquet."""
    return backends.spark_parquet(trust_home / "mirror")
