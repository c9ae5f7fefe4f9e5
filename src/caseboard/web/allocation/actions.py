"""Writes of the allocation pages: an allocation or absence request, or its withdrawal. Each
checks everything first and raises Refused (writing nothing), then writes its row and queues the
affected referrals for refresh in one transaction; the caller audits inside the same one."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from caseboard.domain import clock, codes
from caseboard.records.models import AllocationRequest, Practitioner, Referral, ReferralCareTeam
from caseboard.services.refresh_queue import queue_refresh
from caseboard.web.accounts.access import current_care_team
from caseboard.web.allocation import pending as shown
from caseboard.web.allocation.choices import in_post

BACKDATE_DAYS = 28  # how far before today an allocation may start
AHEAD_DAYS = 90  # how far ahead an allocation may start


class Refused(ValueError):
    """The request cannot be recorded; the message says why, and which field to fix."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def parse_date(text: str, *, field: str, label: str, required: bool = True) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        if required:
            raise Refused(f"Enter {label}", field=field)
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Refused(f"{label.capitalize()} must be a real date", field=field) from None


def team_member(team_id: int, practitioner_id: str, today: dt.date, *, field: str) -> Practitioner:
    """A practitioner of the team who is in post, or Refused naming why not."""
    try:
        person = Practitioner.objects.get(pk=int(practitioner_id))
    except (ValueError, TypeError, Practitioner.DoesNotExist):
        raise Refused("Choose a practitioner of this team", field=field) from None
    if person.team_id != team_id:
        raise Refused(f"{person.name} is not in this team", field=field)
    if not in_post(team_id, today).filter(pk=person.pk).exists():
        raise Refused(f"{person.name} is not active in post", field=field)
    return person


def current_lead(referral_id: int, today: dt.date) -> int | None:
    row = (
        current_care_team(today)
        .filter(referral_id=referral_id, role="lead")
        .order_by("-starts_on", "-pk")
        .first()
    )
    return row.practitioner_id if row else None


def allocate(
    *,
    referral: Referral,
    team_id: int,
    practitioner_id: str,
    role: str,
    starts_on: str,
    reason: str,
    handover: str,
    by,
    today: dt.date,
) -> AllocationRequest:
    if referral.team_id != team_id:
        raise Refused("This referral is not in this team")
    if referral.status != "open":
        raise Refused("This referral is closed: there is nothing to allocate")
    if role not in codes.CARE_TEAM_ROLES:
        raise Refused("Choose lead or co-worker", field="role")
    person = team_member(team_id, practitioner_id, today, field="practitioner")
    start = parse_date(starts_on, field="starts_on", label="the start date")
    assert start is not None
    if (
        not today - dt.timedelta(days=BACKDATE_DAYS)
        <= start
        <= today + dt.timedelta(days=AHEAD_DAYS)
    ):
        raise Refused(
            f"The start date must be within {BACKDATE_DAYS} days before and {AHEAD_DAYS} days "
            "after today",
            field="starts_on",
        )
    if start < referral.received_on:
        raise Refused("The start date is before the referral was received", field="starts_on")
    held = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    care_team = ReferralCareTeam.objects.filter(referral_id=referral.pk).filter(held)
    if care_team.filter(practitioner_id=person.pk, role=role).exists():
        raise Refused(
            f"The record already has {person.name} as {_role(role)}", field="practitioner"
        )
    lead_id = current_lead(referral.pk, today)
    if role == "co_worker" and lead_id == person.pk:
        raise Refused(f"{person.name} leads this case", field="practitioner")
    for waiting in shown.allocations(team_id=team_id):
        same = waiting.referral_id == referral.pk and waiting.pending and waiting.role == role
        # One lead at a time; a co-worker request clashes only with one for the same person.
        if same and (role == "lead" or waiting.practitioner_id == person.pk):
            raise Refused(
                f"An allocation to {waiting.practitioner} as {_role(role)} is already "
                f"{waiting.status}: withdraw it first",
                field="practitioner",
            )
    reason = (reason or "").strip()
    if role == "lead" and lead_id is not None and not reason:
        raise Refused("Give the reason for the reallocation", field="reason")
    with transaction.atomic():
        request = AllocationRequest.objects.create(
            referral_id=referral.pk,
            practitioner_id=person.pk,
            role=role,
            starts_on=start,
            replaces_practitioner_id=lead_id if role == "lead" else None,
            reason=reason,
            handover=(handover or "").strip() or None,
            requested_by_id=by.pk,
            requested_at=clock.now(),
        )
        queue_refresh([referral.pk], reason="allocation")
    return request


def _role(role: str) -> str:
    return role.replace("_", "-")


def withdraw_allocation(*, request: AllocationRequest, team_id: int, by) -> None:
    """Withdraw a request the EPR has not yet confirmed."""
    found = {a.request_id: a for a in shown.allocations(team_id=team_id)}.get(request.pk)
    if found is None:
        raise Refused("This allocation was already withdrawn")
    if not found.pending:
        raise Refused("The EPR has already recorded this allocation: reallocate instead")
    with transaction.atomic():
        request.withdrawn_at, request.withdrawn_by_id = clock.now(), by.pk
        request.save(update_fields=["withdrawn_at", "withdrawn_by"])
        queue_refresh([request.referral_id], reason="allocation")
