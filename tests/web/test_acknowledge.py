"""Acknowledging and snoozing a flag through the pages: who may, what is written and audited,
and a worsening case raising a snoozed flag again (hazard H5)."""

import datetime as dt

import pytest
from django.urls import reverse

from caseboard.domain import clock
from caseboard.records.models import CaseSnapshot
from caseboard.web.accounts.access import access_for, visible_referrals
from caseboard.web.accounts.models import User
from caseboard.web.audit.models import AuditEvent
from caseboard.web.supervision.models import FlagAcknowledgement

pytestmark = pytest.mark.django_db


def _case_with(caseload, state_code=("amber", "DNA_REVIEW")):
    """One of the practitioner's cases, made to raise ``code`` in ``state`` if none does."""
    state, code = state_code
    cases = caseload()
    column = f"flag_{code.lower()}"
    case = next((c for c in cases if code in c.codes), cases[0])
    row = CaseSnapshot.objects.get(referral_id=case.referral_id)
    setattr(row, column, state)
    if code == "SAFEGUARDING":
        row.open_safeguarding, row.open_child_safeguarding = 1, 0
    if code == "DNA_REVIEW":
        row.nth_last_non_attendance_on = row.last_non_attendance_on = row.as_of
    row.save()
    return case.referral_id


def _post(client, referral_id, code, **form):
    url = reverse("acknowledge_flag", args=[referral_id, code])
    return client.post(url, {"reason": "talked it through", **form})


def _until(days):
    return (clock.today() + dt.timedelta(days=days)).isoformat()


def _shown(caseload, referral_id):
    case = next(c for c in caseload() if c.referral_id == referral_id)
    return {f.code for f in case.flags}, {f.code for f in case.snoozed}


def test_a_snoozed_flag_is_shown_apart_and_audited(login, caseload):
    referral_id = _case_with(caseload)
    response = _post(
        login("practitioner"), referral_id, "DNA_REVIEW", kind="snoozed", until=_until(14)
    )
    assert response.status_code == 302
    ack = FlagAcknowledgement.objects.get(referral_id=referral_id, code="DNA_REVIEW")
    assert ack.kind == "snoozed" and ack.reason == "talked it through"
    shown, snoozed = _shown(caseload, referral_id)
    assert "DNA_REVIEW" in snoozed and "DNA_REVIEW" not in shown
    event = AuditEvent.objects.filter(action="snooze_flag").latest("pk")
    assert (event.object_id, event.reason, event.patient_count) == (
        "DNA_REVIEW",
        "talked it through",
        1,
    )


def test_worsening_raises_a_snoozed_flag_again(login, caseload):
    referral_id = _case_with(caseload)
    _post(login("practitioner"), referral_id, "DNA_REVIEW", kind="snoozed", until=_until(14))
    row = CaseSnapshot.objects.get(referral_id=referral_id)
    # A new DNA the next day, as the next refresh computes it.
    row.nth_last_non_attendance_on = row.last_non_attendance_on
    row.last_non_attendance_on = row.last_non_attendance_on + dt.timedelta(days=1)
    row.save()
    shown, snoozed = _shown(caseload, referral_id)
    assert "DNA_REVIEW" in shown and "DNA_REVIEW" not in snoozed


def test_a_practitioner_cannot_snooze_a_red_safety_flag(login, caseload):
    referral_id = _case_with(caseload, ("red", "SAFEGUARDING"))
    response = _post(
        login("practitioner"), referral_id, "SAFEGUARDING", kind="snoozed", until=_until(7)
    )
    assert response.status_code == 400
    assert "only a supervisor may snooze a red safety flag" in response.content.decode()
    assert not FlagAcknowledgement.objects.filter(referral_id=referral_id).exists()
    # Acknowledging it is allowed: it stays on the list, marked.
    response = _post(login("practitioner"), referral_id, "SAFEGUARDING", kind="acknowledged")
    assert response.status_code == 302
    shown, snoozed = _shown(caseload, referral_id)
    assert "SAFEGUARDING" in shown and not snoozed


def test_a_supervisor_may_snooze_a_red_safety_flag(login):
    supervisor = access_for(User.objects.get(username="supervisor"))
    visible = visible_referrals(supervisor).values("pk")
    row = CaseSnapshot.objects.filter(referral_id__in=visible).order_by("referral_id").first()
    row.flag_safeguarding, row.open_safeguarding, row.open_child_safeguarding = "red", 1, 0
    row.save()
    response = _post(
        login("supervisor"), row.referral_id, "SAFEGUARDING", kind="snoozed", until=_until(7)
    )
    assert response.status_code == 302
    ack = FlagAcknowledgement.objects.get(referral_id=row.referral_id)
    assert (ack.code, ack.kind) == ("SAFEGUARDING", "snoozed")


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"kind": "snoozed", "until": ""}, "a snooze needs an end date"),
        ({"kind": "snoozed", "until": "next week"}, "is not a date"),
        ({"kind": "snoozed", "until": "2099-01-01"}, "at most 28 days"),
        ({"kind": "shelved"}, "neither an acknowledgement nor a snooze"),
    ],
)
def test_a_bad_form_is_refused_with_a_reason(login, caseload, form, message):
    referral_id = _case_with(caseload)
    response = _post(login("practitioner"), referral_id, "DNA_REVIEW", **form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FlagAcknowledgement.objects.filter(referral_id=referral_id).exists()
