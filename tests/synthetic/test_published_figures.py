"""The synthetic trust against the published NHS Talking Therapies figures (docs/synthetic-data.md).

The tuning trust (published.TUNING_PARAMS: 900 open referrals and their history, about 5,400 in
all) is regenerated and every figure of published.FIGURES computed from it with the NHS Talking
Therapies definitions must fall within the figure's stated tolerance. The published values
themselves are checked against the open data when ../shared/data is present.
"""

import datetime as dt
import math
from pathlib import Path

import pyarrow as pa
import pytest

from caseboard.synthetic import published
from caseboard.synthetic.trust import generate

OPEN_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / published.OPEN_DATA


@pytest.fixture(scope="module")
def figures():
    return published.generated(generate(published.TUNING_PARAMS))


def test_tuning_trust_has_enough_finished_courses(figures):
    # Fewer than this and a 5-point tolerance on a rate is mostly noise.
    assert figures["finished_courses"] >= 1000
    assert figures["paired_courses"] >= 0.95 * figures["finished_courses"]


@pytest.mark.parametrize("figure", published.FIGURES, ids=lambda f: f.name)
def test_generated_figure_within_tolerance_of_published(figures, figure):
    value = figures[figure.name]
    assert not math.isnan(value)
    assert figure.within(value), (
        f"{figure.label}: generated {value:.1f}{figure.unit}, published {figure.value}"
        f"{figure.unit} ± {figure.tolerance}"
    )


@pytest.mark.skipif(not OPEN_DATA.is_dir(), reason="the shared open data is not present")
def test_published_values_match_the_open_data():
    assert published.from_open_data(OPEN_DATA) == {f.name: f.value for f in published.FIGURES}


def _tiny_trust():
    """Two Talking Therapies finished courses, hand-built: one recovers, one does not."""
    service = pa.table({"id": [1], "kind": ["talking_therapies"]})
    team = pa.table({"id": [1], "service_id": [1]})
    referral = pa.table(
        {
            "id": [1, 2, 3],
            "team_id": [1, 1, 1],
            "received_on": [dt.date(2025, 1, 1)] * 3,
            "closed_on": [dt.date(2025, 6, 1), dt.date(2025, 6, 1), None],
            "problem_descriptor": ["depression", "social_anxiety", "depression"],
        }
    )
    day = dt.date(2025, 1, 1)
    contacts = [  # (id, referral, days after received, kind, outcome)
        (1, 1, 20, "assessment_and_treatment", "attended"),
        (2, 1, 30, "treatment", "did_not_attend"),
        (3, 1, 40, "treatment", "attended"),
        (4, 2, 50, "assessment", "attended"),
        (5, 2, 60, "treatment", "attended"),
        (6, 2, 200, "treatment", "attended"),
        (7, 3, 10, "assessment_and_treatment", "attended"),  # open: not a finished course
        (8, 3, 20, "treatment", "attended"),
    ]
    contact = pa.table(
        {
            "id": [c[0] for c in contacts],
            "referral_id": [c[1] for c in contacts],
            "starts_on": [day + dt.timedelta(days=c[2]) for c in contacts],
            "kind": [c[3] for c in contacts],
            "outcome": [c[4] for c in contacts],
        }
    )
    measures = [  # (referral, contact, instrument, score)
        (1, 1, "phq9", 15), (1, 1, "gad7", 12), (1, 3, "phq9", 6), (1, 3, "gad7", 5),
        (2, 4, "phq9", 8), (2, 4, "gad7", 15), (2, 4, "spin", 40),
        (2, 6, "phq9", 7), (2, 6, "gad7", 5), (2, 6, "spin", 35),
        (3, 7, "phq9", 20), (3, 8, "phq9", 2),
    ]  # fmt: skip
    measure = pa.table(
        {
            "id": list(range(1, len(measures) + 1)),
            "referral_id": [m[0] for m in measures],
            "contact_id": [m[1] for m in measures],
            "measured_on": [contact["starts_on"][m[1] - 1].as_py() for m in measures],
            "instrument": [m[2] for m in measures],
            "score": [float(m[3]) for m in measures],
        }
    )
    return {"service": service, "team": team, "referral": referral, "contact": contact,
            "measure": measure}  # fmt: skip


def test_generated_uses_the_talking_therapies_definitions():
    figures = published.generated(_tiny_trust())
    assert figures["finished_courses"] == 2
    # Referral 2's anxiety measure is its ADSM (SPIN 40 -> 35: in caseness at both ends, no
    # reliable change), not GAD-7 (15 -> 5, which would have been recovery).
    assert figures["recovery"] == 50.0
    assert figures["reliable_improvement"] == 50.0
    assert figures["within_6_weeks"] == 50.0  # 20 days and 60 days
    assert figures["within_18_weeks"] == 100.0
    assert figures["dna_share"] == pytest.approx(100 / 8)
    assert figures["phq9_start"] == pytest.approx(11.5)
    assert figures["phq9_end"] == pytest.approx(6.5)
