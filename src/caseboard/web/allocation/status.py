"""Whether the EPR has confirmed an allocation or absence made in Caseboard (derived, not stored).

An allocation request is confirmed by a referral_care_team row of the same referral,
practitioner and role that had not ended before the day the request was made. Its start date
may differ from the one requested (the EPR may record the meeting's date); an older row that had
already ended cannot confirm it, and a request is refused while such a row is still in force, so
the row that confirms it is one the EPR wrote after the request.

An absence request is confirmed by an absence row of the same practitioner and kind whose period
overlaps the requested one and, where the request names a cover practitioner, names the same
cover (an absence without the cover would leave the cases unrouted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PENDING = "pending"
CONFIRMED = "confirmed"
WITHDRAWN = "withdrawn"


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


@dataclass(frozen=True)
class CareTeamRow:
    referral_id: int
    practitioner_id: int
    role: str
    starts_on: dt.date
    ends_on: dt.date | None


@dataclass(frozen=True)
class AbsenceRow:
    practitioner_id: int
    kind: str
    starts_on: dt.date
    ends_on: dt.date | None
    cover_practitioner_id: int | None


def confirming_care_team_row(
    *,
    referral_id: int,
    practitioner_id: int,
    role: str,
    requested_on: dt.date,
    rows: list[CareTeamRow],
) -> CareTeamRow | None:
    """The record's row that confirms an allocation request, the earliest if several."""
    matching = [
        row
        for row in rows
        if (row.referral_id, row.practitioner_id, row.role) == (referral_id, practitioner_id, role)
        and (row.ends_on is None or row.ends_on >= requested_on)
    ]
    return min(matching, key=lambda row: row.starts_on, default=None)


def overlaps(
    first_start: dt.date,
    first_end: dt.date | None,
    second_start: dt.date,
    second_end: dt.date | None,
) -> bool:
    """Whether two periods share a day; an empty end is open."""
    return (first_end is None or first_end >= second_start) and (
        second_end is None or second_end >= first_start
    )


def confirming_absence_row(
    *,
    practitioner_id: int,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    cover_practitioner_id: int | None,
    rows: list[AbsenceRow],
) -> AbsenceRow | None:
    """The record's absence that confirms an absence request, the earliest if several."""
    matching = [
        row
        for row in rows
        if row.practitioner_id == practitioner_id
        and row.kind == kind
        and overlaps(row.starts_on, row.ends_on, starts_on, ends_on)
        and (cover_practitioner_id is None or row.cover_practitioner_id == cover_practitioner_id)
    ]
    return min(matching, key=lambda row: row.starts_on, default=None)


def status_text(state: str, *, requested_on: dt.date, confirmed_from: dt.date | None) -> str:
    """'pending in the EPR since 23 Nov 2026', 'confirmed in the EPR (from 25 Nov 2026)'."""
    if state == CONFIRMED and confirmed_from is not None:
        return f"confirmed in the EPR (from {_day(confirmed_from)})"
    if state == WITHDRAWN:
        return "withdrawn"
    return f"pending in the EPR since {_day(requested_on)}"
