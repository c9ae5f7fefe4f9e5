"""The one access helper every view uses: what a user may do, and which cases they may see.

Answers (DESIGN "Roles, answers and audit"): anonymous -> 302 to sign-in; a page the user's roles
never use -> 403; an object outside the user's scope -> 404, so existence does not leak.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from caseboard.domain import clock
from caseboard.records.models import Practitioner, Referral, ReferralCareTeam, Service, Team
from caseboard.web.accounts.cover import covered_for
from caseboard.web.accounts.models import Grant
from caseboard.web.accounts.roles import PERMISSIONS_OF_ROLE, Permission


@dataclass(frozen=True)
class Access:
    user_id: int
    username: str
    permissions: frozenset[Permission]
    own_practitioner_ids: frozenset[int]
    covering_ids: frozenset[int]  # practitioners away today whose lead cases they cover
    supervisor_ids: frozenset[int]
    team_ids: frozenset[int]
    service_ids: frozenset[int]

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions


def access_for(user) -> Access:
    grants = list(Grant.objects.filter(user_id=user.pk))
    permissions = frozenset().union(*(PERMISSIONS_OF_ROLE[g.role] for g in grants))

    def ids(role: str, scope: str) -> frozenset[int]:
        return frozenset(getattr(g, f"{scope}_id") for g in grants if g.role == role)

    own = ids("practitioner", "practitioner")
    return Access(
        user_id=user.pk,
        username=user.get_username(),
        permissions=permissions,
        own_practitioner_ids=own,
        covering_ids=covered_for(own, clock.today()),
        supervisor_ids=ids("supervisor", "practitioner"),
        team_ids=frozenset().union(
            *(ids(r, "team") for r in ("team_manager", "clinical_lead", "duty"))
        ),
        service_ids=ids("service_manager", "service"),
    )


def page(*permissions: Permission) -> Callable:
    """Decorate a view: sign-in required (302), then any one of the permissions (403); the view
    gets access."""

    def decorate(view: Callable) -> Callable:
        @login_required
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            access = access_for(request.user)
            if not any(access.can(permission) for permission in permissions):
                raise PermissionDenied
            request.access = access
            return view(request, *args, **kwargs)

        wrapped.permissions = permissions
        return wrapped

    return decorate


def current_care_team(on: date) -> QuerySet:
    return ReferralCareTeam.objects.filter(starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )


def covered_cases(access: Access, on: date) -> QuerySet:
    """The care-team rows of the cases the user covers on ``on``: those led by a practitioner
    away that day who named the user's practitioner as cover (accounts/cover.py)."""
    return current_care_team(on).filter(role="lead", practitioner_id__in=access.covering_ids)


def visible_referrals(access: Access, *, on: date | None = None) -> QuerySet:
    """Every referral the user may see identifiably: the mandatory scope filter."""
    on = on or clock.today()
    care_team = current_care_team(on)
    scope = Q(pk__in=[])
    if access.can(Permission.VIEW_OWN_CASELOAD) and access.own_practitioner_ids:
        mine = care_team.filter(practitioner_id__in=access.own_practitioner_ids)
        scope |= Q(pk__in=mine.values("referral_id"))
    if access.can(Permission.VIEW_OWN_CASELOAD) and access.covering_ids:
        scope |= Q(pk__in=covered_cases(access, on).values("referral_id"))
    if access.can(Permission.VIEW_SUPERVISEE_CASELOADS) and access.supervisor_ids:
        supervised = care_team.filter(
            role="lead", practitioner__supervisor_id__in=access.supervisor_ids
        )
        scope |= Q(pk__in=supervised.values("referral_id"))
    if access.can(Permission.VIEW_TEAM) and access.team_ids:
        scope |= Q(team_id__in=access.team_ids)
    return Referral.objects.filter(scope)


def get_referral(access: Access, referral_id: int):
    try:
        return visible_referrals(access).select_related("patient", "team").get(pk=referral_id)
    except Referral.DoesNotExist:
        raise Http404("No such case in your scope") from None


def get_team(access: Access, team_id: int):
    if team_id not in access.team_ids:
        raise Http404("No such team in your scope")
    return Team.objects.get(pk=team_id)


def get_team_aggregates(access: Access, team_id: int):
    """A team whose aggregate pages (capacity, trends, alert burden: no patient named) the user
    may open: a team in their scope, or any team of a service they manage (the service
    manager's drill-down)."""
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team in your scope")
    in_service = access.can(Permission.VIEW_SERVICE) and team.service_id in access.service_ids
    if team_id not in access.team_ids and not in_service:
        raise Http404("No such team in your scope")
    return team


def get_service(access: Access, service_id: int):
    if service_id not in access.service_ids:
        raise Http404("No such service in your scope")
    return Service.objects.get(pk=service_id)


def supervisees(access: Access) -> QuerySet:
    """The practitioners the user supervises (practitioner.supervisor_id names their supervisor)."""
    if not (access.can(Permission.VIEW_SUPERVISEE_CASELOADS) and access.supervisor_ids):
        return Practitioner.objects.none()
    return Practitioner.objects.filter(supervisor_id__in=access.supervisor_ids)


def get_supervisee(access: Access, practitioner_id: int):
    try:
        return supervisees(access).get(pk=practitioner_id)
    except Practitioner.DoesNotExist:
        raise Http404("No such supervisee in your scope") from None
