import dataclasses
import datetime as dt

import pytest

from caseboard.domain.codes import INSTRUMENTS, PRACTITIONER_ROLES, PROBLEM_DESCRIPTORS
from caseboard.domain.policy import (
    ADSM_FOR_DESCRIPTOR,
    CLUSTER_REVIEW,
    DEFAULT_POLICY,
    Policy,
    PolicyError,
    anxiety_measures,
    cluster_review_due,
    describe,
    load_policy,
    settings,
)

APPROVAL = '\n[approval]\napproved_by = "Dr A Example"\nreason = "commissioned target"\n'


@pytest.fixture
def policy_file(tmp_path):
    def write(text: str):
        path = tmp_path / "policy.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("first_appointment_internal_days", 28),
        ("first_appointment_national_days", 42),
        ("first_treatment_6_week_percent", 75.0),
        ("first_treatment_18_week_percent", 95.0),
        ("second_appointment_amber_days", 28),
        ("second_appointment_red_days", 90),
        ("second_appointment_over_red_max_percent", 10.0),
        ("kit_amber_days", 21),
        ("kit_red_days", 28),
        ("kit_recurrence_days", 28),
        ("dna_review_count", 2),
        ("step2_session_review", 4),
        ("step2_session_limit", 7),
        ("step2_session_maximum", 10),
        ("step3_session_review", 10),
        ("step3_session_limit", 13),
        ("step3_session_maximum", 20),
        ("not_improving_step2_contacts", 3),
        ("not_improving_step3_contacts", 6),
        ("supervision_standard_percent", 80.0),
        ("discussion_interval_months", 12),
        ("discussion_interval_days_talking_therapies", 28),
        ("not_discussed_amber_window_days", 30),
        ("transfer_review_days", 28),
        ("long_episode_step2_weeks", 16),
        ("long_episode_step3_weeks", 26),
        ("high_risk_share_amber_percent", 10.0),
        ("high_risk_share_red_percent", 15.0),
        ("high_risk_share_minimum_cases", 10),
        ("random_sample_cases", 3),
        ("data_freshness_hours", 24),
        ("outcome_not_recorded_days", 2),
        ("dna_followup_working_days", 7),
        ("step_change_days", 14),
        ("discharge_agreed_days", 28),
        ("unscreened_urgent_days", 0),
        ("snooze_maximum_days", 28),
        ("month_freeze_working_days", 5),
        ("kappa_minimum", 0.6),
        ("kappa_minimum_pairs", 30),
        ("phq9_caseness", 10.0),
        ("gad7_caseness", 8.0),
        ("phq9_reliable_change", 6.0),
        ("gad7_reliable_change", 4.0),
        ("weight_base", 1.0),
        ("weight_high_risk", 0.5),
        ("weight_medium_risk", 0.2),
        ("weight_safeguarding", 0.3),
        ("weight_dna", 0.2),
        ("weight_additional_needs", 0.2),
        ("weight_weekly_contact", 0.3),
        ("weight_cluster", 0.5),
        ("weight_clusters", (5, 6, 8, 13, 14, 15, 16, 17)),
        ("weight_step3", 0.5),
        ("weight_band_2_from", 1.3),
        ("weight_band_3_from", 1.8),
        ("weight_band_4_from", 2.3),
    ],
)
def test_policy_defaults_match_the_rules(name, value):
    assert getattr(DEFAULT_POLICY, name) == value
    assert type(getattr(DEFAULT_POLICY, name)) is type(value)


@pytest.mark.parametrize(
    ("name", "key", "value"),
    [
        ("no_contact_days", "talking_therapies", 14),
        # Community: the care-plan interval where the team sets one, else 28 days (revision 2).
        ("no_contact_days", "adult_cmh", 28),
        ("no_contact_days", "learning_disability", 28),
        ("no_contact_days", "camhs", 28),
        ("no_contact_days", "home_based_treatment", 1),
        ("no_contact_stable_days", "adult_cmh", 91),
        ("no_contact_stable_days", "talking_therapies", None),
        ("caseload_cap_per_wte", "pwp", 70),
        ("caseload_cap_per_wte", "high_intensity_therapist", 40),
        ("caseload_cap_per_wte", "care_coordinator", None),
        ("caseload_cap_per_wte", "psychologist", None),
        ("caseload_cap_absolute", "trainee_pwp", 42),
        ("caseload_cap_absolute", "trainee_hit", 24),
    ],
)
def test_policy_keyed_defaults(name, key, value):
    assert getattr(DEFAULT_POLICY, name)[key] == value


