"""Writing a generated trust: mirror Parquet or the EPR CSV extract, each with manifest.json.

Both writers are deterministic: the same tables and Params give byte-identical files (fixed
Parquet options, no timestamps, no pandas metadata, sorted manifest keys).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from caseboard.contract import schema
from caseboard.contract.declare import Table
from caseboard.synthetic.draw import LONDON
from caseboard.synthetic.params import Params
from caseboard.synthetic.rows import SOURCE_SYSTEM, arrow_schema

FORMAT_VERSION = 1
MIRROR_FORMAT = "caseboard-mirror-parquet"
CSV_FORMAT = "caseboard-epr-csv"
# Spelled out so a pyarrow upgrade that changes a default does not silently change the bytes.
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "version": "2.6",
    "data_page_version": "1.0",
    "use_dictionary": True,
    "write_statistics": True,
    "store_schema": True,
}


def _ordered(tables: Mapping[str, pa.Table]) -> list[Table]:
    unknown = set(tables) - {t.name for t in schema.TABLES}
    if unknown:
        raise ValueError(f"not tables of the data contract: {sorted(unknown)}")
    return [t for t in schema.load_order() if t.name in tables]


def conform(declared: Table, table: pa.Table) -> pa.Table:
    """Exactly the declared columns in declared order with the mirror's Arrow types."""
    if set(table.column_names) != set(declared.column_names):
        extra = sorted(set(table.column_names) - set(declared.column_names))
        missing = sorted(set(declared.column_names) - set(table.column_names))
        raise ValueError(f"{declared.name}: extra columns {extra}, missing columns {missing}")
    target = arrow_schema(declared)
    arrays = [table.column(field.name).cast(field.type) for field in target]
    return pa.Table.from_arrays(arrays, schema=target)


def _manifest(
    out_dir: Path,
    params: Params,
    format_name: str,
    counts: dict[str, int],
    extension: str,
    notes: list[str],
    **extra: Any,
) -> dict[str, Any]:
    manifest = {
        "format": format_name,
        "format_version": FORMAT_VERSION,
        "generator": "caseboard.synthetic",
        "seed": params.seed,
        "parameters": params.as_dict(),
        "as_of": params.as_of.isoformat(),
        "timezone": "Europe/London",
        "source_system": SOURCE_SYSTEM,
        "tables": list(counts),
        "files": {name: f"{name}.{extension}" for name in counts},
        "row_counts": counts,
        "notes": notes,
        **extra,
    }
    text = json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    (out_dir / "manifest.json").write_text(text, encoding="utf-8")
    return manifest


def write_parquet(
    tables: Mapping[str, pa.Table], params: Params, out_dir: Path | str
) -> dict[str, Any]:
    """Mirror Parquet: one ``<table>.parquet`` per table (integer foreign keys), plus the
    manifest. Returns the manifest."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for declared in _ordered(tables):
        table = conform(declared, tables[declared.name])
        pq.write_table(table, out / f"{declared.name}.parquet", **PARQUET_OPTIONS)
        counts[declared.name] = table.num_rows
    notes = ["Datetimes are UTC instants; dates are Europe/London calendar dates."]
    return _manifest(out, params, MIRROR_FORMAT, counts, "parquet", notes)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.astimezone(LONDON).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def csv_header(declared: Table) -> list[str]:
    """The extract's columns: no ``id``; each ``<x>_id`` foreign key becomes ``<x>_source_id``."""
    return [
        f"{c.name.removesuffix('_id')}_source_id" if c.references else c.name
        for c in declared.columns
        if c.name != "id"
    ]


def _source_ids(table: pa.Table) -> dict[int, str]:
    return dict(
        zip(table.column("id").to_pylist(), table.column("source_id").to_pylist(), strict=True)
    )


def write_csv(
    tables: Mapping[str, pa.Table], params: Params, out_dir: Path | str
) -> dict[str, Any]:
    """The EPR CSV extract: one ``<table>.csv`` per record table (what a trust sends), plus the
    manifest. Application tables such as supervision are left out. Returns the manifest."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ordered = _ordered(tables)
    records = [t for t in ordered if t.kind == "record"]
    lookups: dict[str, dict[int, str]] = {}
    counts = {}
    for declared in records:
        table = conform(declared, tables[declared.name])
        columns: list[list[Any]] = []
        for column in declared.columns:
            if column.name == "id":
                continue
            values = table.column(column.name).to_pylist()
            if column.references:
                referenced = column.references
                if referenced not in lookups:
                    if referenced not in tables:
                        raise ValueError(f"{declared.name}.{column.name} needs {referenced}")
                    lookups[referenced] = _source_ids(tables[referenced])
                source_id = lookups[referenced]
                values = [None if v is None else source_id[v] for v in values]
            columns.append(values)
        with (out / f"{declared.name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(csv_header(declared))
            writer.writerows([_text(v) for v in row] for row in zip(*columns, strict=True))
        counts[declared.name] = table.num_rows
    excluded = {
        t.name: "application table: recorded in Caseboard, not sent by a trust"
        for t in ordered
        if t.kind != "record"
    }
    notes = [
        "UTF-8 without BOM, comma separated, header row, an empty field is null, "
        "booleans are true/false, datetimes are ISO 8601 with their Europe/London offset.",
        "Foreign keys are the referenced row's source_id, in a <name>_source_id column.",
    ]
    return _manifest(out, params, CSV_FORMAT, counts, "csv", notes, excluded_tables=excluded)
