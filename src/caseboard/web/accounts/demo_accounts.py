"""One demo account per role, over the synthetic trust's people (demo settings only)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from rich.console import Console
from rich.table import Table

from caseboard.records.models import Practitioner, Service, Team
from caseboard.synthetic.trust import DEMO_PEOPLE
from caseboard.web.accounts import actions
from caseboard.web.accounts.models import User

ACCOUNTS = (
    ("practitioner", "practitioner", "a practitioner: their own caseload"),
    ("supervisor", "supervisor", "a supervisor: supervisees in two teams, and own cases"),
    ("manager", "team_manager", "a team manager who also holds a caseload"),
    (
        "community",
        "team_manager",
        "the community team's manager (adult CMH): its lists, huddle, capacity, alert burden",
    ),
    ("service", "service_manager", "a service manager: the Talking Therapies service"),
    ("board", "board", "governance: trust-wide aggregates only"),
    ("admin", "admin", "an administrator: users, no clinical pages"),
)


def _practitioner(key: str) -> Practitioner:
    return Practitioner.objects.get(source_id=DEMO_PEOPLE[key])


@transaction.atomic
def ensure(*, password: str) -> None:
    """Create the demo accounts that do not exist yet (re-running the demo keeps them)."""
    if not getattr(settings, "DEMO", False):
        raise RuntimeError("demo accounts exist only under the demo settings")
    for username, role, _ in ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        if role in ("practitioner", "supervisor"):
            person = _practitioner(username)
            user = actions.create_user(
                username=username,
                password=password,
                role=role,
                scope=person,
                practitioner=person,
                check_password=False,
            )
            if role == "supervisor":
                actions.grant(user=user, role="practitioner", scope=person)
        elif role == "team_manager" and username == "community":
            team = Team.objects.get(source_id=DEMO_PEOPLE["community_team"])
            actions.create_user(
                username=username, password=password, role=role, scope=team, check_password=False
            )
        elif role == "team_manager":
            person = _practitioner("manager")
            team = Team.objects.get(source_id=DEMO_PEOPLE["manager_team"])
            user = actions.create_user(
                username=username,
                password=password,
                role=role,
                scope=team,
                practitioner=person,
                check_password=False,
            )
            actions.grant(user=user, role="practitioner", scope=person)
        elif role == "service_manager":
            service = Service.objects.get(source_id=DEMO_PEOPLE["service"])
            actions.create_user(
                username=username, password=password, role=role, scope=service, check_password=False
            )
        else:
            actions.create_user(
                username=username, password=password, role=role, check_password=False
            )


def print_table(console: Console, *, password: str, port: int) -> None:
    table = Table(title=f"Caseboard demo on http://127.0.0.1:{port}/  (password: {password})")
    table.add_column("username")
    table.add_column("who")
    for username, _, who in ACCOUNTS:
        table.add_row(username, who)
    console.print(table)
