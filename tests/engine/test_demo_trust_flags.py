"""The default demo trust raises every case-level flag of the catalogue somewhere, without
drowning its supervisors: most cases raise a few flags, and some raise none."""

import datetime as dt

import pytest

from caseboard.cli import DEMO_SEED
from caseboard.contract.schema_snapshot import CASE_FLAGS
from caseboard.domain.flag_types import flag_column
from caseboard.engine import backends
from caseboard.engine.snapshot import build_snapshot

pytestmark = pytest.mark.parity
AS_OF = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_rows(tmp_path_factory, run_caseboard):
    home = tmp_path_factory.mktemp("demo")
    run_caseboard(
        home, "generate", "--format", "db", "--seed", str(DEMO_SEED), "--as-of", "2026-11-23"
    )
    con = backends.sqlite(home / "caseboard.sqlite3")
    rows = build_snapshot(con, as_of=AS_OF).to_pyarrow().to_pylist()
    con.disconnect()
    return rows


def test_every_case_flag_is_raised_somewhere(demo_rows):
    never = [
        flag.code
        for flag in CASE_FLAGS
        if not any(row[flag_column(flag.code)] in ("red", "amber") for row in demo_rows)
    ]
    assert not never, f"never raised in the demo trust: {never}"


def test_most_cases_raise_few_flags(demo_rows):
    raised = [row["red_flags"] + row["amber_flags"] for row in demo_rows]
    assert sum(n <= 2 for n in raised) > len(raised) / 2
    assert sum(n == 0 for n in raised) >= len(raised) / 20
