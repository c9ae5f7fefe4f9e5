"""The fields of each case flag's evidence_template, worked out from the snapshot row's facts the
flag's rule read. Each catalogue entry names its function here (``Flag.fields``), and
domain/evidence.py fills the template with it."""

from __future__ import annotations

import datetime as dt

from caseboard.domain.codes import DISCHARGE_DECISIONS
from caseboard.domain.evidence_text import (
    DOCUMENTS,
    NONE,
    Facts,
    counted,
    day_text,
    days_text,
    number_text,
)
from caseboard.domain.periods import add_months, working_days_after
from caseboard.domain.policy import CLUSTER_REVIEW


def _scores(f: Facts) -> dict[str, str]:
    names = ("phq9_first", "phq9_last", "anxiety_first", "anxiety_last")
    return {name: f.shown(name) for name in names} | {"anxiety_instrument": f.anxiety_name}


def wait_first(f: Facts) -> dict[str, str]:
    return {
        "days": days_text(f["days_since_received"]),
        "received_on": f.shown("received_on"),
        "next_booked": f.shown("next_booked_on", "none booked"),
    }


def first_seen(f: Facts) -> dt.date | None:
    """The first attended assessment or treatment contact (WAIT_SECOND's anchor)."""
    days = [f.date("first_assessment_on"), f.date("first_treatment_on")]
    return min((day for day in days if day is not None), default=None)


def wait_second(f: Facts) -> dict[str, str]:
    seen = first_seen(f)
    return {
        "days": days_text((f.today - seen).days if seen else None),
        "first_seen_on": day_text(seen),
        "treatment_contacts": counted(f["treatment_contacts"] or 0, "treatment contact"),
    }


def kit_due(f: Facts) -> dict[str, str]:
    seen, kit = first_seen(f), f.date("last_kit_attended_on")
    anchor = max(day for day in (seen, kit) if day is not None) if seen else None
    return {
        "days": days_text((f.today - anchor).days if anchor else None),
        "first_seen_on": day_text(seen),
        "last_kit_on": f.shown("last_kit_attended_on"),
        "next_kit": f.shown("next_kit_booked_on", "none booked"),
    }


def unscreened(f: Facts) -> dict[str, str]:
    return {
        "priority": "urgent" if f["urgent"] else "routine",
        "received_on": f.shown("received_on"),
        "days": days_text(f["days_since_received"]),
    }


def no_contact(f: Facts) -> dict[str, str]:
    if f.date("last_attended_on") is None:
        days = days_text(f.days_since("first_allocated_on"))
        return {"text": f"allocated {days} ago on {f.shown('first_allocated_on')}; never seen"}
    booked = f.date("next_booked_on")
    return {
        "text": f"last attended contact {days_text(f.days_since('last_attended_on'))} "
        f"ago on {f.shown('last_attended_on')}; "
        + (f"next booked {day_text(booked)}" if booked else "nothing booked")
    }


def dna_review(f: Facts) -> dict[str, str]:
    window = f.policy.dna_review_window_days.get(str(f["service_kind"]))
    return {
        "count": number_text(f.policy.dna_review_count),
        "missed_term": f.missed_term,
        "window": number_text(window),
        "latest_on": f.shown("last_non_attendance_on"),
    }


def dna_followup(f: Facts) -> dict[str, str]:
    missed = f.date("last_dna_on")
    due = working_days_after(missed, f.policy.dna_followup_working_days) if missed else None
    return {"missed_term": f.missed_term, "date": day_text(missed), "due_on": day_text(due)}


def outcome_not_recorded(f: Facts) -> dict[str, str]:
    return {
        "count": counted(f["outcome_not_recorded"], "past contact"),
        "date": f.shown("oldest_unrecorded_on"),
        "days": days_text(f.days_since("oldest_unrecorded_on")),
    }


