"""Collecting generated rows table by table, and turning them into Arrow tables (mirror form)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from caseboard.contract import schema
from caseboard.contract.declare import LogicalType, Table

SOURCE_SYSTEM = "synthetic-epr"

ARROW_TYPES: dict[LogicalType, pa.DataType] = {
    "integer": pa.int64(),
    "float": pa.float64(),
    "text": pa.string(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
}

# The readable prefix of each record table's source_id, e.g. PAT-000123.
SOURCE_PREFIXES = {
    "service": "SVC",
    "team": "TEAM",
    "practitioner": "PRAC",
    "practitioner_modality": "PMOD",
    "absence": "ABS",
    "patient": "PAT",
    "referral": "REF",
    "referral_priority_group": "RPG",
    "referral_care_team": "RCT",
    "contact": "CON",
    "measure": "MEA",
    "measure_item": "MIT",
    "care_document": "DOC",
    "event": "EVT",
    "safeguarding_concern": "SGC",
    "risk_information": "RSK",
    "step_change": "STEP",
    "letter": "LET",
}


def source_id(table_name: str, row_id: int) -> str:
    return f"{SOURCE_PREFIXES[table_name]}-{row_id:06d}"


def arrow_schema(table: Table) -> pa.Schema:
    """The mirror schema: exactly the declared columns, in declared order."""
    return pa.schema(
        [pa.field(c.name, ARROW_TYPES[c.type], nullable=c.nullable) for c in table.columns]
    )


class TableRows:
    """Rows of one declared table, kept column by column; ids run 1..n in the order added."""

    def __init__(self, name: str) -> None:
        self.table = schema.table(name)
        self.values: dict[str, list[Any]] = {name: [] for name in self.table.column_names}
        automatic = ("id", "source_system", "source_id")
        given = [n for n in self.table.column_names if n not in automatic]
        self._given = frozenset(given)
        self._columns = [(n, self.values[n]) for n in given]  # appended to row by row
        self._required = tuple(
            c.name for c in self.table.columns if not c.nullable and c.name in given
        )
        self._record = self.table.kind == "record"

    def __len__(self) -> int:
        return len(self.values["id"])

    def add(self, **row: Any) -> int:
        """Append one row and return its id. Unknown columns are an error; missing nullable
        columns are null; a missing or null non-nullable column is an error."""
        if not row.keys() <= self._given:
            unknown = sorted(set(row) - self._given)
            raise KeyError(f"{self.table.name} has no column(s) {unknown}")
        for name in self._required:
            if row.get(name) is None:
                raise ValueError(f"{self.table.name}: no value for non-nullable {name}")
        row_id = len(self) + 1
        self.values["id"].append(row_id)
        if self._record:
            self.values["source_system"].append(SOURCE_SYSTEM)
            self.values["source_id"].append(source_id(self.table.name, row_id))
        for name, values in self._columns:
            values.append(row.get(name))
        return row_id

    def get(self, row_id: int, column: str) -> Any:
        return self.values[column][row_id - 1]

    def set(self, row_id: int, column: str, value: Any) -> None:
        if value is None and column in self._required:
            raise ValueError(f"{self.table.name}.{column} cannot be null")
        self.values[column][row_id - 1] = value

    def to_arrow(self) -> pa.Table:
        target = arrow_schema(self.table)
        arrays = []
        for field in target:
            values = self.values[field.name]
            if field.type == pa.date32():
                values = [_check_date(v) for v in values]
            arrays.append(pa.array(values, type=field.type))
        return pa.Table.from_arrays(arrays, schema=target)


def _check_date(value: Any) -> Any:
    # A datetime is a date subclass; storing one in a date column would silently drop the time.
    if isinstance(value, dt.datetime):
        raise TypeError(f"a datetime {value!r} was given for a date column")
    return value
