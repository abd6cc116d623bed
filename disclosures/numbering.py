"""Index numbers (索引號) of disclosures: ``<department code>-<year>-<sequence>``.

Each department's year has a counter row (``IndexCounter``). A number is drawn by
incrementing that row, which locks it until the drawing transaction ends: two drafts
started at the same moment queue for the row and get consecutive numbers, where reading
the highest existing number gave both the same one.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from disclosures.models import Disclosure, IndexCounter


def next_index_number(department, year: int) -> str:
    """The next index number of ``department`` in ``year``.

    Call it in the transaction that saves the disclosure: the counter stays locked until
    that commits (concurrent drafts of the same department and year wait), and a draft
    rolled back returns its number, so the sequence has no gaps."""
    while True:
        number = f"{department.code}-{year}-{_draw(department.pk, year):05d}"
        # A number can exist that this counter never gave: one taken under a code that
        # another department held before it was renamed. Skip it rather than fail.
        if not Disclosure.objects.filter(index_number=number).exists():
            return number


def _draw(department_id: int, year: int) -> int:
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(IndexCounter._meta.db_table)
        with connection.cursor() as cursor:
            # One statement: creates the year's row or increments it, holding its lock.
            cursor.execute(
                f"""
                INSERT INTO {table} (department_id, year, last) VALUES (%s, %s, 1)
                ON CONFLICT (department_id, year) DO UPDATE SET last = {table}.last + 1
                RETURNING last
                """,
                [department_id, year],
            )
            return cursor.fetchone()[0]
    # Elsewhere (SQLite): the UPDATE takes the write lock, kept until the transaction ends.
    with transaction.atomic():
        counter = IndexCounter.objects.filter(department_id=department_id, year=year)
        if not counter.update(last=F("last") + 1):
            try:
                with transaction.atomic():
                    IndexCounter.objects.create(department_id=department_id, year=year, last=1)
                return 1
            except IntegrityError:  # created by a concurrent transaction meanwhile
                counter.update(last=F("last") + 1)
        return counter.values_list("last", flat=True).get()
