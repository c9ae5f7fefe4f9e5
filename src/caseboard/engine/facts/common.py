"""Small helpers shared by the fact modules."""

from __future__ import annotations

import datetime as dt

import ibis
from ibis import _


def days(value: dt.date) -> ibis.Value:
    """A date as days since 1970-01-01, for elapsed-day arithmetic on every backend."""
    return ibis.literal(value).epoch_days()


def latest(table: ibis.Table, group: str, *order: str) -> ibis.Table:
    """The latest row per ``group`` by ``order`` (descending), ties broken by the row id."""
    ranked = table.mutate(
        _rank=ibis.row_number().over(
            group_by=table[group], order_by=[*(ibis.desc(table[o]) for o in order), ibis.desc(_.id)]
        )
    )
    return ranked.filter(ranked._rank == 0).drop("_rank")


def earliest(table: ibis.Table, group: str, *order: str) -> ibis.Table:
    """The earliest row per ``group`` by ``order``, ties broken by the row id."""
    ranked = table.mutate(
        _rank=ibis.row_number().over(
            group_by=table[group], order_by=[*(table[o] for o in order), _.id]
        )
    )
    return ranked.filter(ranked._rank == 0).drop("_rank")
