"""Treatment and outcome rules for Talking Therapies (CLINICAL-RULES.md sections 2 and 3)."""

from __future__ import annotations

import ibis

from caseboard.domain import measures
from caseboard.domain.measures import reliable_threshold
from caseboard.engine.rules.common import Context, after, phq9_recorded, rule, state

# GAD-7 and every anxiety-disorder-specific measure a problem descriptor can call for.
ANXIETY_INSTRUMENTS = tuple(sorted(measures.ANXIETY_INSTRUMENTS))


def anxiety_cutoff(f: ibis.Table, c: Context) -> ibis.Value:
    values = [(f.anxiety_instrument == i, c.policy.caseness(i)) for i in ANXIETY_INSTRUMENTS]
    return ibis.cases(*values, else_=ibis.null().cast("float64"))


def anxiety_change(f: ibis.Table, c: Context) -> ibis.Value:
    """The smallest reliable change of the referral's anxiety measure (domain/measures.py)."""
    values = [
        (f.anxiety_instrument == i, reliable_threshold(c.policy.reliable_change(i)))
        for i in ANXIETY_INSTRUMENTS
    ]
    return ibis.cases(*values, else_=ibis.null().cast("float64"))


def in_caseness(phq9: ibis.Value, anxiety: ibis.Value, f: ibis.Table, c: Context) -> ibis.Value:
    """PHQ-9 at or above its cut-off, or the anxiety measure at or above its own."""
    return (phq9 >= c.policy.phq9_caseness).fill_null(False) | (
        anxiety >= anxiety_cutoff(f, c)
    ).fill_null(False)


def below_caseness(phq9: ibis.Value, anxiety: ibis.Value, f: ibis.Table, c: Context) -> ibis.Value:
    """Both measures present and below their cut-offs."""
    return (phq9 < c.policy.phq9_caseness) & (anxiety < anxiety_cutoff(f, c))


def reliable_rise(f: ibis.Table, c: Context) -> ibis.Value:
    phq9 = (f.phq9_last - f.phq9_first) >= reliable_threshold(c.policy.phq9_reliable_change)
    anxiety = (f.anxiety_last - f.anxiety_first) >= anxiety_change(f, c)
    return phq9.fill_null(False) | anxiety.fill_null(False)


def reliable_fall(f: ibis.Table, c: Context) -> ibis.Value:
    phq9 = (f.phq9_first - f.phq9_last) >= reliable_threshold(c.policy.phq9_reliable_change)
    anxiety = (f.anxiety_first - f.anxiety_last) >= anxiety_change(f, c)
    return phq9.fill_null(False) | anxiety.fill_null(False)


def no_scores(f: ibis.Table) -> ibis.Value:
    return f.phq9_first.isnull() & f.anxiety_first.isnull()


def _step_setting(f: ibis.Table, step2: int, step3: int) -> ibis.Value:
    return ibis.cases((f.step == 2, step2), (f.step == 3, step3), else_=ibis.null().cast("int64"))


@rule("SESSION_LIMIT")
def session_limit(f: ibis.Table, c: Context) -> ibis.Value:
    p = c.policy
    review = _step_setting(f, p.step2_session_review, p.step3_session_review)
    limit = _step_setting(f, p.step2_session_limit, p.step3_session_limit)
    maximum = _step_setting(f, p.step2_session_maximum, p.step3_session_maximum)
    extended = f.agreed_extension.notnull() | f.agreed_session_limit.notnull()
    return state(
        cannot_assess=f.step.isnull() & (f.treatment_contacts > 0),
        red=((f.session_contacts > limit) & ~extended) | (f.session_contacts > maximum),
        amber=(f.treatment_contacts >= review) & ~extended,
    )


@rule("DETERIORATING")
def deteriorating(f: ibis.Table, c: Context) -> ibis.Value:
    """The flag is more sensitive than the KPI: a reliable rise on either measure, whatever the
    other did."""
    return state(red=reliable_rise(f, c))


@rule("NOT_IMPROVING")
def not_improving(f: ibis.Table, c: Context) -> ibis.Value:
    p = c.policy
    enough = f.treatment_contacts >= _step_setting(
        f, p.not_improving_step2_contacts, p.not_improving_step3_contacts
    )
    started_in = in_caseness(f.phq9_first, f.anxiety_first, f, c)
    still_in = in_caseness(f.phq9_last, f.anxiety_last, f, c)
    return state(
        cannot_assess=enough & no_scores(f),
        amber=enough & started_in & still_in & ~reliable_fall(f, c),
    )


@rule("PHQ9_ITEM9", applies_when=phq9_recorded)
def item9(f: ibis.Table, c: Context) -> ibis.Value:
    concern = f.phq9_item9 >= c.policy.phq9_item9_threshold
    reviewed = (f.risk_recorded_on >= f.phq9_item9_on).fill_null(False) | (
        f.safety_plan_on >= f.phq9_item9_on
    ).fill_null(False)
    return state(red=concern & ~reviewed)


