"""Waiting, screening, contact and attendance rules (CLINICAL-RULES.md section 2)."""

from __future__ import annotations

import ibis

from caseboard.domain.codes import NOT_FOR_TREATMENT
from caseboard.engine.rules.common import Context, by_profile, rule, state

# Assessment outcomes that take a referral off the waiting list for treatment.


def first_seen(f: ibis.Table) -> ibis.Value:
    """The anchor of the wait for treatment: the first attended assessment or treatment contact
    (CLINICAL-RULES section 2, WAIT_SECOND, revision 2: anchoring on the first *treatment*
    contact hid everyone assessed with a plain assessment contact)."""
    assessed, treated = f.first_assessment_on, f.first_treatment_on
    return ibis.least(assessed.fill_null(treated), treated.fill_null(assessed))


def waiting_for_treatment(f: ibis.Table) -> ibis.Value:
    """Seen, fewer than two treatment contacts (the anchor counts if it is one), and not taken
    off the waiting list by the assessment's outcome (seed 002 app. 1; revision 2)."""
    off_the_list = f.assessment_outcome.isin(NOT_FOR_TREATMENT).fill_null(False)
    return first_seen(f).notnull() & (f.treatment_contacts < 2) & ~off_the_list


@rule("WAIT_FIRST")
def wait_first(f: ibis.Table, c: Context) -> ibis.Value:
    p = c.policy
    waiting = f.first_assessment_on.isnull()
    days = f.days_since_received
    booked_in_time = f.next_booked_on.notnull() & (
        f.next_booked_on.epoch_days() - f.received_on.epoch_days()
        <= p.first_appointment_internal_days
    )
    return state(
        red=waiting & (days > p.first_appointment_internal_days),
        amber=waiting & (days >= p.wait_first_amber_days) & ~booked_in_time,
    )


@rule("WAIT_SECOND")
def wait_second(f: ibis.Table, c: Context) -> ibis.Value:
    p = c.policy
    gap = c.since(first_seen(f))
    waiting = waiting_for_treatment(f)
    return state(
        red=waiting & (gap > p.second_appointment_red_days),
        amber=waiting & (gap > p.second_appointment_amber_days),
    )


@rule("KIT_DUE")
def kit_due(f: ibis.Table, c: Context) -> ibis.Value:
    """Recurs: the clock restarts at each attended KIT call (a DNA'd KIT is not a call)."""
    p = c.policy
    seen = first_seen(f)
    anchor = ibis.greatest(seen, f.last_kit_attended_on.fill_null(seen))
    since = c.since(anchor)
    waiting = waiting_for_treatment(f) & (
        f.kit_opted_out_on.isnull() | (f.kit_opted_out_on > c.as_of)
    )
    return state(
        red=waiting & (since > p.kit_red_days),
        amber=waiting & (since >= p.kit_amber_days) & f.next_kit_booked_on.isnull(),
    )


@rule("WAIT_LETTER_DUE")
def wait_letter_due(f: ibis.Table, c: Context) -> ibis.Value:
    p = c.policy
    beyond = f.first_assessment_on.isnull() & (
        f.days_since_received > p.first_appointment_internal_days
    )
    return state(amber=beyond & f.waiting_letter_on.isnull())


@rule("UNSCREENED")
def unscreened(f: ibis.Table, c: Context) -> ibis.Value:
    p = c.policy
    waiting = f.screened_on.isnull()
    return state(
        red=waiting
        & (
            (f.urgent & (f.days_since_received > p.unscreened_urgent_days))
            | (f.days_since_received > p.unscreened_days)
        )
    )


def contact_interval(f: ibis.Table, c: Context) -> ibis.Value:
    """NO_CONTACT's interval: the profile's, or its interval while stable (CLINICAL-RULES
    section 1, revision 2)."""
    usual = by_profile(f.service_kind, c.policy.no_contact_days)
    stable = by_profile(f.service_kind, c.policy.no_contact_stable_days)
    return ibis.ifelse((f.pathway_stage == "stable") & stable.notnull(), stable, usual)


