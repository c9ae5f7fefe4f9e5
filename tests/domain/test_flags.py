import re
import string

import pytest

from caseboard.domain import flags, lanes
from caseboard.domain.codes import FLAG_STATES, SERVICE_KINDS
from caseboard.domain.flags import (
    AMBER,
    CANNOT_ASSESS,
    CATALOGUE,
    CLEAR,
    NOT_APPLICABLE,
    RED,
    SAFETY_CODES,
    STATES,
    by_code,
    discussion_priority,
    discussion_sort_key,
    held_back,
    rule_settings,
    rule_text,
)
from caseboard.domain.policy import DEFAULT_POLICY, Policy

# The DESIGN "Flags" table, with DNA_ASSESSMENT / DNA_FOLLOWUP and ORPHANED_CASE /
# UNALLOCATED_WAIT as separate codes, plus the practitioner- and team-level flags.
DESIGN_CASE_CODES = {
    "WAIT_FIRST", "WAIT_SECOND", "KIT_DUE", "NO_CONTACT", "DNA_REVIEW", "SESSION_LIMIT",
    "NOT_IMPROVING", "DETERIORATING", "RECOVERED", "NOT_CASENESS", "MEASURE_MISSING",
    "CARE_DOCS", "SAFEGUARDING", "HIGH_RISK", "NOT_DISCUSSED", "LONG_EPISODE", "CLUSTER_REVIEW",
    "STEP_CHANGE", "READY_TO_STEP_DOWN", "ACTION_OVERDUE", "PHQ9_ITEM9", "OUTCOME_DUE",
    "SAFETY_PLAN_STALE", "UNSCREENED", "WAIT_LETTER_DUE", "DNA_ASSESSMENT", "DNA_FOLLOWUP",
    "OUTCOME_NOT_RECORDED", "RISK_REVIEW_DUE", "ORPHANED_CASE", "UNALLOCATED_WAIT",
    "TRANSFER_REVIEW", "STAGE_STALLED", "CLUSTER_MISSING", "DISCHARGE_AGREED_NOT_DONE",
    "DESCRIPTOR_MISSING", "ADSM_MISSING",
    "RISK_CONCERNS", "SEVERITY_STEP",  # CLINICAL-RULES revision 2
}  # fmt: skip
PRACTITIONER_CODES = {"OVER_CAPACITY", "HIGH_RISK_SHARE", "SUPERVISION_DUE"}
TEAM_CODES = {"COMPLIANCE_BELOW_STANDARD"}
SETTING_NAMES = {field for field in Policy.__dataclass_fields__ if field != "approval"}


def test_catalogue_has_exactly_the_design_codes():
    codes = [flag.code for flag in CATALOGUE]
    assert len(codes) == len(set(codes)), "codes must be unique"
    assert set(codes) == DESIGN_CASE_CODES | PRACTITIONER_CODES | TEAM_CODES


@pytest.mark.parametrize("flag", CATALOGUE, ids=lambda flag: flag.code)
def test_flag_is_complete(flag):
    assert re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*", flag.code)
    assert flag.title and flag.rule and flag.source and flag.evidence_template
    assert flag.applies_to, "a flag applies to at least one profile"
    assert flag.applies_to <= set(SERVICE_KINDS)
    assert flag.severity in {"red", "amber", "amber_or_red"}
    assert all(code in {f.code for f in CATALOGUE} for code in flag.holds_back)


@pytest.mark.parametrize("flag", CATALOGUE, ids=lambda flag: flag.code)
def test_flag_rule_names_only_policy_settings(flag):
    assert set(rule_settings(flag)) <= SETTING_NAMES
    assert "{" not in rule_text(flag, DEFAULT_POLICY)


@pytest.mark.parametrize("flag", CATALOGUE, ids=lambda flag: flag.code)
def test_flag_evidence_template_fields_are_plain_names(flag):
    fields = [name for _, name, _, _ in string.Formatter().parse(flag.evidence_template) if name]
    assert fields, "evidence says what was found"
    assert all(name.isidentifier() for name in fields)
    assert flag.evidence_template.format(**dict.fromkeys(fields, "x"))


