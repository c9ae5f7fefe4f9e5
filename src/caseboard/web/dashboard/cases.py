"""Case rows for the first pages: the open referrals in a user's scope, with who leads them,
and each flag of the case snapshot with its evidence and rule.

The case snapshot (engine) replaces the per-request contact annotations here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from caseboard.domain.evidence import evidence
from caseboard.domain.flag_types import AMBER, CANNOT_ASSESS, RED
from caseboard.domain.flags import SAFETY_CODES, rule_text
from caseboard.records.models import CaseSnapshot, Contact, Practitioner
from caseboard.records.schema_snapshot import CASE_FLAGS, flag_column
from caseboard.web.accounts.access import current_care_team
from caseboard.web.policy import current_policy


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
    flags: tuple[ShownFlag, ...] = ()
    no_data: tuple[ShownFlag, ...] | None = None  # cannot be assessed; None before a refresh
    priority: int = 5


@dataclass(frozen=True)
class ShownFlag:
    code: str
    title: str
    state: str  # red, amber or cannot_assess
    evidence: str  # the dates and values the rule used, or what is missing
    rule: str  # the rule with the policy's values, and its source


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
    )
    rows = list(rows)
    co_workers: dict[int, list[int]] = {}
    for referral_id, practitioner_id in care_team.filter(
        role="co_worker", referral_id__in=[r.pk for r in rows]
    ).values_list("referral_id", "practitioner_id"):
        co_workers.setdefault(referral_id, []).append(practitioner_id)
    names = dict(Practitioner.objects.values_list("pk", "name"))
    snapshots = _snapshots([r.pk for r in rows])
    cases = [
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
            **snapshots.get(r.pk, {}),
        )
        for r in rows
    ]
    return sorted(cases, key=lambda case: (case.priority, case.received_on, case.referral_id))


def _snapshots(referral_ids: list[int]) -> dict[int, dict]:
    """Each referral's raised flags from the case snapshot, worst first, with their evidence,
    and the flags that cannot be assessed (shown as "no data", never as clear)."""
    policy = current_policy()
    found = {}
    for row in CaseSnapshot.objects.filter(referral_id__in=referral_ids).values():
        shown = [
            ShownFlag(
                code=flag.code,
                title=flag.title,
                state=row[flag_column(flag.code)],
                evidence=evidence(flag.code, row, policy),
                rule=f"{rule_text(flag, policy, row['service_kind'])} ({flag.source})",
            )
            for flag in CASE_FLAGS
            if row[flag_column(flag.code)] in (RED, AMBER, CANNOT_ASSESS)
        ]
        raised = sorted(
            (flag for flag in shown if flag.state != CANNOT_ASSESS),
            key=lambda each: (each.state != RED, each.code not in SAFETY_CODES, each.code),
        )
        found[row["referral_id"]] = {
            "flags": tuple(raised),
            "no_data": tuple(flag for flag in shown if flag.state == CANNOT_ASSESS),
            "priority": row["priority"],
        }
    return found


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
