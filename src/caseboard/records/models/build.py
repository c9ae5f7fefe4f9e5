"""Django models built from the data contract, so the two cannot disagree.

Each declared table becomes a model whose ``Meta.db_table`` is the declared name, whose fields are
the declared columns (a ``<x>_id`` column that references a table becomes a ForeignKey with that
db_column), and whose constraints enforce the declared codes, natural key and paired columns.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from caseboard.contract import schema
from caseboard.contract.declare import Column, Table

AREA_APP_LABELS = {
    "records": "records",
    "accounts": "accounts",
    "supervision": "supervision",
    "audit": "audit",
}
FIELD_TYPES: dict[str, type[models.Field]] = {
    "integer": models.IntegerField,
    "float": models.FloatField,
    "text": models.TextField,
    "boolean": models.BooleanField,
    "date": models.DateField,
    "datetime": models.DateTimeField,
}


def model_name(table: Table) -> str:
    return table.model_name or "".join(part.title() for part in table.name.split("_"))


def model_label(table_name: str) -> str:
    table = schema.table(table_name)
    return f"{AREA_APP_LABELS[table.area]}.{model_name(table)}"


def field_for(column: Column) -> tuple[str, models.Field]:
    """The model attribute name and field for a declared column."""
    if column.name == "id":
        return "id", models.BigAutoField(primary_key=True)
    if column.references:
        return column.name.removesuffix("_id"), models.ForeignKey(
            model_label(column.references),
            on_delete=models.PROTECT,
            db_column=column.name,
            null=column.nullable,
            related_name="+",
            help_text=column.description,
        )
    field_class = FIELD_TYPES[column.type]
    choices = [(value, value.replace("_", " ")) for value in column.codes] if column.codes else None
    return column.name, field_class(
        null=column.nullable, choices=choices, help_text=column.description
    )


def constraints_for(table: Table) -> list[models.BaseConstraint]:
    constraints: list[models.BaseConstraint] = []
    if table.kind == "record":
        constraints.append(
            models.UniqueConstraint(
                fields=["source_system", "source_id"], name=f"{table.name}_natural_key"
            )
        )
    for columns in table.unique_together:
        fields = [
            column.removesuffix("_id") if schema_is_fk(table, column) else column
            for column in columns
        ]
        constraints.append(
            models.UniqueConstraint(fields=fields, name=f"{table.name}_{'_'.join(columns)}_unique")
        )
    for column in table.columns:
        if column.codes:
            allowed = models.Q(**{f"{column.name}__in": list(column.codes)})
            if column.nullable:
                allowed |= models.Q(**{f"{column.name}__isnull": True})
            constraints.append(
                models.CheckConstraint(condition=allowed, name=f"{table.name}_{column.name}_code")
            )
    for first, second in table.pairs:
        both = models.Q(**{f"{first}__isnull": False, f"{second}__isnull": False})
        neither = models.Q(**{f"{first}__isnull": True, f"{second}__isnull": True})
        constraints.append(
            models.CheckConstraint(condition=both | neither, name=f"{table.name}_{first}_paired")
        )
    return constraints


def schema_is_fk(table: Table, column_name: str) -> bool:
    return table.column(column_name).references is not None


def build_model(
    table: Table,
    *,
    module: str,
    extra_constraints: Iterable[models.BaseConstraint] = (),
    bases: tuple[type, ...] = (models.Model,),
    skip: Iterable[str] = (),
) -> type[models.Model]:
    """A concrete model for ``table``; ``skip`` names columns a base class already provides."""
    skipped = set(skip)
    attrs: dict[str, object] = {"__module__": module}
    for column in table.columns:
        if column.name not in skipped:
            name, field = field_for(column)
            attrs[name] = field
    attrs["Meta"] = type(
        "Meta",
        (),
        {
            "db_table": table.name,
            "app_label": AREA_APP_LABELS[table.area],
            "constraints": [*constraints_for(table), *extra_constraints],
        },
    )
    return type(model_name(table), bases, attrs)


def build_area(area: str, *, module: str) -> dict[str, type[models.Model]]:
    """Models for every declared table of an area, keyed by model name."""
    return {
        model_name(table): build_model(table, module=module)
        for table in schema.TABLES
        if table.area == area and not table.model_name
    }
