"""The organisation of a scaled trust, shared by every block: the same services, teams and staff
as the demo trust (organisation.py), who leads at each step, the arrival weights of each day of
the window, a shuffled supply of NHS numbers and the summer-time dates."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pyarrow as pa

from caseboard.synthetic import arrivals, episodes, organisation
from caseboard.synthetic.bulk_draw import EPOCH
from caseboard.synthetic.draw import stream
from caseboard.synthetic.params import Params
from caseboard.synthetic.rows import TableRows

ORG_TABLES = ("service", "team", "practitioner", "practitioner_modality", "absence")
STEP_ROLES = {2: ("pwp", "trainee_pwp"), 3: episodes.STEP3_ROLES}


@dataclasses.dataclass
class Context:
    params: Params
    org_tables: dict[str, pa.Table]
    team_ids: np.ndarray
    team_areas: list[str]
    staff_by_team_step: dict[tuple[int, int], np.ndarray]
    day_cumulative: np.ndarray
    nhs_numbers: np.ndarray  # valid 999-range numbers in a fixed shuffled order
    bst: dict[int, tuple[int, int]]  # year -> (first, last) epoch day of summer time


def valid_nhs_numbers(seed: int) -> np.ndarray:
    first_nine = np.arange(999_000_000, 1_000_000_000, dtype=np.int64)
    digits = (first_nine[:, None] // (10 ** np.arange(8, -1, -1))) % 10
    remainder = (digits * np.arange(10, 1, -1)).sum(axis=1) % 11
    check = (11 - remainder) % 11
    valid = check != 10
    numbers = first_nine[valid] * 10 + check[valid]
    return stream(seed, "nhs-numbers").permutation(numbers)


def last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def context(params: Params) -> Context:
    tables = {name: TableRows(name) for name in ORG_TABLES}
    org = organisation.build(stream(params.seed, "organisation"), params)
    organisation.write(stream(params.seed, "staff"), params, org, tables)
    staff: dict[tuple[int, int], np.ndarray] = {}
    for team in org.teams:
        members = [s for s in org.members(team) if s.ended_on is None]
        for step, roles in STEP_ROLES.items():
            chosen = (
                [s.id for s in members if s.role in roles]
                or [s.id for s in members if s.role != "team_manager"]
                or [s.id for s in members]
            )
            staff[(team.id, step)] = np.asarray(chosen, dtype=np.int64)
    window = (params.as_of - params.window_start).days
    first = params.window_start
    weights = arrivals.weights(first, window)  # seasons and weekends
    bst = {
        year: ((last_sunday(year, 3) - EPOCH).days, (last_sunday(year, 10) - EPOCH).days)
        for year in range(first.year - 1, params.as_of.year + 3)
    }
    return Context(
        params=params,
        org_tables={name: rows.to_arrow() for name, rows in tables.items()},
        team_ids=np.array([t.id for t in org.teams], dtype=np.int64),
        team_areas=[t.area for t in org.teams],
        staff_by_team_step=staff,
        day_cumulative=np.cumsum(weights) / weights.sum(),
        nhs_numbers=valid_nhs_numbers(params.seed),
        bst=bst,
    )


def utc_micros(ctx: Context, day: np.ndarray, hour: np.ndarray, minute: np.ndarray) -> np.ndarray:
    years = day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    starts = np.array([ctx.bst[y][0] for y in range(min(ctx.bst), max(ctx.bst) + 1)])
    ends = np.array([ctx.bst[y][1] for y in range(min(ctx.bst), max(ctx.bst) + 1)])
    index = years - min(ctx.bst)
    summer = (day >= starts[index]) & (day < ends[index])
    seconds = day * 86400 + hour * 3600 + minute * 60 - np.where(summer, 3600, 0)
    return seconds * 1_000_000
