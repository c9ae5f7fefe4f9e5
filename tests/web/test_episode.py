"""The episode page: flags, measures with severity and caseness, and the rest of the record."""

import pytest
from django.urls import reverse

from caseboard.records.models import Measure
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
    assert f"<td>{phq9.score:g}</td>" in body and expected in body
    assert "(cut-off 10)" in body
    for heading in ("Care documents", "Safeguarding", "Risk", "Supervision"):
        assert f'<h2 class="nhsuk-heading-m">{heading}</h2>' in body
