"""Service and trust pages: aggregates from the tier summaries; small counts hidden at trust."""

import datetime as dt

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


@pytest.mark.django_db
def test_a_service_that_records_no_risk_level_says_so_never_zero_percent():
    """Talking Therapies records risk as concerns, not a level (CLINICAL-RULES section 4): the
    high-risk share reads "not recorded in this service" where no case has a recorded level."""
    from caseboard.records.models import TierSummary
    from caseboard.web.dashboard import tiers

    day = dt.date(2026, 11, 23)
    values = {
        1: {"open_cases": 40.0, "high_risk_recorded_cases": 0.0, "high_risk_share": None},
        2: {"open_cases": 20.0, "high_risk_recorded_cases": 20.0, "high_risk_share": 0.15},
    }
    for tier_id, measures in values.items():
        for measure, value in measures.items():
            TierSummary.objects.create(
                as_of=day, month=None, tier="team", tier_id=tier_id, measure=measure, value=value
            )
    table, computed = tiers.rows("team", {1: "Talking Therapies", 2: "Community"}, suppress=False)
    column = [measure for measure, _, _ in tiers.COLUMNS].index("high_risk_share")
    assert computed
    assert table[0].cells[column] == "not recorded in this service"
    assert table[1].cells[column] == "15%"
