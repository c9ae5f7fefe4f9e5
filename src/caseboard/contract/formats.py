"""Frictionless Table Schemas of the EPR CSV extract, generated from the data contract.

docs/formats/<table>.json is what a trust's data engineer reads; `make formats` rewrites them
and a test fails when the committed files drift from the contract or from what the generator
writes.
"""

from __future__ import annotations

import json
from pathlib import Path

from caseboard.contract import schema
from caseboard.contract.declare import Column, Table

FRICTIONLESS_TYPES = {
    "integer": "integer",
    "float": "number",
    "text": "string",
    "boolean": "boolean",
    "date": "date",
    "datetime": "datetime",
}


def _field(column: Column) -> dict[str, object]:
    name = column.name
    field: dict[str, object] = {"name": name, "type": FRICTIONLESS_TYPES[column.type]}
    if column.references:
        field["name"] = name.removesuffix("_id") + "_source_id"
        field["type"] = "string"
        field["description"] = " ".join(
            filter(None, [f"source_id of the {column.references} row.", column.description])
        )
    elif column.description:
        field["description"] = column.description
    constraints: dict[str, object] = {}
    if not column.nullable:
        constraints["required"] = True
    if column.codes:
        constraints["enum"] = list(column.codes)
    if column.name == "nhs_number":
        constraints["pattern"] = "[0-9]{10}"
    if constraints:
        field["constraints"] = constraints
    if column.type == "boolean":
        field["trueValues"], field["falseValues"] = ["true"], ["false"]
    return field


def table_schema(table: Table) -> dict[str, object]:
    """The CSV extract's schema for a record table: source ids instead of Caseboard's ids."""
    fields = [_field(column) for column in table.columns if column.name != "id"]
    foreign_keys = [
        {
            "fields": column.name.removesuffix("_id") + "_source_id",
            "reference": {"resource": column.references, "fields": "source_id"},
        }
        for column in table.foreign_keys
    ]
    described: dict[str, object] = {
        "name": table.name,
        "description": table.description,
        "fields": fields,
        "primaryKey": ["source_system", "source_id"],
        "missingValues": [""],
    }
    if foreign_keys:
        described["foreignKeys"] = foreign_keys
    return described


def render(table: Table) -> str:
    return json.dumps(table_schema(table), indent=2) + "\n"


def write_all(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for table in schema.RECORD_TABLES:
        path = out_dir / f"{table.name}.json"
        path.write_text(render(table))
        written.append(path)
    return written
