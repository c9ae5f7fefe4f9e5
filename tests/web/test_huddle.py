"""The huddle view of the day: which cases and contacts land in which list."""

import datetime as dt

from caseboard.contract.schema_snapshot import CASE_FLAGS, CASE_SNAPSHOT
from caseboard.domain.flag_types import flag_column
from caseboard.domain.policy import DEFAULT_POLICY
from caseboard.web.dashboard.case_view import case_view
from caseboard.web.dashboard.huddle import ContactLine, sections

TODAY = dt.date(2026, 11, 23)


def case(referral_id, **facts):
    row = dict.fromkeys(CASE_SNAPSHOT.column_names)
    row |= {flag_column(flag.code): "clear" for flag in CASE_FLAGS}
    row |= {"referral_id": referral_id, "as_of": TODAY, "received_on": TODAY}
    row |= {"days_since_received": 0, "service_kind": "talking_therapies", "priority": 4}
    identity = {"patient_id": referral_id, "patient_name": "X", "nhs_number": "", "team": "T"}
    identity |= {"lead": "L", "lead_id": 1, "co_workers": ()}
    return case_view(row | facts, DEFAULT_POLICY, referral_id=referral_id, **identity)


def contact(referral_id, at, outcome="attended"):
    return ContactLine(at, referral_id, referral_id, "X", "treatment", outcome, "L")


def test_each_case_lands_in_its_lists():
    cases = [
        case(1, urgent=True, screened_on=None),
        case(2, flag_unscreened="red", screened_on=None),
        case(3, flag_safeguarding="red", open_safeguarding=1),
        case(4, flag_orphaned_case="amber", absent_since=dt.date(2026, 11, 1)),
        case(5, flag_kit_due="amber"),
        case(6, urgent=True, screened_on=dt.date(2026, 11, 20)),  # screened: not listed
    ]
    morning = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    yesterday = dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC)
    contacts = [
        contact(3, yesterday, "did_not_attend"),
        contact(5, morning, "was_not_brought"),
        contact(4, morning),
    ]
    day = sections(cases, contacts, TODAY)
    assert [c.referral_id for c in day.unscreened] == [1, 2]
    assert [c.referral_id for c in day.red] == [2, 3]
    assert [c.referral_id for c in day.absent_staff] == [4]
    assert [c.referral_id for c in day.kit_due] == [5]
    assert [c.referral_id for c in day.missed_today] == [5]  # yesterday's DNA is not today's
    assert [c.referral_id for c in day.contacts] == [5, 4, 3]  # latest first, ties by referral


def test_a_case_whose_lead_is_away_today_is_an_absent_staff_case():
    away = case(7)
    away = type(away)(**{**away.__dict__, "lead_away": "L on annual leave until 1 Dec 2026"})
    day = sections([case(8), away], [], TODAY)
    assert [c.referral_id for c in day.absent_staff] == [7]
