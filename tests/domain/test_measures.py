import pytest

from caseboard.domain.codes import CONTACT_KINDS, CONTACT_OUTCOMES
from caseboard.domain.codes import INSTRUMENTS as CODES
from caseboard.domain.measures import (
    INSTRUMENTS,
    Scores,
    anxiety_measure,
    any_reliable_fall,
    band,
    check_score,
    deteriorating_flag,
    finished_course,
    in_caseness,
    is_attended_clinical_contact,
    is_treatment_contact,
    phq9_item9_concern,
    recovered_flag,
    recovery,
    reliable_deterioration,
    reliable_improvement,
    reliable_recovery,
)
from caseboard.domain.policy import DEFAULT_POLICY as P


def test_instruments_cover_every_instrument_code():
    assert set(INSTRUMENTS) == set(CODES)


@pytest.mark.parametrize(
    ("instrument", "low", "high"),
    [("phq9", 0, 27), ("gad7", 0, 21), ("wsas", 0, 40), ("honos", 0, 48), ("spin", 0, 68)],
)
def test_check_score_range_boundaries(instrument, low, high):
    assert check_score(instrument, low) == low
    assert check_score(instrument, high) == high
    for outside in (low - 1, high + 1):
        with pytest.raises(ValueError, match="outside"):
            check_score(instrument, outside)


def test_check_score_unknown_instrument():
    with pytest.raises(ValueError, match="unknown instrument"):
        check_score("bdi", 10)


@pytest.mark.parametrize(
    ("instrument", "score", "label"),
    [
        ("phq9", 0, "none"),
        ("phq9", 4, "none"),
        ("phq9", 5, "mild"),
        ("phq9", 9, "mild"),
        ("phq9", 10, "moderate"),
        ("phq9", 14, "moderate"),
        ("phq9", 15, "moderately severe"),
        ("phq9", 19, "moderately severe"),
        ("phq9", 20, "severe"),
        ("phq9", 27, "severe"),
        ("gad7", 4, "minimal"),
        ("gad7", 5, "mild"),
        ("gad7", 9, "mild"),
        ("gad7", 10, "moderate"),  # seed 002's local bands would say mild
        ("gad7", 14, "moderate"),
        ("gad7", 15, "severe"),
        ("gad7", 21, "severe"),
        ("wsas", 9, "subclinical"),
        ("wsas", 10, "significant impairment"),
        ("wsas", 20, "significant impairment"),
        ("wsas", 21, "moderately severe or worse"),
        ("wsas", 40, "moderately severe or worse"),
    ],
)
def test_band_boundaries(instrument, score, label):
    assert band(instrument, score) == label


def test_band_undefined_for_other_instruments():
    with pytest.raises(ValueError, match="no bands"):
        band("honos", 10)


@pytest.mark.parametrize(
    ("descriptor", "instrument"),
    [
        ("social_anxiety", "spin"),
        ("ptsd", "pcl5"),
        ("panic", "pdss"),
        ("ocd", "oci_r"),
        ("health_anxiety", "shai"),
        ("agoraphobia", "mi"),
        ("depression", "gad7"),
        ("generalised_anxiety", "gad7"),
        ("specific_phobia", "gad7"),
        (None, "gad7"),  # no descriptor yet: GAD-7, and DESCRIPTOR_MISSING says so
    ],
)
def test_anxiety_measure_by_descriptor(descriptor, instrument):
    assert anxiety_measure(descriptor, P).instrument == instrument


@pytest.mark.parametrize(
    ("phq9", "gad7", "expected"),
    [
        (9, 7, False),
        (10, 7, True),  # PHQ-9 on the cut-off
        (9, 8, True),  # GAD-7 on the cut-off
        (11, 0, True),
        (None, 7, None),  # missing PHQ-9: cannot say "not in caseness"
        (9, None, None),
        (10, None, True),  # one measure in caseness is enough
        (None, 8, True),
        (None, None, None),
    ],
)
def test_in_caseness_phq9_and_gad7_boundaries(phq9, gad7, expected):
    assert in_caseness(phq9, gad7, "gad7", P) is expected


