import dataclasses

import pytest

from caseboard.domain.codes import RISK_LEVELS
from caseboard.domain.policy import DEFAULT_POLICY as P
from caseboard.domain.weighting import (
    CaseFactors,
    band,
    calibration_adequate,
    capacity,
    complexity_weight,
    normalised_load,
    over_capacity_count_rule,
    over_capacity_weighted_rule,
    weighted_kappa,
)


def test_complexity_weight_base_only():
    weight = complexity_weight(CaseFactors(), P)
    assert weight.total == 1.0
    assert weight.breakdown == (("base", 1.0),)
    assert weight.band == 1


@pytest.mark.parametrize(
    ("factors", "factor", "amount"),
    [
        (CaseFactors(risk_level="high"), "risk concerns recorded as high", 0.5),
        (CaseFactors(risk_level="medium"), "risk concerns recorded as medium", 0.2),
        (CaseFactors(open_safeguarding=True), "open safeguarding concern", 0.3),
        (CaseFactors(dna_count=2), "2 DNAs or patient cancellations", 0.2),
        (CaseFactors(additional_needs=True), "additional needs", 0.2),
        (CaseFactors(attended_contacts_in_window=4), "seen weekly or more", 0.3),
        (CaseFactors(care_cluster=13), "care cluster 13", 0.5),
        (CaseFactors(step=3), "step 3", 0.5),
    ],
)
def test_complexity_weight_each_factor_adds_its_amount(factors, factor, amount):
    weight = complexity_weight(factors, P)
    assert weight.breakdown == (("base", 1.0), (factor, amount))
    assert weight.total == pytest.approx(1.0 + amount)


def test_complexity_weight_breakdown_sums_to_total():
    case = CaseFactors(
        risk_level="high",
        open_safeguarding=True,
        dna_count=3,
        additional_needs=True,
        attended_contacts_in_window=5,
        care_cluster=16,
        step=3,
    )
    weight = complexity_weight(case, P)
    assert weight.total == pytest.approx(sum(amount for _, amount in weight.breakdown))
    assert weight.total == pytest.approx(3.5)
    assert weight.band == 4


@pytest.mark.parametrize("level", [*RISK_LEVELS, None])
def test_complexity_weight_risk_level_never_lowers(level):
    # NG225; CLINICAL-RULES §4: "low" must not make a case lighter than no level at all.
    others = {"open_safeguarding": True, "dna_count": 2}
    with_level = complexity_weight(CaseFactors(risk_level=level, **others), P)
    without = complexity_weight(CaseFactors(risk_level=None, **others), P)
    assert with_level.total >= without.total
    if level == "low":
        assert with_level == without


def test_complexity_weight_refuses_negative_factor():
    # load_policy refuses a negative amount; this guards a policy built some other way.
    policy = dataclasses.replace(P, weight_medium_risk=-0.2)
    with pytest.raises(ValueError, match="never lower"):
        complexity_weight(CaseFactors(risk_level="medium"), policy)


@pytest.mark.parametrize(("dnas", "added"), [(1, False), (2, True), (3, True)])
def test_complexity_weight_dna_pattern_from_two(dnas, added):
    assert (complexity_weight(CaseFactors(dna_count=dnas), P).total > 1.0) is added


@pytest.mark.parametrize(("contacts", "added"), [(3, False), (4, True), (5, True)])
def test_complexity_weight_seen_weekly_from_four_in_28_days(contacts, added):
    case = CaseFactors(attended_contacts_in_window=contacts)
    assert (complexity_weight(case, P).total > 1.0) is added


@pytest.mark.parametrize(
    ("cluster", "added"),
    [
        (4, False),
        (5, True),
        (6, True),
        (7, False),
        (8, True),
        (12, False),
        (13, True),
        (14, True),
        (15, True),
        (16, True),
        (17, True),
        (18, False),
        (None, False),
    ],
)
def test_complexity_weight_clusters(cluster, added):
    assert (complexity_weight(CaseFactors(care_cluster=cluster), P).total > 1.0) is added


@pytest.mark.parametrize(("step", "added"), [(2, False), (3, True), (4, False), (None, False)])
def test_complexity_weight_step_3(step, added):
    assert (complexity_weight(CaseFactors(step=step), P).total > 1.0) is added


@pytest.mark.parametrize(
    ("weight", "expected"),
    [
        (1.0, 1),
        (1.29, 1),
        (1.3, 2),
        (1.31, 2),
        (1.79, 2),
        (1.8, 3),
        (1.81, 3),
        (2.29, 3),
        (2.3, 4),
        (2.31, 4),
        (4.0, 4),
    ],
)
def test_band_boundaries(weight, expected):
    assert band(weight) == expected


