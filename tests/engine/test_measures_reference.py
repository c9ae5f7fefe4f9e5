"""The engine's outcome-measure rules against the plain-Python reference (domain/measures.py), on
generated scores: caseness, reliable rise and reliable fall must agree on every course.

The two were written apart and once disagreed: the mobility inventory (a mean item score to 0.01,
reliable change 0.73) rising from 1.28 to 2.01 is a change of 0.73, which floating point computes
as 0.7299999999999998. The NHS Talking Therapies manual counts a change of at least the index as
reliable, so both now compare within domain.measures.CHANGE_TOLERANCE."""

from __future__ import annotations

import datetime as dt

import ibis
import pyarrow as pa
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from caseboard.domain import measures
from caseboard.domain.policy import ADSM_FOR_DESCRIPTOR, DEFAULT_POLICY
from caseboard.engine.rules import treatment
from caseboard.engine.rules.common import Context

ANXIETY = sorted(measures.ANXIETY_INSTRUMENTS)
SCHEMA = pa.schema(
    [
        ("anxiety_instrument", pa.string()),
        ("phq9_first", pa.float64()),
        ("phq9_last", pa.float64()),
        ("anxiety_first", pa.float64()),
        ("anxiety_last", pa.float64()),
    ]
)


def _score(instrument: str) -> st.SearchStrategy[float | None]:
    spec = measures.INSTRUMENTS[instrument]
    if instrument == "mi":  # a mean item score, recorded to 0.01
        grid = st.integers(int(spec.minimum * 100), int(spec.maximum * 100)).map(lambda n: n / 100)
    else:
        grid = st.integers(int(spec.minimum), int(spec.maximum)).map(float)
    return st.none() | grid


@st.composite
def courses(draw: st.DrawFn) -> dict:
    instrument = draw(st.sampled_from(ANXIETY))
    return {
        "anxiety_instrument": instrument,
        "phq9_first": draw(_score("phq9")),
        "phq9_last": draw(_score("phq9")),
        "anxiety_first": draw(_score(instrument)),
        "anxiety_last": draw(_score(instrument)),
    }


def _engine(rows: list[dict]) -> list[dict]:
    con = ibis.duckdb.connect()
    f = con.create_table("course", pa.Table.from_pylist(rows, schema=SCHEMA))
    c = Context(as_of=dt.date(2026, 11, 18), policy=DEFAULT_POLICY)
    expr = f.select(
        rise=treatment.reliable_rise(f, c),
        fall=treatment.reliable_fall(f, c),
        first_in=treatment.in_caseness(f.phq9_first, f.anxiety_first, f, c),
    )
    return expr.to_pyarrow().to_pylist()  # row order kept: no sort, one thread's scan


def _reference(row: dict) -> dict:
    first = measures.Scores(row["phq9_first"], row["anxiety_first"], row["anxiety_instrument"])
    last = measures.Scores(row["phq9_last"], row["anxiety_last"], row["anxiety_instrument"])
    # The engine's flags read an unknown change as no change (fill_null(False)).
    return {
        "rise": measures.deteriorating_flag(first, last, DEFAULT_POLICY) is True,
        "fall": measures.any_reliable_fall(first, last, DEFAULT_POLICY) is True,
        "first_in": measures.scores_in_caseness(first, DEFAULT_POLICY) is True,
    }


MOBILITY_073 = {  # the case the two once disagreed on: 2.01 - 1.28 = 0.73 exactly
    "anxiety_instrument": "mi",
    "phq9_first": None,
    "phq9_last": None,
    "anxiety_first": 1.28,
    "anxiety_last": 2.01,
}


@given(st.lists(courses(), min_size=1, max_size=40))
@example([MOBILITY_073, {**MOBILITY_073, "anxiety_first": 2.01, "anxiety_last": 1.28}])
def test_the_engine_measure_rules_agree_with_the_reference(rows):
    assert _engine(rows) == [_reference(row) for row in rows]


@pytest.mark.parametrize(
    ("first", "last", "reliable"),
    [(1.28, 2.0, False), (1.28, 2.01, True), (1.28, 2.02, True), (2.3, 3.03, True)],
)
def test_a_mobility_inventory_change_of_exactly_its_index_is_reliable(first, last, reliable):
    row = {**MOBILITY_073, "anxiety_first": first, "anxiety_last": last}
    assert _engine([row])[0]["rise"] is reliable
    assert _reference(row)["rise"] is reliable
    fallen = {**row, "anxiety_first": last, "anxiety_last": first}
    assert _engine([fallen])[0]["fall"] is reliable


def test_every_anxiety_measure_of_a_descriptor_is_compared():
    assert set(ANXIETY) == {"gad7", *ADSM_FOR_DESCRIPTOR.values()}
