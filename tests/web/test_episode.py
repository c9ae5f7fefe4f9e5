"""The episode page: flags, measures with severity and caseness, and the rest of the record."""

import pytest
from django.urls import reverse

from caseboard.records.models import Measure, MeasureItem
from caseboard.web.accounts.access import access_for, visible_referrals
from caseboard.web.accounts.models import User

pytestmark = pytest.mark.django_db


def test_measures_show_their_band_and_caseness(login):
    access = access_for(User.objects.get(username="practitioner"))
    measured = Measure.objects.filter(
        referral_id__in=visible_referrals(access).values("pk"), instrument="phq9"
    ).order_by("referral_id", "measured_on")
    phq9 = measured.first()
    body = login("practitioner").get(reverse("referral", args=[phq9.referral_id])).content.decode()
    assert "Flags for discussion" in body
    expected = "in caseness" if phq9.score >= 10 else "below caseness"
    # A PHQ-9 shows its item 9 (thoughts of self-harm) beside the total.
    item9 = MeasureItem.objects.get(measure_id=phq9.pk, item=9).score
    shown = f"<strong>{item9}</strong>" if item9 >= 2 else str(item9)
    assert f"<td>{phq9.score:g} (item 9: {shown})</td>" in body and expected in body
    assert "(cut-off 10)" in body
    # What a supervisor asks of the episode, and no risk level where the service records none.
    for key in ("Step", "Problem descriptor", "Planned treatment", "Agreed session limit"):
        assert f'<dt class="nhsuk-summary-list__key">{key}</dt>' in body
    assert "not recorded in this service" in body
    for heading in ("Care documents", "Safeguarding", "Risk", "Supervision"):
        assert f'<h2 class="nhsuk-heading-m">{heading}</h2>' in body
