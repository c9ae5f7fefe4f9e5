"""Facts from contacts: assessment and treatment dates, counts, attendance, what is booked."""

from __future__ import annotations

import datetime as dt

import ibis

from caseboard.domain.contacts import (
    ASSESSMENT_KINDS,
    CLINICAL_KINDS,
    DID_NOT_ATTEND,
    PATIENT_NON_ATTENDANCE,
    SESSION_KINDS,
    TREATMENT_KINDS,
)
from caseboard.engine.facts.common import days, order_key
from caseboard.engine.tables import Tables

# The ordering keys contact_facts passes to after_firsts, dropped before the snapshot.
FIRST_KEYS = ("first_treatment_key", "first_offer_key")


def contact_facts(t: Tables, as_of: dt.date, window_days: int) -> ibis.Table:
    """Per referral, from one pass over its contacts. ``attended_contacts_in_window`` counts the
    attended clinical contacts dated within ``window_days`` of as_of (elapsed days 0 to the
    window, both ends counted: the "within N days" convention of CLINICAL-RULES section 2)."""
    c = t.contact
    past = c.starts_on <= as_of
    attended = (c.outcome == "attended") & past
    direct = attended & c.direct
    clinical = direct & c.kind.isin(CLINICAL_KINDS)
    treatment = _treatment(c, as_of)
    # Booked ahead: still booked, or (looking back from a past as_of, for the monthly history)
    # held after as_of, so booked at the time. A later cancellation was not.
    held_later = c.outcome.isin(("attended", *DID_NOT_ATTEND)) & (c.starts_on > as_of)
    booked_ahead = ((c.outcome == "booked") & (c.starts_on >= as_of)) | held_later
    elapsed = days(as_of) - c.starts_on.epoch_days()
    key = order_key(c.starts_on, c.id)
    return c.group_by(referral_id=c.referral_id).aggregate(
        first_assessment_on=c.starts_on.min(where=direct & c.kind.isin(ASSESSMENT_KINDS)),
        first_treatment_on=c.starts_on.min(where=treatment),
        first_treatment_key=key.min(where=treatment),
        first_offer_key=key.min(where=_offered(c, as_of)),
        treatment_contacts=treatment.sum().cast("int64"),
        attended_clinical_contacts=clinical.sum().cast("int64"),
        attended_contacts_in_window=(clinical & (elapsed <= window_days)).sum().cast("int64"),
        session_contacts=(direct & c.kind.isin(SESSION_KINDS)).sum().cast("int64"),
        last_attended_on=c.starts_on.max(where=clinical),
        # An appointment with the patient: a booked call to the GP does not clear NO_CONTACT.
        next_booked_on=c.starts_on.min(where=booked_ahead & c.direct & c.kind.isin(CLINICAL_KINDS)),
        outcome_not_recorded=((c.outcome == "booked") & (c.starts_on < as_of)).sum().cast("int64"),
        oldest_unrecorded_on=c.starts_on.min(where=(c.outcome == "booked") & (c.starts_on < as_of)),
        dna_or_cancellations=(past & c.outcome.isin(PATIENT_NON_ATTENDANCE)).sum().cast("int64"),
        service_cancellations=(past & (c.outcome == "cancelled_by_service")).sum().cast("int64"),
        last_kit_attended_on=c.starts_on.max(where=attended & (c.kind == "keeping_in_touch")),
        next_kit_booked_on=c.starts_on.min(where=booked_ahead & (c.kind == "keeping_in_touch")),
        last_dna_on=c.starts_on.max(where=past & c.outcome.isin(DID_NOT_ATTEND)),
    )


def after_firsts(t: Tables, as_of: dt.date, firsts: ibis.Table) -> ibis.Table:
    """Per referral, from a second pass over its contacts with contact_facts' result
    (``firsts``) beside each:
    - the first contact of any kind after the last DNA (its follow-up);
    - the date of the second treatment contact (ordered by date, then id);
    - the outcome of the first assessment offered (ordered the same way)."""
    c = t.contact
    keyed = firsts.select(
        key="referral_id",
        first_treatment_on="first_treatment_on",
        last_dna_on="last_dna_on",
        first_treatment_key="first_treatment_key",
        first_offer_key="first_offer_key",
    )
    joined = c.join(keyed, c.referral_id == keyed.key)
    row_key = order_key(joined.starts_on, joined.id)
    follow_up = (joined.starts_on > joined.last_dna_on) & (joined.outcome != "cancelled_by_service")
    return joined.group_by(referral_id=joined.referral_id).aggregate(
        dna_followed_up_on=joined.starts_on.min(where=follow_up),
        second_treatment_on=joined.starts_on.min(
            where=_treatment(joined, as_of) & (row_key > joined.first_treatment_key)
        ),
        first_assessment_outcome=joined.outcome.max(where=row_key == joined.first_offer_key),
    )


def non_attendance(t: Tables, as_of: dt.date, nth: int) -> ibis.Table:
    """Per referral, the latest DNA, "was not brought" or patient cancellation of a booked
    clinical contact of any kind by as_of, and the ``nth`` latest (CLINICAL-RULES section 2,
    DNA_REVIEW, revision 2: DNA_REVIEW counts them in a window back from as_of, so the ``nth``
    latest inside the window means at least ``nth`` of them there)."""
    c = t.contact
    missed = c.filter(
        (c.starts_on <= as_of)
        & c.kind.isin(CLINICAL_KINDS)
        & c.outcome.isin(PATIENT_NON_ATTENDANCE)
    )
    latest_first = ibis.row_number().over(
        group_by=missed.referral_id, order_by=[missed.starts_on.desc(), missed.id.desc()]
    )
    ranked = missed.mutate(back=latest_first)  # 0 for the latest
    return ranked.group_by(referral_id=ranked.referral_id).aggregate(
        last_non_attendance_on=ranked.starts_on.max(),
        nth_last_non_attendance_on=ranked.starts_on.max(where=ranked.back == nth - 1),
    )


def _treatment(c: ibis.Table, as_of: dt.date) -> ibis.Value:
    """An attended, direct treatment contact by as_of (CLINICAL-RULES section 2)."""
    return (
        (c.outcome == "attended") & c.direct & (c.starts_on <= as_of) & c.kind.isin(TREATMENT_KINDS)
    )


def _offered(c: ibis.Table, as_of: dt.date) -> ibis.Value:
    """An assessment offered by as_of: held, missed or cancelled by the patient; not one the
    service cancelled, nor one still booked."""
    return (
        c.kind.isin(ASSESSMENT_KINDS)
        & (c.starts_on <= as_of)
        & (c.outcome != "cancelled_by_service")
        & (c.outcome != "booked")
    )
