"""The first page of each role: the cases that role may see (replaced by the dashboards)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone

from caseboard.records.models import Referral, Service, Team
from caseboard.web.accounts.access import (
    access_for,
    current_care_team,
    get_service,
    get_team,
    page,
    visible_referrals,
)
from caseboard.web.accounts.roles import Permission
from caseboard.web.audit.record import record
from caseboard.web.dashboard import case_filters, freshness
from caseboard.web.dashboard.cases import open_cases
from caseboard.web.dashboard.navigation import nav, pages_for
from caseboard.web.policy import current_policy

SMALL_NUMBER = 5  # counts under 5 are suppressed at trust and board tiers (DESIGN "Team variation")


@login_required
def home(request):
    pages = pages_for(access_for(request.user))
    if not pages:
        raise PermissionDenied
    return redirect(pages[0][0])


def _case_list(
    request,
    *,
    title: str,
    referrals,
    action: str,
    object_kind=None,
    object_id=None,
    caption: str = "",
):
    every = open_cases(referrals)
    chosen = case_filters.chosen_filters(request.GET)
    sort = request.GET.get("sort", "priority")
    rows = case_filters.apply(every, request.GET)
    record(
        request,
        action=action,
        object_kind=object_kind,
        object_id=object_id,
        patients=[(row.patient_id, row.referral_id) for row in rows],
    )
    return render(
        request,
        "dashboard/case_list.html",
        {
            "wide": True,
            "title": title,
            "caption": caption,
            "rows": rows,
            "total": len(every),
            "filters": case_filters.FILTERS,
            "options": case_filters.options(every, chosen),
            "chosen": chosen,
            "sorts": [(key, text) for key, (text, _) in case_filters.SORTS.items()],
            "sort": sort if sort in case_filters.SORTS else "priority",
            "today": timezone.localdate(),
            "freshness": freshness.current(current_policy()),
            "nav": nav(request.access, request.path),
        },
    )


@page(Permission.VIEW_OWN_CASELOAD)
def caseload(request):
    access = request.access
    if not access.own_practitioner_ids:
        raise PermissionDenied
    mine = current_care_team(timezone.localdate()).filter(
        practitioner_id__in=access.own_practitioner_ids
    )
    referrals = visible_referrals(access).filter(pk__in=mine.values("referral_id"))
    return _case_list(
        request,
        title="My caseload",
        referrals=referrals,
        action="view_caseload",
        caption="Cases you lead or co-work",
    )


@page(Permission.VIEW_SUPERVISEE_CASELOADS)
def supervisees(request):
    access = request.access
    led = current_care_team(timezone.localdate()).filter(
        role="lead", practitioner__supervisor_id__in=access.supervisor_ids
    )
    referrals = visible_referrals(access).filter(pk__in=led.values("referral_id"))
    return _case_list(
        request,
        title="Supervisees' caseloads",
        referrals=referrals,
        action="view_supervisee_caseloads",
        caption="Cases led by the practitioners you supervise",
    )


@page(Permission.VIEW_TEAM)
def team(request, team_id: int):
    team = get_team(request.access, team_id)
    referrals = visible_referrals(request.access).filter(team_id=team.pk)
    return _case_list(
        request,
        title=team.name,
        referrals=referrals,
        action="view_team",
        object_kind="team",
        object_id=team.pk,
        caption="Open cases in the team",
    )


@page(Permission.VIEW_SERVICE)
def service(request, service_id: int):
    service = get_service(request.access, service_id)
    care_team = current_care_team(timezone.localdate()).filter(role="lead")
    summary = []
    for each in Team.objects.filter(service_id=service.pk).order_by("name"):
        open_referrals = Referral.objects.filter(team_id=each.pk, status="open")
        unallocated = open_referrals.exclude(pk__in=care_team.values("referral_id"))
        summary.append(
            {"team": each.name, "open": open_referrals.count(), "unallocated": unallocated.count()}
        )
    record(request, action="view_service", object_kind="service", object_id=service.pk)
    return render(
        request,
        "dashboard/service.html",
        {
            "title": service.name,
            "summary": summary,
            "freshness": freshness.current(current_policy()),
            "nav": nav(request.access, request.path),
        },
    )


@page(Permission.VIEW_TRUST)
def trust(request):
    counts = dict(
        Referral.objects.filter(status="open")
        .values_list("team__service_id")
        .annotate(n=Count("pk"))
        .values_list("team__service_id", "n")
    )
    summary = [
        {"service": each.name, "open": suppress(counts.get(each.pk, 0))}
        for each in Service.objects.order_by("name")
    ]
    record(request, action="view_trust")
    return render(
        request,
        "dashboard/trust.html",
        {
            "title": "Trust",
            "summary": summary,
            "freshness": freshness.current(current_policy()),
            "nav": nav(request.access, request.path),
        },
    )


def suppress(count: int) -> str:
    """Counts from 1 to 4 are shown as "fewer than 5" at trust tier (small-number suppression)."""
    return "fewer than 5" if 0 < count < SMALL_NUMBER else str(count)
