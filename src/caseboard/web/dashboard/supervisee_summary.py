"""A supervisor's supervisees at a glance: each one's open lead cases, how many of those have a
flag raised (snoozed flags included, as the tier summaries count them), and their last signed
supervision session that counts toward the standard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max

from caseboard.domain import clock
from caseboard.records.models import CaseSnapshot
from caseboard.web.accounts.access import Access, current_care_team, supervisees
from caseboard.web.supervision.models import SupervisionAttendee


@dataclass(frozen=True)
class Supervisee:
    practitioner_id: int
    name: str
    active: bool
    lead_cases: int
    flagged_cases: int
    last_supervised_on: dt.date | None


def _counts(led) -> dict[int, int]:
    return dict(
        led.order_by()
        .values("practitioner_id")
        .annotate(cases=Count("referral_id", distinct=True))
        .values_list("practitioner_id", "cases")
    )


def summaries(access: Access, *, on: dt.date | None = None) -> list[Supervisee]:
    """The user's supervisees in post, and any who have left but still lead an open case."""
    on = on or clock.today()
    people = list(supervisees(access).order_by("name", "pk").values("id", "name", "active"))
    ids = [person["id"] for person in people]
    led = current_care_team(on).filter(
        role="lead", practitioner_id__in=ids, referral__status="open"
    )
    lead_cases = _counts(led)
    flagged = CaseSnapshot.objects.exclude(flags="").exclude(flags__isnull=True)
    flagged_cases = _counts(led.filter(referral_id__in=flagged.values("referral_id")))
    last_supervised = dict(
        SupervisionAttendee.objects.filter(
            practitioner_id__in=ids,
            session__signed_off_at__isnull=False,
            session__counts_toward_standard=True,
            session__held_on__lte=on,
        )
        .order_by()
        .values("practitioner_id")
        .annotate(last=Max("session__held_on"))
        .values_list("practitioner_id", "last")
    )
    return [
        Supervisee(
            practitioner_id=person["id"],
            name=person["name"],
            active=person["active"],
            lead_cases=lead_cases.get(person["id"], 0),
            flagged_cases=flagged_cases.get(person["id"], 0),
            last_supervised_on=last_supervised.get(person["id"]),
        )
        for person in people
        if person["active"] or lead_cases.get(person["id"])
    ]
