"""How Ibis compiles the engine's expressions: the snapshot is a ~160 KB query, the summaries
~100 KB, and at a trust's size compiling them is a measurable share of a full refresh.

Two settings, both only while compiling:
- Ibis's merging of chained selections (``fuse_selects``) is off on DuckDB and PostgreSQL: it
  rescans the whole expression at every merge, and both databases' optimizers flatten the
  nested selections themselves. SQLite keeps it: its parser overflows on a query this deep.
- The cyclic garbage collector is paused: compiling makes hundreds of thousands of short-lived
  nodes, freed by reference counting, which the collector would otherwise traverse many times.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

import ibis
import sqlglot as sg
import sqlglot.expressions as sge
from ibis.backends import BaseBackend

KEEP_FUSED = ("sqlite",)


@contextlib.contextmanager
def compiling(con: BaseBackend) -> Iterator[None]:
    """Compile (or compile and run) Ibis expressions for ``con`` inside this block."""
    fused = ibis.options.sql.fuse_selects
    collecting = gc.isenabled()
    ibis.options.sql.fuse_selects = con.name in KEEP_FUSED
    gc.disable()
    try:
        yield
    finally:
        ibis.options.sql.fuse_selects = fused
        if collecting:
            gc.enable()


def sql(con: BaseBackend, expression: ibis.Expr) -> str:
    """``expression`` compiled for ``con`` (inside ``compiling``). On PostgreSQL every common
    table expression that is a plain selection of a record table's columns (no filter, as
    engine/tables.py declares each table) is marked NOT MATERIALIZED: Ibis names such a
    selection once however often the query reads it, PostgreSQL materialises a CTE read more
    than once, and a materialised copy of a table has neither its indexes nor its statistics.
    The flagged snapshot of 101,602 open referrals took 27.7 s so and 19.8 s inlined; inlining
    the filtered and aggregated CTEs as well took 25.2 s (each read computes them again)."""
    with compiling(con):
        if con.name != "postgres":
            return str(con.compile(expression))
        tree = con.compiler.to_sqlglot(expression)
    named = {cte.alias for cte in tree.find_all(sge.CTE)}
    for cte in tree.find_all(sge.CTE):
        if _plain_selection(cte.this, named):
            cte.set("materialized", False)
    return str(tree.sql(dialect=con.dialect, copy=False, unsupported_level=sg.ErrorLevel.RAISE))


def _plain_selection(query: sge.Expression, named: set[str]) -> bool:
    """A SELECT of columns from one table (not another CTE), nothing else."""
    if not isinstance(query, sge.Select):
        return False
    clauses = ("where", "group", "distinct", "joins", "having", "qualify", "order", "limit")
    if any(query.args.get(clause) for clause in clauses):
        return False
    source = query.args.get("from_")
    table = source.this if source is not None else None
    return (
        isinstance(table, sge.Table)
        and table.name not in named
        and all(isinstance(column, sge.Column) for column in query.expressions)
    )