@rule("SEVERITY_STEP")
def severity_step(f: ibis.Table, c: Context) -> ibis.Value:
    """Step 2 with a severe latest PHQ-9 or GAD-7, no step-up pending and no signed decision to
    continue at the step since the first severe measure; raised again on a reliable rise or a
    new item 9 at the threshold measured after that decision. Step 3: 'consider secondary care'
    at a PHQ-9 of 20 with item 9 at the threshold or risk concerns (seed 002 §9, §12.1;
    CLINICAL-RULES revision 2)."""
    p = c.policy
    decided = f.continue_agreed_on
    continued = (decided >= f.severe_first_on).fill_null(False)
    again = after(f.item9_concern_on, decided) & decided.notnull()
    again = again | (reliable_rise(f, c) & (f.phq9_last_on > decided).fill_null(False))
    open_question = ~continued | again
    gad7 = f.anxiety_instrument == "gad7"
    severe_phq9 = (f.phq9_last >= p.severity_step_phq9).fill_null(False)
    severe_gad7 = gad7 & (f.anxiety_last >= p.severity_step_gad7).fill_null(False)
    no_step_up = f.step_change_pending_since.isnull()
    step2 = (f.step == 2) & no_step_up
    item9 = (f.phq9_item9 >= p.risk_concerns_item9_threshold).fill_null(False)
    concerns = item9 | f.risk_concerns_recorded.fill_null(False)
    step3 = (f.step == 3) & (f.phq9_last >= p.severity_step_secondary_phq9).fill_null(False)
    return state(
        # An ADSM has no severe cut-off in policy: once a PHQ-9 is recorded and does not
        # raise it, its anxiety side cannot be assessed, recorded or not.
        cannot_assess=step2 & ~severe_phq9 & ~gad7 & f.phq9_last.notnull(),
        amber=((step2 & (severe_phq9 | severe_gad7)) | (step3 & concerns)) & open_question,
    )


def recovered_now(f: ibis.Table, c: Context) -> ibis.Value:
    """First paired score in caseness and the last two measured contacts below it."""
    return (
        in_caseness(f.phq9_first, f.anxiety_first, f, c)
        & below_caseness(f.phq9_last, f.anxiety_last, f, c)
        & below_caseness(f.phq9_previous, f.anxiety_previous, f, c)
    )


@rule("RECOVERED")
def recovered(f: ibis.Table, c: Context) -> ibis.Value:
    """'Consider discharge'; held back by deterioration, an unreviewed item 9 or a stale safety
    plan (see flags)."""
    return state(amber=recovered_now(f, c))


@rule("NOT_CASENESS")
def not_caseness(f: ibis.Table, c: Context) -> ibis.Value:
    """Cleared only by a signed supervision discussion dated after the assessment."""
    assessed = f.first_assessment_on.notnull()
    discussed = (f.last_discussed_on > f.first_assessment_on).fill_null(False)
    return state(
        cannot_assess=assessed & no_scores(f),
        amber=assessed & below_caseness(f.phq9_first, f.anxiety_first, f, c) & ~discussed,
    )


@rule("MEASURE_MISSING")
def measure_missing(f: ibis.Table, c: Context) -> ibis.Value:
    """PHQ-9 and GAD-7 (GAD-7 even where an ADSM is also due) at the last attended contact."""
    both = f.phq9_at_last_contact.fill_null(False) & f.gad7_at_last_contact.fill_null(False)
    return state(amber=f.last_attended_on.notnull() & ~both)


@rule("DESCRIPTOR_MISSING")
def descriptor_missing(f: ibis.Table, c: Context) -> ibis.Value:
    return state(amber=f.first_assessment_on.notnull() & f.problem_descriptor.isnull())


@rule("ADSM_MISSING")
def adsm_missing(f: ibis.Table, c: Context) -> ibis.Value:
    needs = f.anxiety_instrument != "gad7"
    return state(amber=needs & f.first_assessment_on.notnull() & f.anxiety_count.isnull())


@rule("LONG_EPISODE")
def long_episode(f: ibis.Table, c: Context) -> ibis.Value:
    p = c.policy
    weeks = _step_setting(f, p.long_episode_step2_weeks, p.long_episode_step3_weeks)
    started = f.first_treatment_on.notnull()
    return state(
        cannot_assess=started & f.step.isnull(),
        amber=started & (c.since(f.first_treatment_on) > weeks * 7),
    )


@rule("STEP_CHANGE")
def step_change(f: ibis.Table, c: Context) -> ibis.Value:
    return state(red=c.since(f.step_change_pending_since) > c.policy.step_change_days)
