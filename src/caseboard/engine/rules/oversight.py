"""Safety, care documents, ownership, supervision and pathway rules (CLINICAL-RULES.md)."""

from __future__ import annotations

import ibis

from caseboard.domain.codes import READY_DECISIONS
from caseboard.domain.policy import CLUSTER_REVIEW
from caseboard.engine.rules.common import (
    Context,
    after,
    by_profile,
    later,
    rule,
    state,
    uses_clusters,
)
from caseboard.engine.rules.treatment import below_caseness, recovered_now

HONOS = ("honos", "honos65", "honos_ld", "honosca")


@rule("SAFEGUARDING")
def safeguarding(f: ibis.Table, c: Context) -> ibis.Value:
    return state(red=f.open_safeguarding > 0)


@rule("HIGH_RISK")
def high_risk(f: ibis.Table, c: Context) -> ibis.Value:
    """A recorded high level or a place on the team's high-risk list; never 'low risk' as
    reassurance (CLINICAL-RULES section 4). A dated marker beside RISK_CONCERNS, which carries
    the signal (revision 2)."""
    return state(
        cannot_assess=f.risk_recorded_on.isnull(),
        red=(f.risk_level == "high") | f.risk_on_high_risk_list,
    )


@rule("RISK_REVIEW_DUE")
def risk_review_due(f: ibis.Table, c: Context) -> ibis.Value:
    """Once assessed: older than the profile's interval, or never recorded (ADR 8). Before the
    assessment it cannot be assessed, whatever the referral's screening recorded."""
    interval = by_profile(f.service_kind, c.policy.risk_review_days)
    never = f.risk_recorded_on.isnull()
    assessed = f.first_assessment_on.notnull()
    return state(
        cannot_assess=interval.isnull() | ~assessed,
        amber=assessed & (never | (c.since(f.risk_recorded_on) > interval)),
    )


@rule("CARE_DOCS")
def care_docs(f: ibis.Table, c: Context) -> ibis.Value:
    """Missing once the allocation is older than the profile's grace period, or past review."""
    grace = by_profile(f.service_kind, c.policy.care_docs_days)
    allocated_long_enough = c.since(f.first_allocated_on) > grace
    kinds = ["care_plan", "safety_summary", "safety_plan"]
    missing = ibis.literal(False)
    overdue = ibis.literal(False)
    for kind in kinds:
        missing = missing | f[f"{kind}_on"].isnull()
        overdue = overdue | (f[f"{kind}_review_due_on"] < c.as_of).fill_null(False)
    ld = f.service_kind == "learning_disability"
    missing = missing | (ld & f.health_action_plan_on.isnull())
    return state(
        cannot_assess=grace.isnull(),
        amber=(missing & allocated_long_enough) | overdue,
    )


def risk_evidence_entry_on(f: ibis.Table) -> ibis.Value:
    """The latest risk entry that is evidence (ADR 19): in Talking Therapies a new concern; in
    the community profiles a new or escalated concern after the first attended assessment (its
    formulation is the baseline), or a high level or listing at any entry."""
    talking = f.service_kind == "talking_therapies"
    assessed = f.first_assessment_on
    escalated = ibis.ifelse(
        assessed.isnull() | (f.risk_escalated_on > assessed).fill_null(False),
        f.risk_escalated_on,
        ibis.null().cast("date"),
    )
    return ibis.ifelse(talking, f.risk_concern_on, later(escalated, f.risk_high_on))


def risk_persists(f: ibis.Table, c: Context) -> ibis.Value:
    """The concerns are still current: the latest entry records concerns, a high level or a
    listing, or the latest item 9 is at the threshold."""
    entry = (
        f.risk_concerns_recorded.fill_null(False)
        | (f.risk_level == "high").fill_null(False)
        | f.risk_on_high_risk_list.fill_null(False)
    )
    return entry | (f.phq9_item9 >= c.policy.risk_concerns_item9_threshold).fill_null(False)


@rule("RISK_CONCERNS")
def risk_concerns(f: ibis.Table, c: Context) -> ibis.Value:
    """Red while risk evidence (an entry, an item 9 at the threshold, a crisis contact, self-harm
    or admission) has no qualifying discussion on or after it; after one, amber while the
    concerns persist, red again at its review date (CLINICAL-RULES revision 2)."""
    discussed = f.risk_discussed_on
    undiscussed = (
        after(risk_evidence_entry_on(f), discussed)
        | after(f.item9_concern_on, discussed)
        | after(f.risk_event_on, discussed)
    )
    persists = risk_persists(f, c)
    review_reached = (f.risk_review_on <= c.as_of).fill_null(False)
    return state(
        red=undiscussed | (persists & review_reached),
        amber=persists & discussed.notnull(),
    )


@rule("SAFETY_PLAN_STALE")
def safety_plan_stale(f: ibis.Table, c: Context) -> ibis.Value:
    """An event after the latest safety plan (in Talking Therapies, the later of the safety plan
    and the latest risk review); cannot be assessed where the service's record carries no
    events (CLINICAL-RULES revision 2)."""
    talking = f.service_kind == "talking_therapies"
    plan_on = ibis.ifelse(talking, later(f.safety_plan_on, f.risk_recorded_on), f.safety_plan_on)
    recorded = by_profile(f.service_kind, c.policy.safety_events_recorded)
    return state(
        cannot_assess=recorded.isnull() | (recorded == 0),
        red=f.last_event_on.notnull() & (plan_on.isnull() | (f.last_event_on > plan_on)),
    )


