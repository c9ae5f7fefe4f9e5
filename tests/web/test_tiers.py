"""Service and trust pages: aggregates from the tier summaries; small counts hidden at trust."""

import pytest

from caseboard.records.models import Patient, TierSummary
from caseboard.web.dashboard.tiers import cell


@pytest.mark.parametrize(
    ("value", "kind", "suppress", "text"),
    [
        (0.0, "count", True, "0"),
        (1.0, "count", True, "fewer than 5"),
        (4.0, "count", True, "fewer than 5"),
        (5.0, "count", True, "5"),
        (4.0, "count", False, "4"),
        (0.125, "share", True, "12%"),
        (None, "share", True, "n/a"),
        (None, "count", False, "unknown"),
    ],
)
def test_cells(value, kind, suppress, text):
    assert cell(value, kind, suppress=suppress) == text


@pytest.mark.django_db
def test_the_trust_page_is_aggregate_and_suppresses_small_counts(login):
    TierSummary.objects.create(
        as_of="2026-11-20", tier="trust", tier_id=None, measure="unallocated_cases", value=3.0
    )
    TierSummary.objects.create(
        as_of="2026-11-20", tier="trust", tier_id=None, measure="open_cases", value=400.0
    )
    body = login("board").get("/trust/").content.decode()
    assert "<td>400</td>" in body and "<td>fewer than 5</td>" in body
    for patient in Patient.objects.all()[:50]:
        assert f"{patient.family_name.upper()}, {patient.given_name}" not in body