@pytest.mark.parametrize(
    ("code", "setting"),
    [
        ("WAIT_FIRST", "first_appointment_internal_days"),
        ("WAIT_FIRST", "first_appointment_national_days"),
        ("WAIT_SECOND", "second_appointment_red_days"),
        ("KIT_DUE", "kit_recurrence_days"),
        ("NO_CONTACT", "no_contact_days"),
        ("DNA_REVIEW", "dna_review_count"),
        ("SESSION_LIMIT", "step3_session_maximum"),
        ("NOT_IMPROVING", "not_improving_step3_contacts"),
        ("NOT_DISCUSSED", "discussion_interval_days_talking_therapies"),
        ("SUPERVISION_DUE", "supervision_due_amber_days_left"),
        ("COMPLIANCE_BELOW_STANDARD", "supervision_standard_percent"),
    ],
)
def test_flag_rule_names_its_thresholds(code, setting):
    assert setting in rule_settings(by_code(code))


def test_safety_flags_are_exactly_the_six_and_red_when_first_raised():
    assert {
        "DETERIORATING",
        "PHQ9_ITEM9",
        "SAFEGUARDING",
        "HIGH_RISK",
        "UNSCREENED",
        "RISK_CONCERNS",
    } == SAFETY_CODES
    # RISK_CONCERNS is red until a qualifying discussion, amber after it (revision 2).
    assert all(by_code(code).severity == "red" for code in SAFETY_CODES - {"RISK_CONCERNS"})
    assert by_code("RISK_CONCERNS").severity == "amber_or_red"


def test_high_risk_is_a_marker_not_counted_in_the_discussion_order():
    assert [flag.code for flag in CATALOGUE if flag.marker] == ["HIGH_RISK"]
    assert discussion_priority({"HIGH_RISK": RED}) == discussion_priority({"HIGH_RISK": CLEAR})


@pytest.mark.parametrize("code", ["PHQ9_ITEM9", "DETERIORATING"])
def test_item9_and_deterioration_hold_back_recovery(code):
    assert {"RECOVERED", "READY_TO_STEP_DOWN"} <= set(by_code(code).holds_back)


def test_item9_deterioration_risk_and_a_stale_safety_plan_hold_back_recovery_and_step_down():
    # CLINICAL-RULES section 2, RECOVERED and READY_TO_STEP_DOWN (revision 2).
    holders = {flag.code: set(flag.holds_back) for flag in CATALOGUE if flag.holds_back}
    assert set(holders) == {"PHQ9_ITEM9", "DETERIORATING", "SAFETY_PLAN_STALE", "RISK_CONCERNS"}
    deteriorating = holders.pop("DETERIORATING")
    assert all(held == {"RECOVERED", "READY_TO_STEP_DOWN"} for held in holders.values())
    # NOT_IMPROVING is not raised beside DETERIORATING either (revision 2).
    assert deteriorating == {"RECOVERED", "READY_TO_STEP_DOWN", "NOT_IMPROVING"}


def test_flag_levels():
    assert {f.code for f in CATALOGUE if f.level == "practitioner"} == PRACTITIONER_CODES
    assert {f.code for f in CATALOGUE if f.level == "team"} == TEAM_CODES


def test_states_match_the_data_contract():
    assert STATES == FLAG_STATES
    assert (RED, AMBER, CLEAR, NOT_APPLICABLE, CANNOT_ASSESS) == (
        "red",
        "amber",
        "clear",
        "not_applicable",
        "cannot_assess",
    )


TT_ONLY = [
    "MEASURE_MISSING", "NOT_IMPROVING", "RECOVERED", "NOT_CASENESS", "SESSION_LIMIT",
    "LONG_EPISODE", "KIT_DUE", "WAIT_SECOND", "DESCRIPTOR_MISSING", "ADSM_MISSING",
]  # fmt: skip
COMMUNITY_ONLY = ["OUTCOME_DUE", "STAGE_STALLED", "CARE_DOCS"]


@pytest.mark.parametrize("code", TT_ONLY)
@pytest.mark.parametrize("profile", SERVICE_KINDS)
def test_talking_therapies_flags_not_applicable_elsewhere(code, profile):
    # Hazard H1: a CMH referral shows not_applicable for the Talking Therapies flags.
    assert (profile in by_code(code).applies_to) is (profile == "talking_therapies")


@pytest.mark.parametrize("code", COMMUNITY_ONLY)
@pytest.mark.parametrize("profile", SERVICE_KINDS)
def test_community_flags_not_applicable_to_talking_therapies(code, profile):
    assert (profile in by_code(code).applies_to) is (profile != "talking_therapies")


