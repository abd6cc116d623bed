"""Triggers and functions written in each database's own SQL, for migrations: PostgreSQL
takes one script, SQLite a list of statements (its driver runs one at a time)."""

from __future__ import annotations

from django.db import migrations


def _run(schema_editor, postgresql: str, sqlite: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql, params=None)  # None: a % in the SQL is not a placeholder
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement, params=None)


def vendor_sql(*, postgresql: str, sqlite: list[str], reverse_postgresql: str, reverse_sqlite: list[str]) -> migrations.RunPython:
    """A reversible operation running the SQL written for the database in use (nothing on others)."""
    return migrations.RunPython(
        lambda apps, schema_editor: _run(schema_editor, postgresql, sqlite),
        lambda apps, schema_editor: _run(schema_editor, reverse_postgresql, reverse_sqlite),
    )
