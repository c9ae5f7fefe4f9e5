"""When referrals arrive: fewer at weekends, in August and over Christmas, more in January and
February and in the autumn.

The monthly weights are England's NHS Talking Therapies referrals received per day in each
calendar month (activity_performance_monthly, M001 Count_ReferralsReceived, 2023-05 to 2026-03),
each as a share of the mean daily rate of its financial year, averaged over the years. December's
dip is put in its last eleven days (the Christmas and New Year week), so the month as a whole
keeps its published weight. docs/synthetic-data.md has the table.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

# Referrals per day in each month, relative to the year's mean (January first).
MONTHLY = (1.09, 1.11, 1.01, 0.98, 0.94, 0.96, 1.01, 0.92, 1.02, 1.08, 1.05, 0.82)
CHRISTMAS_FROM = 21  # December 21st to 31st ...
CHRISTMAS = 0.55  # ... at this weight, the rest of December at EARLY_DECEMBER
EARLY_DECEMBER = (31 * MONTHLY[11] - (32 - CHRISTMAS_FROM) * CHRISTMAS) / (CHRISTMAS_FROM - 1)
WEEKEND = 0.35  # a weekend day against a weekday (self-referrals online, few GP letters)
TRIES = 64  # draws before a placement gives up on the season and takes the last one


def weight(day: dt.date) -> float:
    """The relative chance that a referral arrives on this day."""
    if day.month == 12:
        season = CHRISTMAS if day.day >= CHRISTMAS_FROM else EARLY_DECEMBER
    else:
        season = MONTHLY[day.month - 1]
    return season * (WEEKEND if day.weekday() >= 5 else 1.0)


def weights(first: dt.date, n: int) -> np.ndarray:
    """The weight of each of n days from ``first``."""
    return np.array([weight(first + dt.timedelta(days=d)) for d in range(n)], dtype=float)


TOP = max((*MONTHLY[:11], EARLY_DECEMBER))


def arrival(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    """A day from ``first`` to ``last`` (both included), drawn with the weights above."""
    span = (last - first).days
    if span <= 0:
        return first
    day = first
    for _ in range(TRIES):
        day = first + dt.timedelta(days=int(rng.integers(0, span + 1)))
        if rng.random() * TOP < weight(day):
            break
    return day
