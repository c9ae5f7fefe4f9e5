"""The team's cases that nobody holds, read from the record (not the snapshot, so an import shows
at once): referrals waiting for allocation (no current lead) and orphaned cases, whose lead has
left (inactive or past the end date) or is on long-term absence, the rule of ORPHANED_CASE."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from caseboard.domain.codes import LONG_TERM_ABSENCES
from caseboard.records.models import Absence, Practitioner, ReferralPriorityGroup
from caseboard.web.accounts.access import current_care_team
from caseboard.web.allocation.pending import ShownAllocation
from caseboard.web.dashboard.cases import format_nhs_number


@dataclass(frozen=True)
class WorkItem:
    referral_id: int
    patient_id: int
    patient_name: str
    nhs_number: str
    received_on: dt.date
    days_waiting: int
    stage: str
    urgent: bool
    lead_id: int | None
    lead: str  # "" when unallocated
    why: str  # "" when unallocated; "left on 3 Nov 2026", "on long-term sickness, no cover"
    pending: tuple[ShownAllocation, ...]


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def lead_status(lead_ids: set[int], today: dt.date) -> dict[int, str]:
    """Why each lead no longer holds their cases; leads in post and present are left out."""
    why: dict[int, str] = {}
    names = dict(Practitioner.objects.values_list("pk", "name"))
    for person in Practitioner.objects.filter(pk__in=lead_ids):
        if person.ended_on is not None and person.ended_on < today:
            why[person.pk] = f"left on {_day(person.ended_on)}"
        elif not person.active:
            why[person.pk] = "no longer active"
    away = (
        Absence.objects.filter(
            practitioner_id__in=lead_ids - set(why),
            kind__in=LONG_TERM_ABSENCES,
            starts_on__lte=today,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("starts_on", "pk")
    )
    for absence in away:
        cover = names.get(absence.cover_practitioner_id)
        why.setdefault(
            absence.practitioner_id,
            f"on {absence.kind.replace('_', ' ')} since {_day(absence.starts_on)}"
            + (f" (cover: {cover})" if cover else ", no cover named"),
        )
    return why


def _open_with_leads(referrals: QuerySet, today: dt.date) -> tuple[list, dict[int, int]]:
    """The open ``referrals`` (with their patients) and each one's current lead."""
    rows = list(referrals.filter(status="open").select_related("patient"))
    leads: dict[int, int] = {}
    for referral_id, practitioner_id in (
        current_care_team(today)
        .filter(role="lead", referral_id__in=[r.pk for r in rows])
        .order_by("starts_on", "pk")
        .values_list("referral_id", "practitioner_id")
    ):
        leads[referral_id] = practitioner_id  # the latest lead row wins, as the engine's does
    return rows, leads


def _item(
    referral,
    today: dt.date,
    pending: list[ShownAllocation],
    *,
    urgent: bool,
    lead_id: int | None,
    lead: str,
    why: str,
) -> WorkItem:
    return WorkItem(
        referral_id=referral.pk,
        patient_id=referral.patient_id,
        patient_name=f"{referral.patient.family_name.upper()}, {referral.patient.given_name}",
        nhs_number=format_nhs_number(referral.patient.nhs_number),
        received_on=referral.received_on,
        days_waiting=(today - referral.received_on).days,
        stage=(referral.pathway_stage or "unknown").replace("_", " "),
        urgent=urgent,
        lead_id=lead_id,
        lead=lead,
        why=why,
        pending=tuple(p for p in pending if p.referral_id == referral.pk and p.pending),
    )


def unheld_cases(
    referrals: QuerySet, today: dt.date, pending: list[ShownAllocation]
) -> tuple[list[WorkItem], list[WorkItem]]:
    """(waiting for allocation, orphaned) among the open ``referrals``: urgent first, then the
    longest waiting."""
    rows, leads = _open_with_leads(referrals, today)
    why = lead_status(set(leads.values()), today)
    names = dict(Practitioner.objects.values_list("pk", "name"))
    urgent = set(
        ReferralPriorityGroup.objects.filter(
            referral_id__in=[r.pk for r in rows], priority_group="urgent"
        ).values_list("referral_id", flat=True)
    )
    waiting: list[WorkItem] = []
    orphaned: list[WorkItem] = []
    for referral in rows:
        lead_id = leads.get(referral.pk)
        if lead_id is not None and lead_id not in why:
            continue
        item = _item(
            referral,
            today,
            pending,
            urgent=referral.pk in urgent,
            lead_id=lead_id,
            lead=names.get(lead_id, "") if lead_id else "",
            why=why.get(lead_id, "") if lead_id else "",
        )
        (waiting if lead_id is None else orphaned).append(item)

    def order(item: WorkItem) -> tuple:
        return (not item.urgent, item.received_on, item.referral_id)

    return sorted(waiting, key=order), sorted(orphaned, key=order)


def over_capacity_cases(
    referrals: QuerySet, today: dt.date, pending: list[ShownAllocation], over: dict[int, str]
) -> list[WorkItem]:
    """The open cases led now by the practitioners in ``over`` (id: "45 lead of 40.0"), to
    rebalance a caseload by reallocating any of them, not only orphaned ones: by lead, the most
    recently received first (the easiest to hand over)."""
    rows, leads = _open_with_leads(referrals, today)
    names = dict(Practitioner.objects.values_list("pk", "name"))
    items = [
        _item(
            referral,
            today,
            pending,
            urgent=False,
            lead_id=leads[referral.pk],
            lead=names.get(leads[referral.pk], ""),
            why=f"over capacity: {over[leads[referral.pk]]}",
        )
        for referral in rows
        if leads.get(referral.pk) in over
    ]
    return sorted(items, key=lambda item: (item.lead, -item.received_on.toordinal()))
