"""The database refuses to change or delete a published revision (DESIGN §3.2).

PostgreSQL: a trigger compares the whole row (as jsonb) before and after, so a column
added later is covered too; only ``superseded_at`` may change. SQLite: triggers on
UPDATE OF the content columns and on DELETE. To repair a row an operator must drop
the trigger on purpose — and ``verify_ledger`` will still show the edit.
"""

from django.db import migrations

from portal.migration_sql import vendor_sql

CONTENT_COLUMNS = [
    "disclosure_id", "number", "sequence", "title", "summary", "body", "document_number", "index_number",
    "department_code", "category_code", "formed_on", "valid_until", "scope", "channels", "attachments",
    "published_at", "published_by_id", "previous_hash", "entry_hash", "id",
]

PG_FORWARD = """
CREATE OR REPLACE FUNCTION disclosures_revision_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'published revision % cannot be deleted', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (to_jsonb(NEW) - 'superseded_at') IS DISTINCT FROM (to_jsonb(OLD) - 'superseded_at') THEN
        RAISE EXCEPTION 'published revision % is immutable', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER disclosures_revision_immutable
    BEFORE UPDATE OR DELETE ON disclosures_revision
    FOR EACH ROW EXECUTE FUNCTION disclosures_revision_immutable();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS disclosures_revision_immutable ON disclosures_revision;
DROP FUNCTION IF EXISTS disclosures_revision_immutable();
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER disclosures_revision_no_update BEFORE UPDATE OF {columns} ON disclosures_revision "
    "BEGIN SELECT RAISE(ABORT, 'published revision is immutable'); END;".format(columns=", ".join(CONTENT_COLUMNS)),
    "CREATE TRIGGER disclosures_revision_no_delete BEFORE DELETE ON disclosures_revision "
    "BEGIN SELECT RAISE(ABORT, 'published revision cannot be deleted'); END;",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS disclosures_revision_no_update;",
    "DROP TRIGGER IF EXISTS disclosures_revision_no_delete;",
]


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0003_revisions_and_ledger")]
    operations = [vendor_sql(postgresql=PG_FORWARD, sqlite=SQLITE_FORWARD, reverse_postgresql=PG_REVERSE, reverse_sqlite=SQLITE_REVERSE)]
