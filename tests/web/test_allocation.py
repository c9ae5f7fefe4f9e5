"""Allocating and reallocating through the team manager's page: what is written (the request, the
refresh queue row and the audit row, together), pending in the EPR until the record holds a
matching care-team row, refusals that write nothing, and who may allocate where."""

import datetime as dt

import pytest
from django.urls import reverse

from caseboard.domain import clock
from caseboard.records.models import (
    Absence,
    AllocationRequest,
    Practitioner,
    Referral,
    ReferralCareTeam,
    RefreshQueue,
    Team,
)
from caseboard.web.accounts import actions as accounts
from caseboard.web.accounts.access import access_for, current_care_team, visible_referrals
from caseboard.web.accounts.models import User
from caseboard.web.allocation.choices import in_post
from caseboard.web.allocation.worklist import unheld_cases
from caseboard.web.audit.models import AuditEvent, AuditEventPatient

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_id():
    return min(access_for(User.objects.get(username="manager")).team_ids)


def _today():
    return clock.today()


def unallocated(team_id):
    """An open referral of the team with no current lead (made so if the trust has none)."""
    # A lead row not yet ended, even one that starts later, is already in the record.
    led = ReferralCareTeam.objects.filter(role="lead").exclude(ends_on__lt=_today())
    led = led.values("referral_id")
    waiting = Referral.objects.filter(team_id=team_id, status="open").exclude(pk__in=led)
    referral = waiting.order_by("pk").first()
    if referral is None:
        referral = Referral.objects.filter(team_id=team_id, status="open").order_by("pk").first()
        ReferralCareTeam.objects.filter(referral_id=referral.pk, role="lead").update(
            ends_on=_today() - dt.timedelta(days=1)
        )
    return referral


def practitioner(team_id, index=0):
    return in_post(team_id, _today()).order_by("pk")[index]


def allocate(client, team_id, referral, person, **form):
    data = {
        "referral": referral.pk,
        "practitioner": person.pk,
        "role": "lead",
        "starts_on": _today().isoformat(),
        "reason": "",
        **form,
    }
    return client.post(reverse("allocate", args=[team_id]), data)


def import_care_team_row(referral, person, role="lead", starts_on=None):
    """A referral_care_team row as an EPR import loads it."""
    return ReferralCareTeam.objects.create(
        source_system="epr",
        source_id=f"rct-test-{referral.pk}-{person.pk}-{role}",
        referral_id=referral.pk,
        practitioner_id=person.pk,
        role=role,
        starts_on=starts_on or _today(),
    )


def page_text(client, team_id):
    return client.get(reverse("allocation", args=[team_id])).content.decode()


def counts():
    return (
        AllocationRequest.objects.count(),
        RefreshQueue.objects.count(),
        AuditEvent.objects.filter(action="allocate_case").count(),
    )


def test_allocating_writes_the_request_the_queue_row_and_the_audit_row(login, team_id):
    referral, person = unallocated(team_id), practitioner(team_id)
    client = login("manager")
    response = allocate(client, team_id, referral, person)
    assert response.status_code == 302
    made = AllocationRequest.objects.get(referral_id=referral.pk)
    assert (made.practitioner_id, made.role, made.withdrawn_at) == (person.pk, "lead", None)
    assert made.requested_by_id == User.objects.get(username="manager").pk
    assert RefreshQueue.objects.filter(referral_id=referral.pk, reason="allocation").exists()
    event = AuditEvent.objects.get(action="allocate_case")
    assert event.object_id == str(made.pk)
    patients = AuditEventPatient.objects.filter(audit_event_id=event.pk)
    assert list(patients.values_list("patient_id", "referral_id")) == [
        (referral.patient_id, referral.pk)
    ]
    text = page_text(client, team_id)
    assert f"pending in the EPR since {_today().day} {_today():%b %Y}" in text
    assert "(+1 pending)" in text  # counted apart from the lead cases the record holds


def test_an_import_of_the_care_team_row_confirms_it(login, team_id):
    referral, person = unallocated(team_id), practitioner(team_id)
    client = login("manager")
    allocate(client, team_id, referral, person)
    assert "confirmed in the EPR" not in page_text(client, team_id)
    import_care_team_row(referral, person)
    text = page_text(client, team_id)
    assert f"confirmed in the EPR (from {_today().day} {_today():%b %Y})" in text
    assert "pending in the EPR since" not in text
    # Confirmed, it can no longer be withdrawn: it is the record's now.
    made = AllocationRequest.objects.get(referral_id=referral.pk)
    response = client.post(reverse("withdraw_allocation", args=[team_id, made.pk]))
    assert response.status_code == 400
    assert "already recorded this allocation" in response.content.decode()


