"""Tier summaries: a plain-Python recomputation from the snapshot rows agrees with the engine,
every backend agrees row for row, and OVER_CAPACITY's count rule holds at its boundary."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import ibis
import pyarrow as pa
import pytest
from boundary.builder import Case, build

from caseboard.contract.schema_snapshot import CASE_FLAGS
from caseboard.domain.flag_types import AMBER, CANNOT_ASSESS, CLEAR, RED, flag_column
from caseboard.domain.policy import DEFAULT_POLICY as P
from caseboard.domain.weighting import capacity, over_capacity_count_rule
from caseboard.engine import backends
from caseboard.engine.snapshot import build_snapshot
from caseboard.engine.summaries import STATE_OF_VALUE, STATE_VALUES, build_summaries

pytestmark = pytest.mark.parity
AS_OF = dt.date(2026, 11, 20)
TOLERANCE = 1e-9
_COMPUTED: dict[str, tuple[list[dict], dict]] = {}


def _computed(name: str, trust_home) -> tuple[list[dict], dict]:
    """(snapshot rows, {(tier, tier_id, measure): value}), once per backend."""
    if name not in _COMPUTED:
        if name == "sqlite":
            con = backends.sqlite(trust_home / "caseboard.sqlite3")
        else:
            con = backends.duckdb_parquet(trust_home / "mirror")
        try:
            computed = build_snapshot(con, as_of=AS_OF).to_pyarrow()
            rows = computed.to_pylist()
            # Summaries read the stored snapshot, as a refresh does (engine/refresh.py full).
            snapshot = con.create_table("computed_snapshot", computed, temp=True)
            summary = build_summaries(con, snapshot, as_of=AS_OF).to_pyarrow().to_pylist()
            practitioners = con.table("practitioner").to_pyarrow().to_pylist()
        finally:
            con.disconnect()
        values = {}
        for row in summary:
            key = (row["tier"], row["tier_id"], row["measure"])
            assert key not in values, f"duplicate summary row {key}"
            values[key] = row["value"]
        _COMPUTED[name] = (rows, values, practitioners)
    return _COMPUTED[name]


@pytest.fixture(params=["sqlite", "duckdb"])
def computed(request, trust_home):
    return _computed(request.param, trust_home)


def _expected_case_counts(rows: list[dict]) -> dict:
    """The case counts of every tier, recomputed in Python from the snapshot rows."""
    expected: dict = defaultdict(float)
    for row in rows:
        tiers = [("team", row["team_id"]), ("service", row["service_id"]), ("trust", None)]
        if row["lead_practitioner_id"] is not None:
            tiers.append(("practitioner", row["lead_practitioner_id"]))
        for tier, tier_id in tiers:
            expected[(tier, tier_id, "open_cases")] += 1
            expected[(tier, tier_id, "high_risk_cases")] += row["flag_high_risk"] == RED
            recorded = row["flag_high_risk"] != "not_applicable"
            expected[(tier, tier_id, "high_risk_recorded_cases")] += recorded
            expected[(tier, tier_id, "flagged_cases")] += row["flags"] != ""
            expected[(tier, tier_id, f"cases_priority_{row['priority']}")] += 1
            if row["lead_practitioner_id"] is not None:
                expected[(tier, tier_id, "weighted_load")] += row["weight"]
            for flag in CASE_FLAGS:
                raised = row[flag_column(flag.code)] in (RED, AMBER)
                expected[(tier, tier_id, f"flagged_{flag.code.lower()}")] += raised
    return expected


def test_case_counts_agree_with_a_recomputation_from_the_snapshot(computed):
    rows, values, _ = computed
    expected = _expected_case_counts(rows)
    for key, value in expected.items():
        assert values[key] == pytest.approx(value, abs=TOLERANCE), key
    # Every tier reports each count, zero included.
    for (tier, tier_id, measure), value in values.items():
        if measure in ("open_cases", "high_risk_cases") or measure.startswith("flagged_"):
            assert value == pytest.approx(expected.get((tier, tier_id, measure), 0.0)), (
                tier,
                tier_id,
                measure,
            )
    trust_open = values[("trust", None, "open_cases")]
    assert trust_open == len(rows) > 100


def test_high_risk_share_is_high_risk_over_the_cases_whose_service_records_a_level(computed):
    rows, values, _ = computed
    expected = _expected_case_counts(rows)
    shares = [(k, v) for k, v in values.items() if k[2] == "high_risk_share"]
    assert shares
    assert any(share is None for _, share in shares)  # Talking Therapies: no level recorded
    assert any(share is not None for _, share in shares)
    for (tier, tier_id, _), share in shares:
        recorded = expected.get((tier, tier_id, "high_risk_recorded_cases"), 0)
        high = expected.get((tier, tier_id, "high_risk_cases"), 0)
        if recorded == 0:
            assert share is None, (tier, tier_id)  # never 0%: null where none is recorded
        else:
            assert share == pytest.approx(high / recorded), (tier, tier_id)


def test_practitioner_capacity_and_over_capacity_follow_the_count_rule(computed):
    rows, values, practitioners = computed
    caseload: dict = defaultdict(int)
    for row in rows:
        if row["lead_practitioner_id"] is not None:
            caseload[row["lead_practitioner_id"]] += 1
    reported = {k[1] for k in values if k[0] == "practitioner"}
    assert reported
    for person in practitioners:
        if person["id"] not in reported:
            assert caseload[person["id"]] == 0
            continue
        cap = capacity(person["role"], person["wte"], person["clinical_fraction"], P)
        assert values[("practitioner", person["id"], "capacity")] == (
            None if cap is None else pytest.approx(cap)
        )
        over = over_capacity_count_rule(caseload[person["id"]], cap)
        state = STATE_OF_VALUE[values[("practitioner", person["id"], "flag_over_capacity")]]
        assert state == {None: CANNOT_ASSESS, True: AMBER, False: CLEAR}[over], person["id"]
    # The trust carries aggregates only: no practitioner's flag state.
    assert not [k for k in values if k[0] == "trust" and k[2].startswith("flag_")]


def test_sqlite_and_duckdb_summaries_agree_row_for_row(trust_home):
    _, sqlite, _ = _computed("sqlite", trust_home)
    _, duckdb, _ = _computed("duckdb", trust_home)
    assert sqlite.keys() == duckdb.keys()
    for key, left in sqlite.items():
        right = duckdb[key]
        if left is None or right is None:
            assert left is right, key
        else:
            assert math.isclose(left, right, abs_tol=TOLERANCE), (key, left, right)


def _lead_measures(cases: list[Case], wte: float = 1.0) -> dict:
    """The practitioner-tier measures of the PWP "lead" of a small trust (cap 70 per WTE)."""
    tables = build(cases)
    people = tables["practitioner"]
    names = people.column("name").to_pylist()
    wtes = [
        wte if name == "lead" else value
        for name, value in zip(names, people["wte"].to_pylist(), strict=True)
    ]
    index = people.schema.get_field_index("wte")
    tables["practitioner"] = people.set_column(index, "wte", pa.array(wtes, pa.float64()))
    con = ibis.duckdb.connect()
    for name, table in tables.items():
        con.create_table(name, table)
    lead = names.index("lead") + 1
    snapshot = con.create_table("case_snapshot", build_snapshot(con, as_of=AS_OF).to_pyarrow())
    summary = build_summaries(con, snapshot, as_of=AS_OF)
    rows = summary.filter(summary.tier_id == lead).to_pyarrow().to_pylist()
    return {row["measure"]: row["value"] for row in rows if row["tier"] == "practitioner"}


@pytest.mark.parametrize(("cases", "expected"), [(6, CLEAR), (7, CLEAR), (8, AMBER)])
def test_over_capacity_count_rule_at_its_boundary(cases, expected):
    """PWP at 0.1 WTE, clinical fraction 1.0: capacity 70 x 0.1 x 1.0 = 7 cases; 7 is at
    capacity (clear), 8 is over it."""
    measures = _lead_measures([Case(f"c{n}", "NONE", "", received=30) for n in range(cases)], 0.1)
    assert measures["capacity"] == pytest.approx(7.0)
    assert measures["open_cases"] == cases
    assert STATE_OF_VALUE[measures["flag_over_capacity"]] == expected
    assert over_capacity_count_rule(cases, measures["capacity"]) is (expected == AMBER)


@pytest.mark.parametrize(
    ("total", "high", "expected"),
    [(9, 3, "not_applicable"), (20, 2, CLEAR), (20, 3, AMBER), (20, 4, RED)],
)
def test_high_risk_share_at_its_boundaries(total, high, expected):
    """Amber above 10%, red above 15%, only for 10 or more cases: 3 of 20 is exactly 15%
    (community cases: a service that records risk levels)."""
    risky = ((5, "high", False),)
    cases = [
        Case(f"c{n}", "NONE", "", team="cmh", received=30, risks=risky if n < high else ())
        for n in range(total)
    ]
    measures = _lead_measures(cases)
    assert measures["high_risk_cases"] == high
    assert measures["high_risk_recorded_cases"] == total
    assert STATE_OF_VALUE[measures["flag_high_risk_share"]] == expected


def test_no_high_risk_share_where_the_service_records_no_level():
    """Talking Therapies records risk as concerns, not a level: no share, never 0%
    (CLINICAL-RULES section 4, revision 2)."""
    risky = ((5, "high", False),)
    measures = _lead_measures(
        [Case(f"c{n}", "NONE", "", received=30, risks=risky) for n in range(20)]
    )
    assert measures["high_risk_recorded_cases"] == 0
    assert measures["high_risk_share"] is None
    assert STATE_OF_VALUE[measures["flag_high_risk_share"]] == "not_applicable"


def test_state_values_round_trip():
    assert {STATE_OF_VALUE[value] for value in STATE_VALUES.values()} == set(STATE_VALUES)
    assert STATE_OF_VALUE[None] == CANNOT_ASSESS
