"""Allocation and absence requests of a team as the pages show them, each with its derived
status: pending in the EPR, or confirmed by the record an import loaded (status.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caseboard.domain import clock
from caseboard.records.models import (
    Absence,
    AbsenceRequest,
    AllocationRequest,
    Practitioner,
    ReferralCareTeam,
)
from caseboard.web.accounts.models import User
from caseboard.web.allocation import status as s


@dataclass(frozen=True)
class ShownAllocation:
    request_id: int
    referral_id: int
    patient_id: int
    patient_name: str
    practitioner_id: int
    practitioner: str
    role: str
    starts_on: dt.date
    replaces: str  # the lead when requested, or ""
    reason: str
    handover: str
    requested_on: dt.date
    requested_by: str
    state: str  # pending or confirmed
    status: str

    @property
    def pending(self) -> bool:
        return self.state == s.PENDING


@dataclass(frozen=True)
class ShownAbsence:
    request_id: int
    practitioner_id: int
    practitioner: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date | None
    cover_practitioner_id: int | None
    cover: str  # the cover's name, or ""
    note: str
    requested_on: dt.date
    requested_by: str
    state: str
    status: str

    @property
    def pending(self) -> bool:
        return self.state == s.PENDING


def _names() -> dict[int, str]:
    return dict(Practitioner.objects.values_list("pk", "name"))


def _usernames(ids: set[int]) -> dict[int, str]:
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "username"))


def allocations(*, team_id: int, since: dt.date | None = None) -> list[ShownAllocation]:
    """The team's allocation requests not withdrawn, newest first: every pending one, and those
    confirmed that were made on or after ``since``."""
    requests = list(
        AllocationRequest.objects.filter(referral__team_id=team_id, withdrawn_at__isnull=True)
        .select_related("referral__patient")
        .order_by("-requested_at", "-pk")
    )
    rows = [
        s.CareTeamRow(*values)
        for values in ReferralCareTeam.objects.filter(
            referral_id__in={r.referral_id for r in requests}
        ).values_list("referral_id", "practitioner_id", "role", "starts_on", "ends_on")
    ]
    names = _names()
    users = _usernames({r.requested_by_id for r in requests})
    shown = []
    for request in requests:
        requested_on = clock.local_date(request.requested_at)
        row = s.confirming_care_team_row(
            referral_id=request.referral_id,
            practitioner_id=request.practitioner_id,
            role=request.role,
            requested_on=requested_on,
            rows=rows,
        )
        state = s.CONFIRMED if row else s.PENDING
        if state == s.CONFIRMED and since is not None and requested_on < since:
            continue
        patient = request.referral.patient
        shown.append(
            ShownAllocation(
                request_id=request.pk,
                referral_id=request.referral_id,
                patient_id=patient.pk,
                patient_name=f"{patient.family_name.upper()}, {patient.given_name}",
                practitioner_id=request.practitioner_id,
                practitioner=names.get(request.practitioner_id, "unknown"),
                role=request.role,
                starts_on=request.starts_on,
                replaces=names.get(request.replaces_practitioner_id, ""),
                reason=request.reason,
                handover=request.handover or "",
                requested_on=requested_on,
                requested_by=users.get(request.requested_by_id, "unknown"),
                state=state,
                status=s.status_text(
                    state, requested_on=requested_on, confirmed_from=row and row.starts_on
                ),
            )
        )
    return shown


def absences(*, team_id: int, today: dt.date) -> list[ShownAbsence]:
    """The team's absence requests not withdrawn whose period has not ended, soonest first."""
    requests = list(
        AbsenceRequest.objects.filter(practitioner__team_id=team_id, withdrawn_at__isnull=True)
        .exclude(ends_on__lt=today)
        .order_by("starts_on", "pk")
    )
    rows = [
        s.AbsenceRow(*values)
        for values in Absence.objects.filter(
            practitioner_id__in={r.practitioner_id for r in requests}
        ).values_list("practitioner_id", "kind", "starts_on", "ends_on", "cover_practitioner_id")
    ]
    names = _names()
    users = _usernames({r.requested_by_id for r in requests})
    shown = []
    for request in requests:
        requested_on = clock.local_date(request.requested_at)
        row = s.confirming_absence_row(
            practitioner_id=request.practitioner_id,
            kind=request.kind,
            starts_on=request.starts_on,
            ends_on=request.ends_on,
            cover_practitioner_id=request.cover_practitioner_id,
            rows=rows,
        )
        state = s.CONFIRMED if row else s.PENDING
        shown.append(
            ShownAbsence(
                request_id=request.pk,
                practitioner_id=request.practitioner_id,
                practitioner=names.get(request.practitioner_id, "unknown"),
                kind=request.kind,
                starts_on=request.starts_on,
                ends_on=request.ends_on,
                cover_practitioner_id=request.cover_practitioner_id,
                cover=names.get(request.cover_practitioner_id, ""),
                note=request.note or "",
                requested_on=requested_on,
                requested_by=users.get(request.requested_by_id, "unknown"),
                state=state,
                status=s.status_text(
                    state, requested_on=requested_on, confirmed_from=row and row.starts_on
                ),
            )
        )
    return shown


def absence_text(absence: ShownAbsence) -> str:
    """'long term sickness from 1 Dec 2026 to 5 Jan 2027 (cover: Ann Lee), pending in the EPR
    since 23 Nov 2026'."""
    period = (
        f"{absence.kind.replace('_', ' ')} from {absence.starts_on.day} {absence.starts_on:%b %Y}"
    )
    if absence.ends_on:
        period += f" to {absence.ends_on.day} {absence.ends_on:%b %Y}"
    cover = f"cover: {absence.cover}" if absence.cover else "no cover named"
    return f"{period} ({cover}), {absence.status}"


def with_pending_leave(away: dict[int, str], *, team_id: int, today: dt.date) -> dict[int, str]:
    """``away`` (practitioner id -> text) with the absences recorded here and still pending in
    the EPR added, so the pages that show leave show these too."""
    merged = dict(away)
    for absence in absences(team_id=team_id, today=today):
        if absence.pending:
            text = absence_text(absence)
            merged[absence.practitioner_id] = "; ".join(
                filter(None, [merged.get(absence.practitioner_id, ""), text])
            )
    return merged


def pending_leave(team_id: int, today: dt.date) -> list[str]:
    """'Ann Lee: long term sickness from 1 Dec 2026 (cover: Bo Chan), pending in the EPR since
    23 Nov 2026', for each absence recorded here and not yet in the record."""
    return [
        f"{absence.practitioner}: {absence_text(absence)}"
        for absence in absences(team_id=team_id, today=today)
        if absence.pending
    ]
