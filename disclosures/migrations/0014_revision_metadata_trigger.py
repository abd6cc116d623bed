"""The SQLite trigger lists the content columns of a revision: add the document metadata
of 0013 (主題分類, 發文機構, 成文日期, 有效性, 廢止日期, 規範性文件).

As in 0006: adding columns may make SQLite rebuild the table, which drops its triggers,
so both are recreated. PostgreSQL's trigger compares whole rows and covers new columns.
"""

from django.db import migrations

from disclosures.migrations import _revision_triggers as triggers

OLD_CONTENT_COLUMNS = triggers.CONTENT_COLUMNS_0006
CONTENT_COLUMNS = [
    *OLD_CONTENT_COLUMNS, "catalogue_entry_id", "issuing_body", "written_on", "validity", "repealed_on", "normative",
]


def forward(apps, schema_editor):
    triggers.recreate(schema_editor, CONTENT_COLUMNS)


def reverse(apps, schema_editor):
    triggers.recreate(schema_editor, OLD_CONTENT_COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0013_standard_catalogue_and_document_metadata")]
    operations = [migrations.RunPython(forward, reverse)]
