"""Counts of what the public reads, kept by the database itself (``PublicTotal``) so
that no public page counts the table (issue 15): ``public`` — the disclosures the
public may read (``current_public``, the list); ``category:<id>`` — those of them not
withdrawn, per category (the home page)."""

from django.db import migrations

from portal.migration_sql import vendor_sql

PG_FORWARD = """
CREATE OR REPLACE FUNCTION disclosures_public_total_add(key text, delta integer) RETURNS void AS $$
    INSERT INTO disclosures_publictotal (name, count) VALUES (key, delta)
    ON CONFLICT (name) DO UPDATE SET count = disclosures_publictotal.count + EXCLUDED.count;
$$ LANGUAGE sql;
CREATE OR REPLACE FUNCTION disclosures_public_total() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.current_public = OLD.current_public AND NEW.category_id = OLD.category_id
       AND (NEW.status = 'withdrawn') = (OLD.status = 'withdrawn') THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.current_public THEN
        PERFORM disclosures_public_total_add('public', 1);
        IF NEW.status <> 'withdrawn' THEN PERFORM disclosures_public_total_add('category:' || NEW.category_id, 1); END IF;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.current_public THEN
        PERFORM disclosures_public_total_add('public', -1);
        IF OLD.status <> 'withdrawn' THEN PERFORM disclosures_public_total_add('category:' || OLD.category_id, -1); END IF;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER disclosures_public_total
    AFTER INSERT OR DELETE OR UPDATE OF current_public, category_id, status ON disclosures_disclosure
    FOR EACH ROW EXECUTE FUNCTION disclosures_public_total();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS disclosures_public_total ON disclosures_disclosure;
DROP FUNCTION IF EXISTS disclosures_public_total();
DROP FUNCTION IF EXISTS disclosures_public_total_add(text, integer);
"""


def _sqlite_add(row: str, sign: int) -> str:
    """SQLite: add ``sign`` to the totals of ``row`` (NEW or OLD) if it is public."""
    keys = [("'public'", "1"), (f"'category:' || {row}.category_id", f"{row}.status <> 'withdrawn'")]
    statements = []
    for key, condition in keys:
        statements.append(
            f"INSERT OR IGNORE INTO disclosures_publictotal (name, count) SELECT {key}, 0 WHERE {row}.current_public AND {condition};"
        )
        statements.append(
            f"UPDATE disclosures_publictotal SET count = count + ({sign}) WHERE name = {key} AND {row}.current_public AND {condition};"
        )
    return " ".join(statements)


_CHANGED = ("NEW.current_public IS NOT OLD.current_public OR NEW.category_id IS NOT OLD.category_id "
            "OR (NEW.status = 'withdrawn') IS NOT (OLD.status = 'withdrawn')")
SQLITE_FORWARD = [
    "CREATE TRIGGER disclosures_public_total_insert AFTER INSERT ON disclosures_disclosure BEGIN "
    + _sqlite_add("NEW", 1) + " END;",
    "CREATE TRIGGER disclosures_public_total_delete AFTER DELETE ON disclosures_disclosure BEGIN "
    + _sqlite_add("OLD", -1) + " END;",
    "CREATE TRIGGER disclosures_public_total_update AFTER UPDATE OF current_public, category_id, status "
    f"ON disclosures_disclosure WHEN {_CHANGED} BEGIN " + _sqlite_add("OLD", -1) + " " + _sqlite_add("NEW", 1) + " END;",
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS disclosures_public_total_{op};" for op in ("insert", "delete", "update")]


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0018_current_revision_columns")]
    operations = [vendor_sql(postgresql=PG_FORWARD, sqlite=SQLITE_FORWARD, reverse_postgresql=PG_REVERSE, reverse_sqlite=SQLITE_REVERSE)]