def test_policy_caps_cover_every_role_once():
    per_wte = set(DEFAULT_POLICY.caseload_cap_per_wte)
    absolute = set(DEFAULT_POLICY.caseload_cap_absolute)
    assert per_wte | absolute == set(PRACTITIONER_ROLES)
    assert not per_wte & absolute


@pytest.mark.parametrize("setting", settings(), ids=lambda s: s.name)
def test_setting_is_documented_and_default_in_range(setting):
    assert setting.source and setting.description and setting.unit
    assert setting.minimum <= setting.maximum
    values = setting.value if isinstance(setting.value, tuple) else (setting.value,)
    for value in values:
        assert value is None or setting.minimum <= value <= setting.maximum
    assert setting.value == setting.default


@pytest.mark.parametrize(
    ("name", "local"),
    [
        ("first_appointment_internal_days", False),
        ("kit_red_days", False),
        ("kit_amber_days", True),
        ("kit_recurrence_days", True),
        ("long_episode_step2_weeks", True),
        ("long_episode_step3_weeks", True),
        ("unscreened_days", True),
        ("no_contact_days.talking_therapies", False),
        ("no_contact_days.adult_cmh", True),
        ("care_docs_days.adult_cmh", True),
        ("risk_review_days.camhs", True),
        ("caseload_cap_per_wte.pwp", False),
        ("caseload_cap_per_wte.nurse", True),
        ("caseload_cap_absolute.trainee_pwp", False),
        ("phq9_caseness", False),
    ],
)
def test_setting_local_marks_defaults_not_from_the_seeds(name, local):
    assert {s.name: s for s in settings()}[name].local is local


def test_settings_names_unique():
    names = [s.name for s in settings()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("descriptor", "instrument", "caseness", "reliable_change"),
    [
        ("social_anxiety", "spin", 19, 10),
        ("ptsd", "pcl5", 32, 10),
        ("panic", "pdss", 8, 5),
        ("ocd", "oci_r", 21, 14),
        ("health_anxiety", "shai", 18, 4),
        ("agoraphobia", "mi", 2.3, 0.73),
        ("depression", "gad7", 8, 4),
        ("generalised_anxiety", "gad7", 8, 4),
        ("mixed_anxiety_depression", "gad7", 8, 4),
        ("specific_phobia", "gad7", 8, 4),
        ("other", "gad7", 8, 4),
    ],
)
def test_anxiety_measures_by_descriptor(descriptor, instrument, caseness, reliable_change):
    measure = anxiety_measures(DEFAULT_POLICY)[descriptor]
    assert (measure.instrument, measure.caseness, measure.reliable_change) == (
        instrument,
        caseness,
        reliable_change,
    )


def test_anxiety_measures_cover_every_descriptor_with_known_instruments():
    assert set(anxiety_measures(DEFAULT_POLICY)) == set(PROBLEM_DESCRIPTORS)
    assert set(ADSM_FOR_DESCRIPTOR) <= set(PROBLEM_DESCRIPTORS)
    assert set(ADSM_FOR_DESCRIPTOR.values()) <= set(INSTRUMENTS)


def test_policy_is_hashable_and_compares_by_value():
    assert hash(DEFAULT_POLICY) == hash(Policy())
    assert Policy() == DEFAULT_POLICY
    assert dataclasses.replace(DEFAULT_POLICY, kit_red_days=30) != DEFAULT_POLICY


def test_load_policy_keyed_override_as_subtable(policy_file):
    text = "[policy.no_contact_days]\nadult_cmh = 35\ncamhs = 21\n" + APPROVAL
    policy = load_policy(policy_file(text))
    assert (policy.no_contact_days["adult_cmh"], policy.no_contact_days["camhs"]) == (35, 21)
    assert hash(policy) != hash(DEFAULT_POLICY)