@pytest.mark.parametrize(
    ("instrument", "below", "cut_off"),
    [
        ("spin", 18, 19),
        ("pcl5", 31, 32),
        ("pdss", 7, 8),
        ("oci_r", 20, 21),
        ("shai", 17, 18),
        ("mi", 2.2, 2.3),
    ],
)
def test_in_caseness_adsm_cut_offs_replace_gad7(instrument, below, cut_off):
    assert in_caseness(5, below, instrument, P) is False
    assert in_caseness(5, cut_off, instrument, P) is True


def test_in_caseness_adsm_is_not_read_as_gad7():
    # A SPIN of 10 would be caseness on GAD-7's cut-off of 8; on SPIN's 19 it is not.
    assert in_caseness(5, 10, "spin", P) is False


def s(phq9, anxiety, instrument="gad7"):
    return Scores(phq9, anxiety, instrument)


@pytest.mark.parametrize(
    ("first", "last", "improved"),
    [
        (s(15, 5), s(10, 5), False),  # PHQ-9 fall of 5
        (s(15, 5), s(9, 5), True),  # fall of 6
        (s(15, 5), s(8, 5), True),  # fall of 7
        (s(8, 12), s(8, 9), False),  # GAD-7 fall of 3
        (s(8, 12), s(8, 8), True),  # fall of 4
        (s(15, 5), s(9, 9), False),  # PHQ-9 fell 6 but GAD-7 rose 4: not improvement
        (s(15, 5), s(9, 8), True),  # GAD-7 rose 3: not reliable, so improvement stands
        (s(15, None), s(9, None), None),  # GAD-7 unknown: deterioration cannot be ruled out
        (s(None, 12), s(None, 12), None),
        (s(15, 12), s(15, 12), False),
    ],
)
def test_reliable_improvement_boundaries(first, last, improved):
    assert reliable_improvement(first, last, P) is improved


@pytest.mark.parametrize(
    ("first", "last", "kpi", "flag"),
    [
        (s(10, 10), s(15, 10), False, False),  # PHQ-9 rise of 5
        (s(10, 10), s(16, 10), True, True),  # rise of 6
        (s(10, 10), s(10, 13), False, False),  # GAD-7 rise of 3
        (s(10, 10), s(10, 14), True, True),  # rise of 4
        # PHQ-9 up 6, GAD-7 down 4: the KPI says no; the safety flag still fires.
        (s(10, 10), s(16, 6), False, True),
        (s(10, 10), s(4, 14), False, True),
        (s(10, 10), s(16, 7), True, True),  # GAD-7 down 3 is not a reliable fall
        (s(10, None), s(16, None), None, True),  # flag needs only one rise
        (s(10, None), s(12, None), None, None),
    ],
)
def test_reliable_deterioration_kpi_and_flag(first, last, kpi, flag):
    assert reliable_deterioration(first, last, P) is kpi
    assert deteriorating_flag(first, last, P) is flag


@pytest.mark.parametrize(
    ("first_mi", "last_mi", "fell"),
    [(3.02, 2.3, False), (3.03, 2.3, True), (3.04, 2.3, True)],  # RCI 0.73, floats exact
)
def test_any_reliable_fall_adsm_reliable_change_index(first_mi, last_mi, fell):
    assert any_reliable_fall(s(5, first_mi, "mi"), s(5, last_mi, "mi"), P) is fell


@pytest.mark.parametrize(
    ("first_spin", "last_spin", "improved"),
    [(30, 21, False), (30, 20, True)],  # SPIN reliable change 10, not GAD-7's 4
)
def test_reliable_improvement_uses_adsm_index(first_spin, last_spin, improved):
    first, last = s(5, first_spin, "spin"), s(5, last_spin, "spin")
    assert reliable_improvement(first, last, P) is improved


