"""The complexity weight in the snapshot agrees with domain/weighting.py, and at its boundaries.

The weight is unvalidated (a starting point to calibrate); these tests check only that the
database computes what the reference function computes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import ibis
import pyarrow as pa
import pytest
from boundary.builder import Case, build, days_ago
from boundary.builder import Contact as K

from caseboard.domain.policy import DEFAULT_POLICY as P
from caseboard.domain.weighting import breakdown_text, complexity_weight
from caseboard.engine.snapshot import build_snapshot
from caseboard.engine.weights import case_factors, weight_columns

pytestmark = pytest.mark.parity
AS_OF = dt.date(2026, 11, 20)

QUIET = {
    "risk_level": None,
    "risk_on_high_risk_list": False,
    "open_safeguarding": 0,
    "dna_or_cancellations": 0,
    "interpreter_needed": False,
    "learning_disability": False,
    "autism": False,
    "sensory_impairment": False,
    "attended_contacts_in_window": 0,
    "care_cluster": None,
    "step": None,
}
BOUNDARIES = {
    "dna_1": {"dna_or_cancellations": 1},
    "dna_2": {"dna_or_cancellations": 2},
    "cluster_4": {"care_cluster": 4},
    "cluster_5": {"care_cluster": 5},
    "cluster_12": {"care_cluster": 12},
    "cluster_13": {"care_cluster": 13},
    "step_2": {"step": 2},
    "step_3": {"step": 3},
    "contacts_3": {"attended_contacts_in_window": 3},
    "contacts_4": {"attended_contacts_in_window": 4},
    "low_risk": {"risk_level": "low"},
    "medium_risk": {"risk_level": "medium"},
    "high_risk": {"risk_level": "high"},
    "listed_low": {"risk_level": "low", "risk_on_high_risk_list": True},
    "listed_unknown": {"risk_on_high_risk_list": True},
    "autism": {"autism": True},
    "band_2_at_1.3": {"open_safeguarding": 1},
    "band_1_at_1.2": {"interpreter_needed": True},
    "band_3_at_1.8": {"risk_level": "high", "open_safeguarding": 2},
    "band_2_at_1.7": {"risk_level": "high", "learning_disability": True},
    "band_4_at_2.3": {"risk_level": "high", "step": 3, "attended_contacts_in_window": 9},
    "everything": {
        "risk_level": "high",
        "open_safeguarding": 1,
        "dna_or_cancellations": 3,
        "sensory_impairment": True,
        "attended_contacts_in_window": 5,
        "care_cluster": 16,
        "step": 3,
    },
}
EXPECTED = {  # (weight, band) by DESIGN's default factors
    "dna_1": (1.0, 1),
    "dna_2": (1.2, 1),
    "cluster_4": (1.0, 1),
    "cluster_5": (1.5, 2),
    "cluster_12": (1.0, 1),
    "cluster_13": (1.5, 2),
    "step_2": (1.0, 1),
    "step_3": (1.5, 2),
    "contacts_3": (1.0, 1),
    "contacts_4": (1.3, 2),
    "low_risk": (1.0, 1),
    "medium_risk": (1.2, 1),
    "high_risk": (1.5, 2),
    "listed_low": (1.5, 2),
    "listed_unknown": (1.5, 2),
    "autism": (1.2, 1),
    "band_2_at_1.3": (1.3, 2),
    "band_1_at_1.2": (1.2, 1),
    "band_3_at_1.8": (1.8, 3),
    "band_2_at_1.7": (1.7, 2),
    "band_4_at_2.3": (2.3, 4),
    "everything": (3.5, 4),
}


SCHEMA = {
    "name": "string",
    "risk_level": "string",
    "risk_on_high_risk_list": "boolean",
    "open_safeguarding": "int64",
    "dna_or_cancellations": "int64",
    "interpreter_needed": "boolean",
    "learning_disability": "boolean",
    "autism": "boolean",
    "sensory_impairment": "boolean",
    "attended_contacts_in_window": "int64",
    "care_cluster": "int64",
    "step": "int64",
}


def _facts():
    rows = [{"name": name, **QUIET, **change} for name, change in BOUNDARIES.items()]
    columns = {name: [row[name] for row in rows] for name in SCHEMA}
    return ibis.memtable(pa.table(columns, schema=ibis.schema(SCHEMA).to_pyarrow()))


@pytest.fixture(params=["sqlite", "duckdb"])
def memory(request):
    con = ibis.sqlite.connect() if request.param == "sqlite" else ibis.duckdb.connect()
    yield con
    con.disconnect()


def test_weight_at_its_boundaries_on_every_backend(memory):
    facts = _facts()
    computed = memory.to_pyarrow(facts.mutate(**weight_columns(facts, P))).to_pylist()
    by_name = {row["name"]: row for row in computed}
    assert set(by_name) == set(EXPECTED)
    for name, (weight, band) in EXPECTED.items():
        row = by_name[name]
        reference = complexity_weight(case_factors(row), P)
        assert row["weight"] == pytest.approx(weight), name
        assert row["weight_band"] == band, name
        assert (reference.total, reference.band) == (pytest.approx(weight), band), name
        assert row["weight_breakdown"] == breakdown_text(reference), name


def test_breakdown_names_each_amount():
    facts = _facts()
    rows = ibis.duckdb.connect().to_pyarrow(facts.mutate(**weight_columns(facts, P))).to_pylist()
    text = {row["name"]: row["weight_breakdown"] for row in rows}
    assert text["step_3"] == "base 1.0; step 3 +0.5"
    assert text["dna_2"] == "base 1.0; 2 DNAs or patient cancellations +0.2"
    assert text["cluster_5"] == "base 1.0; care cluster 5 +0.5"
    assert text["listed_low"] == "base 1.0; on the team's high-risk list +0.5"
    assert text["low_risk"] == "base 1.0"  # a low level never lowers, nor adds


def test_policy_amounts_are_used():
    policy = dataclasses.replace(P, weight_step3=0.75, weight_base=1.25)
    facts = _facts()
    rows = ibis.duckdb.connect().to_pyarrow(facts.mutate(**weight_columns(facts, policy)))
    step3 = next(row for row in rows.to_pylist() if row["name"] == "step_3")
    assert step3["weight"] == pytest.approx(2.0)
    assert step3["weight_breakdown"] == "base 1.25; step 3 +0.75"


def test_seen_weekly_counts_attended_contacts_within_the_window():
    """Window 28 days: a contact 28 days ago is in it, 29 days ago is not; a DNA never counts."""
    window = P.weekly_contact_window_days
    inside = (K(0), K(7), K(14), K(window))
    cases = [
        Case("in_window", "NONE", "", received=60, contacts=inside),
        Case("one_outside", "NONE", "", received=60, contacts=(*inside[:3], K(window + 1))),
        Case(
            "dna_inside",
            "NONE",
            "",
            received=60,
            contacts=(*inside[:3], K(window, outcome="did_not_attend")),
        ),
    ]
    con = ibis.duckdb.connect()
    for name, table in build(cases).items():
        con.create_table(name, table)
    rows = build_snapshot(con, as_of=days_ago(0)).to_pyarrow().to_pylist()
    by_patient = {row["referral_id"]: row for row in rows}
    counts = [by_patient[i]["attended_contacts_in_window"] for i in (1, 2, 3)]
    assert counts == [4, 3, 3]
    weekly = ["seen weekly or more" in by_patient[i]["weight_breakdown"] for i in (1, 2, 3)]
    assert weekly == [True, False, False]


def test_snapshot_weight_agrees_with_the_reference_on_every_row(engine):
    rows = build_snapshot(engine, as_of=AS_OF).to_pyarrow().to_pylist()
    assert len(rows) > 100
    for row in rows:
        reference = complexity_weight(case_factors(row), P)
        assert row["weight"] == pytest.approx(reference.total, abs=1e-9), row["referral_id"]
        assert row["weight_band"] == reference.band, row["referral_id"]
        assert row["weight_breakdown"] == breakdown_text(reference), row["referral_id"]
    # The demo trust exercises more than the base weight.
    assert {row["weight_band"] for row in rows} >= {1, 2, 3}
