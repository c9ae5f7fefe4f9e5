"""Calendar arithmetic for the rules: Europe/London dates, calendar months, working days.

Every rule counts in local calendar dates, never in hours: a contact at 00:30 BST on 25 October
is on 25 October. The conventions are those of CLINICAL-RULES.md section 2 ("Counting
conventions") and DESIGN.md "Data contract":

- Elapsed days are the difference between two local dates, the start date being day 0.
- A "within N days" target is met when elapsed <= N (``is_within``); a flag "beyond N days" fires
  when elapsed > N (``is_beyond``).
- "n weeks" is 7n days. "Within 12 months" means on or after the same day 12 calendar months
  before. A calendar month that has no such day (31 February) uses its last day.
- Working days are Monday to Friday. Bank holidays are **not** modelled: a rule counting working
  days over Christmas or Easter comes out one or two days early. That errs on the side of raising
  a flag sooner, which is the safe direction for every rule that uses working days.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
SATURDAY = 5  # date.weekday(): Monday is 0


def local_date(moment: dt.datetime) -> dt.date:
    """The Europe/London calendar date of an aware datetime (importers store it beside the time)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a datetime without a UTC offset has no defined local date")
    return moment.astimezone(LONDON).date()


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, e.g. Month(2026, 2) is February 2026."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1 to 12, not {self.month}")
        if not dt.MINYEAR <= self.year <= dt.MAXYEAR:
            raise ValueError(f"year {self.year} is outside the calendar")

    @classmethod
    def from_date(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def length(self) -> int:
        """Number of days in the month."""
        return calendar.monthrange(self.year, self.month)[1]

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def contains(self, day: dt.date) -> bool:
        return (day.year, day.month) == (self.year, self.month)

    def days_left_after(self, day: dt.date) -> int:
        """Days of this month after ``day``: 0 on the last day (SUPERVISION_DUE's "days left")."""
        if not self.contains(day):
            raise ValueError(f"{day.isoformat()} is not in {self}")
        return (self.last_day - day).days

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def add_months(day: dt.date, n: int) -> dt.date:
    """The same day ``n`` calendar months later (earlier when n < 0), clamped to the month's end.

    31 January + 1 month is 28 February (29 February in a leap year); 29 February 2024 + 12
    months is 28 February 2025.
    """
    index = day.year * 12 + (day.month - 1) + n
    year, month_index = divmod(index, 12)
    month = month_index + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def within_months(earlier: dt.date, later: dt.date, n: int) -> bool:
    """True when ``earlier`` is on or after the same day ``n`` calendar months before ``later``.

    "Discussed within the previous 12 months" (seed 000 §4.3). A date after ``later`` is not
    within the months before it.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    return add_months(later, -n) <= earlier <= later


def weeks(n: int) -> dt.timedelta:
    """``n`` weeks as days: "18 weeks" is 126 days."""
    return dt.timedelta(days=7 * n)


def elapsed_days(start: dt.date, end: dt.date) -> int:
    """Days from ``start`` (day 0) to ``end``; negative when ``end`` is before ``start``."""
    return (end - start).days


def is_within(elapsed: int, n: int) -> bool:
    """A "within N days" target is met: elapsed <= N (day N itself is in time)."""
    return elapsed <= n


def is_beyond(elapsed: int, n: int) -> bool:
    """A "beyond N days" flag fires: elapsed > N (it first fires on day N + 1)."""
    return elapsed > n


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday. Bank holidays are not modelled (see the module docstring)."""
    return day.weekday() < SATURDAY


def working_days_after(day: dt.date, n: int) -> dt.date:
    """The date ``n`` working days after ``day``: Friday + 1 working day is Monday.

    ``day`` itself need not be a working day (a DNA on a Saturday counts from Monday). With
    n = 0 the answer is ``day``.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    current = day
    remaining = n
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def month_frozen_on(month: Month, working_days: int) -> dt.date:
    """The date a month's compliance figures freeze: ``working_days`` after its last day.

    CLINICAL-RULES "COMPLIANCE (KPI 1)": frozen 5 working days after the month ends; on and after
    this date later signatures are revisions.
    """
    return working_days_after(month.last_day, working_days)
