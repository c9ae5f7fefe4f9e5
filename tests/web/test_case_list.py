"""The case list page: each case's flags with their evidence, filters, and the freshness banner."""

import datetime as dt

import pytest

from caseboard.records.models import Referral

pytestmark = pytest.mark.django_db
HEADINGS = (
    "Patient",
    "Allocated to",
    "Episode of care",
    "Pathway",
    "Complexity and needs",
    "Safe&shy;guarding",
    "Engagement",
    "Step down",
    "Flags for discussion",
)


def _page(login, query=""):
    response = login("practitioner").get("/caseload/" + query)
    assert response.status_code == 200
    return response.content.decode()


def _shown_ids(body):
    return [int(part.split("/", 1)[0]) for part in body.split('href="/referrals/')[1:]]


def test_every_shown_case_is_listed_with_its_flags(login, caseload):
    body = _page(login)
    rows = caseload()
    assert rows and all(row.computed for row in rows)
    assert _shown_ids(body) == [row.referral_id for row in rows]
    assert "not computed yet" not in body
    for heading in HEADINGS:
        assert f">{heading}</th>" in body
    # Each case's part of the page (from its link to the next case's) names each raised flag.
    parts = body.split('href="/referrals/')[1:]
    for row, part in zip(rows, parts, strict=True):
        assert part.startswith(f"{row.referral_id}/")
        for code in row.codes:
            label = code.replace("_", " ").lower()
            assert f'caseboard-flag">{label}' in part or f"{label}<span" in part, (
                row.referral_id,
                code,
            )


def _day(day):
    return f"{day.day} {day:%b %Y}"


def test_a_wait_for_assessment_states_its_days_from_the_record(login, caseload):
    """The evidence of WAIT_FIRST, worked out here from the referral and the suite's pinned day
    (18 November 2026), not by the function the page uses."""
    waiting = [row for row in caseload() if "WAIT_FIRST" in row.codes]
    assert waiting, "the test trust's practitioner has a case waiting for assessment"
    body = _page(login)
    for row in waiting:
        referral = Referral.objects.get(pk=row.referral_id)
        days = (dt.date(2026, 11, 18) - referral.received_on).days
        text = f"waiting {days} days since referral received on {_day(referral.received_on)}"
        assert f"{text}, not yet assessed" in body, row.referral_id


def test_cases_come_in_discussion_priority(caseload):
    priorities = [row.priority for row in caseload()]
    assert priorities == sorted(priorities)
    assert priorities[0] < priorities[-1]


def test_filter_by_flag_keeps_only_cases_raising_it(login, caseload):
    every = caseload()
    code = sorted(every[0].codes)[0]
    shown = _shown_ids(_page(login, f"?flag={code}"))
    assert shown == [row.referral_id for row in every if code in row.codes]
    assert 0 < len(shown) < len(every)


def test_the_freshness_banner_says_no_refresh_has_run(login):
    # The test trust's snapshot is loaded without a refresh_run: the banner must not say fresh.
    body = _page(login)
    assert "The case snapshot has not been computed yet" in body