def test_policy_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_POLICY.first_appointment_internal_days = 30  # type: ignore[misc]
    with pytest.raises(TypeError):
        DEFAULT_POLICY.no_contact_days["adult_cmh"] = 7  # type: ignore[index]


def test_load_policy_without_file_is_default():
    assert load_policy(None) is DEFAULT_POLICY


def test_load_policy_override_applies_and_describe_marks_it(policy_file):
    policy = load_policy(
        policy_file(
            "[policy]\nfirst_appointment_internal_days = 30\n"
            "no_contact_days = { adult_cmh = 21 }\n" + APPROVAL + "approved_on = 2026-04-01\n"
        )
    )
    assert policy.first_appointment_internal_days == 30
    assert policy.no_contact_days["adult_cmh"] == 21
    assert policy.no_contact_days["talking_therapies"] == 14  # other keys keep their defaults
    assert policy.approval is not None
    assert policy.approval.approved_by == "Dr A Example"
    assert policy.approval.approved_on == dt.date(2026, 4, 1)
    rows = {row["name"]: row for row in describe(policy)}
    assert rows["first_appointment_internal_days"]["changed"] is True
    assert rows["first_appointment_internal_days"]["default"] == 28
    assert rows["no_contact_days.adult_cmh"]["changed"] is True
    assert rows["no_contact_days.talking_therapies"]["changed"] is False
    assert rows["kit_red_days"]["changed"] is False
    assert set(rows["kit_red_days"]) >= {"name", "value", "unit", "source", "local", "changed"}


@pytest.mark.parametrize(("value", "loads"), [(6, False), (7, True), (42, True), (43, False)])
def test_load_policy_internal_target_range_boundaries(policy_file, value, loads):
    lines = f"first_appointment_internal_days = {value}\nwait_first_amber_days = 7"
    path = policy_file(f"[policy]\n{lines}\n{APPROVAL}")
    if loads:
        assert load_policy(path).first_appointment_internal_days == value
    else:
        with pytest.raises(PolicyError, match="outside the allowed range"):
            load_policy(path)


def test_load_policy_28_typed_as_280_refuses_naming_setting_value_and_range(policy_file):
    path = policy_file(f"[policy]\nfirst_appointment_internal_days = 280\n{APPROVAL}")
    with pytest.raises(PolicyError) as refused:
        load_policy(path)
    message = str(refused.value)
    assert "first_appointment_internal_days" in message
    assert "280" in message
    assert "7 to 42 days" in message


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('first_appointment_internal_days = "28"', "is not a number"),
        ("first_appointment_internal_days = 28.0", "is not a whole number"),
        ("first_appointment_internal_days = true", "is not a number"),
        ("phq9_caseness = 9", "national definition"),
        ("gad7_caseness = 10", "national definition"),
        ("first_appointment_national_days = 56", "national definition"),
        ("weight_high_risk = -0.1", "outside the allowed range"),
        ("no_contact_days = 14", "must be a table"),
        ("no_contact_days = { community = 14 }", "has no key 'community'"),
        ("no_contact_days = { adult_cmh = 0 }", "no_contact_days.adult_cmh = 0"),
        ("weight_clusters = 5", "is not a list"),
        ("weight_clusters = [5, 22]", "outside the allowed range"),
        ("first_apointment_internal_days = 28", "unknown policy setting"),
    ],
)
def test_load_policy_refuses_bad_values(policy_file, line, problem):
    with pytest.raises(PolicyError, match=problem):
        load_policy(policy_file(f"[policy]\n{line}\n{APPROVAL}"))


def test_load_policy_float_setting_accepts_whole_number(policy_file):
    policy = load_policy(policy_file(f"[policy]\nsupervision_standard_percent = 85\n{APPROVAL}"))
    assert policy.supervision_standard_percent == 85.0
    assert isinstance(policy.supervision_standard_percent, float)


def test_load_policy_cluster_list_sorted_and_deduplicated(policy_file):
    policy = load_policy(policy_file(f"[policy]\nweight_clusters = [17, 5, 5]\n{APPROVAL}"))
    assert policy.weight_clusters == (5, 17)


