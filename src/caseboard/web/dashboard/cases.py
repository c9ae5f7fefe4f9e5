"""Case rows for the first pages: the open referrals in a user's scope, with who leads them.

The case snapshot (engine) replaces the per-request contact annotations here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from caseboard.records.models import Contact, Practitioner
from caseboard.web.accounts.access import current_care_team


@dataclass(frozen=True)
class CaseRow:
    referral_id: int
    patient_id: int
    patient_name: str
    nhs_number: str
    team: str
    lead: str
    co_workers: tuple[str, ...]
    received_on: date
    pathway_stage: str
    step_or_cluster: str
    last_attended_on: date | None
    next_booked_on: date | None


def open_cases(referrals: QuerySet, *, on: date | None = None) -> list[CaseRow]:
    on = on or timezone.localdate()
    care_team = current_care_team(on)
    contacts = Contact.objects.filter(referral_id=OuterRef("pk"))
    lead = care_team.filter(referral_id=OuterRef("pk"), role="lead").order_by("-starts_on", "-pk")
    rows = (
        referrals.filter(status="open")
        .select_related("patient", "team")
        .annotate(
            lead_id=Subquery(lead.values("practitioner_id")[:1]),
            last_attended_on=Subquery(
                contacts.filter(outcome="attended", starts_on__lte=on)
                .order_by("-starts_on")
                .values("starts_on")[:1]
            ),
            next_booked_on=Subquery(
                contacts.filter(outcome="booked", starts_on__gte=on)
                .order_by("starts_on")
                .values("starts_on")[:1]
            ),
        )
        .order_by("received_on", "pk")
    )
    rows = list(rows)
    co_workers: dict[int, list[int]] = {}
    for referral_id, practitioner_id in care_team.filter(
        role="co_worker", referral_id__in=[r.pk for r in rows]
    ).values_list("referral_id", "practitioner_id"):
        co_workers.setdefault(referral_id, []).append(practitioner_id)
    names = dict(Practitioner.objects.values_list("pk", "name"))
    return [
        CaseRow(
            referral_id=r.pk,
            patient_id=r.patient_id,
            patient_name=f"{r.patient.family_name.upper()}, {r.patient.given_name}",
            nhs_number=format_nhs_number(r.patient.nhs_number),
            team=r.team.name,
            lead=names.get(r.lead_id, "Unallocated"),
            co_workers=tuple(sorted(names[p] for p in co_workers.get(r.pk, []))),
            received_on=r.received_on,
            pathway_stage=(r.pathway_stage or "unknown").replace("_", " "),
            step_or_cluster=_step_or_cluster(r),
            last_attended_on=r.last_attended_on,
            next_booked_on=r.next_booked_on,
        )
        for r in rows
    ]


def format_nhs_number(value: str | None) -> str:
    if not value:
        return "unknown"
    return f"{value[:3]} {value[3:6]} {value[6:]}"


def _step_or_cluster(referral) -> str:
    if referral.step is not None:
        return f"step {referral.step}"
    if referral.care_cluster is not None:
        return f"cluster {referral.care_cluster}"
    return "unknown"
