"""Acknowledging and snoozing flags: tied to the evidence, re-raised on worsening (hazard H5)."""

import datetime as dt

import pytest

from caseboard.contract.schema_snapshot import CASE_FLAGS, CASE_SNAPSHOT
from caseboard.domain.acknowledgement import (
    ACKNOWLEDGED,
    SNOOZED,
    Acknowledgement,
    Refused,
    check,
    evidence_hash,
    in_force,
)
from caseboard.domain.flag_types import flag_column
from caseboard.domain.policy import DEFAULT_POLICY
from caseboard.engine.rules.inputs import rule_inputs

TODAY = dt.date(2026, 11, 20)


def hashed(code, facts):
    return evidence_hash(code, facts, rule_inputs()[code])


def held(ack, facts, **kw):
    return in_force(ack, facts, inputs=rule_inputs()[ack.code], **kw)


def row(**facts):
    base = dict.fromkeys(CASE_SNAPSHOT.column_names)
    base |= {flag_column(flag.code): "clear" for flag in CASE_FLAGS}
    return base | facts


def allowed(**kw):
    args = {
        "code": "DNA_REVIEW",
        "state": "amber",
        "kind": SNOOZED,
        "until": TODAY + dt.timedelta(days=14),
        "reason": "discussed with the patient; next session booked",
        "today": TODAY,
        "may_snooze_safety": False,
        "policy": DEFAULT_POLICY,
    }
    check(**(args | kw))


def snoozed(code, before, **kw):
    return Acknowledgement(
        code=code,
        kind=kw.get("kind", SNOOZED),
        until=kw.get("until", TODAY + dt.timedelta(days=14)),
        evidence_hash=hashed(code, before),
        recorded_on=TODAY,
        red_safety=kw.get("red_safety", False),
    )


def test_a_practitioner_cannot_snooze_a_red_safety_flag():
    for code in ("DETERIORATING", "PHQ9_ITEM9", "SAFEGUARDING", "HIGH_RISK", "UNSCREENED"):
        with pytest.raises(Refused, match="only a supervisor"):
            allowed(code=code, state="red")
        allowed(code=code, state="red", may_snooze_safety=True)  # a supervisor may
        allowed(code=code, state="red", kind=ACKNOWLEDGED, until=None)  # acknowledging is fine


def test_snooze_lasts_at_most_28_days_and_ends_after_today():
    allowed(until=TODAY + dt.timedelta(days=28))
    with pytest.raises(Refused, match="at most 28 days"):
        allowed(until=TODAY + dt.timedelta(days=29))
    with pytest.raises(Refused, match="after today"):
        allowed(until=TODAY)
    with pytest.raises(Refused, match="end date"):
        allowed(until=None)


def test_a_reason_is_required_and_only_raised_flags_qualify():
    with pytest.raises(Refused, match="reason"):
        allowed(reason="  ")
    with pytest.raises(Refused, match="raised"):
        allowed(state="clear")
    with pytest.raises(Refused, match="signed supervision discussion"):
        allowed(code="NOT_CASENESS", kind=ACKNOWLEDGED, until=None)


def test_worsening_re_raises_a_snoozed_flag():
    earlier = TODAY - dt.timedelta(days=10)
    before = row(
        flag_dna_review="amber", nth_last_non_attendance_on=earlier, last_non_attendance_on=TODAY
    )
    ack = snoozed("DNA_REVIEW", before)
    assert held(ack, before, today=TODAY, lead_session_since=None)
    # A new DNA three days later: the latest and the counted one move on. The snooze no longer
    # holds.
    later = TODAY + dt.timedelta(days=3)
    worse = before | {"nth_last_non_attendance_on": TODAY, "last_non_attendance_on": later}
    assert not held(ack, worse, today=TODAY + dt.timedelta(days=3), lead_session_since=None)


def test_amber_turning_red_re_raises():
    amber = row(flag_wait_second="amber", first_treatment_on=dt.date(2026, 9, 1))
    ack = snoozed("WAIT_SECOND", amber)
    red = amber | {"flag_wait_second": "red"}
    assert not held(ack, red, today=TODAY, lead_session_since=None)


def test_a_higher_score_re_raises_deteriorating():
    before = row(flag_deteriorating="red", phq9_first=10.0, phq9_last=17.0)
    ack = snoozed("DETERIORATING", before, red_safety=True)
    assert held(ack, before, today=TODAY, lead_session_since=None)
    higher = before | {"phq9_last": 20.0}
    assert not held(ack, higher, today=TODAY, lead_session_since=None)


def test_a_red_safety_snooze_ends_at_the_leads_next_session():
    before = row(flag_safeguarding="red", open_safeguarding=1, open_child_safeguarding=0)
    ack = snoozed("SAFEGUARDING", before, red_safety=True)
    assert held(ack, before, today=TODAY, lead_session_since=None)
    assert not held(ack, before, today=TODAY, lead_session_since=TODAY)


def test_a_snooze_expires_after_its_end_date():
    before = row(flag_dna_review="amber", last_non_attendance_on=TODAY)
    ack = snoozed("DNA_REVIEW", before, until=TODAY + dt.timedelta(days=7))
    assert held(ack, before, today=TODAY + dt.timedelta(days=7), lead_session_since=None)
    assert not held(ack, before, today=TODAY + dt.timedelta(days=8), lead_session_since=None)


def test_the_passing_of_time_alone_does_not_re_raise():
    # The hash reads the facts, not as_of: the same facts a week later are the same evidence.
    before = row(flag_not_discussed="amber", last_discussed_on=dt.date(2026, 10, 30))
    later = before | {"as_of": TODAY + dt.timedelta(days=7)}
    assert hashed("NOT_DISCUSSED", before) == hashed("NOT_DISCUSSED", later)


def test_a_cleared_flag_is_not_held():
    before = row(flag_dna_review="amber", last_non_attendance_on=TODAY)
    ack = snoozed("DNA_REVIEW", before, kind=ACKNOWLEDGED, until=None)
    assert not held(
        ack, before | {"flag_dna_review": "clear"}, today=TODAY, lead_session_since=None
    )


def test_more_sessions_without_improvement_re_raise_not_improving():
    """treatment_contacts is read by the rule, so it is in the evidence (a hand-kept list of
    inputs once left it out, and the snooze held while sessions went on without improvement)."""
    before = row(
        flag_not_improving="amber", phq9_first=18.0, phq9_last=17.0, treatment_contacts=4, step=2
    )
    ack = snoozed("NOT_IMPROVING", before)
    assert held(ack, before, today=TODAY, lead_session_since=None)
    more = before | {"treatment_contacts": 6}
    assert not held(ack, more, today=TODAY, lead_session_since=None)


def test_a_wait_counted_in_days_is_the_same_evidence_the_next_day():
    before = row(flag_wait_first="amber", received_on=dt.date(2026, 10, 28), days_since_received=23)
    later = before | {"days_since_received": 24}
    assert hashed("WAIT_FIRST", before) == hashed("WAIT_FIRST", later)
