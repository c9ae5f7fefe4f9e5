"""The team's alert-burden page: the figures of domain/burden.py over the team's snapshot rows,
with no patient named."""

import pytest

from caseboard.domain import burden as alert
from caseboard.records.models import CaseSnapshot, Patient, Practitioner
from caseboard.web.accounts.access import access_for
from caseboard.web.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_team_page_shows_each_line_and_names_no_patient(login):
    team_id = min(access_for(User.objects.get(username="manager")).team_ids)
    body = login("manager").get(f"/teams/{team_id}/burden/").content.decode()
    rows = list(CaseSnapshot.objects.filter(team_id=team_id).values())
    assert rows, "the web test trust has a refreshed snapshot"
    names = dict(Practitioner.objects.values_list("pk", "name"))
    lines = alert.burden(rows, names, {team_id: "team"})
    team = next(line for line in lines if line.tier == "team")
    assert "<strong>Whole team</strong>" in body
    assert f"<td>{team.cases}</td>" in body
    share = round(100 * team.safety_or_clinical / team.cases)
    assert f"{team.safety_or_clinical} ({share}%)" in body
    for line in lines:
        if line.tier == "practitioner":
            assert line.name in body
    patients = Patient.objects.filter(pk__in=[row["patient_id"] for row in rows])
    assert not any(patient.family_name.upper() in body for patient in patients)


def test_the_service_manager_drills_down_to_their_teams_only(login):
    from caseboard.records.models import Team

    access = access_for(User.objects.get(username="service"))
    mine = Team.objects.filter(service_id__in=access.service_ids).order_by("pk")
    other = Team.objects.exclude(service_id__in=access.service_ids).order_by("pk").first()
    client = login("service")
    service = client.get(f"/services/{min(access.service_ids)}/").content.decode()
    for team in mine:
        for page in ("capacity", "trends", "burden"):
            assert f'href="/teams/{team.pk}/{page}/"' in service
            assert client.get(f"/teams/{team.pk}/{page}/").status_code == 200
    assert other is not None
    assert client.get(f"/teams/{other.pk}/capacity/").status_code == 404
    # The case lists stay the team's own: no patient is named to the service manager.
    assert client.get(f"/teams/{mine[0].pk}/").status_code == 403
