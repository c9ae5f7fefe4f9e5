"""The nine components of a case on the dashboard, filters and the freshness banner, on plain
snapshot rows (no database)."""

import datetime as dt

from caseboard.contract.schema_snapshot import CASE_FLAGS, CASE_SNAPSHOT
from caseboard.domain.flag_types import flag_column
from caseboard.domain.policy import DEFAULT_POLICY
from caseboard.web.dashboard import case_filters
from caseboard.web.dashboard.case_view import UNKNOWN, case_view
from caseboard.web.dashboard.freshness import describe

AS_OF = dt.date(2026, 11, 20)
IDENTITY = {
    "patient_id": 1,
    "patient_name": "DOE, Jo",
    "nhs_number": "999 000 0001",
    "team": "North",
    "lead": "Ann Lee",
    "lead_id": 5,
    "co_workers": (),
}


def row(**facts):
    base = dict.fromkeys(CASE_SNAPSHOT.column_names)
    base |= {flag_column(flag.code): "clear" for flag in CASE_FLAGS}
    base |= {
        "referral_id": 1,
        "as_of": AS_OF,
        "service_kind": "talking_therapies",
        "anxiety_instrument": "gad7",
        "received_on": dt.date(2026, 9, 1),
        "days_since_received": 80,
        "priority": 4,
    }
    return base | facts


def view(referral_id=1, **facts):
    identity = IDENTITY | {"referral_id": referral_id}
    return case_view(row(referral_id=referral_id, **facts), DEFAULT_POLICY, **identity)


def test_missing_data_reads_unknown_never_blank():
    case = view()
    assert case.safeguarding == UNKNOWN
    # Talking Therapies records no risk level: said so, never "unknown" (revision 2).
    assert "risk level: not recorded in this service" in case.needs
    assert "risk level: unknown" in view(service_kind="adult_cmh").needs
    assert "additional needs: unknown" in case.needs
    assert case.pathway[0] == "unknown, days in stage unknown"
    assert "step unknown" in case.pathway
    assert case.engagement[:2] == ("never attended", "nothing booked")


def test_before_the_first_refresh_every_component_is_unknown():
    case = case_view(None, DEFAULT_POLICY, referral_id=1, **IDENTITY)
    assert not case.computed
    assert case.episode == case.pathway == case.needs == case.engagement == (UNKNOWN,)
    assert case.step_down == UNKNOWN


def test_components_from_the_facts():
    case = view(
        service_kind="adult_cmh",
        pathway_stage="in_treatment",
        pathway_stage_entered_on=dt.date(2026, 10, 1),
        step=2,
        open_safeguarding=2,
        open_child_safeguarding=1,
        risk_level="medium",
        interpreter_needed=True,
        learning_disability=False,
        sensory_impairment=False,
        lead_since=dt.date(2026, 9, 3),
        last_attended_on=dt.date(2026, 11, 12),
        attended_clinical_contacts=6,
        dna_or_cancellations=2,
    )
    assert case.episode[:3] == (
        "received 1 Sep 2026",
        "80 days open",
        "with this lead since 3 Sep 2026",
    )
    assert case.pathway == ("in treatment, 50 days", "step 2")
    assert case.safeguarding == "2 open (1 about a child)"
    assert case.needs[0] == "risk level: medium"
    assert "needs: interpreter" in case.needs
    assert case.engagement == (
        "last attended 12 Nov 2026",
        "nothing booked",
        "6 attended, 2 missed or cancelled",
    )


def test_flags_worst_first_with_evidence_and_no_data_apart():
    case = view(
        flag_not_discussed="red",
        flag_safeguarding="red",
        flag_care_docs="amber",
        flag_severity_step="cannot_assess",
        open_safeguarding=1,
        open_child_safeguarding=0,
    )
    # By lane: CARE_DOCS is in the safety lane while the safety plan is missing (revision 2),
    # and the red NOT_DISCUSSED is a process flag, folded into one line.
    assert [flag.code for flag in case.flags] == ["SAFEGUARDING", "CARE_DOCS", "NOT_DISCUSSED"]
    assert [flag.code for flag in case.main_flags] == ["SAFEGUARDING", "CARE_DOCS"]
    assert [flag.code for flag in case.process_flags] == ["NOT_DISCUSSED"]
    assert case.flags[0].evidence == "1 open safeguarding concern on the patient's record"
    assert "seed 000" in case.flags[0].rule
    assert [flag.code for flag in case.no_data] == ["SEVERITY_STEP"]
    assert case.codes == {"SAFEGUARDING", "NOT_DISCUSSED", "CARE_DOCS"}


def test_high_risk_is_a_dated_marker_not_a_second_red_flag():
    case = view(
        service_kind="adult_cmh",
        flag_high_risk="red",
        risk_level="high",
        risk_recorded_on=dt.date(2026, 11, 2),
    )
    assert case.flags == ()
    assert "HIGH RISK marker, recorded 2 Nov 2026" in case.needs


