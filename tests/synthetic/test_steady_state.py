"""The demo trust is in a steady state: a past month end looks like today. For each service kind,
the open caseload at each of the last 12 month ends stays near the as_of figure, and the
referrals received each month are about as many as those closed (docs/synthetic-data.md)."""

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from caseboard.cli import DEMO_SEED
from caseboard.synthetic.params import Params
from caseboard.synthetic.trust import generate

AS_OF = dt.date(2026, 11, 23)
MONTHS = 12
OPEN_BAND = 0.15  # each month end's open caseload within 15% of the as_of figure
# Each month's referrals in and closures within four standard deviations of a Poisson count with
# the months' mean (a steady state's months differ by chance alone: at a mean of 5 a month, 10
# is no sign of a trend) ...
MONTH_SD = 4
YEAR_BAND = 0.15  # ... and over the 12 months within 15% of each other


def month_ends(as_of: dt.date, months: int) -> list[dt.date]:
    """The last ``months`` month ends before as_of, oldest first."""
    out, day = [], as_of.replace(day=1) - dt.timedelta(days=1)
    for _ in range(months):
        out.append(day)
        day = day.replace(day=1) - dt.timedelta(days=1)
    return out[::-1]


def monthly(tables: dict[str, pa.Table], as_of: dt.date, months: int = MONTHS) -> dict:
    """Per service kind: the open caseload at as_of, and (month end, open, in, out) for each of
    the last ``months`` month ends, read off the referral table alone."""
    teams = tables["team"].to_pylist()
    kinds = {s["id"]: s["kind"] for s in tables["service"].to_pylist()}
    kind_of_team = {t["id"]: kinds[t["service_id"]] for t in teams}
    referral = tables["referral"]
    received = referral.column("received_on")
    closed = referral.column("closed_on")
    out = {}
    for kind in sorted(set(kind_of_team.values())):
        ids = [t for t, k in kind_of_team.items() if k == kind]
        mine = pc.is_in(referral.column("team_id"), pa.array(ids, pa.int64()))

        def still_open(day, mine=mine):
            open_then = pc.and_(
                pc.less_equal(received, day),
                pc.or_kleene(pc.is_null(closed), pc.greater(closed, day)),
            )
            return pc.sum(pc.and_(mine, open_then)).as_py() or 0

        def between(column, first, last, mine=mine):
            inside = pc.and_(pc.greater_equal(column, first), pc.less_equal(column, last))
            return pc.sum(pc.and_kleene(mine, inside)).as_py() or 0

        rows = []
        for end in month_ends(as_of, months):
            first = end.replace(day=1)
            rows.append(
                (end, still_open(end), between(received, first, end), between(closed, first, end))
            )
        now = pc.sum(pc.and_(mine, pc.is_null(closed))).as_py() or 0
        out[kind] = {"now": now, "months": rows}
    return out


@pytest.fixture(scope="module")
def demo_months():
    return monthly(generate(Params(seed=DEMO_SEED, as_of=AS_OF)), AS_OF)


@pytest.mark.parametrize("kind", ["talking_therapies", "adult_cmh"])
def test_open_caseload_at_each_month_end_near_today(demo_months, kind):
    now = demo_months[kind]["now"]
    for end, open_then, _, _ in demo_months[kind]["months"]:
        assert abs(open_then - now) <= OPEN_BAND * now, (kind, end, open_then, now)


@pytest.mark.parametrize("kind", ["talking_therapies", "adult_cmh"])
def test_referrals_in_about_match_closures(demo_months, kind):
    rows = demo_months[kind]["months"]
    arrived = sum(r[2] for r in rows)
    closed = sum(r[3] for r in rows)
    assert arrived > 0 and closed > 0
    assert abs(arrived - closed) <= YEAR_BAND * max(arrived, closed), (kind, arrived, closed)
    mean = (arrived + closed) / (2 * len(rows))
    band = MONTH_SD * mean**0.5
    for end, _, came, went in rows:
        assert abs(came - mean) <= band, (kind, end, came, mean)
        assert abs(went - mean) <= band, (kind, end, went, mean)
