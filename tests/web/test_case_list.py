"""The case list page: each case's flags with their evidence, filters, and the freshness banner."""

import pytest
from markupsafe import escape

from caseboard.domain.evidence import all_evidence
from caseboard.records.models import CaseSnapshot
from caseboard.services.policy import current_policy

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


def test_every_shown_case_has_its_flags_and_evidence(login, caseload):
    body = _page(login)
    rows = caseload()
    assert rows and all(row.computed for row in rows)
    assert _shown_ids(body) == [row.referral_id for row in rows]
    assert "not computed yet" not in body
    for heading in HEADINGS:
        assert f">{heading}</th>" in body
    snapshots = {
        row["referral_id"]: row
        for row in CaseSnapshot.objects.filter(
            referral_id__in=[case.referral_id for case in rows]
        ).values()
    }
    shown = 0
    for case in rows:
        for code, text in all_evidence(snapshots[case.referral_id], current_policy()).items():
            assert str(escape(text)) in body, (case.referral_id, code)
            shown += 1
    assert shown >= len(rows)


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
