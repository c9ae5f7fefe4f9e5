"""The flag catalogue, part 2a: safety, risk and care documents (gathered with ownership, the
pathway and the practitioner- and team-level flags by ``flags_oversight``).

Rules are worded as in CLINICAL-RULES.md; ``{name}`` is a policy setting.
"""

from __future__ import annotations

from caseboard.domain import evidence_fields as fields
from caseboard.domain import evidence_risk as risk_fields
from caseboard.domain.flag_types import (
    ALL_PROFILES,
    COMMUNITY,
    Flag,
)
from caseboard.domain.flags_treatment import HOLD_BACK

SAFETY = (
    Flag(
        code="SAFEGUARDING",
        title="Open safeguarding concern",
        level="case",
        severity="red",
        applies_to=ALL_PROFILES,
        rule=(
            "An open safeguarding concern (adult or child) for the patient. Discussing the case "
            "reminds that a separate safeguarding-supervision entry is still required."
        ),
        source="seed 000 §4.2",
        evidence_template="{count} on the patient's record",
        safety=True,
        lane="safety",
        fields=risk_fields.safeguarding,
    ),
    Flag(
        code="HIGH_RISK",
        title="High risk",
        level="case",
        severity="red",
        applies_to=COMMUNITY,
        rule=(
            "Current risk concerns recorded as high, or on the team's high-risk / zoning list "
            "(if the team zones). A dated marker on the case, not a second red flag: "
            "RISK_CONCERNS carries the signal, and the marker is not counted among red flags, "
            "in the discussion order or in the alert burden. Not applicable where the profile "
            "records no level (Talking Therapies: 'not recorded in this service'). Show the date "
            "and source. No green 'low risk' badge anywhere; a risk level never lowers the "
            "weight of a case or feeds READY_TO_STEP_DOWN (NG225 §1.6)."
        ),
        source="seed 000 §4.2; seed 003; CLINICAL-RULES §4; §2 (revision 2)",
        evidence_template="risk concerns recorded as {level} on {recorded_on}{on_list}",
        safety=True,
        lane="safety",
        marker=True,
        fields=risk_fields.high_risk,
        no_data="no risk information is recorded",
    ),
    Flag(
        code="RISK_CONCERNS",
        title="Risk concerns to discuss",
        level="case",
        severity="amber_or_red",
        applies_to=ALL_PROFILES,
        rule=(
            "Evidence since the last qualifying discussion: a risk entry recording a new "
            "concern (Talking Therapies: concerns where the entry before had none, or the first "
            "entry; community profiles: a new or escalated concern after the baseline entry, a "
            "high level, or the team's high-risk or zoning list), a PHQ-9 item 9 >= "
            "{risk_concerns_item9_threshold}, a crisis contact, self-harm or admission. A "
            "qualifying discussion is a signed supervision discussion of the referral that "
            "records the risk plan and a review date; a caseload-overview mention does not "
            "qualify. Red while such evidence has no "
            "qualifying discussion on or after it; after one, amber while the concerns or the "
            "item 9 persist, red again at the review date or on any new concern, item 9 or "
            "event (ADR 19)."
        ),
        source=(
            "CLINICAL-RULES RISK_CONCERNS (revision 2); seed 002 §9.2 (IAPT risk questions); "
            "seed 000 §4.2; NICE NG225"
        ),
        evidence_template="{evidence}; {discussion}",
        safety=True,
        holds_back=HOLD_BACK,
        lane="safety",
        fields=risk_fields.risk_concerns,
    ),
    Flag(
        code="RISK_REVIEW_DUE",
        title="Risk review due",
        level="case",
        severity="amber",
        applies_to=ALL_PROFILES,
        rule=(
            "Risk information older than the profile's interval ({risk_review_days} days), or "
            "none recorded since the assessment. Before the assessment: cannot be assessed."
        ),
        source="seed 000 §4.2; intervals are local defaults",
        evidence_template=(
            "risk information last recorded {recorded}; review every {interval} days"
        ),
        lane="process",
        fields=risk_fields.risk_review_due,
        no_data=(
            "no risk information yet and not assessed, or no review interval is set "
            "for this service profile"
        ),
    ),
    Flag(
        code="CARE_DOCS",
        title="Care documents missing or out of date",
        level="case",
        severity="amber",
        applies_to=COMMUNITY,
        rule=(
            "Care plan, safety summary or safety plan missing after {care_docs_days} days from "
            "allocation (configured per profile) or review date < as_of. LD: plus a health "
            "action plan. CAMHS: plus a transition plan from age {transition_plan_from_months} "
            "months."
        ),
        source="seed 000 §4.4, §4.7; seed 001 (LD)",
        evidence_template="{problems} (allocated {allocated_on})",
        lane="process",
        fields=fields.care_docs,
        no_data="no care-document grace period is set for this service profile",
    ),
    Flag(
        code="SAFETY_PLAN_STALE",
        title="Safety plan older than a crisis",
        level="case",
        severity="red",
        applies_to=ALL_PROFILES,
        rule=(
            "A crisis contact, admission or discharge from hospital, or self-harm event dated "
            "after the latest safety plan (Talking Therapies: the later of the safety plan and "
            "the latest risk review). Where the service's record carries no such events "
            "({safety_events_recorded}: 0), it cannot be assessed, never clear."
        ),
        source="seed 000 §4.7; CLINICAL-RULES §2 CARE_DOCS (revision 2: every profile)",
        evidence_template="crisis contact, admission or self-harm on {event_on}; {plan}",
        no_data="this service's record carries no crisis, admission or self-harm events",
        # CLINICAL-RULES section 2, RECOVERED and READY_TO_STEP_DOWN (revision 2): never raised
        # beside a stale safety plan.
        holds_back=HOLD_BACK,
        lane="safety",
        fields=risk_fields.safety_plan_stale,
    ),
)
