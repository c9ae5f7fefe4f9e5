"""Loading a whole trust into the application database, in one transaction."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction

from caseboard.contract import schema
from caseboard.contract.loader import load_tables
from caseboard.records.models.build import model_label

# Never cleared: users keep their accounts (their practitioner link is dropped) and the audit
# log is append-only.
KEPT = {"app_user", "audit_event", "audit_event_patient"}


def _model(table_name: str):
    return apps.get_model(model_label(table_name))


def holds_data() -> bool:
    """True when any record table has a row."""
    return any(_model(table.name).objects.exists() for table in schema.RECORD_TABLES)


def clear() -> None:
    """Delete every record, application and derived row except users and the audit log."""
    # Through the configured user model: the accounts app sits above the record store.
    get_user_model().objects.update(practitioner=None)
    with connection.cursor() as cursor:
        for table in reversed(schema.load_order()):
            if table.name not in KEPT:
                # One statement per table: self-references (a supervisor) go with their rows.
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table.name)}")  # noqa: S608  (declared names)


def load(tables: dict, *, replace: bool = False) -> dict[str, int]:
    """Load generated mirror tables; refuses a database that holds data unless ``replace``."""
    with transaction.atomic():
        if holds_data():
            if not replace:
                raise ValueError("the database already holds a trust; use --replace to replace it")
            clear()
        with connection.cursor() as cursor:
            counts = load_tables(
                cursor, tables, placeholder="%s", naive_utc_datetimes=connection.vendor == "sqlite"
            )
        _reset_sequences(tables)
    return counts


def _reset_sequences(tables: dict) -> None:
    """Rows were inserted with their ids; move PostgreSQL's id sequences past them."""
    models = [_model(name) for name in tables]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
