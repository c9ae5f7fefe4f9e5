"""The building blocks of the data contract: columns, tables and the helpers that declare them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

LogicalType = Literal["integer", "float", "text", "boolean", "date", "datetime"]
TableKind = Literal["record", "application", "derived"]
# Which part of the product owns the table (and so which Django app migrates it).
Area = Literal["records", "accounts", "supervision", "audit"]


@dataclass(frozen=True)
class Column:
    name: str
    type: LogicalType
    nullable: bool = True
    codes: tuple[str, ...] | None = None
    references: str | None = None  # table name; the column is that table's integer id
    description: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    kind: TableKind
    area: Area
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]
    description: str
    model_name: str = ""
    unique_together: tuple[tuple[str, ...], ...] = field(default=())
    # Columns that are set together or not at all, e.g. (signed_off_at, signed_off_by_id).
    pairs: tuple[tuple[str, str], ...] = field(default=())

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def foreign_keys(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.references)


# ---- helpers -----------------------------------------------------------------------------------


def _id() -> Column:
    return Column("id", "integer", nullable=False, description="Caseboard's own integer key")


def ref(
    table: str, *, nullable: bool = False, name: str | None = None, description: str = ""
) -> Column:
    return Column(
        name or f"{table}_id",
        "integer",
        nullable=nullable,
        references=table,
        description=description,
    )


def code(
    name: str, codes: tuple[str, ...], *, nullable: bool = False, description: str = ""
) -> Column:
    return Column(name, "text", nullable=nullable, codes=codes, description=description)


def col(name: str, type_: LogicalType, *, nullable: bool = True, description: str = "") -> Column:
    return Column(name, type_, nullable=nullable, description=description)


def record(name: str, description: str, *columns: Column, model_name: str = "") -> Table:
    key = (
        Column("source_system", "text", nullable=False, description="the system the row came from"),
        Column("source_id", "text", nullable=False, description="the row's key in that system"),
    )
    return Table(
        name,
        "record",
        "records",
        (_id(), *key, *columns),
        ("source_system", "source_id"),
        description,
        model_name,
    )


def application(
    name: str,
    area: Area,
    description: str,
    *columns: Column,
    kind: TableKind = "application",
    model_name: str = "",
    unique_together: tuple[tuple[str, ...], ...] = (),
    pairs: tuple[tuple[str, str], ...] = (),
) -> Table:
    return Table(
        name,
        kind,
        area,
        (_id(), *columns),
        ("id",),
        description,
        model_name,
        unique_together,
        pairs,
    )
