"""Every identifiable page writes one audit event and a row per patient shown."""

import pytest
from django.urls import reverse

from caseboard.web.audit.models import AuditEvent, AuditEventPatient

pytestmark = pytest.mark.django_db


def _rows_shown(response):
    return response.content.decode().count('href="/referrals/')


def test_caseload_view_audits_each_patient_shown(login):
    response = login("practitioner").get(reverse("caseload"))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="view_caseload")
    patients = AuditEventPatient.objects.filter(audit_event_id=event.pk)
    assert event.username == "practitioner"
    assert event.path == reverse("caseload")
    assert event.patient_count == patients.count() == _rows_shown(response) > 0


def test_episode_view_audits_the_one_patient(login):
    client = login("manager")
    team_page = client.get(reverse("caseload"))
    referral_path = team_page.content.decode().split('href="/referrals/')[1].split('"')[0]
    response = client.get(f"/referrals/{referral_path}")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="view_episode")
    rows = list(
        AuditEventPatient.objects.filter(audit_event_id=event.pk).values_list(
            "referral_id", flat=True
        )
    )
    assert rows == [int(referral_path.rstrip("/"))]


def test_refused_and_unknown_pages_write_no_patient_rows(login):
    client = login("board")
    assert client.get(reverse("caseload")).status_code == 403
    assert not AuditEventPatient.objects.exists()


def test_sign_in_is_audited(client):
    response = client.post(reverse("login"), {"username": "board", "password": "caseboard-demo"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="sign_in", username="board").count() == 1
    client.logout()
    client.post(reverse("login"), {"username": "board", "password": "wrong"})
    assert AuditEvent.objects.filter(action="sign_in_failed", username="board").exists()
