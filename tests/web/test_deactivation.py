"""Deactivating an account whose practitioner still leads open cases is refused, on the
administration page and for any caller of the action (CLINICAL-RULES hazard H2)."""

import datetime as dt

import pytest
from django.urls import reverse

from caseboard.domain import clock
from caseboard.records.models import ReferralCareTeam
from caseboard.web.accounts import actions
from caseboard.web.accounts.models import User
from caseboard.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _open_lead_rows(user):
    today = clock.today()
    return ReferralCareTeam.objects.filter(
        practitioner_id=user.practitioner_id, role="lead", referral__status="open"
    ).exclude(ends_on__lt=today)


def _reallocate_everything(user):
    """As an import would load it: every open lead row of the practitioner ended yesterday."""
    _open_lead_rows(user).update(ends_on=clock.today() - dt.timedelta(days=1))


def test_deactivating_a_practitioner_who_leads_open_cases_is_refused(login):
    user = User.objects.get(username="practitioner")
    led = _open_lead_rows(user).values("referral_id").distinct().count()
    assert led > 1
    response = login("admin").post(reverse("deactivate_user", args=[user.pk]))
    assert response.status_code == 400
    text = response.content.decode()
    assert f"practitioner still leads {led} open cases in the record" in text
    assert "reallocate them first" in text
    user.refresh_from_db()
    assert user.is_active
    assert not AuditEvent.objects.filter(action="deactivate_user").exists()


def test_the_action_refuses_for_any_caller():
    user = User.objects.get(username="practitioner")
    admin = User.objects.get(username="admin")
    with pytest.raises(actions.AccountError, match="still leads"):
        actions.deactivate_user(user=user, by=admin, today=clock.today())
    user.refresh_from_db()
    assert user.is_active


def test_deactivation_is_allowed_once_the_cases_are_reallocated_and_audited(login):
    user = User.objects.get(username="practitioner")
    _reallocate_everything(user)
    response = login("admin").post(reverse("deactivate_user", args=[user.pk]))
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    event = AuditEvent.objects.get(action="deactivate_user")
    assert (event.object_kind, event.object_id, event.username) == ("user", str(user.pk), "admin")


def test_a_lead_row_starting_later_still_counts():
    user = User.objects.get(username="practitioner")
    rows = _open_lead_rows(user)
    first = rows.order_by("pk").first()
    _reallocate_everything(user)
    later = clock.today() + dt.timedelta(days=10)
    ReferralCareTeam.objects.filter(pk=first.pk).update(starts_on=later, ends_on=None)
    admin = User.objects.get(username="admin")
    with pytest.raises(actions.AccountError, match="still leads 1 open case in"):
        actions.deactivate_user(user=user, by=admin, today=clock.today())


def test_an_administrator_cannot_deactivate_themselves():
    admin = User.objects.get(username="admin")
    with pytest.raises(actions.AccountError, match="deactivate your own account"):
        actions.deactivate_user(user=admin, by=admin, today=clock.today())


def test_only_an_administrator_may_deactivate(login):
    board = User.objects.get(username="board")
    assert login("manager").post(reverse("deactivate_user", args=[board.pk])).status_code == 403
    board.refresh_from_db()
    assert board.is_active
