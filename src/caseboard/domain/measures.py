"""Outcome measures: instruments, bands, caseness, reliable change, recovery, finished courses.

The definitions are the NHS Talking Therapies ones (DESIGN "Outcome measures"; CLINICAL-RULES
section 3). Three rules matter most for safety (hazard H6, premature discharge):

- Where the problem descriptor calls for an anxiety-disorder-specific measure (ADSM), the ADSM
  replaces GAD-7 as the anxiety component, for caseness and for reliable change alike.
- A missing score is "cannot assess" (None), never "no": a referral with no GAD-7 is not "out of
  caseness". The logic is three-valued throughout: ``True or None`` is True, ``False or None`` is
  None, ``False and None`` is False.
- The assessment_and_treatment contact counts as a treatment contact (seed 002 §17.2); without it
  recovery denominators do not reproduce the published figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseboard.domain import contacts
from caseboard.domain.policy import ADSM_FOR_DESCRIPTOR, AnxietyMeasure, Policy

MIN_TREATMENT_CONTACTS_FOR_FINISHED_COURSE = 2  # NHS Talking Therapies definitions
ANXIETY_INSTRUMENTS = frozenset({"gad7", *ADSM_FOR_DESCRIPTOR.values()})


@dataclass(frozen=True)
class Instrument:
    code: str  # as in domain.codes.INSTRUMENTS
    name: str
    minimum: float
    maximum: float
    higher_is_better: bool = False


# Score ranges from each instrument's published scoring (total score unless stated); an importer
# quarantines a score outside its range rather than guessing.
INSTRUMENTS: dict[str, Instrument] = {
    i.code: i
    for i in (
        Instrument("phq9", "PHQ-9 (depression)", 0, 27),
        Instrument("gad7", "GAD-7 (generalised anxiety)", 0, 21),
        Instrument("wsas", "Work and Social Adjustment Scale", 0, 40),
        Instrument("spin", "Social Phobia Inventory", 0, 68),
        Instrument("pcl5", "PTSD Checklist for DSM-5", 0, 80),
        Instrument("pdss", "Panic Disorder Severity Scale", 0, 28),
        Instrument("oci_r", "Obsessive-Compulsive Inventory, revised", 0, 72),
        Instrument("shai", "Short Health Anxiety Inventory", 0, 54),
        Instrument("mi", "Mobility Inventory, alone (mean item score)", 1, 5),
        Instrument("honos", "HoNOS", 0, 48),
        Instrument("honos65", "HoNOS 65+", 0, 48),
        Instrument("honos_ld", "HoNOS-LD", 0, 72),
        Instrument("honosca", "HoNOSCA (items 1-13)", 0, 52),
        Instrument("dialog", "DIALOG (mean satisfaction score)", 1, 7, higher_is_better=True),
        Instrument("reqol10", "ReQoL-10", 0, 40, higher_is_better=True),
        Instrument("sdq", "SDQ total difficulties", 0, 40),
        Instrument("rcads", "RCADS total", 0, 141),
        Instrument("gbo", "goal-based outcome (per goal)", 0, 10, higher_is_better=True),
    )
}

# Bands as (lowest score of the band, label). GAD-7 uses the published bands: seed 002 §9 prints
# overlapping local ones (5-10, 11-15, 15-21), which DESIGN and CLINICAL-RULES §3 set aside.
BANDS: dict[str, tuple[tuple[float, str], ...]] = {
    "phq9": ((0, "none"), (5, "mild"), (10, "moderate"), (15, "moderately severe"), (20, "severe")),
    "gad7": ((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe")),
    "wsas": (
        (0, "subclinical"),
        (10, "significant impairment"),
        (21, "moderately severe or worse"),
    ),
}


def check_score(instrument: str, score: float) -> float:
    """Return ``score`` when it is within the instrument's range; otherwise raise ValueError."""
    spec = INSTRUMENTS.get(instrument)
    if spec is None:
        raise ValueError(f"unknown instrument {instrument!r}")
    if not spec.minimum <= score <= spec.maximum:
        raise ValueError(
            f"{spec.name} score {score:g} is outside {spec.minimum:g} to {spec.maximum:g}"
        )
    return score


