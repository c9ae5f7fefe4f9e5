"""The committed format docs are exactly what the data contract generates."""

from pathlib import Path

import pytest

from caseboard.contract import formats, schema

DOCS = Path(__file__).resolve().parents[2] / "docs" / "formats"


@pytest.mark.parametrize("table", schema.RECORD_TABLES, ids=lambda t: t.name)
def test_format_doc_matches_the_contract(table):
    path = DOCS / f"{table.name}.json"
    assert path.exists(), "run `make formats` and commit docs/formats/"
    assert path.read_text() == formats.render(table), "run `make formats` and commit the change"


def test_no_format_doc_for_an_undeclared_table():
    documented = {p.stem for p in DOCS.glob("*.json")}
    assert documented == {t.name for t in schema.RECORD_TABLES}


def test_foreign_keys_are_source_ids():
    contact = formats.table_schema(schema.table("contact"))
    names = [field["name"] for field in contact["fields"]]
    assert "referral_source_id" in names and "referral_id" not in names and "id" not in names
    assert {
        "fields": "referral_source_id",
        "reference": {"resource": "referral", "fields": "source_id"},
    } in contact["foreignKeys"]


def test_generated_extract_has_the_documented_columns(tmp_path):
    import csv
    import datetime as dt

    from caseboard.synthetic.params import Params
    from caseboard.synthetic.trust import generate
    from caseboard.synthetic.writers import write_csv

    params = Params(seed=3, as_of=dt.date(2026, 11, 20), referrals=60)
    write_csv(generate(params), params, tmp_path)
    for table in schema.RECORD_TABLES:
        with (tmp_path / f"{table.name}.csv").open(newline="") as handle:
            header = next(csv.reader(handle))
        assert header == [field["name"] for field in formats.table_schema(table)["fields"]]
