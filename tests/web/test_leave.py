"""Recording leave and its cover: pending in the EPR until the record holds a matching absence,
refusals that write nothing, and the cover shown where allocation decisions are made."""

import datetime as dt

import pytest
from django.urls import reverse

from caseboard.domain import clock
from caseboard.records.models import (
    Absence,
    AbsenceRequest,
    Practitioner,
    RefreshQueue,
    TierSummary,
)
from caseboard.web.accounts.access import access_for
from caseboard.web.accounts.models import User
from caseboard.web.allocation.choices import in_post
from caseboard.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_id():
    return min(access_for(User.objects.get(username="manager")).team_ids)


def _day(days):
    return clock.today() + dt.timedelta(days=days)


def _people(team_id):
    return list(in_post(team_id, clock.today()).order_by("pk")[:2])


def _record(client, team_id, **form):
    return client.post(reverse("leave", args=[team_id]), form)


def _form(away, cover, **changes):
    return {
        "practitioner": away.pk,
        "kind": "annual_leave",
        "starts_on": _day(3).isoformat(),
        "ends_on": _day(10).isoformat(),
        "cover": cover.pk,
        "note": "",
        **changes,
    }


def _counts():
    return (
        AbsenceRequest.objects.count(),
        RefreshQueue.objects.count(),
        AuditEvent.objects.filter(action="record_absence").count(),
    )


def test_leave_is_recorded_pending_then_confirmed_by_an_import(login, team_id):
    away, cover = _people(team_id)
    client = login("manager")
    response = _record(client, team_id, **_form(away, cover))
    assert response.status_code == 302
    made = AbsenceRequest.objects.get(practitioner_id=away.pk)
    assert (made.kind, made.cover_practitioner_id, made.ends_on) == (
        "annual_leave",
        cover.pk,
        _day(10),
    )
    assert AuditEvent.objects.filter(action="record_absence", object_id=str(made.pk)).exists()
    page = client.get(reverse("leave", args=[team_id])).content.decode()
    assert "pending in the EPR since" in page
    allocation = client.get(reverse("allocation", args=[team_id])).content.decode()
    assert "(pending in the EPR)" in allocation  # beside the practitioner's choice
    Absence.objects.create(
        source_system="epr",
        source_id="absence-test-1",
        practitioner_id=away.pk,
        kind="annual_leave",
        starts_on=_day(3),
        ends_on=_day(10),
        cover_practitioner_id=cover.pk,
    )
    page = client.get(reverse("leave", args=[team_id])).content.decode()
    assert "confirmed in the EPR" in page and "pending in the EPR since" not in page


def test_recording_leave_queues_the_cases_the_practitioner_leads(login, team_id):
    away, cover = _people(team_id)
    before = RefreshQueue.objects.filter(reason="absence").count()
    _record(login("manager"), team_id, **_form(away, cover))
    assert RefreshQueue.objects.filter(reason="absence").count() > before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("self_cover", "cannot cover their own absence"),
        ("ends_before_start", "The last day away is before the first"),
        ("ended", "This absence has ended"),
        ("bad_kind", "Choose the kind of absence"),
        ("other_team", "is not in this team"),
        ("no_start", "Enter the first day away"),
    ],
)
def test_refused_leave_writes_nothing(login, team_id, change, message):
    away, cover = _people(team_id)
    form = _form(away, cover)
    if change == "self_cover":
        form["cover"] = away.pk
    if change == "ends_before_start":
        form["ends_on"] = _day(2).isoformat()
    if change == "ended":
        form["starts_on"], form["ends_on"] = _day(-10).isoformat(), _day(-1).isoformat()
    if change == "bad_kind":
        form["kind"] = "holiday"
    if change == "other_team":
        form["practitioner"] = Practitioner.objects.exclude(team_id=team_id).first().pk
    if change == "no_start":
        form["starts_on"] = ""
    before = _counts()
    response = _record(login("manager"), team_id, **form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _counts() == before


def test_pending_leave_may_be_withdrawn(login, team_id):
    away, cover = _people(team_id)
    client = login("manager")
    _record(client, team_id, **_form(away, cover))
    made = AbsenceRequest.objects.get(practitioner_id=away.pk)
    response = client.post(reverse("withdraw_leave", args=[team_id, made.pk]))
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.withdrawn_at is not None
    assert (
        "pending in the EPR since"
        not in client.get(reverse("leave", args=[team_id])).content.decode()
    )


def test_a_practitioner_may_not_record_leave(login, team_id):
    away, cover = _people(team_id)
    before = _counts()
    assert _record(login("practitioner"), team_id, **_form(away, cover)).status_code == 403
    assert _counts() == before


def test_pending_leave_shows_on_the_capacity_and_huddle_pages(login, team_id):
    away, cover = _people(team_id)
    client = login("manager")
    assert (
        "not yet in the EPR" not in client.get(reverse("huddle", args=[team_id])).content.decode()
    )
    _record(client, team_id, **_form(away, cover, kind="long_term_sickness", ends_on=""))
    expected = f"long term sickness from {_day(3).day} {_day(3):%b %Y} (cover: {cover.name})"
    huddle = client.get(reverse("huddle", args=[team_id])).content.decode()
    assert "not yet in the EPR" in huddle and f"{away.name}: {expected}" in huddle
    TierSummary.objects.create(  # the team's summaries, as a refresh writes them
        as_of=clock.today(), tier="team", tier_id=team_id, measure="open_cases", value=1.0
    )
    capacity = client.get(reverse("capacity", args=[team_id])).content.decode()
    assert expected in capacity
