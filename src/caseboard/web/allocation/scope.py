"""Which teams a user may allocate in: those where they hold a role carrying ALLOCATE (a team
manager), not every team they may view (a clinical lead or duty worker sees a team without
allocation powers, CLINICAL-RULES "day one" 10). Another team answers 404, as the access helper
does for anything outside the user's scope."""

from __future__ import annotations

from django.http import Http404

from caseboard.records.models import Team
from caseboard.web.accounts.access import Access
from caseboard.web.accounts.models import Grant
from caseboard.web.accounts.roles import PERMISSIONS_OF_ROLE, Permission

ALLOCATING_ROLES = tuple(
    role for role, permissions in PERMISSIONS_OF_ROLE.items() if Permission.ALLOCATE in permissions
)


def allocation_team_ids(access: Access) -> frozenset[int]:
    if not access.can(Permission.ALLOCATE):
        return frozenset()
    grants = Grant.objects.filter(
        user_id=access.user_id, role__in=ALLOCATING_ROLES, team_id__isnull=False
    )
    return frozenset(grants.values_list("team_id", flat=True))


def get_allocation_team(access: Access, team_id: int) -> Team:
    if team_id not in allocation_team_ids(access):
        raise Http404("No such team in your scope")
    return Team.objects.get(pk=team_id)
