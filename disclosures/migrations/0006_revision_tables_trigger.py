"""The SQLite trigger of 0004 lists the content columns of a revision: add ``tables``.

Adding the column in 0005 makes SQLite rebuild the table, which drops its triggers,
so both are recreated here. PostgreSQL's trigger compares whole rows and already
covers the new column; nothing to do there.
"""

from django.db import migrations

from disclosures.migrations import _revision_triggers as triggers

CONTENT_COLUMNS = triggers.CONTENT_COLUMNS_0006
OLD_CONTENT_COLUMNS = [column for column in CONTENT_COLUMNS if column != "tables"]


def forward(apps, schema_editor):
    triggers.recreate(schema_editor, CONTENT_COLUMNS)


def reverse(apps, schema_editor):
    triggers.recreate(schema_editor, OLD_CONTENT_COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0005_data_tables")]
    operations = [migrations.RunPython(forward, reverse)]
