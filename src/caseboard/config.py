"""Environment to settings, read once, for Django and the engine alike (no Django here).

CASEBOARD_HOME  where Caseboard keeps its files (default ./var): the SQLite database, static files,
                benchmark results.
DATABASE_URL    the application database: sqlite:///path/to/file.sqlite3 or
                postgresql://user:password@host:port/name (default: SQLite under CASEBOARD_HOME).
CASEBOARD_POLICY
                a TOML file of local policy settings (default CASEBOARD_HOME/policy.toml when it
                exists; otherwise the defaults with their sources).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

# The demo accounts' published password (`make demo` prints it; the demo settings only).
DEMO_PASSWORD = "caseboard-demo"  # noqa: S105


class ConfigError(ValueError):
    """The environment does not describe a usable configuration."""


@dataclass(frozen=True)
class Database:
    engine: str  # "sqlite" or "postgres"
    name: str  # file path for SQLite, database name for PostgreSQL
    host: str = ""
    port: int | None = None
    user: str = ""
    password: str = ""

    @property
    def is_sqlite(self) -> bool:
        return self.engine == "sqlite"


@dataclass(frozen=True)
class Config:
    home: Path
    database: Database
    policy_file: Path | None = None

    @property
    def static_root(self) -> Path:
        return self.home / "static"

    @property
    def bench_dir(self) -> Path:
        return self.home / "bench"


def parse_database_url(url: str) -> Database:
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative.sqlite3 or sqlite:////absolute/path.sqlite3
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if not path:
            raise ConfigError(f"DATABASE_URL {url!r} names no SQLite file")
        return Database("sqlite", str(Path(path).resolve()))
    if parts.scheme in ("postgres", "postgresql"):
        name = parts.path.lstrip("/")
        if not name:
            raise ConfigError(f"DATABASE_URL {url!r} names no database")
        return Database(
            "postgres",
            unquote(name),
            parts.hostname or "",
            parts.port,
            unquote(parts.username or ""),
            unquote(parts.password or ""),
        )
    raise ConfigError(f"DATABASE_URL {url!r}: the scheme must be sqlite:// or postgresql://")


def load(environ: dict[str, str] | None = None) -> Config:
    env = os.environ if environ is None else environ
    home = Path(env.get("CASEBOARD_HOME") or "var").resolve()
    url = env.get("DATABASE_URL")
    database = (
        parse_database_url(url) if url else Database("sqlite", str(home / "caseboard.sqlite3"))
    )
    policy = env.get("CASEBOARD_POLICY")
    default_policy = home / "policy.toml"
    policy_file = Path(policy) if policy else (default_policy if default_policy.exists() else None)
    return Config(home=home, database=database, policy_file=policy_file)
