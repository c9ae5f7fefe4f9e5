"""The engine's working-day deadline (DNA_FOLLOWUP) against the plain-Python reference
(domain/periods.py ``working_days_after``), on generated dates and counts."""

import datetime as dt

import ibis
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from caseboard.domain.periods import working_days_after
from caseboard.engine.rules.waiting import working_days_deadline

EPOCH = dt.date(1970, 1, 1)
days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2028, 12, 31))


@given(st.lists(days, min_size=1, max_size=30), st.integers(min_value=1, max_value=25))
def test_the_engine_deadline_agrees_with_the_reference(starts, working_days):
    con = ibis.duckdb.connect()
    t = con.create_table("t", pa.table({"day": pa.array(starts, pa.date32())}))
    found = t.select(deadline=working_days_deadline(t.day, working_days)).to_pyarrow()
    expected = [(working_days_after(day, working_days) - EPOCH).days for day in starts]
    assert found.column("deadline").to_pylist() == expected
