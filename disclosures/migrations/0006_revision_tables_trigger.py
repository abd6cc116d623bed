"""The SQLite trigger of 0004 lists the content columns of a revision: add ``tables``.

Adding the column in 0005 makes SQLite rebuild the table, which drops its triggers,
so both are recreated here. PostgreSQL's trigger compares whole rows and already
covers the new column; nothing to do there.
"""

from django.db import migrations

OLD_CONTENT_COLUMNS = [
    "disclosure_id", "number", "sequence", "title", "summary", "body", "document_number", "index_number",
    "department_code", "category_code", "formed_on", "valid_until", "scope", "channels", "attachments",
    "published_at", "published_by_id", "previous_hash", "entry_hash", "id",
]
CONTENT_COLUMNS = [*OLD_CONTENT_COLUMNS, "tables"]


def _statements(columns):
    return [
        "DROP TRIGGER IF EXISTS disclosures_revision_no_update;",
        "DROP TRIGGER IF EXISTS disclosures_revision_no_delete;",
        "CREATE TRIGGER disclosures_revision_no_update BEFORE UPDATE OF {columns} ON disclosures_revision "
        "BEGIN SELECT RAISE(ABORT, 'published revision is immutable'); END;".format(columns=", ".join(columns)),
        "CREATE TRIGGER disclosures_revision_no_delete BEFORE DELETE ON disclosures_revision "
        "BEGIN SELECT RAISE(ABORT, 'published revision cannot be deleted'); END;",
    ]


def _run(schema_editor, columns):
    if schema_editor.connection.vendor == "sqlite":
        for statement in _statements(columns):
            schema_editor.execute(statement, params=None)


def forward(apps, schema_editor):
    _run(schema_editor, CONTENT_COLUMNS)


def reverse(apps, schema_editor):
    _run(schema_editor, OLD_CONTENT_COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0005_data_tables")]
    operations = [migrations.RunPython(forward, reverse)]
