"""The search index (portal.search). Its GIN index is built on PostgreSQL only: SQLite
has no tsvector and searches with LIKE instead (the column is simply left empty)."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

GIN = "CREATE INDEX search_entry_vector_gin ON portal_searchentry USING gin (vector)"
DROP_GIN = "DROP INDEX IF EXISTS search_entry_vector_gin"


def create_gin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GIN)


def drop_gin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_GIN)


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0002_reminders'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(max_length=40, verbose_name='source')),
                ('object_id', models.PositiveBigIntegerField(verbose_name='object id')),
                ('department_code', models.CharField(blank=True, max_length=32, verbose_name='department')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('url', models.CharField(max_length=300, verbose_name='address')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published at')),
                ('text', models.TextField(blank=True, help_text='The original plain text, shown in snippets.', verbose_name='text')),
                ('folded', models.TextField(blank=True, verbose_name='folded text')),
                ('title_terms', models.TextField(blank=True, verbose_name='words of the title')),
                ('terms', models.TextField(blank=True, verbose_name='words of the text and keywords')),
                ('vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
            ],
            options={
                'verbose_name': 'search entry',
                'verbose_name_plural': 'search entries',
                'ordering': ['-published_at', '-pk'],
                'indexes': [models.Index(fields=['published_at', 'id'], name='search_entry_published')],
                'constraints': [models.UniqueConstraint(fields=('source', 'object_id'), name='search_entry_unique_object')],
            },
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name='searchentry',
                    index=django.contrib.postgres.indexes.GinIndex(fields=['vector'], name='search_entry_vector_gin'),
                ),
            ],
            database_operations=[migrations.RunPython(create_gin, drop_gin)],
        ),
    ]
