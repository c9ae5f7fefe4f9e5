"""Evidence beside each flag: filled from the snapshot's named facts, at the rules' boundaries."""

import datetime as dt
import string

import pytest

from caseboard.contract.schema_snapshot import CASE_FLAGS, CASE_SNAPSHOT
from caseboard.domain.evidence import Facts, evidence
from caseboard.domain.flag_types import flag_column
from caseboard.domain.flags import by_code
from caseboard.domain.policy import DEFAULT_POLICY

AS_OF = dt.date(2026, 11, 20)  # a Friday


def row(**facts):
    """A snapshot row with every declared column empty, then ``facts``."""
    base = dict.fromkeys(CASE_SNAPSHOT.column_names)
    base |= {"as_of": AS_OF, "service_kind": "talking_therapies", "anxiety_instrument": "gad7"}
    base |= {flag_column(flag.code): "clear" for flag in CASE_FLAGS}
    return base | facts


def raised(code, state="amber", **facts):
    return evidence(code, row(**{flag_column(code): state}, **facts), DEFAULT_POLICY)


def placeholders(template):
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_case_flag_has_fields_for_exactly_its_template():
    for flag in CASE_FLAGS:
        assert flag.fields is not None, flag.code
        filled = flag.fields(Facts(row(), DEFAULT_POLICY))
        assert set(filled) == placeholders(flag.evidence_template), flag.code


def test_every_flag_renders_on_an_empty_row_without_none():
    for flag in CASE_FLAGS:
        text = raised(flag.code)
        assert text and "None" not in text, (flag.code, text)


def test_clear_and_not_applicable_have_no_evidence():
    assert evidence("NO_CONTACT", row(flag_no_contact="clear"), DEFAULT_POLICY) == ""
    assert evidence("NO_CONTACT", row(flag_no_contact="not_applicable"), DEFAULT_POLICY) == ""


def test_cannot_assess_says_what_is_missing():
    text = raised("HIGH_RISK", "cannot_assess")
    assert text == "cannot be assessed: no risk information is recorded"
    assert raised("DNA_REVIEW", "cannot_assess").startswith("cannot be assessed: ")


def test_no_contact_names_the_last_contact_and_its_age():
    text = raised("NO_CONTACT", last_attended_on=dt.date(2026, 11, 1))
    assert text == "last attended contact 19 days ago on 1 Nov 2026; nothing booked"
    # A booking beyond the interval does not clear it (revision 2): the evidence names it.
    text = raised(
        "NO_CONTACT", last_attended_on=dt.date(2026, 9, 1), next_booked_on=dt.date(2027, 2, 1)
    )
    assert text == "last attended contact 80 days ago on 1 Sep 2026; next booked 1 Feb 2027"
    # Allocated and never seen.
    text = raised("NO_CONTACT", first_allocated_on=dt.date(2026, 10, 1), service_kind="adult_cmh")
    assert text == "allocated 50 days ago on 1 Oct 2026; never seen"


def test_dna_followup_due_counts_working_days_over_the_weekend():
    # DNA on Friday 13 Nov; 7 working days later is Tuesday 24 Nov, not Friday 20 Nov.
    assert DEFAULT_POLICY.dna_followup_working_days == 7
    text = raised("DNA_FOLLOWUP", last_dna_on=dt.date(2026, 11, 13))
    assert text == (
        "did not attend on 13 Nov 2026; no contact recorded since, follow-up was due by 24 Nov 2026"
    )


def test_was_not_brought_for_children_and_learning_disability():
    for kind in ("camhs", "learning_disability"):
        text = raised("DNA_FOLLOWUP", last_dna_on=dt.date(2026, 11, 13), service_kind=kind)
        assert text.startswith("was not brought on 13 Nov 2026")


@pytest.mark.parametrize(
    ("kind", "last", "due"),
    [
        ("talking_therapies", dt.date(2026, 10, 23), "20 Nov 2026"),  # + 28 days
        ("adult_cmh", dt.date(2025, 11, 30), "30 Nov 2026"),  # + 12 calendar months
        ("adult_cmh", dt.date(2024, 2, 29), "28 Feb 2025"),  # month end clamps
    ],
)
def test_not_discussed_due_date(kind, last, due):
    text = raised("NOT_DISCUSSED", last_discussed_on=last, service_kind=kind)
    assert text.endswith(f"due {due}")


def test_never_discussed_counts_from_the_lead_allocation():
    text = raised("NOT_DISCUSSED", lead_since=dt.date(2026, 10, 1))
    assert text == "last discussed never (lead since 1 Oct 2026); due 29 Oct 2026"


@pytest.mark.parametrize(
    ("cluster", "assessed", "due"),
    [
        (2, dt.date(2026, 6, 3), "16 Sep 2026"),  # 15 weeks: a day count
        (16, dt.date(2025, 12, 26), "26 Jun 2026"),  # 6 months: calendar months
    ],
)
def test_cluster_review_due(cluster, assessed, due):
    text = raised("CLUSTER_REVIEW", care_cluster=cluster, cluster_assessed_on=assessed)
    assert text == f"cluster {cluster} assessed on {_day(assessed)}; review due {due}"


