"""Trends (seed 001 asks for analysis over time): the monthly tier summaries of a practitioner
or a team, oldest first, then the current figures; as a table and as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from markupsafe import Markup

from caseboard.domain import clock
from caseboard.records.models import TierSummary
from caseboard.services.policy import current_policy
from caseboard.web.accounts.access import get_team_aggregates, page
from caseboard.web.accounts.roles import Permission
from caseboard.web.audit.record import record
from caseboard.web.dashboard import charts, freshness
from caseboard.web.dashboard.navigation import nav

# (measure, heading); a practitioner has no referrals in or discharges out of their own.
TEAM_SERIES = (
    ("open_cases", "Open cases"),
    ("weighted_load", "Weighted load (advisory)"),
    ("flagged_cases", "Cases with a flag raised"),
    ("referrals_in", "Referrals in"),
    ("discharges_out", "Discharges out"),
)
PRACTITIONER_SERIES = (
    ("lead_cases", "Lead cases"),
    ("weighted_load", "Weighted load (advisory)"),
    ("flagged_cases", "Cases with a flag raised"),
)


@dataclass(frozen=True)
class Point:
    label: str  # "Oct 2026", or "now"
    month: dt.date | None
    values: tuple[float | None, ...]


def series(tier: str, tier_id: int, measures: tuple[tuple[str, str], ...]) -> list[Point]:
    """The month ends held for this tier and object, oldest first, then the current figures."""
    names = [name for name, _ in measures]
    found: dict[dt.date | None, dict[str, float | None]] = {}
    for month, measure, value in TierSummary.objects.filter(
        tier=tier, tier_id=tier_id, measure__in=names
    ).values_list("month", "measure", "value"):
        found.setdefault(month, {})[measure] = value
    months = sorted(month for month in found if month is not None)
    points = [
        Point(f"{month:%b %Y}", month, tuple(found[month].get(name) for name in names))
        for month in months
    ]
    if None in found:
        points.append(Point("now", None, tuple(found[None].get(name) for name in names)))
    return points


def as_csv(points: list[Point], measures: tuple[tuple[str, str], ...], filename: str):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["month_end", *(name for name, _ in measures)])
    for point in points:
        month = point.month.isoformat() if point.month else "current"
        writer.writerow([month, *("" if v is None else f"{v:g}" for v in point.values)])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def figures(points: list[Point], measures: tuple[tuple[str, str], ...]) -> list[dict]:
    """One chart per measure over the month ends (the current figures are in the table)."""
    shown = []
    for index, (name, heading) in enumerate(measures):
        spec = charts.line_spec(
            [(p.month, p.values[index]) for p in points if p.month is not None],
            title=heading,
            y_title=heading,
        )
        # The SVG is vl-convert's drawing of our own numbers and headings: no user text.
        drawing = Markup(charts.svg(spec)) if spec else None  # noqa: S704
        shown.append({"name": name, "heading": heading, "svg": drawing})
    return shown


def _page(request, *, title, tier, tier_id, measures, filename, object_kind):
    points = series(tier, tier_id, measures)
    record(request, action="view_trends", object_kind=object_kind, object_id=tier_id)
    if request.GET.get("format") == "csv":
        return as_csv(points, measures, filename)
    return render(
        request,
        "dashboard/trends.html",
        {
            "title": title,
            "points": points,
            "measures": measures,
            "figures": figures(points, measures) if points else [],
            "today": clock.today(),
            "freshness": freshness.current(current_policy()),
            "nav": nav(request.access, request.path),
        },
    )


@page(Permission.VIEW_TEAM, Permission.VIEW_SERVICE)
def team_trends(request, team_id: int):
    team = get_team_aggregates(request.access, team_id)
    return _page(
        request,
        title=f"{team.name}: trends",
        tier="team",
        tier_id=team.pk,
        measures=TEAM_SERIES,
        filename=f"team-{team.pk}-trends.csv",
        object_kind="team",
    )


def practitioner_trends(request, practitioner_id: int, *, title: str, filename: str):
    """One practitioner's trends page (already checked to be in the user's scope)."""
    return _page(
        request,
        title=title,
        tier="practitioner",
        tier_id=practitioner_id,
        measures=PRACTITIONER_SERIES,
        filename=filename,
        object_kind="practitioner",
    )


@page(Permission.VIEW_OWN_CASELOAD)
def my_trends(request):
    if not request.access.own_practitioner_ids:
        raise PermissionDenied
    practitioner_id = min(request.access.own_practitioner_ids)
    return practitioner_trends(
        request,
        practitioner_id,
        title="My caseload: trends",
        filename="my-caseload-trends.csv",
    )