@pytest.mark.parametrize(
    ("code", "profile", "applies"),
    [
        ("CLUSTER_REVIEW", "adult_cmh", True),
        ("CLUSTER_REVIEW", "home_based_treatment", True),
        ("CLUSTER_REVIEW", "learning_disability", False),
        ("CLUSTER_REVIEW", "camhs", False),
        ("CLUSTER_REVIEW", "talking_therapies", False),
        ("CLUSTER_MISSING", "eip", True),
        ("CLUSTER_MISSING", "camhs", False),
        ("NOT_DISCUSSED", "talking_therapies", True),
        ("NOT_DISCUSSED", "learning_disability", True),
        ("NOT_DISCUSSED", "home_based_treatment", False),  # replaced by a discharge review
        ("NO_CONTACT", "adult_cmh", True),  # with the profile's interval
        ("DNA_REVIEW", "camhs", True),  # as "was not brought"
        ("SAFEGUARDING", "learning_disability", True),
        ("WAIT_FIRST", "adult_cmh", False),
        ("STEP_CHANGE", "adult_cmh", False),
    ],
)
def test_flag_profile_coverage(code, profile, applies):
    assert (profile in by_code(code).applies_to) is applies


def test_cluster_flags_apply_only_where_the_team_clusters():
    assert "care clusters" in by_code("CLUSTER_REVIEW").applies_when
    assert "care clusters" in by_code("CLUSTER_MISSING").applies_when


def test_by_code_unknown_raises():
    with pytest.raises(KeyError, match="NO_SUCH_FLAG"):
        by_code("NO_SUCH_FLAG")


def test_rule_text_shows_values_in_force():
    text = rule_text(by_code("WAIT_FIRST"), DEFAULT_POLICY)
    assert "Red (internal): days > 28" in text
    assert "Red (national): > 42" in text


def test_rule_text_per_profile_value():
    flag = by_code("NO_CONTACT")
    talking = rule_text(flag, DEFAULT_POLICY, "talking_therapies")
    assert "Interval: 14 days" in talking and "(not set) while stable" in talking
    assert "Interval: 28 days" in rule_text(flag, DEFAULT_POLICY, "adult_cmh")
    assert "91 while stable" in rule_text(flag, DEFAULT_POLICY, "adult_cmh")
    every = rule_text(flag, DEFAULT_POLICY)
    assert "[talking_therapies: 14; adult_cmh: 28;" in every
    assert "home_based_treatment: 1; learning_disability: 28; camhs: 28] days" in every
    assert "camhs: 91; 2 others not set] while stable" in every


@pytest.mark.parametrize(
    ("states", "priority"),
    [
        ({"SAFEGUARDING": RED, "NO_CONTACT": AMBER}, 0),
        ({"UNSCREENED": RED}, 0),
        ({"RISK_CONCERNS": AMBER}, 0),  # the safety lane, amber or red
        ({"STEP_CHANGE": RED, "HIGH_RISK": CLEAR}, 1),  # red, clinical lane
        ({"DNA_REVIEW": AMBER}, 1),
        ({"NOT_DISCUSSED": RED, "MEASURE_MISSING": AMBER}, 2),  # red, but process
        ({"NOT_DISCUSSED": RED, "HIGH_RISK": RED}, 2),  # HIGH_RISK is a marker, not counted
        ({"NO_CONTACT": CANNOT_ASSESS, "HIGH_RISK": CLEAR}, 3),  # no data is not reassurance
        ({"NO_CONTACT": CLEAR, "KIT_DUE": NOT_APPLICABLE}, 4),
        ({}, 4),
    ],
)
def test_discussion_priority_order(states, priority):
    assert discussion_priority(states) == priority


def test_discussion_sort_key_orders_cases():
    cases = {
        "clear": {"NO_CONTACT": CLEAR},
        "one amber": {"NO_CONTACT": AMBER},
        "two ambers": {"NO_CONTACT": AMBER, "DNA_REVIEW": AMBER},
        "red": {"STEP_CHANGE": RED},
        "safety": {"PHQ9_ITEM9": RED},
        "process red": {"NOT_DISCUSSED": RED, "ACTION_OVERDUE": AMBER},
        "no data": {"NO_CONTACT": CANNOT_ASSESS},
    }
    ordered = sorted(cases, key=lambda name: discussion_sort_key(cases[name]))
    # Process flags never lift a case above one with a clinical flag (revision 2).
    assert ordered == [
        "safety",
        "red",
        "two ambers",
        "one amber",
        "process red",
        "no data",
        "clear",
    ]