def test_reliable_change_descriptor_changed_anxiety_not_comparable():
    first, last = s(12, 12, "gad7"), s(12, 40, "spin")
    assert deteriorating_flag(first, last, P) is None
    assert any_reliable_fall(s(20, 12, "gad7"), s(12, 40, "spin"), P) is True  # PHQ-9 fell 8


@pytest.mark.parametrize(
    ("first", "last", "recovered", "reliably"),
    [
        (s(12, 9), s(9, 7), True, False),  # recovered, PHQ-9 fall of 3 not reliable
        (s(15, 9), s(9, 7), True, True),  # recovered with a fall of 6
        (s(12, 9), s(10, 7), False, False),  # last PHQ-9 on the cut-off: still in caseness
        (s(12, 9), s(9, 8), False, False),  # last GAD-7 on the cut-off
        (s(9, 7), s(3, 2), None, None),  # not in caseness at first: outside the denominator
        (s(12, 9), s(9, None), None, None),  # last GAD-7 missing
        (s(None, None), s(5, 5), None, None),
    ],
)
def test_recovery_and_reliable_recovery(first, last, recovered, reliably):
    assert recovery(first, last, P) is recovered
    assert reliable_recovery(first, last, P) is reliably


@pytest.mark.parametrize(
    ("first", "measured", "raised"),
    [
        (s(14, 12), [s(12, 10), s(9, 7)], False),  # one score below caseness is a blip
        (s(14, 12), [s(9, 7), s(9, 7)], True),  # the last two below caseness
        (s(14, 12), [s(9, 7), s(9, 7), s(10, 7)], False),  # the latest is back in caseness
        (s(14, 12), [s(9, 7)], False),  # only one measured contact
        (s(14, 12), [s(9, 7), s(9, None)], None),  # the latest GAD-7 missing
        (s(9, 7), [s(5, 5), s(5, 5)], False),  # never in caseness: NOT_CASENESS, not RECOVERED
        (s(None, None), [s(5, 5), s(5, 5)], None),
    ],
)
def test_recovered_flag_needs_the_last_two_below_caseness(first, measured, raised):
    assert recovered_flag(first, measured, P) is raised


@pytest.mark.parametrize(("item9", "concern"), [(0, False), (1, True), (3, True), (None, None)])
def test_phq9_item9_concern_from_1(item9, concern):
    assert phq9_item9_concern(item9, P) is concern


def test_phq9_item9_out_of_range():
    with pytest.raises(ValueError, match="0 to 3"):
        phq9_item9_concern(4, P)


@pytest.mark.parametrize(
    ("ended", "contacts", "finished"),
    [(True, 0, False), (True, 1, False), (True, 2, True), (True, 3, True), (False, 5, False)],
)
def test_finished_course_two_treatment_contacts(ended, contacts, finished):
    assert finished_course(ended, contacts) is finished


def test_finished_course_negative_refused():
    with pytest.raises(ValueError, match="negative"):
        finished_course(True, -1)


@pytest.mark.parametrize("kind", CONTACT_KINDS)
@pytest.mark.parametrize("outcome", CONTACT_OUTCOMES)
def test_treatment_contact_kinds_and_outcomes(kind, outcome):
    attended = outcome == "attended"
    assert is_attended_clinical_contact(kind, outcome) is attended
    treatment = attended and kind in {"assessment_and_treatment", "treatment"}
    assert is_treatment_contact(kind, outcome) is treatment


def test_indirect_contact_is_not_attended_clinical_contact():
    assert is_attended_clinical_contact("treatment", "attended", direct=False) is False
    assert is_treatment_contact("treatment", "attended", direct=False) is False


@pytest.mark.parametrize(
    ("phq9", "anxiety", "instrument", "problem"),
    [
        (28, 5, "gad7", "outside"),
        (5, 22, "gad7", "outside"),
        (5, 6, "mi", "outside"),
        (5, 5, "wsas", "not GAD-7 or an ADSM"),
    ],
)
def test_scores_refuse_out_of_range(phq9, anxiety, instrument, problem):
    with pytest.raises(ValueError, match=problem):
        Scores(phq9, anxiety, instrument)