def band(instrument: str, score: float) -> str:
    """The severity band of a PHQ-9, GAD-7 or WSAS score, e.g. band("phq9", 10) == "moderate"."""
    if instrument not in BANDS:
        raise ValueError(f"no bands are defined for {instrument!r}")
    check_score(instrument, score)
    return [label for lowest, label in BANDS[instrument] if score >= lowest][-1]


def anxiety_measure(problem_descriptor: str | None, policy: Policy) -> AnxietyMeasure:
    """The anxiety component for a problem descriptor: its ADSM where it has one, else GAD-7.

    A missing descriptor gives GAD-7; DESCRIPTOR_MISSING flags the gap separately.
    """
    instrument = ADSM_FOR_DESCRIPTOR.get(problem_descriptor or "", "gad7")
    return AnxietyMeasure(
        instrument, policy.caseness(instrument), policy.reliable_change(instrument)
    )


@dataclass(frozen=True)
class Scores:
    """The paired measures of one contact: PHQ-9 and the anxiety component (None = missing)."""

    phq9: float | None
    anxiety: float | None
    anxiety_instrument: str = "gad7"

    def __post_init__(self) -> None:
        if self.anxiety_instrument not in ANXIETY_INSTRUMENTS:
            raise ValueError(f"{self.anxiety_instrument!r} is not GAD-7 or an ADSM")
        if self.phq9 is not None:
            check_score("phq9", self.phq9)
        if self.anxiety is not None:
            check_score(self.anxiety_instrument, self.anxiety)


def _or(*values: bool | None) -> bool | None:
    if any(value is True for value in values):
        return True
    return None if any(value is None for value in values) else False


def _and(*values: bool | None) -> bool | None:
    if any(value is False for value in values):
        return False
    return None if any(value is None for value in values) else True


def _not(value: bool | None) -> bool | None:
    return None if value is None else not value


def _at_least(score: float | None, cut_off: float) -> bool | None:
    return None if score is None else score >= cut_off


def in_caseness(
    phq9: float | None, anxiety_score: float | None, anxiety_instrument: str, policy: Policy
) -> bool | None:
    """PHQ-9 >= 10 or the anxiety measure >= its cut-off (GAD-7 >= 8, or the ADSM's)."""
    return _or(
        _at_least(phq9, policy.phq9_caseness),
        _at_least(anxiety_score, policy.caseness(anxiety_instrument)),
    )


def scores_in_caseness(scores: Scores, policy: Policy) -> bool | None:
    return in_caseness(scores.phq9, scores.anxiety, scores.anxiety_instrument, policy)


# Scores and indices are decimals (the mobility inventory is a mean item score to 0.01 with a
# reliable change index of 0.73), but in floating point 2.01 - 1.28 is 0.7299999999999998. A change
# is reliable when it is at least the index (NHS Talking Therapies manual), so it is compared
# within this tolerance, far finer than any instrument's resolution. The engine's rules
# (engine/rules/treatment.py) compare the same way through ``reliable_threshold``.
CHANGE_TOLERANCE = 1e-9


def reliable_threshold(index: float) -> float:
    """The smallest change that counts as reliable for a reliable change ``index``."""
    return index - CHANGE_TOLERANCE


def _change(first: float | None, last: float | None, threshold: float, sign: int) -> bool | None:
    if first is None or last is None:
        return None
    return sign * (last - first) >= reliable_threshold(threshold)


def _changes(first: Scores, last: Scores, policy: Policy, sign: int) -> tuple[bool | None, ...]:
    """(PHQ-9, anxiety) reliable change in the direction ``sign`` (+1 rise, -1 fall)."""
    phq9 = _change(first.phq9, last.phq9, policy.phq9_reliable_change, sign)
    if first.anxiety_instrument != last.anxiety_instrument:
        return phq9, None  # a change of descriptor: the anxiety scores are not comparable
    rci = policy.reliable_change(first.anxiety_instrument)
    return phq9, _change(first.anxiety, last.anxiety, rci, sign)


