"""Facts from outcome measures: first, previous and latest paired scores per instrument."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import ibis
from ibis import _

from caseboard.engine.facts.common import latest
from caseboard.engine.tables import Tables


def paired(t: Tables, as_of: dt.date) -> ibis.Table:
    """Measures taken at attended contacts by as_of: the only ones that pair (CLINICAL-RULES 3)."""
    m = t.measure
    c = t.contact.filter(t.contact.outcome == "attended").select(attended_contact_id="id")
    return m.filter(m.measured_on <= as_of).join(c, m.contact_id == c.attended_contact_id)


def measure_facts(t: Tables, as_of: dt.date, instrument: str, prefix: str) -> ibis.Table:
    """First, previous and latest score of one instrument (paired measures)."""
    taken = paired(t, as_of)
    return first_and_last(taken.filter(taken.instrument == instrument), prefix)


def anxiety_facts(t: Tables, as_of: dt.date, adsm_by_descriptor: Mapping[str, str]) -> ibis.Table:
    """The anxiety measure that counts for each referral: the anxiety-disorder-specific measure
    its problem descriptor calls for, else GAD-7 (CLINICAL-RULES section 3)."""
    r = t.referral
    expected = r.select(
        expected_key="id",
        anxiety_instrument=anxiety_instrument(r.problem_descriptor, adsm_by_descriptor),
    )
    taken = paired(t, as_of)
    matched = taken.join(
        expected,
        (taken.referral_id == expected.expected_key)
        & (taken.instrument == expected.anxiety_instrument),
    )
    return first_and_last(matched, "anxiety")


def anxiety_instrument(
    problem_descriptor: ibis.Value, adsm_by_descriptor: Mapping[str, str]
) -> ibis.Value:
    return ibis.cases(
        *((problem_descriptor == d, i) for d, i in sorted(adsm_by_descriptor.items())),
        else_="gad7",
    )


def item9(t: Tables, as_of: dt.date) -> ibis.Table:
    """The latest PHQ-9's item 9 (thoughts of self-harm) and its date."""
    taken = paired(t, as_of)
    phq9 = latest(taken.filter(taken.instrument == "phq9"), "referral_id", "measured_on")
    items = t.measure_item.filter(t.measure_item.item == 9)
    joined = phq9.join(items, phq9.id == items.measure_id)
    return joined.select(
        referral_id=joined.referral_id,
        phq9_item9=joined.score_right,
        phq9_item9_on=joined.measured_on,
    )


def first_and_last(taken: ibis.Table, prefix: str) -> ibis.Table:
    ranked = taken.mutate(
        first_rank=ibis.row_number().over(group_by=_.referral_id, order_by=[_.measured_on, _.id]),
        last_rank=ibis.row_number().over(
            group_by=_.referral_id, order_by=[ibis.desc(_.measured_on), ibis.desc(_.id)]
        ),
    )
    return ranked.group_by("referral_id").aggregate(
        **{
            f"{prefix}_first": ranked.score.max(where=ranked.first_rank == 0),
            f"{prefix}_first_on": ranked.measured_on.max(where=ranked.first_rank == 0),
            f"{prefix}_last": ranked.score.max(where=ranked.last_rank == 0),
            f"{prefix}_last_on": ranked.measured_on.max(where=ranked.last_rank == 0),
            f"{prefix}_previous": ranked.score.max(where=ranked.last_rank == 1),
            f"{prefix}_before_previous": ranked.score.max(where=ranked.last_rank == 2),
            f"{prefix}_count": ranked.count(),
        }
    )


CLINICIAN_RATED = ("honos", "honos65", "honos_ld", "honosca")
PATIENT_REPORTED = ("dialog", "reqol10", "sdq", "rcads", "gbo")


def community_outcomes(t: Tables, as_of: dt.date) -> ibis.Table:
    """The latest clinician-rated and patient-reported outcome measure (seed 000 section 4.4:
    outcomes "timely and paired")."""
    taken = paired(t, as_of)
    return taken.group_by("referral_id").aggregate(
        clinician_outcome_on=taken.measured_on.max(where=taken.instrument.isin(CLINICIAN_RATED)),
        patient_outcome_on=taken.measured_on.max(where=taken.instrument.isin(PATIENT_REPORTED)),
    )


def measured_at_last_contact(
    t: Tables, as_of: dt.date, firsts: ibis.Table, window: int
) -> ibis.Table:
    """Whether a PHQ-9 and a GAD-7 are dated within [last attended contact - window, contact],
    linked to it or not (seed 002 section 17.2; CLINICAL-RULES MEASURE_MISSING). ``firsts`` is
    contact_facts' result."""
    m = t.measure
    taken = m.filter(m.instrument.isin(("phq9", "gad7")) & (m.measured_on <= as_of))
    last = firsts.select(last_key="referral_id", contact_day=firsts.last_attended_on.epoch_days())
    joined = taken.join(last, taken.referral_id == last.last_key)
    day = joined.measured_on.epoch_days()
    within = (day <= joined.contact_day) & (day >= joined.contact_day - window)
    return joined.group_by(referral_id=joined.referral_id).aggregate(
        phq9_at_last_contact=(within & (joined.instrument == "phq9")).any(),
        gad7_at_last_contact=(within & (joined.instrument == "gad7")).any(),
    )
