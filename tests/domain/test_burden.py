"""Alert burden (CLINICAL-RULES revision 2) on plain snapshot rows."""

import datetime as dt

from caseboard.contract.schema_snapshot import CASE_FLAGS, CASE_SNAPSHOT
from caseboard.domain.burden import Burden, burden, case_burden, waiting_for_treatment
from caseboard.domain.flag_types import flag_column

AS_OF = dt.date(2026, 11, 20)


def row(**facts):
    base = dict.fromkeys(CASE_SNAPSHOT.column_names)
    base |= {flag_column(flag.code): "clear" for flag in CASE_FLAGS}
    base |= {
        "as_of": AS_OF,
        "service_kind": "talking_therapies",
        "team_id": 1,
        "lead_practitioner_id": 7,
        "first_assessment_on": dt.date(2026, 9, 1),
        "last_attended_on": dt.date(2026, 11, 10),
        "treatment_contacts": 4,
        "days_since_received": 90,
    }
    return base | facts


def test_a_red_flag_is_not_yet_discussed_until_a_discussion_in_the_cycle():
    red = {"flag_step_change": "red"}
    assert case_burden(row(**red)).red_not_discussed
    # Talking Therapies: a fortnight. 14 days ago counts; 15 does not.
    assert not case_burden(row(**red, last_discussed_on=dt.date(2026, 11, 6))).red_not_discussed
    assert case_burden(row(**red, last_discussed_on=dt.date(2026, 11, 5))).red_not_discussed
    # Community: a calendar month.
    cmh = {"service_kind": "adult_cmh", **red}
    assert not case_burden(row(**cmh, last_discussed_on=dt.date(2026, 10, 20))).red_not_discussed
    assert case_burden(row(**cmh, last_discussed_on=dt.date(2026, 10, 19))).red_not_discussed


def test_the_high_risk_marker_is_not_a_red_flag_and_process_flags_are_not_clinical():
    marker = case_burden(row(service_kind="adult_cmh", flag_high_risk="red"))
    assert not marker.red_not_discussed and not marker.flagged and marker.flags == 0
    process = case_burden(row(flag_not_discussed="red", flag_measure_missing="amber"))
    assert process.red_not_discussed and process.flagged and not process.safety_or_clinical
    assert process.flags == 2
    clinical = case_burden(row(flag_not_improving="amber"))
    assert clinical.safety_or_clinical and not clinical.red_not_discussed


def test_people_waiting_for_treatment_are_on_the_teams_list_not_the_practitioners():
    assert waiting_for_treatment(row(first_assessment_on=None, last_attended_on=None))
    assert waiting_for_treatment(row(treatment_contacts=1))
    assert not waiting_for_treatment(row(treatment_contacts=1, assessment_outcome="signposted"))
    assert not waiting_for_treatment(row(service_kind="adult_cmh", treatment_contacts=0))
    rows = [
        row(flag_step_change="red"),
        row(flag_not_improving="amber"),
        row(),
        row(treatment_contacts=0, flag_wait_second="red"),
        row(lead_practitioner_id=None, first_assessment_on=None, last_attended_on=None),
    ]
    lines = {(line.tier, line.name): line for line in burden(rows, {7: "Ann"}, {1: "North"})}
    assert lines[("practitioner", "Ann")] == Burden(
        "practitioner", "Ann", "talking_therapies", 3, 1, 2, 1, 2
    )
    assert lines[("team", "North")].cases == 3
    assert lines[("waiting list", "North")].cases == 2
    assert lines[("profile", "talking_therapies")].cases == 3
    assert lines[("practitioner", "Ann")].triggers == (
        "red not yet discussed above 10%",
        "safety or clinical flag above 50%",
    )


def test_a_list_with_almost_nothing_flagged_prompts_a_data_check():
    quiet = Burden("team", "North", "community", 40, 0, 1, 39, 1)
    assert quiet.triggers == ("fewer than 5% flagged: check the data",)
    assert Burden("team", "North", "community", 40, 4, 16, 20, 30).triggers == ()
