"""The pages on days chosen to be awkward: nothing may depend on the day the suite runs.

For each day the synthetic trust is generated as of that day and replaces the session's trust
inside the test's own transaction (rolled back after it), the clock is pinned to that day, and the
same checks run as on the suite's ordinary day: every role's pages answer, the practitioner's list
shows every case with its flags and evidence, the banner reads the day's refresh as fresh."""

import datetime as dt

import pytest
from django.db.models import Q
from markupsafe import escape

from caseboard.domain import clock
from caseboard.domain.evidence import all_evidence
from caseboard.records.models import CaseSnapshot, ReferralCareTeam, RefreshRun, Team
from caseboard.services.policy import current_policy
from caseboard.synthetic.trust import DEMO_PEOPLE
from caseboard.web.accounts.models import User

pytestmark = pytest.mark.django_db

LONDON = clock.LONDON
BST = dt.timezone(dt.timedelta(hours=1))
AWKWARD = {
    # The last day of a month whose next month is shorter (one month on is 28 Feb), a Saturday.
    "month end": (dt.datetime(2026, 1, 31, 12, 0, tzinfo=LONDON), dt.date(2026, 1, 31)),
    # Easter Monday 2026: a bank holiday ending the Good Friday weekend.
    "bank holiday Monday": (dt.datetime(2026, 4, 6, 9, 0, tzinfo=LONDON), dt.date(2026, 4, 6)),
    # The last Sunday of March, late evening: the clocks went forward at 01:00 this morning.
    "clocks forward": (dt.datetime(2026, 3, 29, 23, 30, tzinfo=BST), dt.date(2026, 3, 29)),
    # The last Sunday of October, half an hour after midnight in London (before the clocks go
    # back at 02:00 BST): still 24 October in UTC.
    "clocks back": (dt.datetime(2026, 10, 25, 0, 30, tzinfo=BST), dt.date(2026, 10, 25)),
}


@pytest.fixture(params=list(AWKWARD), ids=list(AWKWARD))
def awkward_day(request, trust_as_of):
    moment, day = AWKWARD[request.param]
    with clock.pinned(moment):
        assert clock.today() == day
        trust_as_of(day)
        RefreshRun.objects.create(
            as_of=day,
            kind="full",
            engine="sqlite",
            started_at=clock.now(),
            finished_at=clock.now(),
            status="succeeded",
            referrals=CaseSnapshot.objects.count(),
        )
        yield day


def _get(client, username, path):
    client.force_login(User.objects.get(username=username))
    response = client.get(path)
    assert response.status_code == 200, (username, path, response.status_code)
    return response.content.decode()


def test_the_pages_on_an_awkward_day(awkward_day, client):
    """One test per day (the trust is built once for it): the trust is computed as of the day,
    every role's pages answer and read the day's refresh as fresh, and the practitioner's list
    shows every case with its flags and evidence."""
    assert set(CaseSnapshot.objects.values_list("as_of", flat=True)) == {awkward_day}
    team = Team.objects.get(source_id=DEMO_PEOPLE["manager_team"]).pk
    pages = {
        "practitioner": ["/caseload/", "/caseload/trends/"],
        "supervisor": ["/supervisees/"],
        "manager": [
            f"/teams/{team}/",
            f"/teams/{team}/huddle/",
            f"/teams/{team}/capacity/",
            f"/teams/{team}/trends/",
            f"/teams/{team}/allocation/",
        ],
        "board": ["/trust/"],
    }
    # The leave page is a form over the practitioners, with no case data and so no banner.
    assert "Record an absence" in _get(client, "manager", f"/teams/{team}/leave/")
    heading = f"Record data as of {awkward_day.day} {awkward_day:%B %Y}"
    for username, paths in pages.items():
        for path in paths:
            body = _get(client, username, path)
            assert heading in body, (username, path)
            assert "hours old, older than the" not in body, (username, path)

    # The pages name the London day (at 00:30 BST on 25 October, UTC's day is still the 24th).
    huddle = _get(client, "manager", f"/teams/{team}/huddle/")
    assert f"{awkward_day:%A} {awkward_day.day} {awkward_day:%B %Y}. Safety first" in huddle
    body = _get(client, "practitioner", "/caseload/")
    assert f"open cases on {awkward_day.day} {awkward_day:%B %Y}" in body
    shown = [int(part.split("/", 1)[0]) for part in body.split('href="/referrals/')[1:]]
    assert shown, "the practitioner's list is empty"
    # Every open case the practitioner leads or co-works on that day (not on the day the suite
    # runs) is on the list.
    person = User.objects.get(username="practitioner").practitioner_id
    theirs = ReferralCareTeam.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=awkward_day),
        practitioner_id=person,
        starts_on__lte=awkward_day,
        referral__status="open",
    ).values_list("referral_id", flat=True)
    assert set(theirs) and set(theirs) <= set(shown)
    snapshots = {
        row["referral_id"]: row
        for row in CaseSnapshot.objects.filter(referral_id__in=shown).values()
    }
    assert set(snapshots) == set(shown)
    texts = 0
    for referral_id in shown:
        for code, text in all_evidence(snapshots[referral_id], current_policy()).items():
            assert str(escape(text)) in body, (referral_id, code)
            texts += 1
    assert texts > 0
    assert heading in _get(client, "practitioner", f"/referrals/{shown[0]}/")