def test_scores_and_the_anxiety_disorder_specific_measure():
    text = raised(
        "DETERIORATING",
        "red",
        anxiety_instrument="pcl5",
        phq9_first=12.0,
        phq9_last=18.0,
        anxiety_first=40.0,
        anxiety_last=41.0,
        phq9_first_on=dt.date(2026, 9, 1),
        anxiety_first_on=dt.date(2026, 9, 1),
        phq9_last_on=dt.date(2026, 11, 10),
        anxiety_last_on=dt.date(2026, 11, 17),
    )
    assert text == "PHQ-9 12 to 18, PCL-5 40 to 41 (1 Sep 2026 to 17 Nov 2026)"


def test_counts_read_in_the_singular_and_plural():
    assert raised("SAFEGUARDING", "red", open_safeguarding=1).startswith(
        "1 open safeguarding concern on"
    )
    two = raised("SAFEGUARDING", "red", open_safeguarding=2, open_child_safeguarding=1)
    assert two.startswith("2 open safeguarding concerns (1 about a child)")
    assert raised("ACTION_OVERDUE", overdue_actions=1).startswith("1 supervision action overdue")


def test_care_docs_names_each_missing_or_overdue_document():
    text = raised(
        "CARE_DOCS",
        first_allocated_on=dt.date(2026, 8, 1),
        care_plan_on=dt.date(2026, 8, 10),
        care_plan_review_due_on=dt.date(2026, 11, 19),
        safety_summary_on=dt.date(2026, 8, 10),
        safety_plan_on=None,
    )
    assert text == "care plan review due 19 Nov 2026; safety plan missing (allocated 1 Aug 2026)"
    # A review due on as_of itself is not yet past.
    on_the_day = raised(
        "CARE_DOCS",
        care_plan_on=dt.date(2026, 8, 10),
        care_plan_review_due_on=AS_OF,
        safety_summary_on=dt.date(2026, 8, 10),
        safety_plan_on=dt.date(2026, 8, 10),
    )
    assert on_the_day.startswith("none ")


def test_learning_disability_needs_a_health_action_plan():
    text = raised("CARE_DOCS", service_kind="learning_disability")
    assert "health action plan missing" in text


def test_risk_never_recorded_reads_never():
    text = raised("RISK_REVIEW_DUE", first_assessment_on=dt.date(2026, 11, 2))
    assert (
        text == "risk information last recorded never, assessed on 2 Nov 2026; review every 28 days"
    )
    dated = raised("RISK_REVIEW_DUE", risk_recorded_on=dt.date(2026, 10, 15))
    assert dated.startswith("risk information last recorded 15 Oct 2026, 36 days ago")


def test_the_evidence_fills_the_catalogue_template():
    template = by_code("UNALLOCATED_WAIT").evidence_template
    text = raised("UNALLOCATED_WAIT", received_on=dt.date(2026, 11, 2), days_since_received=18)
    assert text == template.format(received_on="2 Nov 2026", days="18 days")


def test_dates_may_arrive_as_text_or_datetimes():
    for value in ("2026-11-01", dt.datetime(2026, 11, 1, 0, 0)):
        text = raised("NO_CONTACT", last_attended_on=value)
        assert text.startswith("last attended contact 19 days ago on 1 Nov 2026")


def _day(day):
    return f"{day.day} {day:%b %Y}"


def test_an_unfinished_discharge_names_the_decision_and_its_day():
    text = raised(
        "DISCHARGE_AGREED_NOT_DONE", last_decision="closure", leaving_agreed_on=dt.date(2026, 10, 1)
    )
    assert text == "closure agreed on 1 Oct 2026, 50 days ago; the referral is still open"
    # A later decision (an extension) does not name what was agreed: the evidence says which two.
    later = raised(
        "DISCHARGE_AGREED_NOT_DONE",
        last_decision="extension_agreed",
        leaving_agreed_on=dt.date(2026, 10, 1),
    )
    assert later.startswith("discharge or closure agreed on 1 Oct 2026")


def test_missed_appointments_name_the_window_and_the_latest():
    latest = dt.date(2026, 11, 10)
    assert raised("DNA_REVIEW", last_non_attendance_on=latest) == (
        "2 or more missed appointments (did not attend) or patient cancellations in the last "
        "90 days, the latest on 10 Nov 2026; not discussed in supervision since"
    )
    camhs = raised("DNA_REVIEW", last_non_attendance_on=latest, service_kind="camhs")
    assert "(was not brought)" in camhs and "in the last 180 days" in camhs


def test_one_day_and_one_contact_read_in_the_singular():
    text = raised(
        "UNSCREENED", "red", urgent=True, received_on=dt.date(2026, 11, 19), days_since_received=1
    )
    assert text == "urgent referral received on 19 Nov 2026, 1 day ago; not screened"
    text = raised("WAIT_SECOND", first_assessment_on=dt.date(2026, 10, 1), treatment_contacts=1)
    assert text == (
        "first seen 50 days ago on 1 Oct 2026; 1 treatment contact since; waiting for treatment"
    )
