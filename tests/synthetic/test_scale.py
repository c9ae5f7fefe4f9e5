"""The scaled trust (synthetic.scale): the same bytes whatever the chunking, the data
contract's shape, the invariants a clinician relies on, and the benchmark's records."""

import datetime as dt
import hashlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from caseboard.bench.generate import bench_generate
from caseboard.contract import schema
from caseboard.domain.nhs_number import is_valid
from caseboard.synthetic import published, scale
from caseboard.synthetic.measures import RANGES
from caseboard.synthetic.rows import arrow_schema

AS_OF = dt.date(2026, 3, 31)
# Three blocks, the last one short.
PARAMS = scale.scaled_params(2 * scale.BLOCK + 1500, seed=5, as_of=AS_OF)


@pytest.fixture(scope="module")
def tables():
    return scale.generate_tables(PARAMS)


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_write_parquet_identical_bytes_whatever_the_chunk_size(tmp_path):
    # Row groups of 7,000 rows so that several chunks meet inside one row group.
    one, two = tmp_path / "one", tmp_path / "two"
    scale.write_parquet(PARAMS, one, chunk_referrals=scale.BLOCK, rows_per_group=7000)
    scale.write_parquet(PARAMS, two, chunk_referrals=10 * scale.BLOCK, rows_per_group=7000)
    assert _digests(one) == _digests(two)
    assert pq.ParquetFile(one / "contact.parquet").metadata.num_row_groups > 1


def test_chunks_give_the_same_rows_as_one_pass(tables):
    chunked = scale.generate_tables(PARAMS, chunk_referrals=1)
    for name, table in tables.items():
        assert chunked[name].equals(table), name


def test_different_seed_differs():
    other = scale.scaled_params(PARAMS.referrals, seed=6, as_of=AS_OF)
    assert not scale.generate_tables(other)["contact"].equals(
        scale.generate_tables(PARAMS)["contact"]
    )


def test_tables_have_the_declared_mirror_schema_and_ids(tables):
    assert list(tables) == [t.name for t in schema.load_order() if t.name in tables]
    for name, table in tables.items():
        assert table.schema.equals(arrow_schema(schema.table(name))), name
        assert table.column("id").to_pylist() == list(range(1, table.num_rows + 1)), name
        for column in schema.table(name).columns:
            if not column.nullable:
                assert table.column(column.name).null_count == 0, (name, column.name)
    assert tables["referral"].num_rows == PARAMS.referrals


def test_every_foreign_key_resolves(tables):
    for declared in schema.TABLES:
        if declared.name not in tables:
            continue
        for column in declared.columns:
            if column.references and column.references in tables:
                values = pc.drop_null(tables[declared.name].column(column.name))
                ids = tables[column.references].column("id")
                assert pc.all(pc.is_in(values, value_set=ids)).as_py(), (declared.name, column)


def test_codes_within_declared_codes(tables):
    for name, table in tables.items():
        for column in schema.table(name).columns:
            if column.codes:
                values = set(pc.unique(pc.drop_null(table.column(column.name))).to_pylist())
                assert values <= set(column.codes), (name, column.name, values)


def test_nhs_numbers_valid_and_unique(tables):
    numbers = pc.drop_null(tables["patient"].column("nhs_number")).to_pylist()
    assert len(numbers) == tables["patient"].num_rows
    assert len(set(numbers)) == len(numbers)
    assert all(n.startswith("999") and is_valid(n) for n in numbers[:2000])


def test_contacts_inside_the_episode_and_only_the_next_one_booked(tables):
    referral = tables["referral"].to_pydict()
    contact = tables["contact"].to_pydict()
    received = dict(zip(referral["id"], referral["received_on"], strict=True))
    closed = dict(zip(referral["id"], referral["closed_on"], strict=True))
    booked_per_referral = {}
    for ref, day, outcome in zip(
        contact["referral_id"], contact["starts_on"], contact["outcome"], strict=True
    ):
        assert day >= received[ref]
        if closed[ref] is not None:
            assert day <= closed[ref]
            assert outcome != "booked"
        if outcome == "booked":
            assert day >= AS_OF
            booked_per_referral[ref] = booked_per_referral.get(ref, 0) + 1
        else:
            assert day < AS_OF
    assert booked_per_referral and max(booked_per_referral.values()) == 1


def test_measures_at_attended_contacts_in_range_and_items_sum(tables):
    contact = tables["contact"]
    measure = tables["measure"]
    outcome = np.array(contact.column("outcome").to_pylist(), dtype=object)
    contact_ref = contact.column("referral_id").to_numpy()
    contact_ids = measure.column("contact_id").to_numpy() - 1
    assert (outcome[contact_ids] == "attended").all()
    assert (contact_ref[contact_ids] == measure.column("referral_id").to_numpy()).all()
    scores = measure.column("score").to_numpy()
    names = measure.column("instrument").to_pylist()
    for name in set(names):
        low, high = RANGES[name]
        mask = np.array([n == name for n in names])
        assert scores[mask].min() >= low and scores[mask].max() <= high, name
    items = tables["measure_item"]
    sums = np.bincount(
        items.column("measure_id").to_numpy() - 1,
        weights=items.column("score").to_numpy(),
        minlength=measure.num_rows,
    )
    phq9 = np.array([n == "phq9" for n in names])
    assert (sums[phq9] == scores[phq9]).all()
    assert (sums[~phq9] == 0).all()


def test_scaled_trust_lands_on_the_published_figures(tables):
    figures = published.generated(tables)
    for figure in published.FIGURES:
        # A smaller trust than the tuning one: twice the tolerance.
        assert abs(figures[figure.name] - figure.value) <= 2 * figure.tolerance, figure.name


def test_bench_generate_tiny_returns_bench_records(tmp_path, capsys):
    records = bench_generate("tiny", tmp_path)
    assert capsys.readouterr().out == ""
    names = [r["name"] for r in records]
    assert names == [
        "generate_parquet_tiny_seconds",
        "generate_parquet_tiny_peak_memory",
        "generate_demo_sqlite_seconds",
    ]
    for record in records:
        assert set(record) == {"name", "value", "unit", "floor", "ratio", "target"}
        assert record["value"] > 0 and record["floor"] > 0
    assert (tmp_path / "mirror" / "manifest.json").exists()
    referral = pq.read_table(tmp_path / "mirror" / "referral.parquet")
    assert referral.num_rows == 2000
    assert isinstance(referral, pa.Table)


def test_bench_generate_refuses_an_unknown_size(tmp_path):
    with pytest.raises(ValueError, match="size must be one of"):
        bench_generate("huge", tmp_path)
