"""Random draws and calendar helpers shared by the generator's modules.

Each area of the trust draws from its own stream (seed plus a fixed area number), so changing how
contacts are drawn does not change the patients. No global random state and no wall clock.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import zlib
from collections.abc import Mapping, Sequence
from typing import Generic, TypeVar

import numpy as np

from caseboard.domain.clock import LONDON

T = TypeVar("T")


class Stream(np.random.Generator):
    """A generator for one area of the trust, with room for what is drawn ahead in batches
    (``ahead``: e.g. Talking Therapies courses, tt_episode.script), so that the same seed still
    gives the same trust."""

    def __init__(self, seed: Sequence[int]) -> None:
        super().__init__(np.random.PCG64(list(seed)))
        self.ahead: dict[object, list[object]] = {}


def stream(seed: int, area: str) -> Stream:
    """An independent generator for one area; crc32 is stable where hash() is not."""
    return Stream([seed, zlib.crc32(area.encode("ascii"))])


class Choice(Generic[T]):
    """A weighted choice among options, drawn with one uniform number (fast for scalars)."""

    def __init__(self, weighted: Mapping[T, float]) -> None:
        pairs = list(weighted.items())
        self.options = [option for option, _ in pairs]
        total = float(sum(weight for _, weight in pairs))
        self.cumulative = [w / total for w in itertools.accumulate(w for _, w in pairs)]

    def draw(self, rng: np.random.Generator) -> T:
        index = bisect.bisect_right(self.cumulative, float(rng.random()))
        return self.options[min(index, len(self.options) - 1)]


def chance(rng: np.random.Generator, probability: float) -> bool:
    return bool(rng.random() < probability)


def between(rng: np.random.Generator, low: int, high: int) -> int:
    """A whole number from low to high inclusive."""
    return int(rng.integers(low, high + 1))


def pick(rng: np.random.Generator, options: Sequence[T]) -> T:
    return options[int(rng.integers(len(options)))]


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def working_day(day: dt.date, *, not_before: dt.date | None = None) -> dt.date:
    """Move a weekend day to the nearest working day (Saturday back, Sunday forward), and then
    forward to the first working day on or after ``not_before``. Bank holidays are not modelled."""
    if day.weekday() == 5:
        day = day - days(1)
    elif day.weekday() == 6:
        day = day + days(1)
    if not_before is not None and day < not_before:
        day = not_before
        while day.weekday() >= 5:
            day = day + days(1)
    return day


def local_time(day: dt.date, hour: int, minute: int) -> dt.datetime:
    """An aware Europe/London datetime; zoneinfo applies BST or GMT for that day."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def to_utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every calendar month from first's month to last's month inclusive."""
    months = []
    day = first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + days(32)).replace(day=1)
    return months
