"""Published revisions and the county-wide hash chain (DESIGN §3.2).

A ``Revision`` is written once, when a disclosure is published, and never changed:
the model refuses it, and the database refuses it too (a trigger on PostgreSQL and
SQLite, migration 0004). Each revision's ``entry_hash`` is the SHA-256 of its
canonical content together with the previous revision's hash, county-wide, so a
silent edit or a back-dated insertion breaks the chain (``manage.py verify_ledger``).
"""

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from disclosures.models.catalogue import Scope
from disclosures.models.disclosures import Validity

GENESIS_HASH = "0" * 64

#: Columns that may change after a revision is written (everything else is content).
MUTABLE_FIELDS = frozenset({"superseded_at"})


#: The metadata every revision written before the metadata existed has (and is hashed without).
DEFAULT_METADATA = {
    "catalogue_entry": None, "issuing_body": "", "written_on": None, "validity": "valid", "repealed_on": None,
    "normative": False,
}


class ImmutableRevisionError(Exception):
    """Raised when code tries to change or delete a published revision."""


class Revision(models.Model):
    disclosure = models.ForeignKey(
        "disclosures.Disclosure", verbose_name=_("disclosure"), on_delete=models.PROTECT, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision"))
    sequence = models.PositiveBigIntegerField(_("ledger sequence"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = models.TextField(_("body"), blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    index_number = models.CharField(_("index number"), max_length=60)
    department_code = models.CharField(_("department"), max_length=32)
    category_code = models.CharField(_("category"), max_length=40)
    formed_on = models.DateField(_("formed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    catalogue_entry = models.ForeignKey(
        "disclosures.CatalogueEntry", verbose_name=_("subject (catalogue entry)"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="revisions", help_text=_("主題分類"),
    )
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True)
    written_on = models.DateField(_("date written"), null=True, blank=True)
    validity = models.CharField(_("validity"), max_length=10, choices=Validity.choices, default=Validity.VALID)
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)
    normative = models.BooleanField(_("normative document"), default=False)
    channels = models.JSONField(_("channels"), default=list)
    attachments = models.JSONField(
        _("attachments"), default=list, help_text=_("Snapshot: attachment id, name, size, type and SHA-256 of each file.")
    )
    tables = models.JSONField(
        _("data tables"), default=list, help_text=_("Snapshot: title, column names and masked rows of each data table.")
    )
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64, unique=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        ordering = ["disclosure", "number"]
        verbose_name = _("published revision")
        verbose_name_plural = _("published revisions")
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "number"], name="revision_unique_number"),
        ]

    def __str__(self):
        return f"{self.title} (r{self.number})"

    def get_absolute_url(self):
        return reverse("disclosures:detail", kwargs={"pk": self.disclosure_id})

    @property
    def validity_today(self) -> str:
        """有效性 as shown today: a document in force past its valid-until date has expired."""
        from django.utils import timezone

        if self.validity == Validity.VALID and self.valid_until and self.valid_until < timezone.localdate():
            return Validity.EXPIRED
        return self.validity

    def get_validity_today_display(self):
        return Validity(self.validity_today).label

    def canonical_content(self) -> dict:
        """What the hash covers, in a fixed form (documented in docs/ledger.md).

        Data tables enter as one SHA-256 of their canonical JSON, and only when there are
        any, so that revisions written before tables existed keep their hash. The document
        metadata (主題分類, 發文機構, 成文日期, 有效性, 廢止日期, 規範性文件) enters the same way:
        as ``metadata`` when any of it differs from the defaults every older revision has."""
        content = {
            "disclosure": self.disclosure_id,
            "revision": self.number,
            "sequence": self.sequence,
            "title": self.title,
            "summary": self.summary,
            "body": self.body,
            "document_number": self.document_number,
            "index_number": self.index_number,
            "department": self.department_code,
            "category": self.category_code,
            "formed_on": self.formed_on.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "scope": self.scope,
            "attachments": sorted(a["sha256"] for a in self.attachments),
            "published_at": _utc(self.published_at),
            "previous_hash": self.previous_hash,
        }
        if self.tables:
            content["tables"] = hashlib.sha256(_canonical_json(self.tables).encode("utf-8")).hexdigest()
        metadata = self.metadata()
        if metadata != DEFAULT_METADATA:
            content["metadata"] = metadata
        return content

    def metadata(self) -> dict:
        """The document metadata in the hash's form."""
        return {
            "catalogue_entry": self.catalogue_entry_id,
            "issuing_body": self.issuing_body,
            "written_on": self.written_on.isoformat() if self.written_on else None,
            "validity": self.validity,
            "repealed_on": self.repealed_on.isoformat() if self.repealed_on else None,
            "normative": self.normative,
        }

    def compute_hash(self) -> str:
        return hashlib.sha256(_canonical_json(self.canonical_content()).encode("utf-8")).hexdigest()

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= MUTABLE_FIELDS:
                raise ImmutableRevisionError("A published revision cannot be changed; amend the disclosure instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRevisionError("A published revision cannot be deleted.")


def _canonical_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _utc(moment) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class LedgerHead(models.Model):
    """The chain's tip: one row, locked while a revision is appended so that two
    publications at once cannot both claim the same predecessor."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("ledger head")
        verbose_name_plural = _("ledger head")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="ledger_head_single_row")]

    def __str__(self):
        return f"#{self.last_sequence} {self.last_hash[:12]}"