def test_a_row_for_another_practitioner_does_not_confirm_it(login, team_id):
    referral = unallocated(team_id)
    chosen, other = practitioner(team_id, 0), practitioner(team_id, 1)
    client = login("manager")
    allocate(client, team_id, referral, chosen)
    import_care_team_row(referral, other)
    assert "pending in the EPR since" in page_text(client, team_id)


def test_a_pending_allocation_may_be_withdrawn(login, team_id):
    referral, person = unallocated(team_id), practitioner(team_id)
    client = login("manager")
    allocate(client, team_id, referral, person)
    made = AllocationRequest.objects.get(referral_id=referral.pk)
    response = client.post(reverse("withdraw_allocation", args=[team_id, made.pk]))
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.withdrawn_at is not None and made.withdrawn_by_id is not None
    assert AuditEvent.objects.filter(action="withdraw_allocation", object_id=str(made.pk)).exists()
    assert "pending in the EPR since" not in page_text(client, team_id)


def _other_team_practitioner(team_id):
    return Practitioner.objects.exclude(team_id=team_id).filter(active=True).first()


def _closed(team_id):
    return Referral.objects.filter(team_id=team_id, status="closed").first()


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("other_team", "is not in this team"),
        ("inactive", "is not active in post"),
        ("closed", "This referral is closed"),
        ("out_of_scope", "This referral is not in this team"),
        ("bad_role", "Choose lead or co-worker"),
        ("no_practitioner", "Choose a practitioner of this team"),
        ("bad_date", "must be a real date"),
        ("far_future", "within 28 days before and 90 days after today"),
    ],
)
def test_a_refused_allocation_writes_nothing(login, team_id, case, message):
    referral, person, form = unallocated(team_id), practitioner(team_id), {}
    if case == "other_team":
        person = _other_team_practitioner(team_id)
    if case == "inactive":
        Practitioner.objects.filter(pk=person.pk).update(active=False)
    if case == "closed":
        referral = _closed(team_id)
    if case == "out_of_scope":
        visible = visible_referrals(access_for(User.objects.get(username="manager")))
        referral = Referral.objects.exclude(pk__in=visible.values("pk")).filter(status="open")[0]
    if case == "bad_role":
        form["role"] = "owner"
    if case == "no_practitioner":
        form["practitioner"] = ""
    if case == "bad_date":
        form["starts_on"] = "next week"
    if case == "far_future":
        form["starts_on"] = (_today() + dt.timedelta(days=91)).isoformat()
    before = counts()
    response = allocate(login("manager"), team_id, referral, person, **form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert counts() == before


def test_a_reallocation_needs_a_reason_and_records_whom_it_replaces(login, team_id):
    referral = unallocated(team_id)
    first, second = practitioner(team_id, 0), practitioner(team_id, 1)
    import_care_team_row(referral, first)
    client = login("manager")
    before = counts()
    response = allocate(client, team_id, referral, second)
    assert response.status_code == 400
    assert "Give the reason for the reallocation" in response.content.decode()
    assert counts() == before
    response = allocate(client, team_id, referral, second, reason="first is leaving", handover="x")
    assert response.status_code == 302
    made = AllocationRequest.objects.get(referral_id=referral.pk)
    assert (made.replaces_practitioner_id, made.reason) == (first.pk, "first is leaving")


def test_a_second_pending_lead_is_refused_until_the_first_is_withdrawn(login, team_id):
    referral = unallocated(team_id)
    client = login("manager")
    allocate(client, team_id, referral, practitioner(team_id, 0))
    before = counts()
    response = allocate(client, team_id, referral, practitioner(team_id, 1))
    assert response.status_code == 400
    assert "withdraw it first" in response.content.decode()
    assert counts() == before


def test_a_practitioner_may_not_allocate(login, team_id):
    referral, person = unallocated(team_id), practitioner(team_id)
    before = counts()
    assert allocate(login("practitioner"), team_id, referral, person).status_code == 403
    assert counts() == before


def test_another_teams_manager_is_not_found(login, team_id):
    other_team = Team.objects.exclude(pk=team_id).first()
    accounts.create_user(
        username="other-manager",
        password="x",
        role="team_manager",
        scope=other_team,
        check_password=False,
    )
    referral, person = unallocated(team_id), practitioner(team_id)
    client = login("other-manager")
    before = counts()
    assert allocate(client, team_id, referral, person).status_code == 404
    assert client.get(reverse("allocation", args=[team_id])).status_code == 404
    assert client.get(reverse("allocation", args=[other_team.pk])).status_code == 200
    assert counts() == before


def test_viewing_a_team_without_allocation_powers_is_not_allocating(login, team_id):
    """A clinical lead of the team sees it (VIEW_TEAM) but may not allocate in it, even when
    they manage another team."""
    other_team = Team.objects.exclude(pk=team_id).first()
    user = accounts.create_user(
        username="lead-and-manager",
        password="x",
        role="team_manager",
        scope=other_team,
        check_password=False,
    )
    accounts.grant(user=user, role="clinical_lead", scope=Team.objects.get(pk=team_id))
    client = login("lead-and-manager")
    assert client.get(reverse("team", args=[team_id])).status_code == 200
    assert client.get(reverse("allocation", args=[team_id])).status_code == 404


def _team_cases(team_id):
    referrals = Referral.objects.filter(team_id=team_id)
    return unheld_cases(referrals, _today(), [])


def test_cases_of_a_lead_who_left_or_is_on_long_term_absence_are_orphaned(team_id):
    leaving, absent = practitioner(team_id, 0), practitioner(team_id, 1)
    led = current_care_team(_today()).filter(role="lead", referral__status="open")
    leaving_cases = set(
        led.filter(practitioner_id=leaving.pk).values_list("referral_id", flat=True)
    )
    absent_cases = set(led.filter(practitioner_id=absent.pk).values_list("referral_id", flat=True))
    assert leaving_cases and absent_cases
    _, orphaned = _team_cases(team_id)
    assert not {item.referral_id for item in orphaned} & (leaving_cases | absent_cases)
    Practitioner.objects.filter(pk=leaving.pk).update(ended_on=_today() - dt.timedelta(days=1))
    Absence.objects.create(
        source_system="epr",
        source_id="absence-orphan-test",
        practitioner_id=absent.pk,
        kind="long_term_sickness",
        starts_on=_today() - dt.timedelta(days=5),
    )
    _, orphaned = _team_cases(team_id)
    why = {item.referral_id: item.why for item in orphaned}
    assert leaving_cases | absent_cases <= set(why)
    assert all(why[r].startswith("left on") for r in leaving_cases)
    assert all(why[r].endswith("no cover named") for r in absent_cases)


def test_annual_leave_does_not_orphan_a_case(team_id):
    person = practitioner(team_id, 0)
    Absence.objects.create(
        source_system="epr",
        source_id="absence-annual-test",
        practitioner_id=person.pk,
        kind="annual_leave",
        starts_on=_today(),
        ends_on=_today() + dt.timedelta(days=5),
    )
    _, orphaned = _team_cases(team_id)
    assert person.pk not in {item.lead_id for item in orphaned}


def test_an_old_pending_allocation_stays_listed_and_an_old_confirmed_one_does_not(login, team_id):
    referral, person = unallocated(team_id), practitioner(team_id)
    client = login("manager")
    allocate(client, team_id, referral, person)
    long_ago = clock.now() - dt.timedelta(days=90)
    AllocationRequest.objects.filter(referral_id=referral.pk).update(requested_at=long_ago)
    asked_on = clock.local_date(long_ago)
    since = f"pending in the EPR since {asked_on.day} {asked_on:%b %Y}"
    assert since in page_text(client, team_id)
    import_care_team_row(referral, person, starts_on=asked_on)
    text = page_text(client, team_id)
    assert since not in text and "confirmed in the EPR" not in text


def test_a_practitioner_over_capacity_has_their_cases_listed_to_rebalance(login, team_id):
    """The team manager may reallocate any case of a practitioner over capacity, with the
    reason and handover recorded (issue 19 item 6), not only orphaned ones."""
    from caseboard.records.models import TierSummary

    # The practitioner in post leading the most open cases of the team.
    lead = current_care_team(_today()).filter(
        role="lead", referral__status="open", referral__team_id=team_id
    )
    people = list(in_post(team_id, _today()).order_by("pk"))
    person = max(people, key=lambda p: (lead.filter(practitioner_id=p.pk).count(), -p.pk))
    open_led = lead.filter(practitioner_id=person.pk)
    count = open_led.count()
    assert count > 1, "the test trust's busiest practitioner leads cases"
    TierSummary.objects.filter(tier="practitioner", tier_id=person.pk, measure="capacity").delete()
    TierSummary.objects.create(
        as_of=_today(), month=None, tier="practitioner", tier_id=person.pk,
        measure="capacity", value=count - 1.0,
    )  # fmt: skip
    client = login("manager")
    body = client.get(reverse("allocation", args=[team_id])).content.decode()
    assert f"over capacity: {count} lead of {count - 1:.1f}" in body
    rebalance = body.split('id="rebalance"')[1].split("</table>")[0]
    case = open_led.order_by("-referral__received_on").first().referral
    assert f'name="referral" value="{case.pk}"' in rebalance
    other = next(p for p in people if p.pk != person.pk)
    response = allocate(client, team_id, case, other, reason="rebalance", handover="first visit")
    assert response.status_code == 302
    made = AllocationRequest.objects.get(referral_id=case.pk)
    assert (made.replaces_practitioner_id, made.reason, made.handover) == (
        person.pk,
        "rebalance",
        "first visit",
    )
