"""The alert burden of a team's case lists (CLINICAL-RULES revision 2, domain/burden.py), for the
team manager and clinical lead: per practitioner and for the team, with its waiting list apart,
against the triggers for review. Aggregates only: no patient is named."""

from __future__ import annotations

from django.shortcuts import render

from caseboard.domain import burden as alert
from caseboard.records.models import CaseSnapshot, Practitioner
from caseboard.services.policy import current_policy
from caseboard.web.accounts.access import get_team_aggregates, page
from caseboard.web.accounts.roles import Permission
from caseboard.web.audit.record import record
from caseboard.web.dashboard import freshness
from caseboard.web.dashboard.navigation import nav


@page(Permission.VIEW_TEAM, Permission.VIEW_SERVICE)
def team_burden(request, team_id: int):
    team = get_team_aggregates(request.access, team_id)
    rows = list(CaseSnapshot.objects.filter(team_id=team.pk).values())
    names = dict(Practitioner.objects.values_list("pk", "name"))
    lines = [
        line for line in alert.burden(rows, names, {team.pk: team.name}) if line.tier != "profile"
    ]
    policy = current_policy()
    record(request, action="view_burden", object_kind="team", object_id=team.pk)
    return render(
        request,
        "dashboard/burden.html",
        {
            "title": f"{team.name}: alert burden",
            "team": team,
            "lines": lines,
            "computed": bool(rows),
            "red_max": alert.RED_NOT_DISCUSSED_MAX,
            "clinical_max": alert.SAFETY_OR_CLINICAL_MAX,
            "data_check_below": alert.FLAGGED_DATA_CHECK_BELOW,
            "policy_values": alert.policy_values(policy),
            "freshness": freshness.current(policy),
            "nav": nav(request.access, request.path),
        },
    )
