"""The flag catalogue, part 2: ownership and discussion, the pathway, and the practitioner- and
team-level flags, after the safety and care-document flags (``flags_safety``).

Rules are worded as in CLINICAL-RULES.md; ``{name}`` is a policy setting.
"""

from __future__ import annotations

from caseboard.domain import evidence_fields as fields
from caseboard.domain.flag_types import (
    ALL_BUT_HOME_BASED,
    ALL_PROFILES,
    CLUSTERING,
    COMMUNITY,
    TALKING_THERAPIES,
    Flag,
)
from caseboard.domain.flags_safety import SAFETY

OWNERSHIP = (
    Flag(
        code="ORPHANED_CASE",
        title="Case without an active lead",
        level="case",
        severity="amber_or_red",
        applies_to=ALL_PROFILES,
        rule=(
            "Red: an open case whose lead has left (active = false or past the end date) or is "
            "on long-term absence with no named cover. Amber: the lead is on long-term absence "
            "and a named cover holds the case until it is reallocated."
        ),
        source="seed 000 §3 (caseload = allocated); CLINICAL-RULES day one #1",
        evidence_template="lead since {lead_since} is {reason}",
        lane="safety",
        fields=fields.orphaned,
    ),
    Flag(
        code="UNALLOCATED_WAIT",
        title="Waiting for allocation",
        level="case",
        severity="amber",
        applies_to=ALL_PROFILES,
        rule="A referral waiting for allocation: open, with no lead practitioner.",
        source="seed 000 §3 (caseload = allocated); CLINICAL-RULES day one #1",
        evidence_template="received {received_on}; unallocated for {days}",
        lane="safety",
        fields=fields.unallocated,
    ),
    Flag(
        code="NOT_DISCUSSED",
        title="Not discussed in supervision",
        level="case",
        severity="amber_or_red",
        applies_to=ALL_BUT_HOME_BASED,
        rule=(
            "due = (last signed discussion of this referral, or else allocation to the current "
            "lead) + {discussion_interval_months} calendar months "
            "({discussion_interval_days_talking_therapies} days for Talking Therapies). Amber "
            "when due <= as_of + {not_discussed_amber_window_days} days "
            "({not_discussed_amber_window_days_talking_therapies} for Talking Therapies) or "
            "overdue; red only when overdue by more than the interval again (a process flag: "
            "its reds must not bury the clinical ones)."
        ),
        source="seed 000 §4.3; seed 002 §14.2; CLINICAL-RULES section 2 (revision 2)",
        evidence_template="last discussed {last_on}; due {due_on}",
        lane="process",
        fields=fields.not_discussed,
    ),
    Flag(
        code="TRANSFER_REVIEW",
        title="Transferred case to discuss",
        level="case",
        severity="amber_or_red",
        applies_to=ALL_PROFILES,
        rule=(
            "A transfer of lead raises TRANSFER_REVIEW (amber) until the case is discussed; red "
            "when not discussed within {transfer_review_days} days of the transfer."
        ),
        source="seed 002 app. 2 (discuss reassignment in supervision first)",
        evidence_template=(
            "lead changed on {transferred_on} ({leads} leads so far); last "
            "discussed {last_discussed_on}"
        ),
        lane="process",
        fields=fields.transfer_review,
    ),
    Flag(
        code="ACTION_OVERDUE",
        title="Supervision action overdue",
        level="case",
        severity="amber",
        applies_to=ALL_PROFILES,
        rule="A supervision action on the case is past its due date and not completed.",
        source="seed 000 §4.4",
        evidence_template="{count} overdue; the earliest due {due_on}",
        lane="process",
        fields=fields.action_overdue,
    ),
)

