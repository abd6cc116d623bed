"""The search index's vector becomes the bare set of words (``array_to_tsvector``, no
parser, no positions) and its input column ``terms`` goes; on PostgreSQL the folded
text is no longer kept either (only SQLite's LIKE reads it). Existing rows are rewritten
from their stored words in one statement, so no rebuild is needed."""

from django.db import migrations

WORDS = """
UPDATE portal_searchentry SET folded = '', vector = array_to_tsvector(ARRAY(
    SELECT DISTINCT word FROM unnest(string_to_array(title_terms || ' ' || terms, ' ')) AS word
    WHERE word <> '' AND length(word) <= 200
))
"""


def rewrite_vectors(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WORDS)


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0011_help_texts_in_words"),
    ]

    operations = [
        migrations.RunPython(rewrite_vectors, migrations.RunPython.noop),
        migrations.RemoveField(model_name="searchentry", name="terms"),
    ]