def test_band_of_summed_factors_on_a_boundary():
    # 1.0 + 0.4 + 0.4 is 1.8 in decimal but 1.7999999999999998 in binary floating point.
    policy = dataclasses.replace(P, weight_high_risk=0.4, weight_safeguarding=0.4)
    weight = complexity_weight(CaseFactors(risk_level="high", open_safeguarding=True), policy)
    assert weight.total == 1.8
    assert weight.band == 3


def test_case_factors_refuse_bad_values():
    with pytest.raises(ValueError, match="risk_level"):
        CaseFactors(risk_level="very high")
    with pytest.raises(ValueError, match="negative"):
        CaseFactors(dna_count=-1)


@pytest.mark.parametrize(
    ("role", "wte", "fraction", "expected"),
    [
        ("pwp", 1.0, 1.0, 70.0),
        ("pwp", 0.5, 0.8, 28.0),
        ("high_intensity_therapist", 1.0, 1.0, 40.0),
        ("high_intensity_therapist", 0.6, 0.5, 12.0),
        ("trainee_pwp", 1.0, 1.0, 42.0),  # absolute figure
        ("trainee_pwp", 0.5, 0.5, 42.0),
        ("trainee_hit", 1.0, 1.0, 24.0),
        ("care_coordinator", 1.0, 1.0, None),  # cap not set: cannot assess
        ("psychologist", 1.0, 1.0, None),
    ],
)
def test_capacity_per_role(role, wte, fraction, expected):
    result = capacity(role, wte, fraction, P)
    assert result == (None if expected is None else pytest.approx(expected))


def test_capacity_configured_role_cap():
    policy = dataclasses.replace(P, caseload_cap_per_wte={**P.caseload_cap_per_wte, "nurse": 30})
    assert capacity("nurse", 0.8, 1.0, policy) == pytest.approx(24.0)


@pytest.mark.parametrize(
    ("role", "wte", "fraction", "problem"),
    [("wizard", 1.0, 1.0, "unknown"), ("pwp", -0.1, 1.0, "WTE"), ("pwp", 1.0, 1.1, "fraction")],
)
def test_capacity_refuses_bad_input(role, wte, fraction, problem):
    with pytest.raises(ValueError, match=problem):
        capacity(role, wte, fraction, P)


@pytest.mark.parametrize(("count", "over"), [(69, False), (70, False), (71, True)])
def test_over_capacity_count_rule_boundaries(count, over):
    assert over_capacity_count_rule(count, 70.0) is over


def test_over_capacity_count_rule_part_time_boundary():
    cap = capacity("pwp", 0.5, 0.8, P)  # 28
    assert over_capacity_count_rule(28, cap) is False
    assert over_capacity_count_rule(29, cap) is True


def test_over_capacity_count_rule_without_cap_cannot_assess():
    assert over_capacity_count_rule(500, None) is None


@pytest.mark.parametrize(
    ("kappa", "pairs", "adequate"),
    [
        (0.59, 30, False),
        (0.6, 30, True),
        (0.61, 30, True),
        (0.8, 29, False),
        (0.8, 31, True),
        (None, 100, False),
    ],
)
def test_calibration_adequate_kappa_and_pairs(kappa, pairs, adequate):
    assert calibration_adequate(kappa, pairs, P) is adequate


@pytest.mark.parametrize(
    ("load", "kappa", "expected"),
    [(41.0, 0.7, True), (40.0, 0.7, False), (41.0, 0.5, None)],  # uncalibrated: does not fire
)
def test_over_capacity_weighted_rule_only_once_calibrated(load, kappa, expected):
    rule = over_capacity_weighted_rule(load, 40.0, kappa=kappa, pairs=30, policy=P)
    assert rule is expected


def test_normalised_load_in_typical_cases():
    assert normalised_load([1.0, 1.5, 2.0], 1.5) == pytest.approx(3.0)
    with pytest.raises(ValueError, match="positive"):
        normalised_load([1.0], 0)


@pytest.mark.parametrize(
    ("pairs", "kappa"),
    [
        ([(1, 1), (2, 2), (3, 3), (4, 4)], 1.0),
        ([(1, 2), (2, 1)], -1.0),
        # By hand, quadratic weights (i - j)^2 / 9: observed disagreement 1/36, expected 5/36.
        ([(1, 1), (2, 2), (3, 3), (1, 2)], 0.8),
    ],
)
def test_weighted_kappa_known_values(pairs, kappa):
    assert weighted_kappa(pairs) == pytest.approx(kappa)


@pytest.mark.parametrize("pairs", [[], [(2, 2), (2, 2)]])
def test_weighted_kappa_undefined(pairs):
    assert weighted_kappa(pairs) is None


def test_weighted_kappa_refuses_scores_off_the_scale():
    with pytest.raises(ValueError, match="1 to 4"):
        weighted_kappa([(0, 1)])
