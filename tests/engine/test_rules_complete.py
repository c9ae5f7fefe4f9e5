"""Every case-level flag of the catalogue has an engine rule, and nothing else does."""

from caseboard.contract.schema_snapshot import CASE_SNAPSHOT
from caseboard.domain.flags import CATALOGUE
from caseboard.engine.rules import CASE_FLAGS, RULES, column


def test_every_case_flag_has_a_rule():
    assert set(RULES) == {flag.code for flag in CATALOGUE if flag.level == "case"}


def test_every_case_flag_has_a_snapshot_column():
    declared = set(CASE_SNAPSHOT.column_names)
    assert {column(flag.code) for flag in CASE_FLAGS} <= declared
