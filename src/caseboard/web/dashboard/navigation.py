"""The navigation a user sees: one entry per page their permissions open."""

from __future__ import annotations

from django.urls import reverse

from caseboard.web.accounts.access import Access
from caseboard.web.accounts.roles import Permission
from caseboard.web.allocation.scope import allocation_team_ids


def pages_for(access: Access) -> list[tuple[str, str]]:
    """(href, text) for each first page the user may open, in order of use."""
    pages: list[tuple[str, str]] = []
    allocating = allocation_team_ids(access)
    for team_id in sorted(access.team_ids):
        pages.append((reverse("team", args=[team_id]), "Team caseload"))
        pages.append((reverse("huddle", args=[team_id]), "Huddle"))
        pages.append((reverse("capacity", args=[team_id]), "Capacity"))
        pages.append((reverse("burden", args=[team_id]), "Alert burden"))
        if team_id in allocating:
            pages.append((reverse("allocation", args=[team_id]), "Allocation"))
        pages.append((reverse("team_trends", args=[team_id]), "Trends"))
    if access.can(Permission.VIEW_SUPERVISEE_CASELOADS) and access.supervisor_ids:
        pages.append((reverse("supervisees"), "Supervisees"))
    if access.can(Permission.VIEW_OWN_CASELOAD) and access.own_practitioner_ids:
        pages.append((reverse("caseload"), "My caseload"))
        pages.append((reverse("my_trends"), "My trends"))
    for service_id in sorted(access.service_ids):
        pages.append((reverse("service", args=[service_id]), "Service"))
    if access.can(Permission.VIEW_TRUST):
        pages.append((reverse("trust"), "Trust"))
    if access.can(Permission.ADMINISTER):
        pages.append((reverse("administration"), "Administration"))
    return pages


def nav(access: Access, current: str) -> list[dict[str, object]]:
    return [
        {"href": href, "text": text, "current": href == current} for href, text in pages_for(access)
    ]
