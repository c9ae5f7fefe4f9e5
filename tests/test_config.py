from pathlib import Path

import pytest

from caseboard import config


def test_config_defaults_to_sqlite_under_home(tmp_path):
    loaded = config.load({"CASEBOARD_HOME": str(tmp_path)})
    assert loaded.home == tmp_path
    assert loaded.database.engine == "sqlite"
    assert loaded.database.name == str(tmp_path / "caseboard.sqlite3")


def test_config_reads_postgres_url():
    db = config.parse_database_url("postgresql://cb:s%40cret@127.0.0.1:5433/caseboard")
    assert (db.engine, db.host, db.port, db.user, db.password, db.name) == (
        "postgres",
        "127.0.0.1",
        5433,
        "cb",
        "s@cret",
        "caseboard",
    )


def test_config_reads_sqlite_url(tmp_path):
    db = config.parse_database_url(f"sqlite:///{tmp_path}/x.sqlite3")
    assert db.is_sqlite and Path(db.name) == tmp_path / "x.sqlite3"


@pytest.mark.parametrize("url", ["mysql://x/y", "postgresql://host", "sqlite://"])
def test_config_refuses_unusable_urls(url):
    with pytest.raises(config.ConfigError):
        config.parse_database_url(url)
