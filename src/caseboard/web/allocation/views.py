"""The team's allocation page: referrals waiting for allocation and orphaned cases, each with a
form to allocate or reallocate against the practitioners' loads; the allocations made here and
whether the EPR has confirmed them. Writes are audited in the transaction that makes them."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from caseboard.domain import clock
from caseboard.records.models import AllocationRequest, Practitioner
from caseboard.services.policy import current_policy
from caseboard.web.accounts.access import page, visible_referrals
from caseboard.web.accounts.roles import Permission
from caseboard.web.allocation import actions, pending
from caseboard.web.allocation.choices import choices
from caseboard.web.allocation.scope import get_allocation_team
from caseboard.web.allocation.worklist import over_capacity_cases, unheld_cases
from caseboard.web.audit.record import record
from caseboard.web.dashboard import freshness
from caseboard.web.dashboard.navigation import nav

SHOWN_DAYS = 60  # confirmed allocations stay listed this long; pending ones always
POSTED = ("practitioner", "role", "starts_on", "reason", "handover")  # kept when refused


def render_allocation(request, team, *, error: dict | None = None, status: int = 200):
    today = clock.today()
    referrals = visible_referrals(request.access).filter(team_id=team.pk)
    made = pending.allocations(team_id=team.pk, since=today - dt.timedelta(days=SHOWN_DAYS))
    absences = pending.absences(team_id=team.pk, today=today)
    waiting, orphaned = unheld_cases(referrals, today, made)
    options = choices(team.pk, today, made, absences)
    over = {
        choice.practitioner_id: f"{choice.lead_cases} lead of {choice.capacity:.1f}"
        for choice in options
        if choice.capacity is not None and choice.lead_cases > choice.capacity
    }
    rebalance = over_capacity_cases(referrals, today, made, over)
    shown = [(item.patient_id, item.referral_id) for item in [*waiting, *orphaned, *rebalance]]
    shown += [(a.patient_id, a.referral_id) for a in made]
    record(
        request,
        action="view_allocation",
        object_kind="team",
        object_id=team.pk,
        patients=shown,
    )
    return render(
        request,
        "allocation/allocation.html",
        {
            "wide": True,
            "title": f"{team.name}: allocation",
            "team": team,
            "today": today,
            "waiting": waiting,
            "orphaned": orphaned,
            "rebalance": rebalance,
            "choices": options,
            "made": made,
            "error": error,
            "posted": {name: request.POST.get(name, "") for name in POSTED} if error else {},
            "done": list(messages.get_messages(request)),
            "freshness": freshness.current(current_policy()),
            "nav": nav(request.access, request.path),
        },
        status=status,
    )


@page(Permission.ALLOCATE)
def allocation(request, team_id: int) -> HttpResponse:
    return render_allocation(request, get_allocation_team(request.access, team_id))


def _back(team) -> HttpResponse:
    return redirect(reverse("allocation", args=[team.pk]) + "#allocations-made")


@require_POST
@page(Permission.ALLOCATE)
def allocate(request, team_id: int) -> HttpResponse:
    team = get_allocation_team(request.access, team_id)
    referral_id = request.POST.get("referral", "")
    referral = (
        visible_referrals(request.access)
        .filter(pk=int(referral_id) if referral_id.isdigit() else None)
        .first()
    )
    try:
        if referral is None:
            raise actions.Refused("This referral is not in this team")
        with transaction.atomic():
            made = actions.allocate(
                referral=referral,
                team_id=team.pk,
                practitioner_id=request.POST.get("practitioner", ""),
                role=request.POST.get("role", ""),
                starts_on=request.POST.get("starts_on", ""),
                reason=request.POST.get("reason", ""),
                handover=request.POST.get("handover", ""),
                by=request.user,
                today=clock.today(),
            )
            record(
                request,
                action="allocate_case",
                object_kind="allocation_request",
                object_id=made.pk,
                reason=made.reason or None,
                patients=[(referral.patient_id, referral.pk)],
            )
    except actions.Refused as refusal:
        error = {"referral_id": referral_id, "field": refusal.field, "message": str(refusal)}
        return render_allocation(request, team, error=error, status=400)
    name = Practitioner.objects.get(pk=made.practitioner_id).name
    messages.success(
        request,
        f"Allocation to {name} as {made.role.replace('_', '-')} recorded: "
        "pending in the EPR until an import confirms it.",
    )
    return _back(team)


@require_POST
@page(Permission.ALLOCATE)
def withdraw_allocation(request, team_id: int, request_id: int) -> HttpResponse:
    team = get_allocation_team(request.access, team_id)
    found = AllocationRequest.objects.filter(pk=request_id, referral__team_id=team.pk)
    allocation_request = found.select_related("referral").first()
    if allocation_request is None:
        raise Http404("No such allocation in your scope")
    try:
        with transaction.atomic():
            actions.withdraw_allocation(
                request=allocation_request, team_id=team.pk, by=request.user
            )
            record(
                request,
                action="withdraw_allocation",
                object_kind="allocation_request",
                object_id=allocation_request.pk,
                patients=[(allocation_request.referral.patient_id, allocation_request.referral_id)],
            )
    except actions.Refused as refusal:
        error = {"referral_id": "", "field": "", "message": str(refusal)}
        return render_allocation(request, team, error=error, status=400)
    messages.success(request, "The allocation was withdrawn.")
    return _back(team)
