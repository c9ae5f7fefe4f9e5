import datetime as dt

import pytest

from caseboard.domain.periods import (
    Month,
    add_months,
    elapsed_days,
    is_beyond,
    is_within,
    is_working_day,
    local_date,
    month_frozen_on,
    weeks,
    within_months,
    working_days_after,
)

D = dt.date
UTC = dt.UTC


@pytest.mark.parametrize(
    ("month", "first", "last", "length"),
    [
        (Month(2026, 1), D(2026, 1, 1), D(2026, 1, 31), 31),
        (Month(2026, 2), D(2026, 2, 1), D(2026, 2, 28), 28),
        (Month(2024, 2), D(2024, 2, 1), D(2024, 2, 29), 29),  # leap year
        (Month(2000, 2), D(2000, 2, 1), D(2000, 2, 29), 29),  # divisible by 400: leap
        (Month(2100, 2), D(2100, 2, 1), D(2100, 2, 28), 28),  # divisible by 100: not leap
        (Month(2026, 4), D(2026, 4, 1), D(2026, 4, 30), 30),
        (Month(2026, 12), D(2026, 12, 1), D(2026, 12, 31), 31),
    ],
)
def test_month_first_and_last_day(month, first, last, length):
    assert month.first_day == first
    assert month.last_day == last
    assert month.length == length


@pytest.mark.parametrize(
    ("month", "previous", "following"),
    [
        (Month(2026, 1), Month(2025, 12), Month(2026, 2)),
        (Month(2026, 6), Month(2026, 5), Month(2026, 7)),
        (Month(2026, 12), Month(2026, 11), Month(2027, 1)),
    ],
)
def test_month_previous_and_next_cross_year_ends(month, previous, following):
    assert month.previous() == previous
    assert month.next() == following
    assert month.next().previous() == month


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 3, 31), Month(2026, 3)),
        (D(2026, 4, 1), Month(2026, 4)),
        (D(2024, 2, 29), Month(2024, 2)),
    ],
)
def test_month_from_date(day, expected):
    assert Month.from_date(day) == expected


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (D(2026, 1, 31), False),  # the day before
        (D(2026, 2, 1), True),  # first day
        (D(2026, 2, 28), True),  # last day
        (D(2026, 3, 1), False),  # the day after
        (D(2025, 2, 15), False),  # same month, another year
    ],
)
def test_month_contains_boundaries(day, inside):
    assert Month(2026, 2).contains(day) is inside


@pytest.mark.parametrize(
    ("day", "left"), [(D(2026, 1, 24), 7), (D(2026, 1, 25), 6), (D(2026, 1, 31), 0)]
)
def test_month_days_left_after(day, left):
    assert Month(2026, 1).days_left_after(day) == left


def test_month_days_left_after_other_month_refused():
    with pytest.raises(ValueError, match="not in 2026-01"):
        Month(2026, 1).days_left_after(D(2026, 2, 1))


@pytest.mark.parametrize("month", [0, 13])
def test_month_invalid_month_refused(month):
    with pytest.raises(ValueError, match="1 to 12"):
        Month(2026, month)


def test_month_orders_and_prints():
    assert Month(2025, 12) < Month(2026, 1) < Month(2026, 2)
    assert str(Month(2026, 3)) == "2026-03"


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # clamped to the month's last day
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # 29 Feb + 1 year
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 5, 31), 1, D(2026, 6, 30)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2026, 6, 15), -12, D(2025, 6, 15)),
        (D(2026, 6, 15), 0, D(2026, 6, 15)),
    ],
)
def test_add_months_clamps_month_ends(day, n, expected):
    assert add_months(day, n) == expected


@pytest.mark.parametrize(
    ("earlier", "within"),
    [
        (D(2025, 3, 14), False),  # the day before "the same day 12 months before"
        (D(2025, 3, 15), True),  # on it
        (D(2025, 3, 16), True),  # the day after
        (D(2026, 3, 15), True),  # the same day
        (D(2026, 3, 16), False),  # after the later date
    ],
)
def test_within_months_twelve_calendar_months(earlier, within):
    assert within_months(earlier, D(2026, 3, 15), 12) is within


@pytest.mark.parametrize(
    ("earlier", "later", "within"),
    [
        (D(2023, 2, 27), D(2024, 2, 29), False),  # 29 Feb 2023 does not exist: 28 Feb is the day
        (D(2023, 2, 28), D(2024, 2, 29), True),
        (D(2024, 2, 27), D(2025, 2, 28), False),
        (D(2024, 2, 28), D(2025, 2, 28), True),
        (D(2024, 2, 29), D(2025, 2, 28), True),
    ],
)
def test_within_months_around_29_february(earlier, later, within):
    assert within_months(earlier, later, 12) is within


