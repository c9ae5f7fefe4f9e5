"""The one clock: set by CASEBOARD_TODAY or pinned, London dates across midnight and the clock
changes, and nothing else in the product reading the calendar."""

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import pytest

from caseboard.domain import clock

ROOT = Path(__file__).resolve().parents[2]
UTC = dt.UTC


def test_the_test_run_reads_the_pinned_day():
    # tests/conftest.py sets CASEBOARD_TODAY for the whole run.
    assert clock.today() == dt.date(2026, 11, 18)
    assert clock.now().tzinfo is not None


def test_a_pinned_day_starts_at_london_noon_and_runs_on():
    with clock.pinned(dt.date(2026, 7, 1)) as day:
        assert day == dt.date(2026, 7, 1)
        first = clock.now()
        assert clock.local(first).replace(microsecond=0, second=0) == dt.datetime(
            2026, 7, 1, 12, 0, tzinfo=clock.LONDON
        )
        assert first.utcoffset() == dt.timedelta(0)  # noon BST is 11:00 UTC
        assert first.hour == 11
        time.sleep(0.01)
        assert clock.now() > first
    assert clock.today() == dt.date(2026, 11, 18)


def test_pins_nest_and_restore():
    with clock.pinned(dt.date(2027, 1, 31)):
        with clock.pinned(dt.date(2028, 2, 29)):
            assert clock.today() == dt.date(2028, 2, 29)
        assert clock.today() == dt.date(2027, 1, 31)


@pytest.mark.parametrize(
    ("utc", "london_day"),
    [
        # Summer time: 23:30 UTC is 00:30 the next day in London.
        (dt.datetime(2026, 6, 30, 22, 59, tzinfo=UTC), dt.date(2026, 6, 30)),
        (dt.datetime(2026, 6, 30, 23, 0, tzinfo=UTC), dt.date(2026, 7, 1)),
        # Winter: London is UTC.
        (dt.datetime(2026, 12, 31, 23, 59, tzinfo=UTC), dt.date(2026, 12, 31)),
        (dt.datetime(2027, 1, 1, 0, 0, tzinfo=UTC), dt.date(2027, 1, 1)),
        # The last Sunday of March 2026: clocks go forward at 01:00 UTC.
        (dt.datetime(2026, 3, 28, 23, 59, tzinfo=UTC), dt.date(2026, 3, 28)),
        (dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC), dt.date(2026, 3, 29)),
        (dt.datetime(2026, 3, 29, 22, 59, tzinfo=UTC), dt.date(2026, 3, 29)),
        (dt.datetime(2026, 3, 29, 23, 0, tzinfo=UTC), dt.date(2026, 3, 30)),
        # The last Sunday of October 2026: clocks go back at 01:00 UTC.
        (dt.datetime(2026, 10, 24, 22, 59, tzinfo=UTC), dt.date(2026, 10, 24)),
        (dt.datetime(2026, 10, 24, 23, 0, tzinfo=UTC), dt.date(2026, 10, 25)),
        (dt.datetime(2026, 10, 25, 23, 59, tzinfo=UTC), dt.date(2026, 10, 25)),
        (dt.datetime(2026, 10, 26, 0, 0, tzinfo=UTC), dt.date(2026, 10, 26)),
    ],
)
def test_today_is_the_london_date_of_the_instant(utc, london_day):
    with clock.pinned(utc):
        assert clock.today() == london_day
    assert clock.local_date(utc) == london_day


def test_a_naive_time_is_refused():
    with pytest.raises(clock.ClockError, match="no offset"):
        clock.local(dt.datetime(2026, 1, 1, 9, 0))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-29", dt.datetime(2026, 3, 29, 11, 0, tzinfo=UTC)),  # noon BST
        ("2026-12-31", dt.datetime(2026, 12, 31, 12, 0, tzinfo=UTC)),
        ("2026-10-25T00:30:00+01:00", dt.datetime(2026, 10, 24, 23, 30, tzinfo=UTC)),
    ],
)
def test_the_override_reads_a_date_or_an_aware_time(text, expected):
    assert clock.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("tomorrow", "neither a date"),
        ("2026-02-30", "neither a date"),
        ("2026-03-01T09:00", "offset"),
    ],
)
def test_a_bad_override_is_named(text, says):
    with pytest.raises(clock.ClockError, match=says) as raised:
        clock.parse(text)
    assert "CASEBOARD_TODAY" in str(raised.value)


def test_a_child_process_reads_the_override_it_inherits(monkeypatch):
    monkeypatch.setenv(clock.OVERRIDE, "2026-01-31")
    code = "from caseboard.domain import clock; print(clock.today().isoformat())"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "2026-01-31"


def test_the_lint_bans_direct_calendar_reads(tmp_path):
    """ruff's banned-api list (pyproject) refuses every way to read the calendar except the
    clock's own: this probe names each and must be refused for each."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import datetime as dt\n"
        "from datetime import date, datetime\n\n"
        "from django.utils import timezone\n\n"
        "A = dt.date.today()\n"
        "B = date.today()\n"
        "C = datetime.now(dt.UTC)\n"
        "D = dt.datetime.utcnow()\n"
        "E = timezone.now()\n"
        "F = timezone.localdate()\n"
        "G = timezone.localtime()\n"
    )
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [
            str(ruff),
            "check",
            "--config",
            str(ROOT / "pyproject.toml"),
            "--select",
            "TID251",
            "--output-format",
            "concise",
            "--no-cache",
            str(probe),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    banned = [line for line in result.stdout.splitlines() if "TID251" in line]
    assert [line.split(":")[1] for line in banned] == ["6", "7", "8", "9", "10", "11", "12"]