def session_limit(f: Facts) -> dict[str, str]:
    agreed = f["agreed_extension"]
    agreed = agreed if agreed is not None else f["agreed_session_limit"]
    return {
        "step": f.shown("step", "unknown"),
        "count": f.shown("session_contacts"),
        "treatment_count": f.shown("treatment_contacts"),
        "agreed_limit": NONE if agreed is None else number_text(agreed),
    }


def _measured_span(f: Facts) -> dict[str, str]:
    lasts = [day for day in (f.date("phq9_last_on"), f.date("anxiety_last_on")) if day]
    firsts = [day for day in (f.date("phq9_first_on"), f.date("anxiety_first_on")) if day]
    return {
        "first_on": day_text(min(firsts) if firsts else None),
        "last_on": day_text(max(lasts) if lasts else None),
    }


def not_improving(f: Facts) -> dict[str, str]:
    return {"count": f.shown("treatment_contacts")} | _scores(f) | _measured_span(f)


def deteriorating(f: Facts) -> dict[str, str]:
    return _scores(f) | _measured_span(f)


def recovered(f: Facts) -> dict[str, str]:
    names = ["phq9_previous", "anxiety_previous"]
    return _scores(f) | _measured_span(f) | {name: f.shown(name) for name in names}


def not_caseness(f: Facts) -> dict[str, str]:
    return {
        "date": f.shown("first_assessment_on"),
        "first_on": _measured_span(f)["first_on"],
        "phq9": f.shown("phq9_first"),
        "anxiety_instrument": f.anxiety_name,
        "anxiety": f.shown("anxiety_first"),
        "last_discussed_on": f.shown("last_discussed_on", "never"),
    }


def measure_missing(f: Facts) -> dict[str, str]:
    missing = [
        name
        for name, column in (("PHQ-9", "phq9_at_last_contact"), ("GAD-7", "gad7_at_last_contact"))
        if not f[column]
    ]
    window = f.policy.measure_window_days
    return {
        "date": f.shown("last_attended_on"),
        "missing": " or ".join(missing) or NONE,
        "window": str(window),
    }


