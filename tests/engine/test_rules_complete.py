"""Every case-level flag of the catalogue has one engine rule, registered under its code, and
nothing else does."""

import pytest

from caseboard.contract.schema_snapshot import CASE_SNAPSHOT
from caseboard.domain.flag_types import LANES
from caseboard.domain.flags import CATALOGUE
from caseboard.engine.rules import CASE_FLAGS, RULES, column
from caseboard.engine.rules.common import REGISTERED, rule


def test_every_case_flag_has_a_rule():
    assert set(RULES) == {flag.code for flag in CATALOGUE if flag.level == "case"}
    assert set(REGISTERED) == set(RULES)


def test_every_case_flag_has_a_snapshot_column():
    declared = set(CASE_SNAPSHOT.column_names)
    assert {column(flag.code) for flag in CASE_FLAGS} <= declared


def test_every_case_flag_entry_is_whole():
    for flag in CASE_FLAGS:
        assert flag.lane in LANES, flag.code
        assert flag.fields is not None, flag.code
    lanes = {flag.code: flag.lane for flag in CASE_FLAGS}
    # CLINICAL-RULES section 2, "Flag lanes" (revision 2): one of each, as written there.
    assert (lanes["SAFEGUARDING"], lanes["DNA_REVIEW"], lanes["NOT_DISCUSSED"]) == (
        "safety",
        "clinical",
        "process",
    )


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("NO_SUCH_FLAG", "no flag 'NO_SUCH_FLAG'"),
        ("OVER_CAPACITY", "not a case flag"),
        ("WAIT_FIRST", "WAIT_FIRST has two rules"),
    ],
)
def test_a_rule_is_refused_for_an_unknown_flag_or_a_second_time(code, problem):
    with pytest.raises((KeyError, ValueError), match=problem):
        rule(code)(lambda f, c: f.service_kind)
    # Nothing was registered by the refused call.
    assert set(REGISTERED) == set(RULES)
    assert all(REGISTERED[each].state is RULES[each] for each in RULES)
