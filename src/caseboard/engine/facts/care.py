"""Facts from care documents, and the patient-level safeguarding, risk and event rows."""

from __future__ import annotations

import datetime as dt

import ibis

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


# Events that are evidence for RISK_CONCERNS (a discharge from hospital is not a new concern).
RISK_EVENT_KINDS = ("crisis_contact", "self_harm", "admission")
LEVEL_RANK = {"low": 1, "medium": 2, "high": 3}


def patient_facts(t: Tables, as_of: dt.date) -> ibis.Table:
    """Per patient: open safeguarding concerns, the latest risk information and event, and the
    latest risk evidence RISK_CONCERNS reads (CLINICAL-RULES revision 2)."""
    s = t.safeguarding_concern
    open_now = (s.opened_on <= as_of) & (s.closed_on.isnull() | (s.closed_on > as_of))
    safeguarding = s.group_by("patient_id").aggregate(
        open_safeguarding=open_now.sum().cast("int64"),
        open_child_safeguarding=(open_now & (s.kind == "child")).sum().cast("int64"),
    )
    r = t.risk_information
    risk = risk_facts(r.filter(r.recorded_on <= as_of))
    e = t.event
    happened = e.filter(e.occurred_on <= as_of)
    events = happened.group_by(event_patient_id="patient_id").aggregate(
        last_event_on=happened.occurred_on.max(),
        risk_event_on=happened.occurred_on.max(where=happened.kind.isin(RISK_EVENT_KINDS)),
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
    keys = ("safeguarding_patient_id", "risk_patient_id", "event_patient_id")
    return joined.drop(*keys).mutate(
        open_safeguarding=ibis._.open_safeguarding.fill_null(0),
        open_child_safeguarding=ibis._.open_child_safeguarding.fill_null(0),
    )


def risk_facts(recorded: ibis.Table) -> ibis.Table:
    """Per patient, in one ordered pass: the latest risk entry (date, author, level, listing,
    concerns), and the latest entry that is RISK_CONCERNS' evidence (ADR 19):

    - ``risk_concern_on`` (Talking Therapies): a new concern, recorded where the entry before
      recorded none or where there is no entry before. The same concerns recorded again at the
      next session are not new evidence; they keep the flag amber while they persist.
    - ``risk_escalated_on`` (community profiles): a new or escalated concern (concerns where
      the entry before had none, or a higher level), never the first entry; the rule reads it
      only after the first attended assessment, whose formulation (with the care and safety
      plans) is the baseline.
    - ``risk_high_on``: a high level or a place on the team's high-risk or zoning list, at any
      entry (community profiles' evidence whenever it is recorded).
    """
    rank = ibis.cases(
        *((recorded.level == level, value) for level, value in LEVEL_RANK.items()),
        else_=ibis.null().cast("int64"),
    )
    oldest_first = [recorded.recorded_on, recorded.id]
    window = ibis.window(group_by=recorded.patient_id, order_by=oldest_first)
    ordered = recorded.mutate(
        level_rank=rank,
        previous_rank=rank.lag().over(window),
        previous_concerns=recorded.concerns_recorded.lag().over(window),
        newest_rank=ibis.row_number().over(
            group_by=recorded.patient_id, order_by=[ibis.desc(key) for key in oldest_first]
        ),
    )
    concerns = ordered.concerns_recorded
    previous = ordered.previous_concerns
    new_concern = concerns & ~previous.fill_null(False)
    # The first entry is never an escalation: there is nothing before it to rise from.
    rise = (ordered.level_rank > ordered.previous_rank).fill_null(False)
    escalated = (concerns & ~previous).fill_null(False) | rise
    high = (ordered.level == "high").fill_null(False) | ordered.on_high_risk_list.fill_null(False)
    day = ordered.recorded_on
    newest = ordered.newest_rank == 0

    def newest_value(column: str) -> ibis.Value:
        return ordered[column].max(where=newest)

    return ordered.group_by(risk_patient_id="patient_id").aggregate(
        risk_recorded_on=day.max(),
        risk_recorded_by_id=newest_value("recorded_by_id"),
        risk_level=newest_value("level"),
        # PostgreSQL has no max() of booleans; any() of the one newest row is its value.
        risk_on_high_risk_list=ordered.on_high_risk_list.any(where=newest),
        risk_concerns_recorded=ordered.concerns_recorded.any(where=newest),
        risk_concerns=newest_value("concerns"),
        risk_concern_on=day.max(where=new_concern),
        risk_escalated_on=day.max(where=escalated),
        risk_high_on=day.max(where=high),
    )