def test_readiness_to_step_down():
    assert view().step_down == "not yet"
    assert view(flag_ready_to_step_down="not_applicable").step_down == "not applicable"
    community = view(
        flag_ready_to_step_down="amber", goals_met_on=dt.date(2026, 11, 2), service_kind="adult_cmh"
    )
    assert community.step_down == "ready: goals met on 2 Nov 2026"
    # Talking Therapies (CLINICAL-RULES revision 2): goals met and the last two scores.
    talking = view(
        flag_ready_to_step_down="amber",
        service_kind="talking_therapies",
        goals_met_on=dt.date(2026, 11, 2),
        phq9_previous=8,
        phq9_last=7,
        anxiety_previous=5,
        anxiety_last=4,
        anxiety_instrument="gad7",
        phq9_last_on=dt.date(2026, 11, 12),
    )
    assert talking.step_down == (
        "ready: goals met on 2 Nov 2026; below caseness at the last two measured contacts: "
        "PHQ-9 8, 7; GAD-7 5, 4 (last on 12 Nov 2026)"
    )


def test_filters_and_sorting():
    cases = [
        view(1, priority=2, step=2, flag_care_docs="amber"),
        view(2, priority=0, step=3, flag_safeguarding="red", open_safeguarding=1),
        view(3, priority=4, step=2),
    ]
    assert [c.referral_id for c in case_filters.apply(cases, {})] == [2, 1, 3]
    assert [c.referral_id for c in case_filters.apply(cases, {"step": "2"})] == [1, 3]
    assert [c.referral_id for c in case_filters.apply(cases, {"flag": "CARE_DOCS"})] == [1]
    assert case_filters.apply(cases, {"flag": "CARE_DOCS", "step": "3"}) == []
    steps = case_filters.options(cases, {"step": "3"})["step"]
    assert [(c.value, c.count, c.selected) for c in steps] == [("2", 2, False), ("3", 1, True)]


def test_freshness_banner():
    refreshed = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
    fresh = describe((AS_OF, refreshed), None, refreshed + dt.timedelta(hours=24), DEFAULT_POLICY)
    assert fresh.level == "ok"
    assert fresh.text == "Record data as of 20 November 2026, refreshed 20 Nov 2026 at 06:00."
    stale = describe((AS_OF, refreshed), None, refreshed + dt.timedelta(hours=25), DEFAULT_POLICY)
    assert stale.level == "warning" and "25 hours old" in stale.detail
    partial = describe((AS_OF, refreshed), ("partial", 3, refreshed), refreshed, DEFAULT_POLICY)
    assert partial.level == "error" and "quarantined 3 rows" in partial.detail
    failed = describe((AS_OF, refreshed), ("failed", 0, refreshed), refreshed, DEFAULT_POLICY)
    assert failed.level == "error"
    assert describe(None, None, refreshed, DEFAULT_POLICY).level == "error"


def test_a_priority_group_is_shown_and_comes_first_within_its_lane():
    grouped = view(referral_id=2, priority_groups=1, flag_dna_review="amber")
    plain = view(referral_id=3, flag_step_change="red", flag_not_improving="amber")
    assert "in a priority group (discussed first in its lane)" in grouped.needs
    assert "priority group: urgent" in view(urgent=True).needs
    assert grouped.priority == plain.priority == 1  # both clinical
    assert sorted([plain, grouped], key=lambda case: case.sort_key) == [grouped, plain]


def test_flags_superseded_by_an_agreed_discharge_are_shown_apart_with_it():
    case = view(
        flag_measure_missing="amber",
        flag_no_contact="red",
        leaving_agreed_on=dt.date(2026, 11, 10),
        last_attended_on=dt.date(2026, 10, 1),
    )
    assert [flag.code for flag in case.superseded] == ["MEASURE_MISSING"]
    assert [flag.code for flag in case.flags] == ["NO_CONTACT"]  # red: safety, never superseded
    assert case.superseded_by == (
        "superseded by the discharge or closure agreed on 10 Nov 2026, until 8 Dec 2026"
    )
    assert case.priority == 0


def test_goals_met_with_scores_in_caseness_is_a_counter_prompt_not_readiness():
    goals = {"goals_met_on": dt.date(2026, 11, 2), "anxiety_instrument": "gad7"}
    case = view(**goals, phq9_last=19.0, anxiety_last=5.0)
    assert case.step_down == "goals met recorded 2 Nov 2026; scores still in caseness: discuss"
    assert view(**goals, phq9_last=9.0, anxiety_last=7.0).step_down == "not yet"
    assert view(**goals, phq9_last=9.0, anxiety_last=8.0).step_down.startswith("goals met")
