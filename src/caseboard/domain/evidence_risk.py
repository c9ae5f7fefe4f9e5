"""The evidence fields of the risk and safety flags (PHQ9_ITEM9, RISK_CONCERNS, SEVERITY_STEP,
SAFEGUARDING, HIGH_RISK, RISK_REVIEW_DUE, SAFETY_PLAN_STALE): as ``evidence_fields``, each catalogue
entry names its function here (``Flag.fields``)."""

from __future__ import annotations

from caseboard.domain.evidence_text import NONE, Facts, counted, day_text, days_text


def item9(f: Facts) -> dict[str, str]:
    return {
        "item9": f.shown("phq9_item9"),
        "date": f.shown("phq9_item9_on"),
        "risk_recorded_on": f.shown("risk_recorded_on"),
        "safety_plan_on": f.shown("safety_plan_on"),
    }


def _clipped(text: object, limit: int = 140) -> str:
    words = " ".join(str(text).split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def risk_concerns(f: Facts) -> dict[str, str]:
    """What the evidence is, newest of each kind, and the last qualifying discussion."""
    talking = f["service_kind"] == "talking_therapies"
    if talking:
        entry = f.date("risk_concern_on")
    else:
        assessed = f.date("first_assessment_on")
        escalated = f.date("risk_escalated_on")
        if escalated is not None and assessed is not None and escalated <= assessed:
            escalated = None
        entry = max((d for d in (escalated, f.date("risk_high_on")) if d), default=None)
    parts = []
    if entry is not None:
        latest = f.date("risk_recorded_on")
        said = f"risk concerns recorded on {day_text(entry)}"
        if latest == entry:
            if f["risk_level"]:
                said += f" (level {f['risk_level']})"
            if f["risk_concerns"]:
                said += f": {_clipped(f['risk_concerns'])}"
        parts.append(said)
    if f.date("item9_concern_on") is not None:
        parts.append(
            f"PHQ-9 item 9 at {f.policy.risk_concerns_item9_threshold} or more on "
            f"{f.shown('item9_concern_on')} (latest item 9: {f.shown('phq9_item9')})"
        )
    if f.date("risk_event_on") is not None:
        parts.append(f"crisis contact, self-harm or admission on {f.shown('risk_event_on')}")
    discussed = f.date("risk_discussed_on")
    if discussed is None:
        since = "no qualifying discussion (risk plan and review date) recorded"
    else:
        since = (
            f"risk plan agreed in supervision on {day_text(discussed)}, review "
            f"{f.shown('risk_review_on')}"
        )
    return {"evidence": "; ".join(parts) or NONE, "discussion": since}


def severity_step(f: Facts) -> dict[str, str]:
    anxiety = f"{f.anxiety_name} {f.shown('anxiety_last')}"
    decided = f.date("continue_agreed_on")
    return {
        "step": f.shown("step"),
        "scores": f"PHQ-9 {f.shown('phq9_last')}, {anxiety} on {f.shown('phq9_last_on')}",
        "item9": f.shown("phq9_item9"),
        "since": f.shown("severe_first_on"),
        "decision": f"continue at this step agreed {day_text(decided)}"
        if decided
        else ("no decision to continue at this step"),
    }


def safeguarding(f: Facts) -> dict[str, str]:
    count, child = f["open_safeguarding"] or 0, f["open_child_safeguarding"] or 0
    about = f" ({child} about a child)" if child else ""
    return {"count": counted(count, "open safeguarding concern") + about}


def high_risk(f: Facts) -> dict[str, str]:
    on_list = "; on the team's high-risk list" if f["risk_on_high_risk_list"] else ""
    return {
        "level": f.shown("risk_level", "no level"),
        "recorded_on": f.shown("risk_recorded_on"),
        "on_list": on_list,
    }


def risk_review_due(f: Facts) -> dict[str, str]:
    interval = f.policy.risk_review_days.get(f["service_kind"])
    days = f.days_since("risk_recorded_on")
    never = f"never, assessed on {f.shown('first_assessment_on')}"
    return {
        "recorded": never
        if days is None
        else f"{f.shown('risk_recorded_on')}, {days_text(days)} ago",
        "interval": NONE if interval is None else str(interval),
    }


def safety_plan_stale(f: Facts) -> dict[str, str]:
    plan = f"latest safety plan {f.shown('safety_plan_on')}"
    if f["service_kind"] == "talking_therapies":
        plan += f", latest risk review {f.shown('risk_recorded_on')}"
    return {"event_on": f.shown("last_event_on"), "plan": plan}
