"""When the record confirms an allocation or absence made in Caseboard (plain values), at the
boundaries of the rules in web/allocation/status.py."""

import datetime as dt

from caseboard.web.allocation.choices import Choice
from caseboard.web.allocation.status import (
    AbsenceRow,
    CareTeamRow,
    confirming_absence_row,
    confirming_care_team_row,
    status_text,
)

ASKED = dt.date(2026, 11, 23)


def _confirmed_by(rows, role="lead"):
    return confirming_care_team_row(
        referral_id=1, practitioner_id=7, role=role, requested_on=ASKED, rows=rows
    )


def test_a_row_in_force_on_or_after_the_request_confirms_it():
    backdated = CareTeamRow(1, 7, "lead", dt.date(2026, 11, 20), None)
    assert _confirmed_by([backdated]) == backdated
    ends_on_the_day = CareTeamRow(1, 7, "lead", dt.date(2026, 1, 1), ASKED)
    assert _confirmed_by([ends_on_the_day]) == ends_on_the_day


def test_a_row_ended_before_the_request_does_not_confirm_it():
    ended = CareTeamRow(1, 7, "lead", dt.date(2025, 1, 1), ASKED - dt.timedelta(days=1))
    assert _confirmed_by([ended]) is None


def test_another_practitioner_role_or_referral_does_not_confirm_it():
    rows = [
        CareTeamRow(1, 8, "lead", ASKED, None),
        CareTeamRow(1, 7, "co_worker", ASKED, None),
        CareTeamRow(2, 7, "lead", ASKED, None),
    ]
    assert _confirmed_by(rows) is None
    assert _confirmed_by(rows, role="co_worker") == rows[1]


def _absence_confirmed_by(rows, cover=9, ends_on=dt.date(2026, 12, 4)):
    return confirming_absence_row(
        practitioner_id=7,
        kind="annual_leave",
        starts_on=dt.date(2026, 12, 1),
        ends_on=ends_on,
        cover_practitioner_id=cover,
        rows=rows,
    )


def test_an_overlapping_absence_with_the_same_cover_confirms_it():
    touching = AbsenceRow(7, "annual_leave", dt.date(2026, 12, 4), dt.date(2026, 12, 10), 9)
    assert _absence_confirmed_by([touching]) == touching
    before = AbsenceRow(7, "annual_leave", dt.date(2026, 11, 20), dt.date(2026, 11, 30), 9)
    assert _absence_confirmed_by([before]) is None
    open_ended = AbsenceRow(7, "annual_leave", dt.date(2026, 11, 20), None, 9)
    assert _absence_confirmed_by([open_ended]) == open_ended


def test_an_absence_without_the_named_cover_or_of_another_kind_does_not_confirm_it():
    uncovered = AbsenceRow(7, "annual_leave", dt.date(2026, 12, 1), dt.date(2026, 12, 4), None)
    sickness = AbsenceRow(7, "sickness", dt.date(2026, 12, 1), dt.date(2026, 12, 4), 9)
    assert _absence_confirmed_by([uncovered, sickness]) is None
    assert _absence_confirmed_by([uncovered], cover=None) == uncovered


def test_status_texts():
    assert status_text("pending", requested_on=ASKED, confirmed_from=None) == (
        "pending in the EPR since 23 Nov 2026"
    )
    confirmed = status_text("confirmed", requested_on=ASKED, confirmed_from=dt.date(2026, 11, 2))
    assert confirmed == "confirmed in the EPR (from 2 Nov 2026)"


def test_a_choice_counts_pending_allocations_apart():
    choice = Choice(
        practitioner_id=7,
        name="Ann Lee",
        role="PWP",
        wte=1.0,
        lead_cases=45,
        pending_lead=2,
        capacity=70.0,
        weighted_load=52.14,
        modalities=("cbt",),
        leave=("on annual leave to 1 Dec 2026",),
    )
    assert choice.count_text == "45 lead (+2 pending)"
    assert choice.label == (
        "Ann Lee (PWP); 45 lead (+2 pending) of 70.0; weighted 52.1 (advisory); cbt; "
        "leave: on annual leave to 1 Dec 2026"
    )
    assert Choice(**{**choice.__dict__, "pending_lead": 0}).count_text == "45 lead"