PATHWAY = (
    Flag(
        code="STEP_CHANGE",
        title="Step change not actioned",
        level="case",
        severity="red",
        applies_to=TALKING_THERAPIES,
        rule=(
            "Red when a step-up is recorded and, after more than {step_change_days} days, there "
            "is no contact at the new step or no referral sent (a step-down the same way). "
            "Step-up to secondary care: raised until acceptance is confirmed, and the case stays "
            "on the caseload until then."
        ),
        source="seed 002 §9.2, §12.1",
        evidence_template=(
            "step {from_step} to {to_step} recorded on {recorded_on}, {days} ago; not actioned"
        ),
        lane="clinical",
        fields=fields.step_change,
    ),
    Flag(
        code="READY_TO_STEP_DOWN",
        title="Ready to step down or close",
        level="case",
        severity="amber",
        applies_to=ALL_PROFILES,
        rule=(
            "Talking Therapies: goals met recorded and the last two measured contacts below "
            "caseness; not shown beside RECOVERED (which already says consider discharge). "
            "Other services: a clinician-recorded readiness (goals met, or stable for a "
            "configured period) or a supervision decision (discharge, stable casing, closure or "
            "step down). Never beside DETERIORATING, PHQ9_ITEM9 or SAFETY_PLAN_STALE; never "
            "inferred from low risk or infrequent contact."
        ),
        source="seed 000 §4.2; seed 001; CLINICAL-RULES section 2 (revision 2)",
        evidence_template="{reason}",
        lane="clinical",
        fields=fields.ready_to_step_down,
    ),
    Flag(
        code="DISCHARGE_AGREED_NOT_DONE",
        title="Agreed discharge not done",
        level="case",
        severity="amber",
        applies_to=ALL_PROFILES,
        rule=(
            "Discharge or closure agreed at supervision and not done within "
            "{discharge_agreed_days} days. A stable-casing decision is done once the referral's "
            "stage is stable: from then its review is carried by CARE_DOCS and NO_CONTACT."
        ),
        source="seed 001; CLINICAL-RULES section 2 (revision 2)",
        evidence_template=(
            "{decision} agreed on {agreed_on}, {days} ago; the referral is still open"
        ),
        lane="clinical",
        fields=fields.discharge_agreed,
    ),
    Flag(
        code="STAGE_STALLED",
        title="Stalled in a pathway stage",
        level="case",
        severity="amber",
        applies_to=COMMUNITY,
        rule="Days in a pathway stage over its configured maximum ({stage_stalled_days} days).",
        source="seed 000 §4.2 (4); maxima are local defaults",
        evidence_template="at stage '{stage}' for {days}, since {entered_on}",
        lane="clinical",
        fields=fields.stage_stalled,
        no_data="no date is recorded for entering the current pathway stage",
    ),
    Flag(
        code="CLUSTER_REVIEW",
        title="Care cluster review due",
        level="case",
        severity="amber",
        applies_to=CLUSTERING,
        rule=(
            "Only where the team clusters. due = assessment date + review period (4 weeks = "
            "28 d, 12 weeks = 84 d, 15 weeks = 105 d, months are calendar months); raised when "
            "as_of > due."
        ),
        source="seed 004",
        evidence_template="cluster {cluster} assessed on {assessed_on}; review due {due_on}",
        applies_when="the team uses care clusters",
        lane="clinical",
        fields=fields.cluster_review,
    ),
    Flag(
        code="CLUSTER_MISSING",
        title="Care cluster missing",
        level="case",
        severity="amber",
        applies_to=CLUSTERING,
        rule=(
            "A clustering team's referral with no cluster after "
            "{cluster_missing_after_contacts} attended contacts."
        ),
        source="seed 004",
        evidence_template="{count} attended clinical contacts; no care cluster recorded",
        applies_when="the team uses care clusters",
        lane="process",
        fields=fields.cluster_missing,
    ),
)

PRACTITIONER_AND_TEAM = (
    Flag(
        code="OVER_CAPACITY",
        title="Caseload over capacity",
        level="practitioner",
        severity="amber",
        applies_to=ALL_PROFILES,
        rule=(
            "Count: lead caseload (including allocated-awaiting-assessment) > cap x WTE x "
            "clinical fraction ({caseload_cap_per_wte} per WTE; trainees "
            "{caseload_cap_absolute} as absolute figures). Weighted: load, normalised so a "
            "typical case for the role is 1.0, > that capacity; it fires only once calibration "
            "is adequate (pooled weighted kappa >= {kappa_minimum} over >= "
            "{kappa_minimum_pairs} pairs). A role with no cap cannot be assessed."
        ),
        source="seed 002 §11; seed 003; CLINICAL-RULES §2",
        evidence_template="{count} lead cases against a capacity of {capacity}",
    ),
    Flag(
        code="HIGH_RISK_SHARE",
        title="High share of high-risk cases",
        level="practitioner",
        severity="amber_or_red",
        applies_to=ALL_PROFILES,
        rule=(
            "Advisory: cases with HIGH_RISK above {high_risk_share_amber_percent}% of the lead "
            "caseload (amber) or above {high_risk_share_red_percent}% (red), shown only when the "
            "caseload has {high_risk_share_minimum_cases} or more cases. From community matron "
            "evidence (Sargent 2008)."
        ),
        source="seed 003",
        evidence_template="{high_risk} of {count} lead cases ({share}%) high risk",
    ),
    Flag(
        code="SUPERVISION_DUE",
        title="Caseload supervision due",
        level="practitioner",
        severity="amber_or_red",
        applies_to=ALL_PROFILES,
        rule=(
            "Amber when no signed caseload session this month and <= "
            "{supervision_due_amber_days_left} days are left in the month; red when there was "
            "none last calendar month."
        ),
        source="seed 000 §4.3; seed 002 app. 2",
        evidence_template="last signed caseload session {last_on}",
    ),
    Flag(
        code="COMPLIANCE_BELOW_STANDARD",
        title="Supervision compliance below standard",
        level="team",
        severity="red",
        applies_to=ALL_PROFILES,
        rule=(
            "On a frozen month ({month_freeze_working_days} working days after it ends): "
            "practitioners who led >= 1 open referral on any day of the month and were in post "
            ">= {compliance_min_days_in_post} days of it (leave not excluded, shown alongside); "
            "of those, the share in >= 1 signed session of a counting type in the month (group "
            "sessions count for each attendee) is below {supervision_standard_percent}%. "
            "Escalated to the care group."
        ),
        source="seed 000 §4.3, §4.5, §8",
        evidence_template="{month}: {supervised} of {eligible} practitioners ({share}%)",
    ),
)

OVERSIGHT_FLAGS = SAFETY + OWNERSHIP + PATHWAY + PRACTITIONER_AND_TEAM
