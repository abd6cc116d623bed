"""The search index: one row per published thing that a search source offers (``portal.search``).

The row keeps the original title and text for display, and the folded forms used to
find it: Traditional and Simplified Chinese folded to Simplified, full-width to
half-width, lower case (``portal.search.fold``), segmented into words with jieba.
On PostgreSQL ``vector`` holds those words as a ``tsvector`` (``simple`` configuration)
under a GIN index; elsewhere the search falls back to ``LIKE`` over ``folded``.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The index of the words (portal.search.indexing merges its pending list after a rebuild).
VECTOR_INDEX = "search_entry_vector_gin"


class SearchEntry(models.Model):
    source = models.CharField(_("source"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object id"))
    department_code = models.CharField(_("department"), max_length=32, blank=True)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("address"), max_length=300)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True, help_text=_("The original plain text, shown in snippets."))
    # Where there is no vector (SQLite): what LIKE reads. Empty on PostgreSQL.
    folded = models.TextField(_("folded text"), blank=True)
    title_terms = models.TextField(_("words of the title"), blank=True)
    # On PostgreSQL only: the distinct words of the title, text and keywords (portal.search.indexing).
    vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["source", "object_id"], name="search_entry_unique_object"),
        ]
        # Built on PostgreSQL only (migration portal/0003): a GIN index means nothing elsewhere.
        indexes = [
            GinIndex(fields=["vector"], name=VECTOR_INDEX),
            # The newest matches of a query found in most rows (portal.search.MAX_MATCHES).
            models.Index(fields=["published_at", "id"], name="search_entry_published"),
        ]

    def __str__(self):
        return f"{self.source}#{self.object_id} {self.title}"