@rule("NO_CONTACT")
def no_contact(f: ibis.Table, c: Context) -> ibis.Value:
    """After the first attended clinical contact and (in Talking Therapies, where WAIT_SECOND
    and KIT_DUE carry the wait) not waiting for treatment: amber beyond
    the interval with nothing booked within the interval from today (a booking further away
    does not clear it); beyond twice the interval it stays raised whatever is booked, red
    with nothing booked within the interval. Also amber: allocated, never seen, beyond
    never_seen_days since allocation, where WAIT_FIRST does not already count the wait
    (CLINICAL-RULES section 2, revision 2)."""
    interval = contact_interval(f, c)
    seen = f.last_attended_on.notnull()
    # "Still waiting" is Talking Therapies' wait for treatment (WAIT_SECOND); no community flag
    # carries that wait, so a community patient seen once is never out of NO_CONTACT's sight.
    waiting = (f.service_kind == "talking_therapies") & waiting_for_treatment(f)
    active = seen & ~waiting
    since = c.since(f.last_attended_on)
    booked_soon = (f.next_booked_on.epoch_days() - c.today <= interval).fill_null(False)
    long_quiet = active & (since > 2 * interval)
    quiet = active & (since > interval) & ~booked_soon
    never_seen = (
        ~seen
        & f.lead_practitioner_id.notnull()
        & (f.service_kind != "talking_therapies")
        & (c.since(f.first_allocated_on) > c.policy.never_seen_days)
    )
    return state(
        cannot_assess=active & interval.isnull(),
        red=long_quiet & ~booked_soon,
        amber=quiet | long_quiet | never_seen,
    )


@rule("DNA_REVIEW")
def dna_review(f: ibis.Table, c: Context) -> ibis.Value:
    """At least dna_review_count DNAs or patient cancellations of booked clinical contacts of
    any kind within the profile's window, unless a signed supervision discussion is dated on or
    after the latest of them (CLINICAL-RULES section 2, revision 2)."""
    window = by_profile(f.service_kind, c.policy.dna_review_window_days)
    enough = c.since(f.nth_last_non_attendance_on) <= window
    discussed = f.last_discussed_on >= f.last_non_attendance_on
    return state(amber=enough & ~discussed.fill_null(False))


@rule("DNA_ASSESSMENT")
def dna_assessment(f: ibis.Table, c: Context) -> ibis.Value:
    missed = f.first_assessment_outcome.isin(("did_not_attend", "was_not_brought"))
    return state(amber=missed & f.first_assessment_on.isnull())


def working_days_deadline(day: ibis.Value, working_days: int) -> ibis.Value:
    """``day`` + n working days (Monday to Friday; bank holidays not modelled), in epoch days."""
    weekday = day.day_of_week.index()  # Monday 0 .. Sunday 6
    # From a weekend day, count as from the Friday before it: Monday is the first working day.
    start = day.epoch_days() - ibis.cases((weekday == 5, 1), (weekday == 6, 2), else_=0)
    start_weekday = ibis.cases((weekday >= 5, 4), else_=weekday)
    whole_weeks, rest = divmod(working_days, 5)
    spill = ibis.cases((start_weekday + rest > 4, 2), else_=0)
    return start + whole_weeks * 7 + rest + spill


@rule("DNA_FOLLOWUP")
def dna_followup(f: ibis.Table, c: Context) -> ibis.Value:
    deadline = working_days_deadline(f.last_dna_on, c.policy.dna_followup_working_days)
    return state(
        amber=f.last_dna_on.notnull() & f.dna_followed_up_on.isnull() & (c.today > deadline)
    )


@rule("OUTCOME_NOT_RECORDED")
def outcome_not_recorded(f: ibis.Table, c: Context) -> ibis.Value:
    return state(amber=c.since(f.oldest_unrecorded_on) > c.policy.outcome_not_recorded_days)