def long_episode(f: Facts) -> dict[str, str]:
    days = f.days_since("first_treatment_on")
    return {
        "step": f.shown("step", "unknown"),
        "weeks": NONE if days is None else str(days // 7),
        "first_treatment_on": f.shown("first_treatment_on"),
    }


def step_change(f: Facts) -> dict[str, str]:
    return {
        "from_step": f.shown("step", "unknown"),
        "to_step": f.shown("step_change_pending_to", "unknown"),
        "recorded_on": f.shown("step_change_pending_since"),
        "days": days_text(f.days_since("step_change_pending_since")),
    }


def outcome_due(f: Facts) -> dict[str, str]:
    return {
        "clinician_on": f.shown("clinician_outcome_on"),
        "patient_on": f.shown("patient_outcome_on"),
        "months": str(f.policy.outcome_due_months),
        "first_assessment_on": f.shown("first_assessment_on"),
    }


def care_docs(f: Facts) -> dict[str, str]:
    kinds = list(DOCUMENTS)
    if f["service_kind"] == "learning_disability":
        kinds.append("health_action_plan")
    problems = []
    for kind in kinds:
        label = kind.replace("_", " ")
        review = f.date(f"{kind}_review_due_on") if kind in DOCUMENTS else None
        if f.date(f"{kind}_on") is None:
            problems.append(f"{label} missing")
        elif review is not None and review < f.today:
            problems.append(f"{label} review due {day_text(review)}")
    return {
        "problems": "; ".join(problems) or NONE,
        "allocated_on": f.shown("first_allocated_on", "never"),
    }


def orphaned(f: Facts) -> dict[str, str]:
    if f["absent_since"] is not None:
        reason = f"absent since {f.shown('absent_since')}"
        cover = f.shown("cover_practitioner_id", "")
        reason += f"; cover: practitioner {cover}" if cover else "; no cover recorded"
    else:
        reason = "no longer in post"
    return {"lead_since": f.shown("lead_since"), "reason": reason}


def unallocated(f: Facts) -> dict[str, str]:
    return {"received_on": f.shown("received_on"), "days": days_text(f["days_since_received"])}


def discussion_due(f: Facts) -> dt.date | None:
    """NOT_DISCUSSED's due date: last signed discussion (or allocation to the current lead) +
    28 days in Talking Therapies, + 12 calendar months elsewhere (as the engine rule)."""
    anchor = f.date("last_discussed_on") or f.date("lead_since")
    if anchor is None:
        return None
    if f["service_kind"] == "talking_therapies":
        return anchor + dt.timedelta(days=f.policy.discussion_interval_days_talking_therapies)
    return add_months(anchor, f.policy.discussion_interval_months)


def not_discussed(f: Facts) -> dict[str, str]:
    last = f.shown("last_discussed_on", "")
    since = f"never (lead since {f.shown('lead_since')})"
    return {"last_on": last or since, "due_on": day_text(discussion_due(f))}


def transfer_review(f: Facts) -> dict[str, str]:
    return {
        "transferred_on": f.shown("lead_since"),
        "leads": f.shown("leads_so_far"),
        "last_discussed_on": f.shown("last_discussed_on", "never"),
    }


def action_overdue(f: Facts) -> dict[str, str]:
    return {
        "count": counted(f["overdue_actions"], "supervision action"),
        "due_on": f.shown("earliest_overdue_due_on"),
    }


def ready_to_step_down(f: Facts) -> dict[str, str]:
    goals = f.date("goals_met_on")
    if f["service_kind"] == "talking_therapies":
        scores = recovered(f)
        reason = (
            f"goals met on {day_text(goals)}; below caseness at the last two measured contacts: "
            f"PHQ-9 {scores['phq9_previous']}, {scores['phq9_last']}; "
            f"{scores['anxiety_instrument']} {scores['anxiety_previous']}, "
            f"{scores['anxiety_last']} (last on {scores['last_on']})"
        )
    elif goals is not None and goals <= f.today:
        reason = f"goals met on {day_text(goals)}"
    else:
        decision = str(f["last_decision"] or "a leaving decision").replace("_", " ")
        reason = f"{decision} decided in supervision on {f.shown('last_discussed_on')}"
    return {"reason": reason}


def discharge_agreed(f: Facts) -> dict[str, str]:
    decision = f["last_decision"]
    return {
        "decision": str(decision) if decision in DISCHARGE_DECISIONS else "discharge or closure",
        "agreed_on": f.shown("leaving_agreed_on"),
        "days": days_text(f.days_since("leaving_agreed_on")),
    }


def stage_stalled(f: Facts) -> dict[str, str]:
    return {
        "stage": str(f["pathway_stage"] or "unknown").replace("_", " "),
        "days": days_text(f.days_since("pathway_stage_entered_on")),
        "entered_on": f.shown("pathway_stage_entered_on"),
    }


def cluster_review(f: Facts) -> dict[str, str]:
    cluster, assessed = f["care_cluster"], f.date("cluster_assessed_on")
    due = None
    if cluster in CLUSTER_REVIEW and assessed is not None:
        amount, unit = CLUSTER_REVIEW[cluster]
        weekly = unit == "weeks"
        due = assessed + dt.timedelta(weeks=amount) if weekly else add_months(assessed, amount)
    return {
        "cluster": f.shown("care_cluster", "unknown"),
        "assessed_on": day_text(assessed),
        "due_on": day_text(due),
    }


def cluster_missing(f: Facts) -> dict[str, str]:
    return {"count": f.shown("attended_clinical_contacts")}


def wait_letter_due(f: Facts) -> dict[str, str]:
    return {"received_on": f.shown("received_on"), "days": days_text(f["days_since_received"])}


def dna_assessment(f: Facts) -> dict[str, str]:
    return {"missed_term": f.missed_term}


def descriptor_missing(f: Facts) -> dict[str, str]:
    return {"date": f.shown("first_assessment_on")}


def adsm_missing(f: Facts) -> dict[str, str]:
    return {"descriptor": f.shown("problem_descriptor"), "instrument": f.anxiety_name}
