"""The practitioners a team manager may allocate to, each with what the choice should weigh:
lead cases now (from the record) and pending allocations counted apart, capacity and the
advisory weighted load (from the last refresh), modalities, and leave now or soon."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from caseboard.records.models import Absence, Practitioner, PractitionerModality, TierSummary
from caseboard.web.accounts.access import current_care_team
from caseboard.web.allocation.pending import ShownAbsence, ShownAllocation
from caseboard.web.dashboard.capacity import role_text

LEAVE_AHEAD_DAYS = 28  # leave starting within four weeks matters to an allocation


@dataclass(frozen=True)
class Choice:
    practitioner_id: int
    name: str
    role: str
    wte: float
    lead_cases: int
    pending_lead: int
    capacity: float | None
    weighted_load: float | None  # advisory: unvalidated until calibrated
    modalities: tuple[str, ...]
    leave: tuple[str, ...]

    @property
    def count_text(self) -> str:
        """'45 lead (+2 pending)'."""
        pending = f" (+{self.pending_lead} pending)" if self.pending_lead else ""
        return f"{self.lead_cases} lead{pending}"

    @property
    def label(self) -> str:
        """One line for the choice list: everything the table beside it shows."""
        parts = [f"{self.name} ({self.role})", self.count_text]
        if self.capacity is not None:
            parts[-1] += f" of {self.capacity:.1f}"
        if self.weighted_load is not None:
            parts.append(f"weighted {self.weighted_load:.1f} (advisory)")
        parts.append(", ".join(self.modalities) or "no modalities recorded")
        if self.leave:
            parts.append("leave: " + "; ".join(self.leave))
        return "; ".join(parts)


def in_post(team_id: int, today: dt.date) -> QuerySet:
    """The team's practitioners who may take a case: active and not past their end date."""
    return Practitioner.objects.filter(team_id=team_id, active=True).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    )


def lead_counts(practitioner_ids: list[int], today: dt.date) -> dict[int, int]:
    """Open referrals each practitioner leads now, by the record."""
    rows = (
        current_care_team(today)
        .filter(role="lead", referral__status="open", practitioner_id__in=practitioner_ids)
        .values("practitioner_id")
        .annotate(cases=Count("referral_id", distinct=True))
    )
    return {row["practitioner_id"]: row["cases"] for row in rows}


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def _leave(ids: list[int], today: dt.date, requested: list[ShownAbsence]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    recorded = (
        Absence.objects.filter(
            practitioner_id__in=ids, starts_on__lte=today + dt.timedelta(days=LEAVE_AHEAD_DAYS)
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("starts_on", "pk")
    )
    for absence in recorded:
        kind = absence.kind.replace("_", " ")
        if absence.starts_on <= today:
            until = f" to {_day(absence.ends_on)}" if absence.ends_on else ""
            found[absence.practitioner_id].append(f"on {kind}{until}")
        else:
            found[absence.practitioner_id].append(f"{kind} from {_day(absence.starts_on)}")
    for absence in requested:
        if absence.pending and absence.starts_on <= today + dt.timedelta(days=LEAVE_AHEAD_DAYS):
            kind = absence.kind.replace("_", " ")
            found[absence.practitioner_id].append(
                f"{kind} from {_day(absence.starts_on)} (pending in the EPR)"
            )
    return found


def choices(
    team_id: int,
    today: dt.date,
    allocations: list[ShownAllocation],
    absences: list[ShownAbsence],
) -> list[Choice]:
    """One choice per practitioner in post, by name."""
    people = list(in_post(team_id, today).order_by("name", "pk"))
    ids = [person.pk for person in people]
    counts = lead_counts(ids, today)
    pending: dict[int, int] = defaultdict(int)
    for allocation in allocations:
        if allocation.pending and allocation.role == "lead":
            pending[allocation.practitioner_id] += 1
    measures: dict[int, dict[str, float | None]] = defaultdict(dict)
    for tier_id, measure, value in TierSummary.objects.filter(
        month__isnull=True,
        tier="practitioner",
        tier_id__in=ids,
        measure__in=("capacity", "weighted_load"),
    ).values_list("tier_id", "measure", "value"):
        measures[tier_id][measure] = value
    modalities: dict[int, list[str]] = defaultdict(list)
    for practitioner_id, modality in PractitionerModality.objects.filter(
        practitioner_id__in=ids
    ).values_list("practitioner_id", "modality"):
        modalities[practitioner_id].append(modality.replace("_", " "))
    leave = _leave(ids, today, absences)
    return [
        Choice(
            practitioner_id=person.pk,
            name=person.name,
            role=role_text(person.role),
            wte=person.wte,
            lead_cases=counts.get(person.pk, 0),
            pending_lead=pending[person.pk],
            capacity=measures[person.pk].get("capacity"),
            weighted_load=measures[person.pk].get("weighted_load"),
            modalities=tuple(sorted(modalities[person.pk])),
            leave=tuple(leave.get(person.pk, [])),
        )
        for person in people
    ]
