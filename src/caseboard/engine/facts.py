"""Per-referral facts the flags are built from: waits, contacts, measures, ownership.

Each function returns one row per referral (``referral_id`` first). Dates are compared as
Europe/London calendar dates; elapsed days are differences of ``epoch_days`` (integers), which
every backend computes alike. Counting conventions: CLINICAL-RULES.md section 2.
"""

from __future__ import annotations

import datetime as dt

import ibis
from ibis import _

from caseboard.engine.tables import Tables

# CLINICAL-RULES section 2: an attended clinical contact is attended, direct, and of one of these
# kinds; a treatment contact is an attended one of the treatment kinds. KIT and review contacts
# never count as treatment (seed 002 appendix 1 section 4.2.2.1).
CLINICAL_KINDS = (
    "assessment",
    "assessment_and_treatment",
    "treatment",
    "review",
    "keeping_in_touch",
)
ASSESSMENT_KINDS = ("assessment", "assessment_and_treatment")
TREATMENT_KINDS = ("assessment_and_treatment", "treatment")
PATIENT_NON_ATTENDANCE = ("did_not_attend", "was_not_brought", "cancelled_by_patient")


def days(value: dt.date) -> ibis.Value:
    return ibis.literal(value).epoch_days()


def open_referrals(t: Tables, as_of: dt.date) -> ibis.Table:
    """Referrals received on or before as_of and not closed by then."""
    r = t.referral
    is_open = (r.received_on <= as_of) & (r.closed_on.isnull() | (r.closed_on > as_of))
    return r.filter(is_open)


def contact_facts(t: Tables, as_of: dt.date) -> ibis.Table:
    c = t.contact
    past = c.starts_on <= as_of
    attended = (c.outcome == "attended") & past
    clinical = attended & c.direct & c.kind.isin(CLINICAL_KINDS)
    treatment = attended & c.kind.isin(TREATMENT_KINDS)
    booked_ahead = (c.outcome == "booked") & (c.starts_on >= as_of)
    return c.group_by(referral_id=c.referral_id).aggregate(
        first_assessment_on=c.starts_on.min(where=attended & c.kind.isin(ASSESSMENT_KINDS)),
        first_treatment_on=c.starts_on.min(where=treatment),
        treatment_contacts=treatment.sum().cast("int64"),
        attended_clinical_contacts=clinical.sum().cast("int64"),
        last_attended_on=c.starts_on.max(where=clinical),
        next_booked_on=c.starts_on.min(where=booked_ahead),
        outcome_not_recorded=((c.outcome == "booked") & (c.starts_on < as_of)).sum().cast("int64"),
        oldest_unrecorded_on=c.starts_on.min(where=(c.outcome == "booked") & (c.starts_on < as_of)),
        dna_or_cancellations=(past & c.outcome.isin(PATIENT_NON_ATTENDANCE)).sum().cast("int64"),
        service_cancellations=(past & (c.outcome == "cancelled_by_service")).sum().cast("int64"),
    )


def second_treatment(t: Tables, as_of: dt.date) -> ibis.Table:
    """The date of the second attended treatment contact, where there is one."""
    c = t.contact
    treatment = c.filter(
        (c.outcome == "attended") & (c.starts_on <= as_of) & c.kind.isin(TREATMENT_KINDS)
    )
    # Every window's ordering ends with the row id: ties differ by backend otherwise.
    ranked = treatment.mutate(
        rank=ibis.row_number().over(group_by=_.referral_id, order_by=[_.starts_on, _.id])
    )
    return ranked.group_by("referral_id").aggregate(
        second_treatment_on=ranked.starts_on.max(where=ranked.rank == 1)
    )


def current_lead(t: Tables, as_of: dt.date) -> ibis.Table:
    """The lead practitioner on as_of, and since when (the latest lead row if several)."""
    m = t.referral_care_team
    current = m.filter(
        (m.role == "lead") & (m.starts_on <= as_of) & (m.ends_on.isnull() | (m.ends_on >= as_of))
    )
    ranked = current.mutate(
        rank=ibis.row_number().over(
            group_by=_.referral_id, order_by=[ibis.desc(_.starts_on), ibis.desc(_.id)]
        )
    )
    return ranked.filter(ranked.rank == 0).select(
        "referral_id", lead_practitioner_id=_.practitioner_id, lead_since=_.starts_on
    )


def measure_facts(t: Tables, as_of: dt.date, instrument: str, prefix: str) -> ibis.Table:
    """First and latest score of one instrument taken at attended contacts (paired measures)."""
    m = t.measure
    c = t.contact.filter(t.contact.outcome == "attended").select(contact_id="id")
    taken = m.filter((m.instrument == instrument) & (m.measured_on <= as_of)).join(
        c, m.contact_id == c.contact_id
    )
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
            f"{prefix}_count": ranked.count(),
        }
    )
