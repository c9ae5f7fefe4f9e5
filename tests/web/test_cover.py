"""Leave cover: while a lead is away, the cover named for the period sees their cases and flags
on their own caseload, the duty view lists them, and nobody else gains them; in force from the
first day to the last, whether the record holds the absence or it is pending in the EPR."""

import datetime as dt

import pytest
from django.urls import reverse

from caseboard.domain import clock
from caseboard.records.models import Absence, AbsenceRequest, Practitioner
from caseboard.web.accounts.access import access_for, current_care_team, visible_referrals
from caseboard.web.accounts.models import User
from caseboard.web.audit.models import AuditEvent, AuditEventPatient

pytestmark = pytest.mark.django_db


def _day(days):
    return clock.today() + dt.timedelta(days=days)


@pytest.fixture
def people():
    """(the demo practitioner's practitioner, a colleague of the same team who leads open cases
    the demo practitioner neither leads nor co-works, those cases' referral ids)."""
    cover_id = min(access_for(User.objects.get(username="practitioner")).own_practitioner_ids)
    cover = Practitioner.objects.get(pk=cover_id)
    care_team = current_care_team(clock.today())
    own = set(care_team.filter(practitioner_id=cover_id).values_list("referral_id", flat=True))
    for colleague in Practitioner.objects.filter(team_id=cover.team_id).exclude(pk=cover_id):
        led = set(
            care_team.filter(
                practitioner_id=colleague.pk, role="lead", referral__status="open"
            ).values_list("referral_id", flat=True)
        )
        if led - own:
            return cover, colleague, led - own
    pytest.fail("the test trust has no colleague with open cases of their own")


def _request(away, cover, starts_on, ends_on, **fields):
    manager = User.objects.get(username="manager")
    return AbsenceRequest.objects.create(
        practitioner_id=away.pk,
        kind="annual_leave",
        starts_on=starts_on,
        ends_on=ends_on,
        cover_practitioner_id=cover.pk,
        requested_by_id=manager.pk,
        requested_at=clock.now(),
        **fields,
    )


def _caseload(client):
    response = client.get(reverse("caseload"))
    assert response.status_code == 200
    return response.content.decode()


def _visible(username):
    return set(
        visible_referrals(access_for(User.objects.get(username=username))).values_list(
            "pk", flat=True
        )
    )


@pytest.mark.parametrize(
    ("starts", "ends", "covered"),
    [
        (0, 0, True),  # one day away: today
        (-5, 0, True),  # back tomorrow
        (0, None, True),  # return not known
        (1, 5, False),  # starts tomorrow
        (-5, -1, False),  # back today
    ],
)
def test_pending_leave_puts_the_leads_cases_on_the_covers_caseload(
    login, people, starts, ends, covered
):
    cover, away, cases = people
    _request(away, cover, _day(starts), None if ends is None else _day(ends))
    assert (cases <= _visible("practitioner")) is covered
    page = _caseload(login("practitioner"))
    for referral_id in cases:
        assert (reverse("referral", args=[referral_id]) in page) is covered
    assert ("cover: " + cover.name + ", pending in the EPR" in page) is covered
    assert ("and the cases of colleagues you cover" in page) is covered


def test_covered_case_opens_for_the_cover_and_is_audited(login, people):
    cover, away, cases = people
    _request(away, cover, _day(-1), _day(3))
    client = login("practitioner")
    case = min(cases)
    assert client.get(reverse("referral", args=[case])).status_code == 200
    _caseload(client)
    event = AuditEvent.objects.filter(action="view_caseload").latest("pk")
    shown = set(
        AuditEventPatient.objects.filter(audit_event_id=event.pk).values_list(
            "referral_id", flat=True
        )
    )
    assert cases <= shown


def test_leave_in_the_record_routes_without_pending(login, people):
    cover, away, cases = people
    Absence.objects.create(
        source_system="epr",
        source_id="absence-cover-1",
        practitioner_id=away.pk,
        kind="study",
        starts_on=_day(-2),
        ends_on=_day(2),
        cover_practitioner_id=cover.pk,
    )
    page = _caseload(login("practitioner"))
    assert all(reverse("referral", args=[case]) in page for case in cases)
    assert f"on study leave until {_day(2).day} {_day(2):%b %Y} (cover: {cover.name})" in page


def test_withdrawn_leave_and_leave_without_this_cover_route_nothing(login, people):
    cover, away, cases = people
    manager = User.objects.get(username="manager")
    _request(away, cover, _day(-1), _day(3), withdrawn_at=clock.now(), withdrawn_by_id=manager.pk)
    other = Practitioner.objects.filter(team_id=cover.team_id).exclude(pk__in=[cover.pk, away.pk])
    _request(away, other.first(), _day(-1), _day(3))
    assert not cases & _visible("practitioner")
    assert client_404(login("practitioner"), min(cases))


def client_404(client, referral_id):
    return client.get(reverse("referral", args=[referral_id])).status_code == 404


def test_huddle_lists_the_cases_of_a_lead_away_today_with_the_cover(login, people):
    cover, away, cases = people
    _request(away, cover, _day(0), _day(4))
    manager = login("manager")
    team_id = cover.team_id
    assert team_id in access_for(User.objects.get(username="manager")).team_ids
    page = manager.get(reverse("huddle", args=[team_id])).content.decode()
    section = page.split("Cases of staff who have left or are away today", 1)[1].split("<h2")[0]
    for referral_id in cases:
        assert reverse("referral", args=[referral_id]) in section
    assert f"{away.name}<br>" in section
    assert f"on annual leave until {_day(4).day} {_day(4):%b %Y} (cover: {cover.name}" in section
