"""A supervisor's view of one supervisee at a time: the list of supervisees, each one's caseload
(the case list with its filters and PDF) and trends, all audited."""

import datetime as dt

import pytest
from django.urls import reverse

from caseboard.domain import clock
from caseboard.records.models import Practitioner, TierSummary
from caseboard.web.accounts.access import access_for, supervisees, visible_referrals
from caseboard.web.accounts.models import User
from caseboard.web.audit.models import AuditEvent, AuditEventPatient
from caseboard.web.dashboard.cases import open_cases
from caseboard.web.supervision.models import SupervisionAttendee, SupervisionSession

pytestmark = pytest.mark.django_db


def _shown_ids(body):
    return [int(part.split("/", 1)[0]) for part in body.split('href="/referrals/')[1:]]


@pytest.fixture
def led_by():
    """The supervisor's visible open cases, by the practitioner who leads each."""
    access = access_for(User.objects.get(username="supervisor"))
    cases: dict[int, list] = {}
    for case in open_cases(visible_referrals(access)):
        cases.setdefault(case.lead_id, []).append(case)
    return cases


def _busiest(led_by):
    access = access_for(User.objects.get(username="supervisor"))
    ids = set(supervisees(access).values_list("pk", flat=True))
    return max((p for p in led_by if p in ids), key=lambda p: len(led_by[p]))


def test_the_supervisees_page_lists_each_supervisee_with_their_counts(login, led_by):
    body = login("supervisor").get(reverse("supervisees")).content.decode()
    access = access_for(User.objects.get(username="supervisor"))
    people = list(supervisees(access).filter(active=True))
    assert len(people) >= 2
    for person in people:
        cases = led_by.get(person.pk, [])
        flagged = sum(1 for case in cases if case.flags or case.snoozed)
        link = f'<a class="nhsuk-link" href="{reverse("supervisee", args=[person.pk])}">'
        row = body.split(link, 1)[1].split("</tr>", 1)[0]
        assert row.startswith(f"{person.name}</a>")
        assert f"<td>{len(cases)}</td>\n      <td>{flagged}</td>" in row
        assert reverse("supervisee_trends", args=[person.pk]) in row
    # The combined case list is still there, below the list of supervisees.
    theirs = supervisees(access).values_list("pk", flat=True)
    assert len(_shown_ids(body)) == sum(len(led_by.get(pk, [])) for pk in theirs)


def test_the_last_signed_supervision_is_shown(login):
    access = access_for(User.objects.get(username="supervisor"))
    person = supervisees(access).filter(active=True).order_by("pk").first()
    held_on = clock.today() - dt.timedelta(days=1)
    SupervisionAttendee.objects.filter(practitioner_id=person.pk).delete()
    for signed, day in ((True, held_on), (False, clock.today())):
        session = SupervisionSession.objects.create(
            supervisor_id=min(access.supervisor_ids),
            held_on=day,
            kind="caseload",
            counts_toward_standard=True,
            signed_off_at=clock.now() if signed else None,
            signed_off_by_id=min(access.supervisor_ids) if signed else None,
        )
        SupervisionAttendee.objects.create(session_id=session.pk, practitioner_id=person.pk)
    body = login("supervisor").get(reverse("supervisees")).content.decode()
    row = body.split(reverse("supervisee", args=[person.pk]), 1)[1].split("</tr>", 1)[0]
    assert f"<td>{held_on:%-d %B %Y}</td>" in row


def test_a_supervisees_page_shows_only_the_cases_they_lead(login, led_by):
    person_id = _busiest(led_by)
    response = login("supervisor").get(reverse("supervisee", args=[person_id]))
    assert response.status_code == 200
    body = response.content.decode()
    name = Practitioner.objects.get(pk=person_id).name
    assert f'<h1 class="nhsuk-heading-l">{name}: caseload</h1>' in body
    assert _shown_ids(body) == [case.referral_id for case in led_by[person_id]]
    assert reverse("supervisee_trends", args=[person_id]) in body
    every = {case.referral_id for cases in led_by.values() for case in cases}
    assert set(_shown_ids(body)) < every


def test_a_supervisees_page_filters_like_every_case_list(login, led_by):
    person_id = _busiest(led_by)
    cases = led_by[person_id]
    code = sorted(cases[0].codes)[0] if cases[0].codes else None
    assert code, "the busiest supervisee's first case raises a flag"
    url = reverse("supervisee", args=[person_id])
    body = login("supervisor").get(f"{url}?flag={code}").content.decode()
    assert _shown_ids(body) == [case.referral_id for case in cases if code in case.codes]


def test_a_supervisees_page_is_audited_with_each_patient_shown(login, led_by):
    person_id = _busiest(led_by)
    response = login("supervisor").get(reverse("supervisee", args=[person_id]))
    event = AuditEvent.objects.get(action="view_supervisee_caseload")
    assert (event.object_kind, event.object_id) == ("practitioner", str(person_id))
    shown = set(
        AuditEventPatient.objects.filter(audit_event_id=event.pk).values_list(
            "referral_id", flat=True
        )
    )
    assert shown == set(_shown_ids(response.content.decode())) != set()


def test_a_supervisees_page_downloads_as_pdf(login, led_by):
    person_id = _busiest(led_by)
    response = login("supervisor").get(reverse("supervisee", args=[person_id]) + "?format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_a_supervisees_trends_are_theirs(login, led_by):
    person_id = _busiest(led_by)
    other_id = next(p for p in led_by if p not in (person_id, None))
    month = dt.date(2026, 10, 31)
    for tier_id, value in ((person_id, 17.0), (other_id, 93.0)):
        TierSummary.objects.create(
            as_of=month,
            month=month,
            tier="practitioner",
            tier_id=tier_id,
            measure="lead_cases",
            value=value,
        )
    client = login("supervisor")
    body = client.get(reverse("supervisee_trends", args=[person_id])).content.decode()
    assert "<td>17</td>" in body and "<td>93</td>" not in body
    event = AuditEvent.objects.get(action="view_trends")
    assert (event.object_kind, event.object_id) == ("practitioner", str(person_id))
    csv = client.get(reverse("supervisee_trends", args=[person_id]) + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "2026-10-31,17," in csv.content.decode()