@pytest.mark.parametrize(
    ("approval", "problem"),
    [
        ("", "needs an \\[approval\\] table"),
        ('[approval]\nreason = "x"\n', "approved_by"),
        ('[approval]\napproved_by = " "\nreason = "x"\n', "approved_by"),
        ('[approval]\napproved_by = "Dr A"\n', "reason"),
        ('[approval]\napproved_by = "Dr A"\nreason = "x"\napproved_on = "April"\n', "a date"),
        ('[approval]\napproved_by = "Dr A"\nreason = "x"\nby = "y"\n', "unknown keys: by"),
    ],
)
def test_load_policy_change_needs_named_approval(policy_file, approval, problem):
    with pytest.raises(PolicyError, match=problem):
        load_policy(policy_file(f"[policy]\nkit_red_days = 30\n{approval}"))


def test_load_policy_without_changes_needs_no_approval(policy_file):
    assert load_policy(policy_file("[policy]\n")) == DEFAULT_POLICY


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        ("kit_amber_days = 21\nkit_red_days = 20", "kit_amber_days = 21 must not be above"),
        ("step2_session_review = 8", "step2_session_review = 8 must not be above"),
        ("wait_first_amber_days = 30", "wait_first_amber_days = 30 must not be above"),
        ("high_risk_share_amber_percent = 20", "high_risk_share_amber_percent"),
        ("weight_band_3_from = 1.3", "weight_band_2_from = 1.3 must be below"),
    ],
)
def test_load_policy_refuses_inconsistent_order(policy_file, lines, problem):
    with pytest.raises(PolicyError, match=problem):
        load_policy(policy_file(f"[policy]\n{lines}\n{APPROVAL}"))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[policy\n", "not valid TOML"),
        ("[polcy]\nkit_red_days = 30\n", "unknown tables: polcy"),
        ("policy = 3\n", "must be a table"),
    ],
)
def test_load_policy_refuses_malformed_file(policy_file, text, problem):
    with pytest.raises(PolicyError, match=problem):
        load_policy(policy_file(text))


def test_load_policy_missing_file_refuses(tmp_path):
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "absent.toml")


def test_describe_has_one_row_per_setting_with_range():
    rows = describe(DEFAULT_POLICY)
    assert len(rows) == len(settings())
    assert not any(row["changed"] for row in rows)
    assert {row["name"]: row for row in rows}["phq9_caseness"]["range"] == (
        "10 only (a national definition)"
    )


@pytest.mark.parametrize(
    ("instrument", "caseness", "reliable_change"),
    [("phq9", 10, 6), ("gad7", 8, 4), ("spin", 19, 10), ("mi", 2.3, 0.73)],
)
def test_policy_caseness_and_reliable_change_by_instrument(instrument, caseness, reliable_change):
    assert DEFAULT_POLICY.caseness(instrument) == caseness
    assert DEFAULT_POLICY.reliable_change(instrument) == reliable_change


@pytest.mark.parametrize(
    ("cluster", "assessed_on", "due"),
    [
        (14, dt.date(2026, 3, 1), dt.date(2026, 3, 29)),  # 4 weeks = 28 days
        (15, dt.date(2026, 3, 1), dt.date(2026, 3, 29)),
        (1, dt.date(2026, 3, 1), dt.date(2026, 5, 24)),  # 12 weeks = 84 days
        (2, dt.date(2026, 3, 1), dt.date(2026, 6, 14)),  # 15 weeks = 105 days
        (3, dt.date(2025, 8, 31), dt.date(2026, 2, 28)),  # 6 calendar months, clamped
        (7, dt.date(2024, 2, 29), dt.date(2025, 2, 28)),  # 12 calendar months from a leap day
        (0, dt.date(2026, 1, 15), dt.date(2026, 7, 15)),
    ],
)
def test_cluster_review_due_by_cluster(cluster, assessed_on, due):
    assert cluster_review_due(cluster, assessed_on) == due


def test_cluster_review_covers_clusters_0_to_21_except_9():
    assert set(CLUSTER_REVIEW) == set(range(22)) - {9}
    with pytest.raises(ValueError, match="not a care cluster"):
        cluster_review_due(9, dt.date(2026, 1, 1))


def test_policy_fields_all_declared_as_settings():
    declared = {s.name.split(".")[0] for s in settings()}
    fields = {f.name for f in dataclasses.fields(Policy)} - {"approval"}
    assert declared == fields
