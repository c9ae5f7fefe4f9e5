"""Placed block columns to Arrow tables of the declared mirror schema, and Parquet row groups of a
fixed size whatever the chunks the rows arrive in (so the files are byte-identical)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from caseboard.contract import schema
from caseboard.synthetic import writers
from caseboard.synthetic.bulk_draw import NULL_INT
from caseboard.synthetic.rows import SOURCE_PREFIXES, SOURCE_SYSTEM, arrow_schema

FOREIGN_KEYS = {
    ("referral", "patient_id"): "patient",
    ("referral_care_team", "referral_id"): "referral",
    ("contact", "referral_id"): "referral",
    ("measure", "referral_id"): "referral",
    ("measure", "contact_id"): "contact",
    ("measure_item", "measure_id"): "measure",
}


def constant_string(value: str, n: int) -> pa.Array:
    """n copies of one string, built from buffers (no Python objects)."""
    data = value.encode("utf-8")
    offsets = np.arange(0, len(data) * (n + 1), len(data), dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data * n))


def to_arrow(name: str, columns: dict[str, Any], first_id: int) -> pa.Table:
    declared = schema.table(name)
    n = len(next(iter(columns.values())))
    ids = np.arange(first_id, first_id + n, dtype=np.int64)
    arrays = []
    for field in arrow_schema(declared):
        if field.name == "id":
            arrays.append(pa.array(ids))
        elif field.name == "source_system":
            arrays.append(constant_string(SOURCE_SYSTEM, n))
        elif field.name == "source_id":
            text = pc.cast(pa.array(ids), pa.string())
            padded = pc.utf8_lpad(text, width=6, padding="0")
            arrays.append(pc.binary_join_element_wise(f"{SOURCE_PREFIXES[name]}-", padded, ""))
        elif field.name not in columns:
            arrays.append(pa.nulls(n, type=field.type))
        else:
            values = columns[field.name]
            if field.type in (pa.date32(), pa.int64(), pa.timestamp("us", tz="UTC")) and (
                isinstance(values, np.ndarray) and values.dtype.kind in "iu"
            ):
                mask = values == NULL_INT
                if field.type == pa.date32():
                    days = pa.array(values.astype(np.int32), mask=mask, type=pa.int32())
                    arrays.append(days.cast(pa.date32()))
                else:
                    arrays.append(pa.array(values.astype(np.int64), mask=mask).cast(field.type))
            elif field.type == pa.float64():
                arrays.append(pa.array(np.asarray(values, dtype=float)))
            elif field.type == pa.bool_():
                arrays.append(pa.array(np.asarray(values, dtype=bool)))
            else:
                arrays.append(pa.array(values, type=field.type, from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=arrow_schema(declared))


class RowGroups:
    """Writes one table's rows in row groups of exactly ROW_GROUP rows (the last may be short),
    however the rows arrive."""

    def __init__(self, path: Path, arrow: pa.Schema, rows_per_group: int) -> None:
        self.size = rows_per_group
        options = dict(writers.PARQUET_OPTIONS)
        self.writer = pq.ParquetWriter(path, arrow, **options)
        self.empty = arrow.empty_table()
        self.pending: list[pa.Table] = []
        self.rows = 0
        self.total = 0

    def add(self, table: pa.Table) -> None:
        self.pending.append(table)
        self.rows += table.num_rows
        self.total += table.num_rows
        while self.rows >= self.size:
            joined = pa.concat_tables(self.pending)
            self._write(joined.slice(0, self.size))
            rest = joined.slice(self.size)
            self.pending, self.rows = [rest], rest.num_rows

    def _write(self, table: pa.Table) -> None:
        # Contiguous columns: page boundaries must not depend on how the rows arrived.
        self.writer.write_table(table.combine_chunks(), row_group_size=self.size)

    def close(self) -> None:
        if self.rows or not self.total:
            self._write(pa.concat_tables(self.pending) if self.pending else self.empty)
        self.writer.close()
