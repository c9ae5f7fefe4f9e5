"""Scopes: who sees which cases."""

import pytest
from django.db import IntegrityError

from caseboard.domain import clock
from caseboard.records.models import Practitioner, Referral, Team
from caseboard.web.accounts import actions
from caseboard.web.accounts.access import access_for, current_care_team, visible_referrals
from caseboard.web.accounts.models import Grant, User

pytestmark = pytest.mark.django_db


def _visible(username):
    return visible_referrals(access_for(User.objects.get(username=username)))


def _leads(referrals):
    return current_care_team(clock.today()).filter(
        role="lead", referral_id__in=referrals.values("pk")
    )


def test_supervisor_sees_supervisees_in_two_teams():
    supervisor = User.objects.get(username="supervisor").practitioner
    supervised = _leads(_visible("supervisor")).filter(practitioner__supervisor_id=supervisor.pk)
    teams = (
        Practitioner.objects.filter(pk__in=supervised.values("practitioner_id"))
        .values("team_id")
        .distinct()
    )
    assert teams.count() == 2


def test_practitioner_sees_only_cases_they_lead_or_cowork():
    practitioner = User.objects.get(username="practitioner").practitioner
    visible = _visible("practitioner")
    members = current_care_team(clock.today()).filter(practitioner_id=practitioner.pk)
    assert set(visible.values_list("pk", flat=True)) == set(
        members.values_list("referral_id", flat=True)
    )
    assert visible.count() < Referral.objects.count()


def test_coworker_sees_the_case_they_cowork():
    row = current_care_team(clock.today()).filter(role="co_worker").first()
    person = Practitioner.objects.get(pk=row.practitioner_id)
    user = actions.create_user(
        username="coworker", password="a long enough pass phrase", role="practitioner", scope=person
    )
    assert visible_referrals(access_for(user)).filter(pk=row.referral_id).exists()


def test_manager_sees_the_whole_team_and_own_cases():
    manager = User.objects.get(username="manager")
    access = access_for(manager)
    team_cases = Referral.objects.filter(team_id__in=access.team_ids)
    assert set(team_cases.values_list("pk", flat=True)) <= set(
        _visible("manager").values_list("pk", flat=True)
    )


def test_board_and_admin_see_no_patient():
    assert not _visible("board").exists()
    assert not _visible("admin").exists()


def test_a_grant_must_name_the_scope_its_role_needs():
    user = User.objects.get(username="board")
    team = Team.objects.first()
    with pytest.raises(IntegrityError):
        Grant.objects.create(user_id=user.pk, role="practitioner", team_id=team.pk)