@pytest.mark.parametrize(
    ("code", "state", "row", "lane"),
    [
        ("NO_CONTACT", RED, {}, "safety"),
        ("NO_CONTACT", AMBER, {}, "clinical"),
        ("KIT_DUE", RED, {}, "safety"),
        ("WAIT_FIRST", RED, {"days_since_received": 42}, "clinical"),
        ("WAIT_FIRST", RED, {"days_since_received": 43}, "safety"),
        ("WAIT_FIRST", RED, {"days_since_received": 28, "urgent": True}, "clinical"),
        ("WAIT_FIRST", RED, {"days_since_received": 29, "priority_groups": 1}, "safety"),
        ("CARE_DOCS", AMBER, {"safety_plan_on": "2026-01-01", "safety_summary_on": None}, "safety"),
        ("CARE_DOCS", AMBER, {"safety_plan_on": "2026-01-01", "safety_summary_on": "2026-01-01"},
         "process"),
        ("DNA_FOLLOWUP", AMBER, {"service_kind": "camhs"}, "safety"),
        ("DNA_FOLLOWUP", AMBER, {"service_kind": "adult_cmh"}, "clinical"),
    ],
)  # fmt: skip
def test_some_flags_are_in_the_safety_lane_only_in_some_states_or_cases(code, state, row, lane):
    assert lanes.lane(code, state, row) == lane
    expected_rank = {"safety": 0, "clinical": 1, "process": 2}[lane]
    assert discussion_priority({code: state}, row) == expected_rank


def test_within_a_lane_priority_groups_come_first_then_severity_then_age():
    states = {
        "veteran": ({"DNA_REVIEW": AMBER}, {"priority_groups": 1, "days_since_received": 10}),
        "two reds": (
            {"STEP_CHANGE": RED, "SESSION_LIMIT": RED},
            {"priority_groups": 0, "days_since_received": 10},
        ),
        "one red, older": ({"STEP_CHANGE": RED}, {"priority_groups": 0, "days_since_received": 90}),
        "one red": ({"STEP_CHANGE": RED}, {"priority_groups": 0, "days_since_received": 20}),
    }
    ordered = sorted(states, key=lambda name: discussion_sort_key(*states[name]))
    assert ordered == ["veteran", "two reds", "one red, older", "one red"]


@pytest.mark.parametrize(
    ("states", "problem"),
    [({"NO_SUCH": RED}, KeyError), ({"NO_CONTACT": "raised"}, ValueError)],
)
def test_discussion_priority_refuses_unknown_codes_and_states(states, problem):
    with pytest.raises(problem):
        discussion_priority(states)


@pytest.mark.parametrize(
    ("states", "held"),
    [
        ({"PHQ9_ITEM9": RED, "RECOVERED": AMBER}, {"RECOVERED", "READY_TO_STEP_DOWN"}),
        ({"DETERIORATING": RED}, {"RECOVERED", "READY_TO_STEP_DOWN", "NOT_IMPROVING"}),
        ({"PHQ9_ITEM9": CLEAR, "RECOVERED": AMBER}, set()),
        ({"PHQ9_ITEM9": CANNOT_ASSESS}, set()),
    ],
)
def test_held_back_while_item9_or_deterioration_raised(states, held):
    assert held_back(states) == held


def test_module_exports_exist():
    assert all(hasattr(flags, name) for name in flags.__all__)


@pytest.mark.parametrize(
    ("states", "agreed_days_ago", "priority"),
    [
        ({"NO_CONTACT": AMBER, "MEASURE_MISSING": AMBER}, 10, 4),  # both superseded
        ({"NO_CONTACT": AMBER}, 28, 4),
        ({"NO_CONTACT": AMBER}, 29, 1),  # back beside DISCHARGE_AGREED_NOT_DONE
        ({"NO_CONTACT": RED}, 10, 0),  # red: the safety lane, never superseded
        ({"DNA_FOLLOWUP": AMBER}, 10, 1),  # never superseded
        ({"STEP_CHANGE": RED}, 10, 1),  # never superseded (seed 002 §12.1)
        ({"READY_TO_STEP_DOWN": AMBER, "NOT_DISCUSSED": AMBER}, 10, 2),
    ],
)
def test_a_discharge_or_closure_agreed_supersedes_waiting_contact_measure_and_step_down_flags(
    states, agreed_days_ago, priority
):
    import datetime as dt

    as_of = dt.date(2026, 11, 20)
    row = {"as_of": as_of, "leaving_agreed_on": as_of - dt.timedelta(days=agreed_days_ago)}
    assert discussion_priority(states, row) == priority
