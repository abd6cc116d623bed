"""The count of public disclosures (``PublicTotal``, name ``public``) follows every row
that becomes or stops being public (``current_public``), in the database itself, so the
public list reads one row instead of counting the table (issue 15)."""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION disclosures_public_total() RETURNS trigger AS $$
DECLARE
    delta integer := 0;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.current_public THEN delta := delta + 1; END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.current_public THEN delta := delta - 1; END IF;
    IF delta <> 0 THEN
        INSERT INTO disclosures_publictotal (name, count) VALUES ('public', delta)
        ON CONFLICT (name) DO UPDATE SET count = disclosures_publictotal.count + EXCLUDED.count;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER disclosures_public_total
    AFTER INSERT OR DELETE OR UPDATE OF current_public ON disclosures_disclosure
    FOR EACH ROW EXECUTE FUNCTION disclosures_public_total();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS disclosures_public_total ON disclosures_disclosure;
DROP FUNCTION IF EXISTS disclosures_public_total();
"""
_SQLITE_ADD = (
    "INSERT OR IGNORE INTO disclosures_publictotal (name, count) VALUES ('public', 0); "
    "UPDATE disclosures_publictotal SET count = count + {delta} WHERE name = 'public';"
)
SQLITE_FORWARD = [
    "CREATE TRIGGER disclosures_public_total_insert AFTER INSERT ON disclosures_disclosure "
    "WHEN NEW.current_public BEGIN " + _SQLITE_ADD.format(delta=1) + " END;",
    "CREATE TRIGGER disclosures_public_total_delete AFTER DELETE ON disclosures_disclosure "
    "WHEN OLD.current_public BEGIN " + _SQLITE_ADD.format(delta=-1) + " END;",
    "CREATE TRIGGER disclosures_public_total_update AFTER UPDATE OF current_public ON disclosures_disclosure "
    "WHEN NEW.current_public IS NOT OLD.current_public BEGIN "
    + _SQLITE_ADD.format(delta="(CASE WHEN NEW.current_public THEN 1 ELSE -1 END)") + " END;",
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS disclosures_public_total_{op};" for op in ("insert", "delete", "update")]


def forward(apps, schema_editor):
    _run(schema_editor, PG_FORWARD, SQLITE_FORWARD)


def reverse(apps, schema_editor):
    _run(schema_editor, PG_REVERSE, SQLITE_REVERSE)


def _run(schema_editor, postgres_sql, sqlite_statements):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgres_sql, params=None)
    elif vendor == "sqlite":
        for statement in sqlite_statements:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0013_current_revision_columns")]
    operations = [migrations.RunPython(forward, reverse)]
