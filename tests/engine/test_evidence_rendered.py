"""Every raised or unassessable flag of a computed snapshot renders its evidence from the row."""

import datetime as dt

import pytest

from caseboard.contract.schema_snapshot import CASE_FLAGS
from caseboard.domain.evidence import all_evidence
from caseboard.domain.flag_types import flag_column
from caseboard.domain.policy import DEFAULT_POLICY
from caseboard.engine.snapshot import build_snapshot

pytestmark = pytest.mark.parity
AS_OF = dt.date(2026, 11, 20)


def test_each_raised_flag_has_evidence_naming_its_inputs(engine):
    rows = build_snapshot(engine, as_of=AS_OF).to_pyarrow().to_pylist()
    rendered = 0
    for row in rows:
        shown = all_evidence(row, DEFAULT_POLICY)
        expected = {
            flag.code
            for flag in CASE_FLAGS
            if row[flag_column(flag.code)] in ("red", "amber", "cannot_assess")
        }
        assert set(shown) == expected, row["referral_id"]
        for code, text in shown.items():
            assert "None" not in text and "{" not in text, (row["referral_id"], code, text)
            rendered += 1
    assert rendered > len(rows)  # most cases raise something in the demo trust
