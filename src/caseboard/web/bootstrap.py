"""Start Django for a command: settings, and a migrated database on first use."""

from __future__ import annotations

import os
from pathlib import Path


def setup(settings_module: str = "caseboard.web.settings.base") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()
    from django.conf import settings

    # whitenoise serves from the finders; an empty STATIC_ROOT keeps it from warning.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def ensure_migrated() -> bool:
    """Create and migrate the database if it is new or behind; True when anything was applied."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if connection.vendor == "sqlite":
        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return False
    call_command("migrate", interactive=False, verbosity=0)
    return True
