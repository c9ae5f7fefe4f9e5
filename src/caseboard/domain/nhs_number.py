"""NHS numbers: ten digits, the last a modulus-11 check digit over the first nine.

The check is from the NHS Data Dictionary ("NHS Number"): weight the first nine digits 10 down
to 2, sum, take the remainder on division by 11 and subtract it from 11. A result of 11 gives a
check digit of 0; a result of 10 means no valid number uses those nine digits.

Error messages never repeat the number itself: they end up in logs and quarantine reports, and an
NHS number is an identifier.
"""

from __future__ import annotations

WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_DIGITS = frozenset("0123456789")


class InvalidNhsNumber(ValueError):
    """A value that is not a valid NHS number; the message says why, without the number."""


def _all_digits(value: str) -> bool:
    # str.isdigit() also accepts superscripts and other scripts' digits; an NHS number is ASCII.
    return bool(value) and set(value) <= _DIGITS


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no valid NHS number starts with them."""
    if len(first_nine) != 9 or not _all_digits(first_nine):
        raise InvalidNhsNumber("the first part of an NHS number must be exactly 9 digits")
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, WEIGHTS, strict=True))
    result = 11 - total % 11
    if result == 11:
        return 0
    if result == 10:
        return None
    return result


def problem(value: str) -> str | None:
    """Why ``value`` is not a valid NHS number, or None when it is valid."""
    if not isinstance(value, str):
        return "an NHS number must be text of 10 digits"
    if not _all_digits(value):
        return "an NHS number must be 10 digits with no spaces, letters or other characters"
    if len(value) != 10:
        return f"an NHS number must be 10 digits, not {len(value)}"
    expected = check_digit(value[:9])
    if expected is None:
        return "no valid NHS number starts with these 9 digits (the check digit would be 10)"
    if expected != int(value[9]):
        return "the check digit (the 10th digit) does not match the first 9 digits"
    return None


def is_valid(value: str) -> bool:
    """True for exactly 10 ASCII digits whose last digit is the modulus-11 check digit."""
    return problem(value) is None


def validate(value: str) -> str:
    """Return ``value`` unchanged when valid; otherwise raise InvalidNhsNumber saying why."""
    reason = problem(value)
    if reason is not None:
        raise InvalidNhsNumber(reason)
    return value
