"""Full refresh of the case snapshot, and the snapshot as a CSV a third party can recompute."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import ibis
import pyarrow as pa
from ibis.backends import BaseBackend

from caseboard.domain.evidence import all_evidence
from caseboard.domain.policy import DEFAULT_POLICY, Policy
from caseboard.engine.compiling import compiling
from caseboard.engine.snapshot import build_flagged, build_snapshot, finish
from caseboard.engine.store import Stage, write_snapshot
from caseboard.engine.summaries import long_table, tier_rows
from caseboard.engine.tables import Tables

# Source ids carried beside Caseboard's ids, so a trust can match rows to its own record.
SOURCE_IDS = (
    ("referral", "referral_id"),
    ("patient", "patient_id"),
    ("team", "team_id"),
    ("practitioner", "lead_practitioner_id"),
)


# PostgreSQL's full refresh stages the flag states in a temporary table: in one statement its
# planner inlines each flag's expression into every count, code list and priority that reads
# it (no common subexpressions), and the 101,602-row snapshot took 7.1 s to finish from the
# facts instead of 1.1 s.
FLAGGED_STAGE = "caseboard_flagged"


def full(con: BaseBackend, *, as_of: dt.date, policy: Policy = DEFAULT_POLICY) -> int:
    """Recompute every open referral and, in the same transaction, the current tier summaries
    (computed from the snapshot rows just written); return the referrals written."""
    with compiling(con):
        stage = None
        if con.name == "postgres":
            stage = Stage(FLAGGED_STAGE, build_flagged(con, as_of=as_of, policy=policy))
            expression = finish(stage.table(), policy)
        else:
            expression = build_snapshot(con, as_of=as_of, policy=policy)
        tiers = tier_rows(con, con.table("case_snapshot"), as_of=as_of, policy=policy)
        return write_snapshot(con, expression, as_of=as_of, kind="full", tiers=tiers, stage=stage)


def to_parquet(
    con: BaseBackend, folder: Path, *, as_of: dt.date, policy: Policy = DEFAULT_POLICY
) -> int:
    """The snapshot and the current tier summaries of a mirror folder, computed on ``con``
    (DuckDB or Spark over that folder) and written into it as case_snapshot.parquet and
    tier_summary.parquet, each whole or not at all (staged, then renamed)."""
    import pyarrow.parquet as pq

    with compiling(con):
        snapshot = build_snapshot(con, as_of=as_of, policy=policy).to_pyarrow()
        snapshot = snapshot.sort_by("referral_id")
        stored = ibis.memtable(snapshot)
        summary = long_table(tier_rows(con, stored, as_of=as_of, policy=policy).to_pyarrow())
    count = summary.num_rows
    summary = summary.append_column("as_of", pa.array([as_of] * count, pa.date32()))
    summary = summary.append_column("month", pa.nulls(count, pa.date32()))
    for name, table in (("case_snapshot", snapshot), ("tier_summary", summary)):
        staging = folder / f".{name}.parquet.partial"
        pq.write_table(table, staging)
        staging.replace(folder / f"{name}.parquet")
    return int(snapshot.num_rows)


def snapshot_table(
    con: BaseBackend, *, as_of: dt.date, policy: Policy = DEFAULT_POLICY
) -> pa.Table:
    """The declared snapshot columns, the source id of each referenced row, and the evidence of
    each raised or unassessable flag ("CODE: text", ' | '-joined) rendered from those columns."""
    t = Tables(con)
    with compiling(con):
        table = build_snapshot(con, as_of=as_of, policy=policy).to_pyarrow()
    table = table.sort_by("referral_id")
    for table_name, column in SOURCE_IDS:
        lookup = getattr(t, table_name).select("id", "source_id").to_pyarrow()
        source_of = dict(
            zip(lookup["id"].to_pylist(), lookup["source_id"].to_pylist(), strict=True)
        )
        values = [source_of.get(key) for key in table[column].to_pylist()]
        table = table.append_column(
            f"{column.removesuffix('_id')}_source_id", pa.array(values, pa.string())
        )
    texts = [
        " | ".join(f"{code}: {text}" for code, text in all_evidence(row, policy).items())
        for row in table.to_pylist()
    ]
    return table.append_column("evidence", pa.array(texts, pa.string()))


def write_csv(table: pa.Table, path: Path) -> None:
    """UTF-8, comma, header, empty = null, true/false: the conventions of the EPR extract."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.partial")
    with staging.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.column_names)
        for row in table.to_pylist():
            writer.writerow([_text(row[name]) for name in table.column_names])
    staging.replace(path)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value.isoformat() if isinstance(value, dt.date) else str(value)
