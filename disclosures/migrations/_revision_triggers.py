"""The SQLite triggers that refuse changes to a revision's content columns (shared by the
migrations that add columns; PostgreSQL's trigger compares whole rows and needs none)."""

CONTENT_COLUMNS_0006 = [
    "disclosure_id", "number", "sequence", "title", "summary", "body", "document_number", "index_number",
    "department_code", "category_code", "formed_on", "valid_until", "scope", "channels", "attachments",
    "published_at", "published_by_id", "previous_hash", "entry_hash", "id", "tables",
]


def statements(columns):
    return [
        "DROP TRIGGER IF EXISTS disclosures_revision_no_update;",
        "DROP TRIGGER IF EXISTS disclosures_revision_no_delete;",
        "CREATE TRIGGER disclosures_revision_no_update BEFORE UPDATE OF {columns} ON disclosures_revision "
        "BEGIN SELECT RAISE(ABORT, 'published revision is immutable'); END;".format(columns=", ".join(columns)),
        "CREATE TRIGGER disclosures_revision_no_delete BEFORE DELETE ON disclosures_revision "
        "BEGIN SELECT RAISE(ABORT, 'published revision cannot be deleted'); END;",
    ]


def recreate(schema_editor, columns):
    if schema_editor.connection.vendor == "sqlite":
        for statement in statements(columns):
            schema_editor.execute(statement, params=None)
