"""Small helpers shared by the fact modules."""

from __future__ import annotations

import datetime as dt

import ibis
from ibis import _


def days(value: dt.date) -> ibis.Value:
    """A date as days since 1970-01-01, for elapsed-day arithmetic on every backend."""
    return ibis.literal(value).epoch_days()


# Row ids stay below ID_SPAN, so a date and an id make one integer ordering key.
ID_SPAN = 10**12


def order_key(on: ibis.Value, row_id: ibis.Value) -> ibis.Value:
    """One integer that orders rows by ``on`` and then ``row_id``, as a window ordered by the
    date and the id does: the date's days since 1970 times ID_SPAN, plus the id. The earliest
    row of a group is then the one whose key is the group's ``min`` (no window needed)."""
    return on.epoch_days().cast("int64") * ID_SPAN + row_id.cast("int64")


def latest(table: ibis.Table, group: str, *order: str) -> ibis.Table:
    """The latest row per ``group`` by ``order`` (descending), ties broken by the row id."""
    ranked = table.mutate(
        _rank=ibis.row_number().over(
            group_by=table[group], order_by=[*(ibis.desc(table[o]) for o in order), ibis.desc(_.id)]
        )
    )
    return ranked.filter(ranked._rank == 0).drop("_rank")
