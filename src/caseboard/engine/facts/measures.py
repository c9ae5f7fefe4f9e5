"""Facts from outcome measures: first, previous and latest paired scores per instrument."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import ibis
from ibis import _

from caseboard.engine.tables import Tables

CLINICIAN_RATED = ("honos", "honos65", "honos_ld", "honosca")
PATIENT_REPORTED = ("dialog", "reqol10", "sdq", "rcads", "gbo")


def paired(t: Tables, as_of: dt.date) -> ibis.Table:
    """Measures taken at attended contacts by as_of: the only ones that pair (CLINICAL-RULES 3)."""
    m = t.measure
    c = t.contact.filter(t.contact.outcome == "attended").select(attended_contact_id="id")
    return m.filter(m.measured_on <= as_of).join(c, m.contact_id == c.attended_contact_id)


def outcome_facts(
    t: Tables,
    as_of: dt.date,
    adsm_by_descriptor: Mapping[str, str],
    severe: tuple[float, float] = (15.0, 15.0),
    item9_threshold: int = 2,
) -> ibis.Table:
    """Per referral, from its paired measures in one ranked pass: the first, previous and latest
    PHQ-9 and anxiety measure (the anxiety-disorder-specific measure the problem descriptor calls
    for, else GAD-7: CLINICAL-RULES section 3), the latest PHQ-9's item 9 (thoughts of
    self-harm), the latest PHQ-9 whose item 9 reached ``item9_threshold`` where the one before
    did not (RISK_CONCERNS' new evidence, ADR 19: an item 9 that stays there is not new at every
    session), the first paired PHQ-9 or GAD-7 at or above ``severe`` (SEVERITY_STEP), and the
    latest clinician-rated and patient-reported outcome measure (seed 000 section 4.4: outcomes
    "timely and paired").

    The item 9 answers are joined once, before the ranking: PostgreSQL materialises a table
    expression read twice, and a second read of ``measure_item`` turned the latest-PHQ-9 join
    into a nested loop over every item 9 of the trust (a full refresh of minutes)."""
    taken = paired(t, as_of)
    i = t.measure_item
    items = i.filter(i.item == 9).select(item_measure_id="measure_id", item9="score")
    answered = taken.left_join(items, taken.id == items.item_measure_id)
    r = t.referral
    expected = r.select(
        expected_key="id",
        anxiety_instrument=anxiety_instrument(r.problem_descriptor, adsm_by_descriptor),
    )
    joined = answered.join(expected, answered.referral_id == expected.expected_key)
    # Ranked within each referral's instrument; every ordering ends with the row id.
    by = [_.referral_id, _.instrument]
    oldest_first = [_.measured_on, _.id]
    reached = (_.item9 >= item9_threshold).fill_null(False)
    ranked = joined.mutate(
        first_rank=ibis.row_number().over(group_by=by, order_by=oldest_first),
        last_rank=ibis.row_number().over(
            group_by=by, order_by=[ibis.desc(_.measured_on), ibis.desc(_.id)]
        ),
        item9_reached=reached,
        item9_reached_before=reached.lag().over(group_by=by, order_by=oldest_first),
    )
    phq9 = ranked.instrument == "phq9"
    anxiety = ranked.instrument == ranked.anxiety_instrument
    latest_phq9 = phq9 & (ranked.last_rank == 0)
    new_item9 = phq9 & ranked.item9_reached & ~ranked.item9_reached_before.fill_null(False)
    return ranked.group_by("referral_id").aggregate(
        **_first_and_last(ranked, phq9, "phq9"),
        **_first_and_last(ranked, anxiety, "anxiety"),
        phq9_item9=ranked.item9.max(where=latest_phq9).cast("int64"),
        phq9_item9_on=ranked.measured_on.max(where=latest_phq9 & ranked.item9.notnull()),
        item9_concern_on=ranked.measured_on.max(where=new_item9),
        severe_first_on=ranked.measured_on.min(
            where=(phq9 & (ranked.score >= severe[0]))
            | ((ranked.instrument == "gad7") & anxiety & (ranked.score >= severe[1]))
        ),
        clinician_outcome_on=ranked.measured_on.max(where=ranked.instrument.isin(CLINICIAN_RATED)),
        patient_outcome_on=ranked.measured_on.max(where=ranked.instrument.isin(PATIENT_REPORTED)),
    )


def anxiety_instrument(
    problem_descriptor: ibis.Value, adsm_by_descriptor: Mapping[str, str]
) -> ibis.Value:
    return ibis.cases(
        *((problem_descriptor == d, i) for d, i in sorted(adsm_by_descriptor.items())),
        else_="gad7",
    )


def _first_and_last(
    ranked: ibis.Table, instrument: ibis.Value, prefix: str
) -> dict[str, ibis.Value]:
    """The first, latest, previous and the one before of one instrument's scores; its count is
    null, not 0, where the referral has none of it."""

    def at(rank: ibis.Value, column: str) -> ibis.Value:
        return ranked[column].max(where=instrument & rank)

    return {
        f"{prefix}_first": at(ranked.first_rank == 0, "score"),
        f"{prefix}_first_on": at(ranked.first_rank == 0, "measured_on"),
        f"{prefix}_last": at(ranked.last_rank == 0, "score"),
        f"{prefix}_last_on": at(ranked.last_rank == 0, "measured_on"),
        f"{prefix}_previous": at(ranked.last_rank == 1, "score"),
        f"{prefix}_before_previous": at(ranked.last_rank == 2, "score"),
        f"{prefix}_count": ranked.count(where=instrument).nullif(0),
    }


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
