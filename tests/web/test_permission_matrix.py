"""Every URL pattern, every demo role: the answer each gets (302 anonymous, 403 a page the role
never uses, 404 out of scope, else 200). A new URL fails here until it is added to the table."""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from caseboard.domain import clock
from caseboard.records.models import (
    AbsenceRequest,
    AllocationRequest,
    Practitioner,
    Referral,
    Service,
    Team,
)
from caseboard.web.accounts.access import access_for, supervisees, visible_referrals
from caseboard.web.accounts.models import User

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "practitioner", "supervisor", "manager", "service", "board", "admin"]


def answers(others=403, anonymous=302, **by_role):
    return {"anonymous": anonymous, **{role: by_role.get(role, others) for role in ROLES[1:]}}


# url name -> (method, the answer for each role when asked about an object in their own scope)
MATRIX = {
    "home": ("get", answers(others=302)),
    "login": ("get", answers(anonymous=200, others=302)),
    "logout": ("post", answers(others=302)),
    "healthz": ("get", answers(anonymous=200, others=200)),
    "caseload": ("get", answers(practitioner=200, supervisor=200, manager=200)),
    "supervisees": ("get", answers(supervisor=200)),
    "supervisee": ("get", answers(supervisor=200)),
    "supervisee_trends": ("get", answers(supervisor=200)),
    "team": ("get", answers(manager=200)),
    "huddle": ("get", answers(manager=200)),
    # The aggregate team pages: the team manager, and the service manager's drill-down.
    "capacity": ("get", answers(manager=200, service=200)),
    "burden": ("get", answers(manager=200, service=200)),
    "team_trends": ("get", answers(manager=200, service=200)),
    "my_trends": ("get", answers(practitioner=200, supervisor=200, manager=200)),
    "service": ("get", answers(service=200)),
    "trust": ("get", answers(service=200, board=200)),
    "referral": ("get", answers(practitioner=200, supervisor=200, manager=200)),
    # An empty form is refused (400) for the roles that may acknowledge a flag.
    "acknowledge_flag": ("post", answers(practitioner=400, supervisor=400, manager=400)),
    "administration": ("get", answers(admin=200)),
    # Allocation and leave: the team manager only (a clinical lead views without allocating).
    "allocation": ("get", answers(manager=200)),
    "allocate": ("post", answers(manager=400)),  # an empty form is refused
    "withdraw_allocation": ("post", answers(manager=302)),
    "leave": ("get", answers(manager=200)),
    "withdraw_leave": ("post", answers(manager=302)),
    "deactivate_user": ("post", answers(admin=302)),  # a user who leads no open case
}


def url_names(patterns=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.name


def in_scope_args(name, username):
    """Arguments naming an object inside the user's scope where they have one."""
    user = User.objects.filter(username=username).first()
    access = access_for(user) if user else None
    if name in ("referral", "acknowledge_flag"):
        mine = visible_referrals(access).order_by("pk").first() if access else None
        referral = (mine or Referral.objects.order_by("pk").first()).pk
        return [referral] if name == "referral" else [referral, "NOT_DISCUSSED"]
    teams = ("team", "huddle", "capacity", "burden", "team_trends")
    if name in (*teams, "allocation", "allocate", "leave"):
        return [min(access.team_ids) if access and access.team_ids else Team.objects.first().pk]
    if name in ("withdraw_allocation", "withdraw_leave"):
        team_id = min(access.team_ids) if access and access.team_ids else Team.objects.first().pk
        return [team_id, pending_request(name, team_id)]
    if name == "deactivate_user":
        return [User.objects.get(username="board").pk]
    if name == "service":
        ids = access.service_ids if access else ()
        return [min(ids) if ids else Service.objects.first().pk]
    if name in ("supervisee", "supervisee_trends"):
        mine = supervisees(access).order_by("pk").first() if access else None
        return [(mine or Practitioner.objects.order_by("pk").first()).pk]
    return []


def pending_request(name, team_id):
    """A pending allocation or absence request of the team, to withdraw."""
    by = User.objects.get(username="manager")
    now = clock.now()
    if name == "withdraw_leave":
        person = Practitioner.objects.filter(team_id=team_id).order_by("pk").first()
        return AbsenceRequest.objects.create(
            practitioner=person,
            kind="annual_leave",
            starts_on=clock.today() + dt.timedelta(days=7),
            requested_by=by,
            requested_at=now,
        ).pk
    referral = Referral.objects.filter(team_id=team_id, status="open").order_by("pk").first()
    person = Practitioner.objects.filter(team_id=team_id, active=True).order_by("pk").first()
    return AllocationRequest.objects.create(
        referral=referral,
        practitioner=person,
        role="co_worker",
        starts_on=clock.today(),
        reason="",
        requested_by=by,
        requested_at=now,
    ).pk


def test_matrix_covers_every_url_pattern():
    names = list(url_names())
    assert None not in names, "every URL pattern needs a name"
    assert set(names) == set(MATRIX), f"add to MATRIX: {set(names) - set(MATRIX)}"


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_its_answer(login, name, username):
    method, expected = MATRIX[name]
    client = login(username)
    response = getattr(client, method)(reverse(name, args=in_scope_args(name, username)))
    assert response.status_code == expected[username]
    if response.status_code == 302 and username == "anonymous" and name != "logout":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("username", ["practitioner", "supervisor", "manager"])
def test_a_patient_outside_scope_is_not_found(login, username):
    access = access_for(User.objects.get(username=username))
    outside = Referral.objects.exclude(pk__in=visible_referrals(access).values("pk")).first()
    response = login(username).get(reverse("referral", args=[outside.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["supervisee", "supervisee_trends"])
def test_a_practitioner_not_supervised_by_the_user_is_not_found(login, name):
    supervisor = access_for(User.objects.get(username="supervisor"))
    theirs = supervisees(supervisor)
    assert theirs.exists()
    others = Practitioner.objects.exclude(pk__in=theirs.values("pk"))
    themselves = min(supervisor.supervisor_ids)
    client = login("supervisor")
    for practitioner_id in (others.first().pk, themselves, Practitioner.objects.count() + 1000):
        assert not theirs.filter(pk=practitioner_id).exists()
        response = client.get(reverse(name, args=[practitioner_id]))
        assert response.status_code == 404, practitioner_id
    in_scope = client.get(reverse(name, args=[theirs.first().pk]))
    assert in_scope.status_code == 200


def test_a_team_or_service_outside_scope_is_not_found(login):
    manager = access_for(User.objects.get(username="manager"))
    other_team = Team.objects.exclude(pk__in=manager.team_ids).first()
    assert login("manager").get(reverse("team", args=[other_team.pk])).status_code == 404
    service = access_for(User.objects.get(username="service"))
    other_service = Service.objects.exclude(pk__in=service.service_ids).first()
    assert login("service").get(reverse("service", args=[other_service.pk])).status_code == 404
