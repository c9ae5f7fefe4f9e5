"""Test tiers: tests that touch a database are marked db (run on SQLite and PostgreSQL), command
line tests cli (SQLite tier), browser tests browser; the rest form the unit tier."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import settings

from caseboard.domain import clock

# Every test sees the same day, whatever day it runs: the clock reads this date (12:00 London
# time, running on) in the test process and in every process it starts (the command line, the
# demo server, the benchmarks), which inherit CASEBOARD_TODAY. A Wednesday in mid-November: no
# month end, bank holiday or clock change near it. Tests about such days pin their own.
TODAY = dt.date(2026, 11, 18)
os.environ[clock.OVERRIDE] = TODAY.isoformat()

# Under CI: the same examples every run, and a bounded number of them.
settings.register_profile("ci", derandomize=True, max_examples=50, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")

# Fixtures that open the test database. (pytest-django's autouse fixtures request
# django_db_blocker for every test, so that name says nothing.)
DB_FIXTURES = {"db", "transactional_db", "client", "admin_client", "live_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("django_db") or DB_FIXTURES & set(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.db)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI, a skipped test is a failure: missing infrastructure must not pass quietly."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI: {report.longrepr}"