@rule("ORPHANED_CASE")
def orphaned_case(f: ibis.Table, c: Context) -> ibis.Value:
    """Red when the lead has left, or is on long-term absence with no named cover; amber while a
    named cover holds the case of an absent lead (ADR 8)."""
    has_lead = f.lead_practitioner_id.notnull()
    left = ~f.lead_in_post.fill_null(True)
    absent = f.absent_since.notnull()
    covered = f.cover_practitioner_id.notnull()
    return state(
        red=has_lead & (left | (absent & ~covered)),
        amber=has_lead & absent & covered,
    )


@rule("UNALLOCATED_WAIT")
def unallocated_wait(f: ibis.Table, c: Context) -> ibis.Value:
    return state(amber=f.lead_practitioner_id.isnull())


@rule("NOT_DISCUSSED")
def not_discussed(f: ibis.Table, c: Context) -> ibis.Value:
    """due = last signed discussion (or allocation to the current lead) + 12 calendar months,
    or + 28 days in Talking Therapies; amber from 30 days before due (7 in Talking Therapies,
    ADR 8); red only when overdue by more than the interval again (CLINICAL-RULES revision 2:
    a process flag, so its reds do not bury the clinical ones)."""
    p = c.policy
    anchor = f.last_discussed_on.fill_null(f.lead_since)
    window = p.not_discussed_amber_window_days
    talking = f.service_kind == "talking_therapies"
    interval = p.discussion_interval_days_talking_therapies
    tt_due = anchor.epoch_days() + interval
    months = p.discussion_interval_months
    long_overdue = ibis.ifelse(
        talking, c.today > tt_due + interval, anchor < c.months_before(2 * months)
    )
    due_soon = ibis.ifelse(
        talking,
        tt_due <= c.today + p.not_discussed_amber_window_days_talking_therapies,
        anchor <= c.months_before(months, days_after=window),
    )
    return state(red=long_overdue, amber=due_soon)


@rule("TRANSFER_REVIEW")
def transfer_review(f: ibis.Table, c: Context) -> ibis.Value:
    transferred = f.leads_so_far > 1
    undiscussed = f.last_discussed_on.isnull() | (f.last_discussed_on < f.lead_since)
    pending = transferred & undiscussed
    return state(
        red=pending & (c.since(f.lead_since) > c.policy.transfer_review_days), amber=pending
    )


@rule("ACTION_OVERDUE")
def action_overdue(f: ibis.Table, c: Context) -> ibis.Value:
    return state(amber=f.overdue_actions > 0)


@rule("READY_TO_STEP_DOWN")
def ready_to_step_down(f: ibis.Table, c: Context) -> ibis.Value:
    """Talking Therapies: goals met recorded and the last two measured contacts below caseness,
    and not beside RECOVERED, which already says "consider discharge" (CLINICAL-RULES revision
    2: goals met with a PHQ-9 of 19 is not readiness). Elsewhere goals met or a supervision
    decision. Never inferred from low risk or infrequent contact (NG225)."""
    goals_met = f.goals_met_on.notnull() & (f.goals_met_on <= c.as_of)
    decided = f.last_decision.isin(READY_DECISIONS)
    talking = f.service_kind == "talking_therapies"
    settled = below_caseness(f.phq9_last, f.anxiety_last, f, c) & below_caseness(
        f.phq9_previous, f.anxiety_previous, f, c
    )
    talking_ready = goals_met & settled.fill_null(False) & ~recovered_now(f, c).fill_null(False)
    return state(amber=ibis.ifelse(talking, talking_ready, goals_met | decided))


@rule("DISCHARGE_AGREED_NOT_DONE")
def discharge_agreed_not_done(f: ibis.Table, c: Context) -> ibis.Value:
    return state(amber=c.since(f.leaving_agreed_on) > c.policy.discharge_agreed_days)


@rule("STAGE_STALLED")
def stage_stalled(f: ibis.Table, c: Context) -> ibis.Value:
    maximum = ibis.cases(
        *(
            (f.pathway_stage == stage, days)
            for stage, days in sorted(c.policy.stage_stalled_days.items())
        ),
        else_=ibis.null().cast("int64"),
    )
    return state(
        cannot_assess=f.pathway_stage_entered_on.isnull(),
        amber=c.since(f.pathway_stage_entered_on) > maximum,
    )


@rule("CLUSTER_REVIEW", applies_when=uses_clusters)
def cluster_review(f: ibis.Table, c: Context) -> ibis.Value:
    """Review periods in weeks are day counts; in months, calendar months."""
    cases = []
    for cluster, (amount, unit) in sorted(CLUSTER_REVIEW.items()):
        if unit == "weeks":
            overdue = c.since(f.cluster_assessed_on) > amount * 7
        else:
            overdue = f.cluster_assessed_on < c.months_before(amount)
        cases.append((f.care_cluster == cluster, overdue))
    due = ibis.cases(*cases, else_=ibis.literal(False))
    return state(amber=f.care_cluster.notnull() & due)


@rule("CLUSTER_MISSING", applies_when=uses_clusters)
def cluster_missing(f: ibis.Table, c: Context) -> ibis.Value:
    return state(
        amber=f.care_cluster.isnull()
        & (f.attended_clinical_contacts >= c.policy.cluster_missing_after_contacts)
    )


@rule("OUTCOME_DUE")
def outcome_due(f: ibis.Table, c: Context) -> ibis.Value:
    """A clinician-rated and a patient-reported measure, paired, every few months."""
    due_before = c.months_before(c.policy.outcome_due_months)
    started = f.first_assessment_on.notnull() & (f.first_assessment_on < due_before)
    stale = (
        f.clinician_outcome_on.isnull()
        | f.patient_outcome_on.isnull()
        | (f.clinician_outcome_on < due_before)
        | (f.patient_outcome_on < due_before)
    )
    return state(amber=started & stale)
