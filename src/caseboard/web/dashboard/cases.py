"""The open referrals in a user's scope as the dashboard shows them: who they are and who
leads them from the record, everything else from the case snapshot (case_view.py)."""

from __future__ import annotations

from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery

from caseboard.domain import clock
from caseboard.records.models import CaseSnapshot, Practitioner
from caseboard.services.policy import current_policy
from caseboard.web.accounts.access import current_care_team
from caseboard.web.accounts.cover import lead_absences
from caseboard.web.dashboard.acknowledgements import held
from caseboard.web.dashboard.case_filters import apply
from caseboard.web.dashboard.case_view import CaseView, case_view


def open_cases(referrals: QuerySet, *, on: date | None = None) -> list[CaseView]:
    """The open referrals of ``referrals`` as the dashboard shows them, in discussion order."""
    on = on or clock.today()
    care_team = current_care_team(on)
    lead = care_team.filter(referral_id=OuterRef("pk"), role="lead").order_by("-starts_on", "-pk")
    # Plain values, not model instances: a team page reads a few columns of hundreds of rows.
    rows = list(
        referrals.filter(status="open")
        .annotate(lead_id=Subquery(lead.values("practitioner_id")[:1]))
        .values(
            "pk",
            "patient_id",
            "lead_id",
            "patient__family_name",
            "patient__given_name",
            "patient__nhs_number",
            "team__name",
        )
    )
    ids = [r["pk"] for r in rows]
    co_workers: dict[int, list[int]] = {}
    for referral_id, practitioner_id in care_team.filter(
        role="co_worker", referral_id__in=ids
    ).values_list("referral_id", "practitioner_id"):
        co_workers.setdefault(referral_id, []).append(practitioner_id)
    names = dict(Practitioner.objects.values_list("pk", "name"))
    snapshots = {
        row["referral_id"]: row for row in CaseSnapshot.objects.filter(referral_id__in=ids).values()
    }
    policy = current_policy()
    acknowledged = held(snapshots, on)
    away = lead_absences({r["lead_id"] for r in rows if r["lead_id"] is not None}, on, names)
    cases = [
        case_view(
            snapshots.get(r["pk"]),
            policy,
            acknowledged.get(r["pk"]),
            referral_id=r["pk"],
            patient_id=r["patient_id"],
            patient_name=f"{r['patient__family_name'].upper()}, {r['patient__given_name']}",
            nhs_number=format_nhs_number(r["patient__nhs_number"]),
            team=r["team__name"],
            lead=names.get(r["lead_id"], "Unallocated"),
            lead_id=r["lead_id"],
            co_workers=tuple(sorted(names[p] for p in co_workers.get(r["pk"], []))),
            lead_away=away.get(r["lead_id"], ""),
        )
        for r in rows
    ]
    return apply(cases, {})


def format_nhs_number(value: str | None) -> str:
    if not value:
        return "unknown"
    return f"{value[:3]} {value[3:6]} {value[6:]}"
