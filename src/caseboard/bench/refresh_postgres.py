"""The PostgreSQL half of ``caseboard bench refresh`` (bench/refresh.py has the DuckDB half).

When DATABASE_URL names a PostgreSQL server, the benchmark makes a database of its own there
(BENCH_DATABASE, dropped afterwards: it never writes into the database it was pointed at), has
Django migrate it in a child process (the engine never imports Django), loads the same mirror
Parquet with COPY (CSV written by Arrow, a batch at a time, tables in load order) and ANALYZEs
it. The load is one figure, without a target. The foreign-key triggers are off while loading
(``session_replication_role = replica``, as pg_restore does for data): the mirror comes from the
generator whole, and row-by-row key checks of about 90 million rows would time the checks, not
the refresh.

Then ``refresh.full`` on the engine's own connection (snapshot and summaries written into the
database by engine/store.py in one transaction), best of REPEATS, against the floor: the pinned
grouped scan of contacts and measures (bench/incremental.py ``FLOOR``) on the same
connection. Target: within 5 x the floor. The session's work_mem and
max_parallel_workers_per_gather are reported as BENCH lines (the engine sets neither: they are
the server's).
"""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path
from typing import Any

from caseboard import config
from caseboard.bench.harness import best_of, figure, run_command
from caseboard.bench.postgres import scratch_database
from caseboard.bench.refresh import AS_OF, REPEATS, say

BENCH_DATABASE = "caseboard_bench_refresh"
POSTGRES_RATIO = 5.0
COPY_ROWS = 262_144
MIGRATE = (
    "from caseboard.web import bootstrap; "
    "bootstrap.setup('caseboard.web.settings.base'); bootstrap.ensure_migrated()"
)


def _server() -> config.Database | None:
    url = os.environ.get("DATABASE_URL", "")
    try:
        database = config.parse_database_url(url) if url else None
    except config.ConfigError:
        return None
    return None if database is None or database.is_sqlite else database


def _connect(database: config.Database, **options: Any) -> Any:
    import psycopg

    return psycopg.connect(
        host=database.host or None,
        port=database.port,
        user=database.user or None,
        password=database.password or None,
        dbname=database.name,
        **options,
    )


def _migrate(url: str, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=url, CASEBOARD_HOME=str(home))
    run_command([sys.executable, "-c", MIGRATE], env=env)


def load(database: config.Database, mirror: Path) -> dict[str, int]:
    """COPY every non-empty mirror table into the migrated ``database``, then ANALYZE; return
    the rows loaded per table."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from caseboard.contract import schema

    options = pacsv.WriteOptions(include_header=False)
    loaded: dict[str, int] = {}
    with _connect(database) as connection:
        try:
            connection.execute("SET session_replication_role = replica")
        except Exception as error:  # not a superuser: load with the key checks on
            connection.rollback()
            say(f"foreign-key triggers stay on while loading ({error})")
        for table in schema.load_order():
            path = mirror / f"{table.name}.parquet"
            if not path.exists() or pq.read_metadata(path).num_rows == 0:
                continue
            columns = list(table.column_names)
            names = ", ".join(f'"{name}"' for name in columns)
            statement = f'COPY "{table.name}" ({names}) FROM STDIN WITH (FORMAT csv)'
            with connection.cursor() as cursor, cursor.copy(statement) as copy:
                parquet = pq.ParquetFile(path)
                for batch in parquet.iter_batches(batch_size=COPY_ROWS, columns=columns):
                    buffer = io.BytesIO()
                    pacsv.write_csv(pa.Table.from_batches([batch]), buffer, options)
                    copy.write(buffer.getvalue())
            loaded[table.name] = parquet.metadata.num_rows
        connection.commit()
    with _connect(database, autocommit=True) as connection:
        connection.execute("ANALYZE")
    return loaded


def _settings(raw: Any) -> dict[str, float]:
    """work_mem in MB and max_parallel_workers_per_gather of the engine's session."""
    with raw.cursor() as cursor:
        cursor.execute("SELECT setting::bigint FROM pg_settings WHERE name = 'work_mem'")
        (work_mem_kb,) = cursor.fetchone()
        cursor.execute("SHOW max_parallel_workers_per_gather")
        (workers,) = cursor.fetchone()
    return {"work_mem": work_mem_kb / 1024, "parallel_workers": float(workers)}


def _floor(raw: Any) -> float:
    from caseboard.bench.incremental import FLOOR

    with raw.cursor() as cursor:
        best, _ = best_of(REPEATS + 1, lambda: cursor.execute(FLOOR).fetchall())
    raw.rollback()
    return best


def _refresh(database: config.Database) -> tuple[dict[str, float], float, float, int]:
    from caseboard.engine import backends, refresh

    con = backends.postgres(database)
    try:
        settings = _settings(con.con)
        floor = _floor(con.con)
        best, written = best_of(REPEATS, lambda: refresh.full(con, as_of=AS_OF))
    finally:
        con.disconnect()
    return settings, floor, best, written


def measure(size: str, mirror: Path, folder: Path) -> list[dict[str, Any]]:
    """BENCH records of PostgreSQL at ``size``; none (and a note) without a server."""
    server = _server()
    if server is None:
        say("PostgreSQL not measured: DATABASE_URL names no PostgreSQL server (DuckDB only)")
        return []
    with scratch_database(os.environ["DATABASE_URL"], BENCH_DATABASE) as url:
        database = config.parse_database_url(url)
        _migrate(url, folder / "home")
        start = time.perf_counter()
        loaded = load(database, mirror)
        load_seconds = time.perf_counter() - start
        say(f"PostgreSQL: loaded {sum(loaded.values()):,} rows in {load_seconds:.1f} s")
        settings, floor, seconds, written = _refresh(database)
    say(
        f"PostgreSQL: {written:,} referrals in {seconds:.2f} s, {seconds / floor:.1f} x the floor "
        f"(target {POSTGRES_RATIO:g} x); work_mem {settings['work_mem']:g} MB, "
        f"max_parallel_workers_per_gather {settings['parallel_workers']:g}"
    )
    name = f"refresh_postgres_{size}"
    return [
        figure(f"{name}_load_seconds", load_seconds, unit="s", floor=None, target=None),
        figure(f"{name}_seconds", seconds, unit="s", floor=floor, target=POSTGRES_RATIO * floor),
        figure(f"{name}_work_mem", settings["work_mem"], unit="MB", floor=None, target=None),
        figure(
            f"{name}_parallel_workers",
            settings["parallel_workers"],
            unit="workers",
            floor=None,
            target=None,
        ),
    ]
