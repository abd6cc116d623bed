"""Pages of long lists that cost the same on page 1 and page 2,500 (issue 15).

Django's ``Paginator`` counts the whole list and reads a page with ``OFFSET`` over the
full query (its joins included), so a deep page reads every row before it. ``Pages``
takes the count from the caller (a maintained total, or a count of an indexed subset)
and reads a page in two steps, a *deferred join*: the primary keys of the page from the
ordering's index alone (an index-only scan, no table rows, no joins), then those rows
with everything the page shows. Old ``?page=`` addresses keep working.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet


class Pages(Paginator):
    def __init__(self, object_list: QuerySet, per_page: int, *, count: int | None = None):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        if self._known_count is None:
            self._known_count = self.object_list.count()
        return self._known_count

    def page(self, number):
        if not isinstance(self.object_list, QuerySet):  # a list already bounded (search hits)
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:bottom + self.per_page])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=keys)} if keys else {}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)
