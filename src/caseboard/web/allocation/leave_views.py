"""The team's leave page: absences the record holds now or soon, the absences recorded here with
their cover and whether the EPR has confirmed them, and the form to record one."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from caseboard.domain import clock, codes
from caseboard.records.models import Absence, AbsenceRequest, Practitioner
from caseboard.web.accounts.access import page
from caseboard.web.accounts.roles import Permission
from caseboard.web.allocation import leave_actions, pending
from caseboard.web.allocation.actions import Refused
from caseboard.web.allocation.choices import LEAVE_AHEAD_DAYS, in_post
from caseboard.web.allocation.scope import get_allocation_team
from caseboard.web.audit.record import record
from caseboard.web.dashboard.navigation import nav

FIELDS = ("practitioner", "kind", "starts_on", "ends_on", "cover", "note")


def recorded_absences(team_id: int, today: dt.date) -> list[dict]:
    """The record's absences of the team's practitioners, now or starting within four weeks."""
    names = dict(Practitioner.objects.values_list("pk", "name"))
    rows = (
        Absence.objects.filter(
            practitioner__team_id=team_id,
            starts_on__lte=today + dt.timedelta(days=LEAVE_AHEAD_DAYS),
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("starts_on", "pk")
    )
    return [
        {
            "practitioner": names.get(row.practitioner_id, "unknown"),
            "kind": row.kind.replace("_", " "),
            "starts_on": row.starts_on,
            "ends_on": row.ends_on,
            "cover": names.get(row.cover_practitioner_id, ""),
        }
        for row in rows
    ]


def render_leave(request, team, *, error: dict | None = None, status: int = 200) -> HttpResponse:
    today = clock.today()
    record(request, action="view_leave", object_kind="team", object_id=team.pk)
    return render(
        request,
        "allocation/leave.html",
        {
            "title": f"{team.name}: leave and cover",
            "team": team,
            "today": today,
            "people": list(in_post(team.pk, today).order_by("name", "pk").values("pk", "name")),
            "kinds": codes.ABSENCE_KINDS,
            "recorded": recorded_absences(team.pk, today),
            "requested": pending.absences(team_id=team.pk, today=today),
            "error": error,
            "form": {name: request.POST.get(name, "") for name in FIELDS} if error else {},
            "done": list(messages.get_messages(request)),
            "nav": nav(request.access, request.path),
        },
        status=status,
    )


def _back(team) -> HttpResponse:
    return redirect(reverse("leave", args=[team.pk]) + "#absences-recorded-here")


@page(Permission.ALLOCATE)
def leave(request, team_id: int) -> HttpResponse:
    team = get_allocation_team(request.access, team_id)
    if request.method != "POST":
        return render_leave(request, team)
    try:
        with transaction.atomic():
            made = leave_actions.record_absence(
                team_id=team.pk,
                practitioner_id=request.POST.get("practitioner", ""),
                kind=request.POST.get("kind", ""),
                starts_on=request.POST.get("starts_on", ""),
                ends_on=request.POST.get("ends_on", ""),
                cover_practitioner_id=request.POST.get("cover", ""),
                note=request.POST.get("note", ""),
                by=request.user,
                today=clock.today(),
            )
            record(
                request, action="record_absence", object_kind="absence_request", object_id=made.pk
            )
    except Refused as refusal:
        error = {"field": refusal.field, "message": str(refusal)}
        return render_leave(request, team, error=error, status=400)
    messages.success(request, "Absence recorded: pending in the EPR until an import confirms it.")
    return _back(team)


@require_POST
@page(Permission.ALLOCATE)
def withdraw_leave(request, team_id: int, request_id: int) -> HttpResponse:
    team = get_allocation_team(request.access, team_id)
    absence = AbsenceRequest.objects.filter(pk=request_id, practitioner__team_id=team.pk).first()
    if absence is None:
        raise Http404("No such absence in your scope")
    try:
        with transaction.atomic():
            leave_actions.withdraw_absence(
                request=absence, team_id=team.pk, by=request.user, today=clock.today()
            )
            record(
                request,
                action="withdraw_absence",
                object_kind="absence_request",
                object_id=absence.pk,
            )
    except Refused as refusal:
        return render_leave(request, team, error={"field": "", "message": str(refusal)}, status=400)
    messages.success(request, "The absence was withdrawn.")
    return _back(team)
