"""The engine's snapshot has exactly the declared columns, in order, with the declared types."""

import datetime as dt

import pytest

from caseboard.contract.schema_snapshot import CASE_SNAPSHOT
from caseboard.engine.snapshot import build_snapshot

pytestmark = pytest.mark.parity
LOGICAL = {
    "int64": "integer",
    "float64": "float",
    "string": "text",
    "boolean": "boolean",
    "date": "date",
}


def test_snapshot_columns_match_the_declaration(engine):
    expression = build_snapshot(engine, as_of=dt.date(2026, 11, 20))
    produced = [
        (name, LOGICAL[str(type_).lstrip("!")]) for name, type_ in expression.schema().items()
    ]
    declared = [(c.name, c.type) for c in CASE_SNAPSHOT.columns if c.name != "id"]
    assert produced == declared