@pytest.mark.parametrize(("n", "days"), [(0, 0), (1, 7), (6, 42), (16, 112), (18, 126)])
def test_weeks_is_seven_days_each(n, days):
    assert weeks(n) == dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (D(2026, 1, 1), D(2026, 1, 1), 0),  # start is day 0
        (D(2026, 1, 1), D(2026, 1, 29), 28),
        (D(2026, 3, 28), D(2026, 3, 30), 2),  # across the spring change (29 March 2026)
        (D(2026, 10, 24), D(2026, 10, 26), 2),  # across the autumn change (25 October 2026)
        (D(2024, 2, 28), D(2024, 3, 1), 2),  # leap day counted
        (D(2026, 1, 2), D(2026, 1, 1), -1),
    ],
)
def test_elapsed_days_counts_calendar_days(start, end, days):
    assert elapsed_days(start, end) == days


@pytest.mark.parametrize(
    ("elapsed", "within", "beyond"),
    [(27, True, False), (28, True, False), (29, False, True)],
)
def test_is_within_and_is_beyond_at_28(elapsed, within, beyond):
    assert is_within(elapsed, 28) is within
    assert is_beyond(elapsed, 28) is beyond


@pytest.mark.parametrize(
    ("moment", "local"),
    [
        # Spring forward: 01:00 UTC on 29 March 2026 becomes 02:00 BST.
        (dt.datetime(2026, 3, 28, 23, 30, tzinfo=UTC), D(2026, 3, 28)),
        (dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC), D(2026, 3, 29)),
        (dt.datetime(2026, 3, 29, 23, 30, tzinfo=UTC), D(2026, 3, 30)),  # 00:30 BST
        # Fall back: 01:00 UTC on 25 October 2026 becomes 01:00 GMT.
        (dt.datetime(2026, 10, 24, 22, 59, tzinfo=UTC), D(2026, 10, 24)),
        (dt.datetime(2026, 10, 24, 23, 30, tzinfo=UTC), D(2026, 10, 25)),  # 00:30 BST
        (dt.datetime(2026, 10, 25, 23, 30, tzinfo=UTC), D(2026, 10, 25)),  # 23:30 GMT
    ],
)
def test_local_date_across_bst_changes(moment, local):
    assert local_date(moment) == local


def test_local_date_refuses_naive_datetime():
    with pytest.raises(ValueError, match="UTC offset"):
        local_date(dt.datetime(2026, 3, 29, 12, 0))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 3, 27), True),  # Friday
        (D(2026, 3, 28), False),  # Saturday
        (D(2026, 3, 29), False),  # Sunday, BST starts
        (D(2026, 3, 30), True),  # Monday
    ],
)
def test_is_working_day_monday_to_friday(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (D(2026, 3, 27), 0, D(2026, 3, 27)),
        (D(2026, 3, 27), 1, D(2026, 3, 30)),  # Friday + 1 = Monday, over the BST weekend
        (D(2026, 3, 28), 1, D(2026, 3, 30)),  # a Saturday DNA counts from Monday
        (D(2026, 3, 29), 1, D(2026, 3, 30)),
        (D(2026, 10, 21), 7, D(2026, 10, 30)),  # Wednesday + 7 over the autumn change
        (D(2026, 3, 30), 5, D(2026, 4, 6)),  # Easter Monday 2026 is not modelled
        (D(2026, 12, 31), 5, D(2027, 1, 7)),  # bank holiday 1 January not modelled
    ],
)
def test_working_days_after_skips_weekends(day, n, expected):
    assert working_days_after(day, n) == expected


def test_working_days_after_refuses_negative():
    with pytest.raises(ValueError, match="negative"):
        working_days_after(D(2026, 1, 1), -1)


@pytest.mark.parametrize(
    ("month", "frozen_on"),
    [
        (Month(2026, 1), D(2026, 2, 6)),  # ends Saturday 31 January
        (Month(2026, 2), D(2026, 3, 6)),  # ends Saturday 28 February
        (Month(2026, 3), D(2026, 4, 7)),  # ends Tuesday 31 March
        (Month(2024, 2), D(2024, 3, 7)),  # ends Thursday 29 February (leap year)
    ],
)
def test_month_frozen_on_five_working_days_after_month_end(month, frozen_on):
    assert month_frozen_on(month, 5) == frozen_on
