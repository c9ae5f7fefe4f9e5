"""One synthetic trust in every storage format the engine reads: a Django-migrated SQLite file
(loaded by the real `caseboard generate --format db`) and mirror Parquet, same seed and as_of."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from caseboard.engine import backends

TRUST = ["--seed", "17", "--referrals", "300", "--as-of", "2026-11-20"]
BACKENDS = ["sqlite", "duckdb"]


def _caseboard(home: Path, *args: str) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["CASEBOARD_HOME"] = str(home)
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
