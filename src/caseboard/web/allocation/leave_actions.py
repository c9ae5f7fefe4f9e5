"""Recording a practitioner's absence and its cover, pending in the EPR until an import loads a
matching absence row; and withdrawing it. The cases the absent practitioner leads are queued for
refresh with the change, as any practitioner change is."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from caseboard.domain import clock, codes
from caseboard.records.models import AbsenceRequest
from caseboard.services.refresh_queue import queue_refresh
from caseboard.web.accounts.access import current_care_team
from caseboard.web.allocation import pending as shown
from caseboard.web.allocation.actions import Refused, parse_date, team_member
from caseboard.web.allocation.status import overlaps


def _led_referrals(practitioner_id: int, today: dt.date) -> list[int]:
    return list(
        current_care_team(today)
        .filter(role="lead", practitioner_id=practitioner_id, referral__status="open")
        .values_list("referral_id", flat=True)
    )


def record_absence(
    *,
    team_id: int,
    practitioner_id: str,
    kind: str,
    starts_on: str,
    ends_on: str,
    cover_practitioner_id: str,
    note: str,
    by,
    today: dt.date,
) -> AbsenceRequest:
    person = team_member(team_id, practitioner_id, today, field="practitioner")
    if kind not in codes.ABSENCE_KINDS:
        raise Refused("Choose the kind of absence", field="kind")
    start = parse_date(starts_on, field="starts_on", label="the first day away")
    end = parse_date(ends_on, field="ends_on", label="the last day away", required=False)
    assert start is not None
    if end is not None and end < start:
        raise Refused("The last day away is before the first", field="ends_on")
    if end is not None and end < today:
        raise Refused("This absence has ended: there is nothing to cover", field="ends_on")
    cover = None
    if (cover_practitioner_id or "").strip():
        cover = team_member(team_id, cover_practitioner_id, today, field="cover")
        if cover.pk == person.pk:
            raise Refused("A practitioner cannot cover their own absence", field="cover")
    for other in shown.absences(team_id=team_id, today=today):
        if (
            other.practitioner_id == person.pk
            and other.pending
            and overlaps(other.starts_on, other.ends_on, start, end)
        ):
            raise Refused(
                f"An absence of {person.name} over these dates is already {other.status}: "
                "withdraw it first",
                field="starts_on",
            )
    with transaction.atomic():
        request = AbsenceRequest.objects.create(
            practitioner_id=person.pk,
            kind=kind,
            starts_on=start,
            ends_on=end,
            cover_practitioner_id=cover.pk if cover else None,
            note=(note or "").strip() or None,
            requested_by_id=by.pk,
            requested_at=clock.now(),
        )
        queue_refresh(_led_referrals(person.pk, today), reason="absence")
    return request


def withdraw_absence(*, request: AbsenceRequest, team_id: int, by, today: dt.date) -> None:
    """Withdraw an absence the EPR has not yet confirmed."""
    found = {a.request_id: a for a in shown.absences(team_id=team_id, today=today)}.get(request.pk)
    if found is None:
        raise Refused("This absence was already withdrawn or has ended")
    if not found.pending:
        raise Refused("The EPR has already recorded this absence")
    with transaction.atomic():
        request.withdrawn_at, request.withdrawn_by_id = clock.now(), by.pk
        request.save(update_fields=["withdrawn_at", "withdrawn_by"])
        queue_refresh(_led_referrals(request.practitioner_id, today), reason="absence")
