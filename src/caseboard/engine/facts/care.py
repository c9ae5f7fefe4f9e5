"""Facts from care documents, and the patient-level safeguarding, risk and event rows."""

from __future__ import annotations

import datetime as dt

import ibis

from caseboard.engine.facts.common import latest
from caseboard.engine.tables import Tables

DOCUMENT_KINDS = (
    "care_plan",
    "safety_summary",
    "safety_plan",
    "risk_assessment",
    "health_action_plan",
    "transition_plan",
)


def documents(t: Tables, as_of: dt.date) -> ibis.Table:
    """Per kind, the latest completed document's date and its review-due date."""
    d = t.care_document
    completed = d.filter(d.completed_on.notnull() & (d.completed_on <= as_of))
    ranked = completed.mutate(
        _rank=ibis.row_number().over(
            group_by=[completed.referral_id, completed.kind],
            order_by=[ibis.desc(completed.completed_on), ibis.desc(completed.id)],
        )
    )
    last = ranked.filter(ranked._rank == 0)
    columns = {}
    for kind in DOCUMENT_KINDS:
        columns[f"{kind}_on"] = last.completed_on.max(where=last.kind == kind)
        columns[f"{kind}_review_due_on"] = last.review_due_on.max(where=last.kind == kind)
    return last.group_by("referral_id").aggregate(**columns)


def patient_facts(t: Tables, as_of: dt.date) -> ibis.Table:
    """Per patient: open safeguarding concerns, the latest risk information and event."""
    s = t.safeguarding_concern
    open_now = (s.opened_on <= as_of) & (s.closed_on.isnull() | (s.closed_on > as_of))
    safeguarding = s.group_by("patient_id").aggregate(
        open_safeguarding=open_now.sum().cast("int64"),
        open_child_safeguarding=(open_now & (s.kind == "child")).sum().cast("int64"),
    )
    r = t.risk_information
    risk = latest(r.filter(r.recorded_on <= as_of), "patient_id", "recorded_on").select(
        risk_patient_id="patient_id",
        risk_recorded_on="recorded_on",
        risk_level="level",
        risk_on_high_risk_list="on_high_risk_list",
        risk_concerns_recorded="concerns_recorded",
    )
    e = t.event
    events = (
        e.filter(e.occurred_on <= as_of)
        .group_by(event_patient_id="patient_id")
        .aggregate(last_event_on=e.occurred_on.max())
    )
    patients = t.patient.select(
        patient_id="id",
        deceased_on="deceased_on",
        restricted="restricted",
        interpreter_needed="interpreter_needed",
        learning_disability="learning_disability",
        autism="autism",
        sensory_impairment="sensory_impairment",
    )
    safeguarding = safeguarding.rename(safeguarding_patient_id="patient_id")
    joined = (
        patients.left_join(
            safeguarding, patients.patient_id == safeguarding.safeguarding_patient_id
        )
        .left_join(risk, patients.patient_id == risk.risk_patient_id)
        .left_join(events, patients.patient_id == events.event_patient_id)
    )
    return joined.drop("safeguarding_patient_id", "risk_patient_id", "event_patient_id").mutate(
        open_safeguarding=ibis._.open_safeguarding.fill_null(0),
        open_child_safeguarding=ibis._.open_child_safeguarding.fill_null(0),
    )
