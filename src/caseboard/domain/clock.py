"""The one clock: what Caseboard takes as now, and as today in Europe/London.

Every rule, page, banner, action and benchmark asks this module for the date and time, never
``date.today()``, ``datetime.now()`` or Django's ``timezone.now()`` / ``localdate()`` (ruff's
banned-api list in pyproject holds that). Dates are Europe/London calendar dates (DESIGN "Data
contract": Time).

The clock can be set, so a demo, a test or a whole run sees one chosen day:
- ``CASEBOARD_TODAY`` in the environment (``YYYY-MM-DD``, or an ISO 8601 date and time with its
  offset) sets it for a process and for the processes it starts; unset, the clock is the real one.
- ``pin(day)`` (or ``with pinned(day):``) sets it inside one process, over the environment.
A set clock starts at the time given (a bare date starts at 12:00 London time, far from either
midnight) and runs on from the moment it is set, so durations and the order of events stay real.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
OVERRIDE = "CASEBOARD_TODAY"
NOON = dt.time(12, 0)

# (the instant the clock was set to, time.monotonic() when it was set)
_Anchor = tuple[dt.datetime, float]
_pinned: _Anchor | None = None
_from_environment: dict[str, _Anchor] = {}


class ClockError(ValueError):
    pass


def now() -> dt.datetime:
    """The current instant, timezone-aware in UTC."""
    anchor = _pinned or _environment_anchor()
    if anchor is None:
        return dt.datetime.now(dt.UTC)
    start, set_at = anchor
    return start + dt.timedelta(seconds=time.monotonic() - set_at)


def today() -> dt.date:
    """Today's calendar date in Europe/London."""
    return local_date(now())


def local(moment: dt.datetime) -> dt.datetime:
    """An aware instant in Europe/London time."""
    if moment.tzinfo is None:
        raise ClockError(f"{moment.isoformat()} has no offset: Caseboard keeps aware times only")
    return moment.astimezone(LONDON)


def local_date(moment: dt.datetime) -> dt.date:
    """The Europe/London calendar date of an aware instant."""
    return local(moment).date()


def pin(moment: dt.date | dt.datetime) -> None:
    """Set the clock for this process: from now it reads ``moment`` and runs on."""
    global _pinned
    _pinned = (instant(moment), time.monotonic())


def unpin() -> None:
    """Back to the environment's clock, or the real one."""
    global _pinned
    _pinned = None


@contextmanager
def pinned(moment: dt.date | dt.datetime) -> Iterator[dt.date]:
    """The clock set to ``moment`` inside the block; yields the day it reads."""
    global _pinned
    before = _pinned
    pin(moment)
    try:
        yield today()
    finally:
        _pinned = before


def instant(moment: dt.date | dt.datetime) -> dt.datetime:
    """An aware UTC instant: a date is noon of that day in London; a datetime keeps its offset
    (a naive one is taken as London time)."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, NOON)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    return moment.astimezone(dt.UTC)


def parse(text: str) -> dt.datetime:
    """The instant a ``CASEBOARD_TODAY`` value names."""
    text = text.strip()
    try:
        if len(text) == 10:
            return instant(dt.date.fromisoformat(text))
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ClockError(
            f"{OVERRIDE}={text!r} is neither a date (YYYY-MM-DD) nor an ISO 8601 date and time"
        ) from None
    if moment.tzinfo is None:
        raise ClockError(f"{OVERRIDE}={text!r}: a date and time needs its offset (e.g. +00:00)")
    return instant(moment)


def _environment_anchor() -> _Anchor | None:
    text = os.environ.get(OVERRIDE, "").strip()
    if not text:
        return None
    anchor = _from_environment.get(text)
    if anchor is None:
        anchor = _from_environment[text] = (parse(text), time.monotonic())
    return anchor
