"""Cases the last import touched with quarantined rows are marked on the case lists and on the
episode page; rows of an earlier import are not."""

import datetime as dt

import pytest
from django.urls import reverse

from caseboard.domain import clock
from caseboard.records.models import ImportBatch, QuarantinedRow, Referral
from caseboard.web.accounts.access import access_for, visible_referrals
from caseboard.web.accounts.models import User
from caseboard.web.dashboard import quarantine

pytestmark = pytest.mark.django_db
MARK = "last import quarantined rows for this case: some data may be missing"


def _batch(started_at, status):
    return ImportBatch.objects.create(
        source="extract/",
        format="csv",
        started_at=started_at,
        finished_at=None if status == "running" else started_at + dt.timedelta(minutes=5),
        status=status,
        rows_read=100,
        rows_loaded=98,
        rows_quarantined=2,
        by="test",
    )


def _quarantine(batch, *, row_number, referral=None, patient=None, field="starts_at"):
    QuarantinedRow.objects.create(
        import_batch_id=batch.pk,
        file="contacts.csv",
        row_number=row_number,
        field=field,
        reason=f"{field}: not a date",
        raw="...",
        referral_source_id=referral.source_id if referral else None,
        patient_source_id=patient.source_id if patient else None,
    )


@pytest.fixture
def quarantined():
    """Three of the practitioner's open cases, each with a different patient: the last import
    quarantined a row naming the first's referral and one naming the second's patient; an
    earlier import quarantined one naming the third. Returns the three referrals."""
    access = access_for(User.objects.get(username="practitioner"))
    chosen: list = []
    for referral in visible_referrals(access).filter(status="open").select_related("patient"):
        if all(referral.patient_id != other.patient_id for other in chosen):
            chosen.append(referral)
        if len(chosen) == 3:
            break
    by_referral, by_patient, earlier = chosen
    now = clock.now()
    older = _batch(now - dt.timedelta(days=2), "partial")
    _quarantine(older, row_number=7, referral=earlier)
    last = _batch(now - dt.timedelta(hours=3), "partial")
    _quarantine(last, row_number=12, referral=by_referral, field="starts_at")
    _quarantine(last, row_number=40, patient=by_patient.patient, field="birth_date")
    _batch(now - dt.timedelta(minutes=10), "running")  # not finished: not the last import
    return chosen


def _marked(body):
    """The referral ids whose case-list row carries the mark."""
    rows = body.split('<td><a href="/referrals/')[1:]
    return {int(row.split("/", 1)[0]) for row in rows if MARK in row.split("</td>", 1)[0]}


def _expected(by_referral, by_patient):
    same_patient = Referral.objects.filter(patient_id=by_patient.patient_id).values("pk")
    return {by_referral.pk, *(row["pk"] for row in same_patient)}


def test_the_caseload_marks_exactly_the_cases_the_last_import_touched(login, quarantined):
    by_referral, by_patient, earlier = quarantined
    body = login("practitioner").get(reverse("caseload")).content.decode()
    shown = {int(row.split("/", 1)[0]) for row in body.split('<td><a href="/referrals/')[1:]}
    marked = _marked(body)
    assert marked == _expected(by_referral, by_patient) & shown
    assert {by_referral.pk, by_patient.pk} <= marked
    assert earlier.pk in shown and earlier.pk not in marked


def test_the_team_list_marks_them_too(login):
    access = access_for(User.objects.get(username="manager"))
    referral = visible_referrals(access).filter(status="open").order_by("pk").first()
    batch = _batch(clock.now() - dt.timedelta(hours=1), "partial")
    _quarantine(batch, row_number=3, referral=referral)
    body = login("manager").get(reverse("team", args=[referral.team_id])).content.decode()
    assert _marked(body) == {referral.pk}


def test_without_quarantined_rows_no_case_is_marked(login):
    _batch(clock.now() - dt.timedelta(hours=1), "succeeded")
    body = login("practitioner").get(reverse("caseload")).content.decode()
    assert '<td><a href="/referrals/' in body
    assert MARK not in body


def test_the_episode_page_names_file_row_and_field(login, quarantined):
    by_referral, by_patient, earlier = quarantined
    client = login("practitioner")
    body = client.get(reverse("referral", args=[by_referral.pk])).content.decode()
    assert "The last import quarantined rows for this case" in body
    assert "contacts.csv, row 12, field starts_at: starts_at: not a date" in body
    assert "row 40" not in body
    body = client.get(reverse("referral", args=[by_patient.pk])).content.decode()
    assert "contacts.csv, row 40, field birth_date: birth_date: not a date" in body
    assert "row 12" not in body
    body = client.get(reverse("referral", args=[earlier.pk])).content.decode()
    assert "The last import quarantined rows" not in body and "row 7" not in body


def test_the_huddle_marks_them_too(login):
    access = access_for(User.objects.get(username="manager"))
    team_id = min(access.team_ids)
    client = login("manager")
    before = client.get(reverse("huddle", args=[team_id])).content.decode()
    listed = [
        int(row.split("/", 1)[0])
        for row in before.split('<td><a href="/referrals/')[1:]
        if "NHS " in row.split("</td>", 1)[0]
    ]
    assert listed and MARK not in before
    batch = _batch(clock.now() - dt.timedelta(hours=1), "partial")
    _quarantine(batch, row_number=3, referral=Referral.objects.get(pk=listed[0]))
    after = client.get(reverse("huddle", args=[team_id])).content.decode()
    assert _marked(after) == {listed[0]}


def test_marking_a_list_is_one_query_whatever_its_length(django_assert_num_queries, quarantined):
    access = access_for(User.objects.get(username="practitioner"))
    with django_assert_num_queries(1):
        marked = quarantine.touched(visible_referrals(access))
    assert {quarantined[0].pk, quarantined[1].pk} <= marked
