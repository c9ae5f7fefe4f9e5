"""The published NHS Talking Therapies figures the synthetic trust is tuned to, and the same
figures computed from a generated trust.

Each published figure keeps its source: the file of the open data (bennettoxford/nhstt, in
``../shared/data/open-data/talking-therapies``), the measure id or column, the period and the row
filter. ``from_open_data`` recomputes every figure from those files, so the numbers written here
can be checked against the data (tests do, when the files are present).

``generated`` computes each figure from generated tables with the NHS Talking Therapies
definitions (CLINICAL-RULES section 3):

- a *finished course* is a Talking Therapies referral that has ended with at least two treatment
  contacts (attended, kind ``treatment`` or ``assessment_and_treatment``: the latter counts);
- *paired* means a first and a last score at two different attended contacts of the referral;
- *caseness* is PHQ-9 >= 10 or the anxiety measure at or above its cut-off; the anxiety measure
  is the problem descriptor's anxiety-disorder-specific measure (ADSM) where the referral has
  paired ADSM scores, else GAD-7 (>= 8);
- *recovery*: among finished paired courses in caseness at the first score, the share not in
  caseness at the last;
- *reliable improvement*: among finished paired courses, the share with a reliable fall on PHQ-9
  (>= 6) or on the anxiety measure (GAD-7 >= 4, or the ADSM's index) and a reliable rise on
  neither;
- the *6 and 18 week* waits are from referral received to the first treatment contact, for
  finished courses ("n weeks" = 7n days, within = elapsed <= 7n);
- the *did-not-attend share* is did-not-attend over all Talking Therapies appointments with an
  outcome (attended, did not attend, cancelled by either side; still-booked ones are left out),
  and the *cancellation shares* the same with cancelled by the patient or by the service;
- the *PROM means* are the means of the first and the last score of each instrument over
  finished courses with that instrument paired.

The generated figures cover every referral of the generated window (not one month or year):
the generator has no trend over time, so the whole window estimates the same rates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pyarrow as pa

from caseboard.domain.measures import Scores, reliable_improvement, scores_in_caseness
from caseboard.domain.policy import ADSM_FOR_DESCRIPTOR, DEFAULT_POLICY
from caseboard.synthetic.params import Params

OPEN_DATA = "open-data/talking-therapies"
MONTHLY = "activity_performance_monthly.parquet"
ANNUAL = "measures_annual.parquet"
PROMS = "proms_annual.parquet"
MONTH = "2026-03"  # the latest month in the open data
YEAR = "2024-25"  # the latest year of the annual files

# The trust the figures are checked on (docs/synthetic-data.md, tests/synthetic/
# test_published_figures.py): 900 referrals open at as_of and the two years of steady-state history
# behind them (about 5,400 referrals) in two services, Talking Therapies and community mental
# health, with enough staff that caseloads stay plausible.
TUNING_PARAMS = Params(
    seed=1,
    as_of=dt.date(2026, 3, 31),
    referrals=1500,
    years=2,
    services=2,
    teams=4,
    practitioners=100,
)


@dataclasses.dataclass(frozen=True)
class Figure:
    name: str
    label: str
    value: float
    unit: str  # "%" or "points"
    tolerance: float  # in the figure's unit, either side
    file: str
    measure: str  # measure id or column(s)
    period: str
    rows: str  # the row filter

    def within(self, generated: float) -> bool:
        return abs(generated - self.value) <= self.tolerance


_ENGLAND_MONTH = f"group_type = 'England', reporting_period = '{MONTH}'"
_PROMS_ROWS = (
    f"org_type = 'England', reporting_period = '{YEAR}', variable_type = 'PROMs', "
    "variable_a = 'Total' (all problem descriptors); the mean over therapy types "
    "(variable_b) weighted by their courses_of_therapy count"
)

FIGURES: tuple[Figure, ...] = (
    Figure(
        "dna_share",
        "Appointments did not attend",
        8.2,
        "%",
        2.0,
        MONTHLY,
        "M084 appts_dna / M082 appointments",
        MONTH,
        _ENGLAND_MONTH,
    ),
    Figure(
        "patient_cancel_share",
        "Appointments cancelled by the patient",
        10.5,
        "%",
        2.0,
        MONTHLY,
        "M083 appts_cancelled_patient / M082 appointments",
        MONTH,
        _ENGLAND_MONTH,
    ),
    Figure(
        "service_cancel_share",
        "Appointments cancelled by the service",
        5.3,
        "%",
        1.5,
        MONTHLY,
        "M085 appts_cancelled_provider / M082 appointments",
        MONTH,
        _ENGLAND_MONTH,
    ),
    Figure(
        "recovery",
        "Recovery rate",
        51.2,
        "%",
        5.0,
        MONTHLY,
        "M192 recovery (percentage) = M191 / (M076 - M179)",
        MONTH,
        _ENGLAND_MONTH,
    ),
    Figure(
        "reliable_improvement",
        "Reliable improvement rate",
        68.7,
        "%",
        5.0,
        MONTHLY,
        "M186 reliable_improvement (percentage) = M185 / M076",
        MONTH,
        _ENGLAND_MONTH,
    ),
    Figure(
        "within_6_weeks",
        "Finished courses: first treatment within 6 weeks of referral",
        88.3,
        "%",
        5.0,
        MONTHLY,
        "M053 accessing_services6weeks_finished_course_treatment (percentage)",
        MONTH,
        _ENGLAND_MONTH,
    ),
    Figure(
        "within_18_weeks",
        "Finished courses: first treatment within 18 weeks of referral",
        98.1,
        "%",
        2.5,
        MONTHLY,
        "M055 accessing_services18weeks_finished_course_treatment (percentage)",
        MONTH,
        _ENGLAND_MONTH,
    ),
    Figure(
        "phq9_start",
        "PHQ-9 mean, first score",
        13.9,
        "points",
        1.5,
        PROMS,
        "measure_name = 'phq', measure_statistic = 'mean', measure_time = 'start'",
        YEAR,
        _PROMS_ROWS,
    ),
    Figure(
        "phq9_end",
        "PHQ-9 mean, last score",
        9.5,
        "points",
        1.5,
        PROMS,
        "measure_name = 'phq', measure_statistic = 'mean', measure_time = 'end'",
        YEAR,
        _PROMS_ROWS,
    ),
    Figure(
        "gad7_start",
        "GAD-7 mean, first score",
        12.7,
        "points",
        1.5,
        PROMS,
        "measure_name = 'gad', measure_statistic = 'mean', measure_time = 'start'",
        YEAR,
        _PROMS_ROWS,
    ),
    Figure(
        "gad7_end",
        "GAD-7 mean, last score",
        8.6,
        "points",
        1.5,
        PROMS,
        "measure_name = 'gad', measure_statistic = 'mean', measure_time = 'end'",
        YEAR,
        _PROMS_ROWS,
    ),
    Figure(
        "wsas_start",
        "WSAS mean, first score",
        18.3,
        "points",
        1.5,
        PROMS,
        "measure_name = 'wsas', measure_statistic = 'mean', measure_time = 'start'",
        YEAR,
        _PROMS_ROWS,
    ),
    Figure(
        "wsas_end",
        "WSAS mean, last score",
        13.8,
        "points",
        1.5,
        PROMS,
        "measure_name = 'wsas', measure_statistic = 'mean', measure_time = 'end'",
        YEAR,
        _PROMS_ROWS,
    ),
)
BY_NAME = {figure.name: figure for figure in FIGURES}

# Published for the year, for reference in docs (not tuned to: the monthly figures are newer).
ANNUAL_REFERENCE = {
    "recovery": ("50.5", f"{ANNUAL}, {YEAR}, England, variable_type = 'Total', recovery"),
    "reliable_improvement": (
        "67.5",
        f"{ANNUAL}, {YEAR}, England, variable_type = 'Total', improvement",
    ),
}


# -- the published figures, recomputed from the open data ----------------------------------------


def from_open_data(folder: Path | str) -> dict[str, float]:
    """Every figure of FIGURES computed from the open-data folder (``.../talking-therapies``),
    rounded to one decimal place as published."""
    base = Path(folder)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    monthly = str(base / MONTHLY).replace("'", "''")
    proms = str(base / PROMS).replace("'", "''")
    values = dict(
        con.execute(
            f"""
            select measure_id, value from read_parquet('{monthly}')
            where group_type = 'England' and reporting_period = ?
            """,  # noqa: S608 - a file path of ours, quotes escaped
            [MONTH],
        ).fetchall()
    )
    out = {
        "dna_share": 100.0 * values["M084"] / values["M082"],
        "patient_cancel_share": 100.0 * values["M083"] / values["M082"],
        "service_cancel_share": 100.0 * values["M085"] / values["M082"],
        "recovery": values["M192"],
        "reliable_improvement": values["M186"],
        "within_6_weeks": values["M053"],
        "within_18_weeks": values["M055"],
    }
    rows = con.execute(
        f"""
        with p as (
            select * from read_parquet('{proms}')
            where org_type = 'England' and reporting_period = ? and variable_type = 'PROMs'
              and variable_a = 'Total'
        ),
        w as (
            select variable_b, value as courses from p
            where measure_name = 'courses_of_therapy' and measure_statistic = 'count'
        )
        select p.measure_name, p.measure_time, sum(p.value * w.courses) / sum(w.courses)
        from p join w using (variable_b)
        where p.measure_statistic = 'mean' and p.measure_name in ('phq', 'gad', 'wsas')
          and p.value is not null and w.courses is not null
        group by 1, 2
        """,  # noqa: S608
        [YEAR],
    ).fetchall()
    names = {"phq": "phq9", "gad": "gad7", "wsas": "wsas"}
    for measure, time, mean in rows:
        out[f"{names[measure]}_{time}"] = float(mean)
    return {name: round(float(value), 1) for name, value in out.items()}


# -- the same figures from generated tables ------------------------------------------------------

_GENERATED_SQL = """
with tt_referral as (
    select r.id, r.received_on, r.closed_on, r.problem_descriptor
    from referral r
    join team t on t.id = r.team_id
    join service s on s.id = t.service_id
    where s.kind = 'talking_therapies'
),
treatment as (
    select c.referral_id, count(*) as n, min(c.starts_on) as first_on
    from contact c join tt_referral r on r.id = c.referral_id
    where c.outcome = 'attended' and c.kind in ('treatment', 'assessment_and_treatment')
    group by 1
),
finished as (
    select r.id, r.problem_descriptor, t.first_on - r.received_on as wait_days
    from tt_referral r join treatment t on t.referral_id = r.id
    where r.closed_on is not null and t.n >= 2
),
scored as (
    select m.referral_id, m.instrument, m.score,
        row_number() over (partition by m.referral_id, m.instrument
                           order by m.measured_on, m.contact_id, m.id) as k,
        row_number() over (partition by m.referral_id, m.instrument
                           order by m.measured_on desc, m.contact_id desc, m.id desc) as k_desc,
        count(distinct m.contact_id) over (partition by m.referral_id, m.instrument) as contacts
    from measure m
    join finished f on f.id = m.referral_id
    join contact c on c.id = m.contact_id and c.outcome = 'attended'
),
paired as (
    select referral_id, instrument,
        max(case when k = 1 then score end) as first,
        max(case when k_desc = 1 then score end) as last
    from scored where contacts >= 2
    group by 1, 2
)
select f.id, f.problem_descriptor, f.wait_days, p.instrument, p.first, p.last
from finished f left join paired p on p.referral_id = f.id
order by f.id, p.instrument
"""


def _percent(numerator: int, denominator: int) -> float:
    return 100.0 * numerator / denominator if denominator else float("nan")


def generated(tables: Mapping[str, pa.Table]) -> dict[str, float]:
    """Every figure of FIGURES computed from generated (mirror) tables."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    for name in ("service", "team", "referral", "contact", "measure"):
        con.register(name, tables[name])
    dna, patient_cancelled, service_cancelled, appointments = con.execute(
        """
        select count(*) filter (where c.outcome = 'did_not_attend'),
            count(*) filter (where c.outcome = 'cancelled_by_patient'),
            count(*) filter (where c.outcome = 'cancelled_by_service'),
            count(*)
        from contact c
        join referral r on r.id = c.referral_id
        join team t on t.id = r.team_id
        join service s on s.id = t.service_id
        where s.kind = 'talking_therapies'
          and c.outcome in ('attended', 'did_not_attend', 'cancelled_by_patient',
                            'cancelled_by_service')
        """
    ).fetchone() or (0, 0, 0, 0)
    courses: dict[int, dict[str, tuple[float, float]]] = {}
    descriptors: dict[int, str | None] = {}
    waits: dict[int, int] = {}
    for referral_id, descriptor, wait, instrument, first, last in con.execute(
        _GENERATED_SQL
    ).fetchall():
        descriptors[referral_id] = descriptor
        waits[referral_id] = int(wait)
        scores = courses.setdefault(referral_id, {})
        if instrument is not None:
            scores[instrument] = (float(first), float(last))
    con.close()

    in_caseness = recovered = improved = paired = 0
    firsts: dict[str, list[float]] = {"phq9": [], "gad7": [], "wsas": []}
    lasts: dict[str, list[float]] = {"phq9": [], "gad7": [], "wsas": []}
    for referral_id, scores in courses.items():
        for instrument in firsts:
            if instrument in scores:
                firsts[instrument].append(scores[instrument][0])
                lasts[instrument].append(scores[instrument][1])
        adsm = ADSM_FOR_DESCRIPTOR.get(descriptors[referral_id] or "")
        anxiety = adsm if adsm in scores else "gad7"
        if "phq9" not in scores or anxiety not in scores:
            continue  # not paired
        paired += 1
        (phq_first, phq_last), (anx_first, anx_last) = scores["phq9"], scores[anxiety]
        # The domain's definitions of caseness and reliable change, with the default policy.
        first = Scores(phq_first, anx_first, anxiety)
        last = Scores(phq_last, anx_last, anxiety)
        if scores_in_caseness(first, DEFAULT_POLICY):
            in_caseness += 1
            recovered += not scores_in_caseness(last, DEFAULT_POLICY)
        improved += reliable_improvement(first, last, DEFAULT_POLICY) is True

    finished = len(waits)
    out = {
        "dna_share": _percent(dna, appointments),
        "patient_cancel_share": _percent(patient_cancelled, appointments),
        "service_cancel_share": _percent(service_cancelled, appointments),
        "recovery": _percent(recovered, in_caseness),
        "reliable_improvement": _percent(improved, paired),
        "within_6_weeks": _percent(sum(w <= 42 for w in waits.values()), finished),
        "within_18_weeks": _percent(sum(w <= 126 for w in waits.values()), finished),
    }
    for instrument in firsts:
        n = len(firsts[instrument])
        out[f"{instrument}_start"] = sum(firsts[instrument]) / n if n else float("nan")
        out[f"{instrument}_end"] = sum(lasts[instrument]) / n if n else float("nan")
    out["finished_courses"] = float(finished)
    out["paired_courses"] = float(paired)
    return out