def reliable_improvement(first: Scores, last: Scores, policy: Policy) -> bool | None:
    """A reliable fall on PHQ-9 or the anxiety measure, and no reliable rise on either."""
    falls, rises = _changes(first, last, policy, -1), _changes(first, last, policy, +1)
    return _and(_or(*falls), _not(_or(*rises)))


def reliable_deterioration(first: Scores, last: Scores, policy: Policy) -> bool | None:
    """The KPI definition: a reliable rise on either measure and no reliable fall on the other."""
    (phq9_fall, anxiety_fall) = _changes(first, last, policy, -1)
    (phq9_rise, anxiety_rise) = _changes(first, last, policy, +1)
    return _or(_and(phq9_rise, _not(anxiety_fall)), _and(anxiety_rise, _not(phq9_fall)))


def deteriorating_flag(first: Scores, last: Scores, policy: Policy) -> bool | None:
    """The DETERIORATING flag: a reliable rise on either measure, whatever the other did.

    More sensitive than the KPI on purpose: a PHQ-9 up 7 with GAD-7 down 5 still needs a look.
    """
    return _or(*_changes(first, last, policy, +1))


def any_reliable_fall(first: Scores, last: Scores, policy: Policy) -> bool | None:
    """NOT_IMPROVING's test: a reliable fall on any relevant measure (rises not considered)."""
    return _or(*_changes(first, last, policy, -1))


def recovery(first: Scores, last: Scores, policy: Policy) -> bool | None:
    """In caseness at the first paired measure and out of caseness at the last.

    None when it cannot be assessed, including when the first measure was not in caseness: such
    a course is outside the recovery denominator, so it neither recovered nor failed to.
    """
    if scores_in_caseness(first, policy) is not True:
        return None
    return _not(scores_in_caseness(last, policy))


def reliable_recovery(first: Scores, last: Scores, policy: Policy) -> bool | None:
    """Recovery together with reliable improvement (None outside the recovery denominator)."""
    recovered = recovery(first, last, policy)
    if recovered is None:
        return None
    return _and(recovered, reliable_improvement(first, last, policy))


def recovered_flag(first: Scores, measured: list[Scores], policy: Policy) -> bool | None:
    """RECOVERED (before hold-backs): first paired score in caseness and the last two measured
    contacts both below caseness. One score below caseness is a blip, not recovery.

    ``measured`` is the contacts' scores in date order; DETERIORATING and PHQ9_ITEM9 hold the
    flag back (flags.CATALOGUE), which the caller applies.
    """
    start = scores_in_caseness(first, policy)
    if start is None:
        return None
    if not start:
        return False
    if len(measured) < 2:
        return False
    return _and(*(_not(scores_in_caseness(scores, policy)) for scores in measured[-2:]))


def phq9_item9_concern(item9: int | None, policy: Policy) -> bool | None:
    """PHQ-9 item 9 (thoughts of being better off dead or of self-harm) at or above 1."""
    if item9 is not None and not 0 <= item9 <= 3:
        raise ValueError(f"PHQ-9 item 9 is scored 0 to 3, not {item9}")
    return None if item9 is None else item9 >= policy.phq9_item9_threshold


def is_attended_clinical_contact(kind: str, outcome: str, *, direct: bool = True) -> bool:
    """Attended, direct with the patient (a group counts), of a clinical kind.

    A past contact still "booked" is not attended: OUTCOME_NOT_RECORDED flags it instead.
    """
    return outcome == "attended" and direct and kind in contacts.CLINICAL_KINDS


def is_treatment_contact(kind: str, outcome: str, *, direct: bool = True) -> bool:
    """An attended clinical contact of kind assessment_and_treatment or treatment."""
    return is_attended_clinical_contact(kind, outcome, direct=direct) and (
        kind in contacts.TREATMENT_KINDS
    )


def finished_course(ended: bool, treatment_contacts: int) -> bool:
    """An ended referral with at least 2 treatment contacts (assessment_and_treatment counts)."""
    if treatment_contacts < 0:
        raise ValueError("treatment_contacts must not be negative")
    return ended and treatment_contacts >= MIN_TREATMENT_CONTACTS_FOR_FINISHED_COURSE
