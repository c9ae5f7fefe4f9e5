"""The banner on every page: how old the data is, and whether the last import went wrong.

"Record data as of <as_of>, refreshed <time>"; amber when the last refresh is older than the
policy's ``data_freshness_hours`` (default 24), red when none has run, when the last import
failed, or when it quarantined rows (the cases it touched are marked on the case list).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caseboard.domain import clock
from caseboard.domain.policy import Policy
from caseboard.records.models import ImportBatch, RefreshRun

OK, WARNING, ERROR = "ok", "warning", "error"


@dataclass(frozen=True)
class Freshness:
    level: str  # ok, warning or error
    text: str
    detail: str = ""


def _moment(value: dt.datetime) -> str:
    local = clock.local(value) if value.tzinfo else value
    return f"{local.day} {local:%b %Y} at {local:%H:%M}"


def describe(
    refresh: tuple[dt.date, dt.datetime] | None,
    last_import: tuple[str, int, dt.datetime] | None,
    now: dt.datetime,
    policy: Policy,
) -> Freshness:
    """``refresh``: (as_of, finished_at) of the last successful refresh; ``last_import``:
    (status, rows quarantined, finished_at) of the last import."""
    if refresh is None:
        return Freshness(ERROR, "The case snapshot has not been computed yet: no flags are shown.")
    as_of, finished = refresh
    text = f"Record data as of {as_of.day} {as_of:%B %Y}, refreshed {_moment(finished)}."
    if last_import is not None:
        status, quarantined, imported = last_import
        if status == "failed":
            return Freshness(ERROR, text, f"The last import, {_moment(imported)}, failed.")
        if quarantined:
            return Freshness(
                ERROR,
                text,
                f"The last import, {_moment(imported)}, quarantined {quarantined} "
                f"row{'s' if quarantined != 1 else ''}: some cases may be incomplete.",
            )
    age = now - finished
    if age > dt.timedelta(hours=policy.data_freshness_hours):
        hours = int(age.total_seconds() // 3600)
        return Freshness(
            WARNING,
            text,
            f"This is {hours} hours old, older than the {policy.data_freshness_hours} hours "
            "the policy allows.",
        )
    return Freshness(OK, text)


def current(policy: Policy) -> Freshness:
    run = (
        RefreshRun.objects.filter(
            status="succeeded", finished_at__isnull=False, kind__in=("full", "incremental")
        )
        .order_by("-finished_at", "-pk")
        .values_list("as_of", "finished_at")
        .first()
    )
    batch = (
        ImportBatch.objects.exclude(status="running")
        .order_by("-started_at", "-pk")
        .values_list("status", "rows_quarantined", "finished_at", "started_at")
        .first()
    )
    last_import = None if batch is None else (batch[0], batch[1], batch[2] or batch[3])
    return describe(run, last_import, clock.now(), policy)
