"""The first page of each role: the cases that role may see (replaced by the dashboards)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse

from caseboard.domain import clock
from caseboard.records.models import Service, Team
from caseboard.services.policy import current_policy
from caseboard.web.accounts.access import (
    access_for,
    covered_cases,
    current_care_team,
    get_service,
    get_team,
    page,
    visible_referrals,
)
from caseboard.web.accounts.roles import Permission
from caseboard.web.audit.record import record
from caseboard.web.dashboard import case_filters, freshness, quarantine, supervisee_summary, tiers
from caseboard.web.dashboard.cases import open_cases
from caseboard.web.dashboard.navigation import nav, pages_for
from caseboard.web.dashboard.pdf import filename_for, pdf_response


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
    extra: dict | None = None,
):
    """``extra``: more context (``before_list`` names a template shown above the filters)."""
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
    context = {
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
        "today": clock.today(),
        "freshness": freshness.current(current_policy()),
        "nav": nav(request.access, request.path),
        "quarantined": quarantine.touched(referrals),
        **(extra or {}),
    }
    if request.GET.get("format") == "pdf":
        name = filename_for(title, context["today"])
        return pdf_response(request, "dashboard/case_list.html", context, name)
    return render(request, "dashboard/case_list.html", context)


@page(Permission.VIEW_OWN_CASELOAD)
def caseload(request):
    access = request.access
    if not access.own_practitioner_ids:
        raise PermissionDenied
    today = clock.today()
    mine = current_care_team(today).filter(practitioner_id__in=access.own_practitioner_ids)
    chosen = Q(pk__in=mine.values("referral_id"))
    caption = "Cases you lead or co-work"
    if access.covering_ids:
        chosen |= Q(pk__in=covered_cases(access, today).values("referral_id"))
        caption += ", and the cases of colleagues you cover while they are away"
    return _case_list(
        request,
        title="My caseload",
        referrals=visible_referrals(access).filter(chosen),
        action="view_caseload",
        caption=caption,
    )


@page(Permission.VIEW_SUPERVISEE_CASELOADS)
def supervisees(request):
    access = request.access
    led = current_care_team(clock.today()).filter(
        role="lead", practitioner__supervisor_id__in=access.supervisor_ids
    )
    referrals = visible_referrals(access).filter(pk__in=led.values("referral_id"))
    return _case_list(
        request,
        title="Supervisees' caseloads",
        referrals=referrals,
        action="view_supervisee_caseloads",
        caption="Cases led by the practitioners you supervise",
        extra={
            "before_list": "dashboard/_supervisee_list.html",
            "supervisees": supervisee_summary.summaries(access),
        },
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
    names = dict(
        Team.objects.filter(service_id=service.pk).order_by("name").values_list("pk", "name")
    )
    table, computed = tiers.rows("team", names, suppress=False)
    total, _ = tiers.rows("service", {service.pk: "Whole service"}, suppress=False)
    record(request, action="view_service", object_kind="service", object_id=service.pk)
    return render(
        request,
        "dashboard/tiers.html",
        {
            "wide": True,
            "title": service.name,
            "caption": "Teams of the service",
            "first_heading": "Team",
            "columns": tiers.COLUMNS,
            "rows": table + total,
            "computed": computed,
            "note": "",
            # Each team's aggregate pages (no patient named): the service manager's drill-down.
            "drill_down": [
                (
                    name,
                    [
                        (reverse("capacity", args=[team_id]), "capacity"),
                        (reverse("team_trends", args=[team_id]), "trends"),
                        (reverse("burden", args=[team_id]), "alert burden"),
                    ],
                )
                for team_id, name in names.items()
            ],
            "freshness": freshness.current(current_policy()),
            "nav": nav(request.access, request.path),
        },
    )


@page(Permission.VIEW_TRUST)
def trust(request):
    names = dict(Service.objects.order_by("name").values_list("pk", "name"))
    table, computed = tiers.rows("service", names, suppress=True)
    total, _ = tiers.rows("trust", {None: "Whole trust"}, suppress=True)
    record(request, action="view_trust")
    return render(
        request,
        "dashboard/tiers.html",
        {
            "wide": True,
            "title": "Trust overview",
            "caption": "Services of the trust",
            "first_heading": "Service",
            "columns": tiers.COLUMNS,
            "rows": table + total,
            "computed": computed,
            "note": 'Aggregates only. Counts from 1 to 4 read "fewer than 5".',
            "freshness": freshness.current(current_policy()),
            "nav": nav(request.access, request.path),
        },
    )
