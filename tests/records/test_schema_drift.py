"""The migrated database matches the data contract, table by table and column by column."""

import pytest
from django.core.management import call_command
from django.db import connection

from caseboard.contract import schema

pytestmark = pytest.mark.django_db

LOGICAL = {
    "AutoField": "integer",
    "BigAutoField": "integer",
    "IntegerField": "integer",
    "BigIntegerField": "integer",
    "SmallIntegerField": "integer",
    "FloatField": "float",
    "TextField": "text",
    "CharField": "text",
    "BooleanField": "boolean",
    "DateField": "date",
    "DateTimeField": "datetime",
}


def _columns(table_name):
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table_name)
    return {
        column.name: (
            LOGICAL[connection.introspection.get_field_type(column.type_code, column)],
            bool(column.null_ok),
        )
        for column in description
    }


@pytest.mark.parametrize("table", schema.TABLES, ids=lambda t: t.name)
def test_migrated_table_matches_declaration(table):
    declared = {c.name: (c.type, c.nullable) for c in table.columns}
    assert _columns(table.name) == declared


def test_every_declared_table_is_migrated():
    existing = set(connection.introspection.table_names())
    assert {t.name for t in schema.TABLES} <= existing


def test_models_have_no_unmigrated_changes():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_record_tables_carry_the_source_key():
    for table in schema.RECORD_TABLES:
        assert table.natural_key == ("source_system", "source_id")
        assert {"id", "source_system", "source_id"} <= set(table.column_names)
