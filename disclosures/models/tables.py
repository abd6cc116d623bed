"""Data tables of a disclosure: subsidy recipient lists, budget tables (DESIGN §3.2).

The uploaded file is kept, under a random name, for the record and is never served.
What is published is ``rows``: the table with its personal numbers already masked
(``portal.masking``), which the publisher checks and confirms before the disclosure
may be published; the revision then keeps a snapshot of it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from disclosures.models.disclosures import Disclosure


def table_source_path(instance, filename):
    # A random name, never linked from any page: the unmasked upload stays private.
    return f"tables/{secrets.token_hex(16)}"


class DataTable(models.Model):
    disclosure = models.ForeignKey(Disclosure, verbose_name=_("disclosure"), on_delete=models.CASCADE, related_name="tables")
    title = models.CharField(_("title"), max_length=200)
    source = models.FileField(
        _("file (CSV or XLSX)"),
        upload_to=table_source_path,
        max_length=200,
        help_text=_("The first row holds the column names. The file itself is never published."),
    )
    source_name = models.CharField(_("file name"), max_length=200, editable=False)
    source_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, editable=False)
    header = models.JSONField(_("column names"), default=list, editable=False)
    rows = models.JSONField(_("masked rows"), default=list, editable=False, help_text=_("What is published."))
    masked_columns = models.JSONField(
        _("masked columns"), default=list, editable=False, help_text=_("Column index, kind of number and how it was found.")
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0, editable=False)
    masking_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("masking confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    masking_confirmed_at = models.DateTimeField(_("masking confirmed at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["disclosure", "pk"]
        verbose_name = _("data table")
        verbose_name_plural = _("data tables")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(masking_confirmed_at__isnull=True, masking_confirmed_by__isnull=True)
                | models.Q(masking_confirmed_at__isnull=False, masking_confirmed_by__isnull=False),
                name="datatable_confirmation_names_who_and_when",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def masking_confirmed(self) -> bool:
        return self.masking_confirmed_at is not None

    def set_content(self, parsed) -> None:
        """Keep the masked rows of ``parsed`` (a ``disclosures.tables.ParsedTable``), never its raw rows."""
        self.header = parsed.header
        self.rows = parsed.masked_rows
        self.masked_columns = parsed.masked_columns
        self.row_count = len(parsed.masked_rows)

    def snapshot(self) -> dict:
        """What a published revision keeps of this table: masked data only."""
        return {
            "id": self.pk,
            "title": self.title,
            "header": list(self.header),
            "rows": [list(row) for row in self.rows],
            "masked_columns": list(self.masked_columns),
            "row_count": self.row_count,
        }
