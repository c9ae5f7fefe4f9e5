"""A PostgreSQL database of the benchmark's own, beside the one DATABASE_URL names, so a
benchmark never writes into the database it was pointed at (which may not even exist yet, as
under scripts/with-postgres)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from caseboard import config


def _maintenance(url: str):
    import psycopg

    database = config.parse_database_url(url)
    return psycopg.connect(
        host=database.host or None,
        port=database.port,
        user=database.user or None,
        password=database.password or None,
        dbname="postgres",
        autocommit=True,
    )


def _drop(url: str, name: str) -> None:
    with _maintenance(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch_database(url: str, name: str) -> Iterator[str]:
    """Yield the URL of a new, empty database ``name`` on the server of ``url``; drop it after."""
    _drop(url, name)
    with _maintenance(url) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        _drop(url, name)
