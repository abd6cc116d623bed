"""Cells a spreadsheet would run as formulas (OWASP "CSV injection"), neutralised on the way
out — in every CSV and XLSX the portal writes: import-export, the API, data tables, results."""

import re

#: Spreadsheets run a cell starting with one of these; apostrophes before it are counted so
#: that escaping can be undone exactly.
_RUNNABLE = re.compile(r"'*[=+\-@\t\r]")


def escape_formula(value):
    """Quote a text cell a spreadsheet would run as a formula (OWASP "CSV injection")."""
    if isinstance(value, str) and _RUNNABLE.match(value):
        return "'" + value
    return value


def unescape_formula(value):
    """Undo ``escape_formula``: drop the one apostrophe it added."""
    if isinstance(value, str) and value.startswith("'") and _RUNNABLE.match(value, 1):
        return value[1:]
    return value


