"""Who was lead on an open referral in a period, half of the compliance denominator
(CLINICAL-RULES section 2, COMPLIANCE: "practitioners who were lead on >= 1 open referral on
any day of the month and in post for >= 14 days of it"), at each end of the lead row and of the
referral, and for two periods at once."""

from __future__ import annotations

import datetime as dt

import ibis
import pyarrow as pa
import pytest

from caseboard.contract import schema
from caseboard.engine.summaries_staff import _led_in
from caseboard.engine.tables import Tables
from caseboard.synthetic.rows import arrow_schema

OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
AUGUST = (dt.date(2026, 8, 1), dt.date(2026, 8, 31))
D = dt.date
# practitioner id: (role, lead from, lead to, referral received, referral closed)
ROWS = {
    1: ("lead", D(2026, 6, 1), D(2026, 9, 30), D(2026, 6, 1), None),  # ended the day before
    2: ("lead", D(2026, 6, 1), D(2026, 10, 1), D(2026, 6, 1), None),  # ended on the first day
    3: ("lead", D(2026, 10, 31), None, D(2026, 6, 1), None),  # from the last day
    4: ("lead", D(2026, 11, 1), None, D(2026, 6, 1), None),  # from the day after
    5: ("lead", D(2026, 6, 1), None, D(2026, 6, 1), D(2026, 10, 1)),  # closed on the first day
    6: ("lead", D(2026, 6, 1), None, D(2026, 6, 1), D(2026, 10, 2)),  # closed the day after
    7: ("lead", D(2026, 6, 1), None, D(2026, 11, 1), None),  # received the day after
    8: ("care_coordinator", D(2026, 6, 1), None, D(2026, 6, 1), None),  # not the lead
    9: ("lead", D(2026, 8, 10), D(2026, 8, 15), D(2026, 6, 1), None),  # August only
}
LED_IN_OCTOBER = {2, 3, 6}
LED_IN_AUGUST = {1, 2, 5, 6, 9}


def _table(name: str, rows: list[dict]) -> pa.Table:
    declared = schema.table(name)
    columns = {c.name: [row.get(c.name) for row in rows] for c in declared.columns}
    return pa.table(columns, schema=arrow_schema(declared))


@pytest.fixture(scope="module")
def led() -> dict[int, tuple[bool, bool]]:
    referrals, leads = [], []
    for number, (role, starts, ends, received, closed) in ROWS.items():
        referrals.append(
            {
                "id": number,
                "source_system": "test",
                "source_id": f"r{number}",
                "patient_id": number,
                "team_id": 1,
                "received_on": received,
                "source": "self",
                "status": "closed" if closed else "open",
                "closed_on": closed,
            }
        )
        leads.append(
            {
                "id": number,
                "source_system": "test",
                "source_id": f"l{number}",
                "referral_id": number,
                "practitioner_id": number,
                "role": role,
                "starts_on": starts,
                "ends_on": ends,
            }
        )
    con = ibis.duckdb.connect()
    con.create_table("referral", _table("referral", referrals))
    con.create_table("referral_care_team", _table("referral_care_team", leads))
    result = _led_in(Tables(con), {"october": OCTOBER, "august": AUGUST}, None).to_pyarrow()
    return {
        row["led_id"]: (bool(row["october_led"]), bool(row["august_led"]))
        for row in result.to_pylist()
    }


@pytest.mark.parametrize("practitioner", sorted(ROWS))
def test_lead_on_an_open_referral_in_each_period(led, practitioner):
    # A practitioner with no row is not led (the caller reads null as no).
    october, august = led.get(practitioner, (False, False))
    assert (october, august) == (practitioner in LED_IN_OCTOBER, practitioner in LED_IN_AUGUST)
