"""Disclosures: the working copy a department edits, its attachments and review records.

What the public reads is never the working copy but the current published
``Revision`` (see ``disclosures.models.ledger``), an immutable snapshot.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from disclosures.models.catalogue import Category, CatalogueEntry, Scope
from disclosures.sanitize import sanitize_html
from portal import batched_writes


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In pre-review")
    IN_COORDINATOR_REVIEW = "in_coordinator_review", _("In coordinator review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Validity(models.TextChoices):
    """有效性 of a document, as county sites show it."""

    VALID = "valid", _("In force")
    EXPIRED = "expired", _("Expired")
    REPEALED = "repealed", _("Repealed")


#: States in which the working copy may be edited.
EDITABLE = frozenset({Status.DRAFT})


#: Disclosures with a published revision (withdrawn ones included: they are shown as such).
PUBLISHED = models.Q(current_revision__isnull=False)
#: What anyone may read: the *published revision* is public, whatever the working copy says
#: (``current_public`` mirrors the current revision's scope, see ``Disclosure.save``).
#: (Only a published revision sets it, so it implies ``PUBLISHED``; the lists' indexes hold
#: exactly these rows.)
PUBLIC = models.Q(current_public=True)


class DisclosureQuerySet(models.QuerySet):
    def published(self):
        """Disclosures with a published revision that has not been withdrawn."""
        return self.filter(current_revision__isnull=False).exclude(status=Status.WITHDRAWN)

    def public(self):
        """What anyone may read: published (or withdrawn, shown as such) and public in the
        published revision's scope (``portal.permissions.scope(user, qs, "read")`` for a user)."""
        return self.filter(PUBLIC)

    def for_department(self, department):
        return self.filter(department=department)

    def normative(self):
        """Normative documents (規範性文件), by the published revision."""
        return self.filter(current_revision__normative=True)

    def in_force(self, on=None):
        """In force on ``on`` (default today) by the published revision: validity “in force”
        and not past its valid-until date. See docs/catalogue.md for the yearly report."""
        return self.filter(_in_force(on))

    def with_validity(self, validity: str, on=None):
        """As the public reads the validity (有效性) on ``on``: in force (``in_force``); expired
        (so marked, or in force but past its valid-until date); or repealed."""
        if validity == Validity.VALID:
            return self.filter(_in_force(on))
        if validity == Validity.EXPIRED:
            return self.filter(
                models.Q(current_revision__validity=Validity.EXPIRED)
                | (models.Q(current_revision__validity=Validity.VALID) & ~_in_force(on))
            )
        return self.filter(current_revision__validity=validity)


def _in_force(on=None) -> models.Q:
    from django.utils import timezone

    on = on or timezone.localdate()
    return models.Q(current_revision__validity=Validity.VALID) & (
        models.Q(current_revision__valid_until__isnull=True) | models.Q(current_revision__valid_until__gte=on)
    )


def attachment_path(instance, filename):
    # A random name: nothing about the file or the department can be guessed from the URL.
    return f"attachments/{secrets.token_hex(16)}"


class Disclosure(models.Model):
    department = models.ForeignKey(
        "portal.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="disclosures"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="disclosures"
    )
    catalogue_entry = models.ForeignKey(
        CatalogueEntry,
        verbose_name=_("catalogue entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosures",
        help_text=_("The obligation this disclosure fulfils, if any."),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Rich text. Scripts and unsafe markup are removed."))
    document_number = models.CharField(_("document number"), max_length=100, blank=True, help_text=_("文號, e.g. 漢政發〔2007〕12號"))
    index_number = models.CharField(
        _("index number"),
        max_length=60,
        unique=True,
        editable=False,
        help_text=_("索引號, assigned on creation: <department code>-<year>-<sequence>."),
    )
    formed_on = models.DateField(_("formed on"), help_text=_("The date the information was formed or changed."))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True, help_text=_("發文機構"))
    written_on = models.DateField(_("date written"), null=True, blank=True, help_text=_("成文日期"))
    validity = models.CharField(
        _("validity"), max_length=10, choices=Validity.choices, default=Validity.VALID, help_text=_("有效性")
    )
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True, help_text=_("廢止日期, when repealed."))
    normative = models.BooleanField(_("normative document"), default=False, help_text=_("規範性文件"))
    scope = models.CharField(
        _("scope"), max_length=10, choices=Scope.choices, default=Scope.PUBLIC,
        help_text=_("Who may read it once published. A notice in an internal category (對內公開) is always internal."),
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.DRAFT, db_index=True)
    current_revision = models.OneToOneField(
        "disclosures.Revision",
        verbose_name=_("current published revision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    # The current revision's date of publication, date formed and scope, kept on the row
    # (``save`` copies them) so that the public lists filter and sort on one table, with
    # the indexes below, instead of joining and sorting every revision (issue 15).
    current_published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    current_formed_on = models.DateField(_("formed on (published)"), null=True, blank=True, editable=False)
    current_public = models.BooleanField(_("public (published)"), default=False, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # Kept by disclosure_publish at the first publication, for the timeliness indicator
    # (disclosures.indicators): counting working days is the calendar's, not the database's.
    first_published_on = models.DateField(_("first published on"), null=True, blank=True, editable=False)
    publication_due_on = models.DateField(
        _("to be published by"), null=True, blank=True, editable=False,
        help_text=_("The working days allowed after the information formed, counted when it was first published."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["current_revision", "current_published_at", "current_formed_on", "current_public"]
    )

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        ordering = ["-formed_on", "-pk"]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        permissions = [
            ("review_disclosure", _("Can pre-review disclosures")),
            ("publish_disclosure", _("Can publish approved disclosures")),
            ("withdraw_disclosure", _("Can withdraw published disclosures")),
            ("coordinate_disclosure", _("Can complete the coordinator's review of disclosures")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("formed_on")),
                name="disclosure_valid_after_formed",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn") | ~models.Q(withdrawn_reason=""),
                name="disclosure_withdrawal_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(validity="repealed", repealed_on__isnull=False)
                | (~models.Q(validity="repealed") & models.Q(repealed_on__isnull=True)),
                name="disclosure_repealed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status"]),
            models.Index(fields=["department", "first_published_on"], name="disclosure_dept_first_pub"),
            # The timeliness indicator's year of publications, read from the index alone.
            models.Index(fields=["first_published_on"], include=["department", "publication_due_on"],
                         condition=models.Q(first_published_on__isnull=False), name="disclosure_first_pub_cover"),
            # The public list and the API, newest first (and, read backwards, oldest first),
            # whole or by department or category; "date formed"; each holding only public rows.
            models.Index(
                F("current_published_at").desc(), F("id").desc(), condition=models.Q(current_public=True),
                name="disclosure_public_newest",
            ),
            models.Index(
                "department", F("current_published_at").desc(), F("id").desc(),
                condition=models.Q(current_public=True), name="disclosure_public_by_dept",
            ),
            models.Index(
                "category", F("current_published_at").desc(), F("id").desc(),
                condition=models.Q(current_public=True), name="disclosure_public_by_cat",
            ),
            models.Index(
                F("current_formed_on").desc(), F("current_published_at").desc(), F("id").desc(),
                condition=models.Q(current_public=True), name="disclosure_public_formed",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("disclosures:detail", kwargs={"pk": self.pk})

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        self._mirror_current_revision()
        if self.index_number:
            super().save(*args, **kwargs)
            return
        from disclosures.numbering import next_index_number  # it imports this module

        # One transaction for the counter and the row: a failed insert gives its number
        # back (and the instance forgets it) instead of leaving a gap in the sequence.
        try:
            with transaction.atomic(savepoint=batched_writes.savepoint()):
                self.index_number = next_index_number(self.department, self.formed_on.year)
                super().save(*args, **kwargs)
        except BaseException:
            self.index_number = ""
            raise

    def _mirror_current_revision(self) -> None:
        revision = self.current_revision if self.current_revision_id else None
        self.current_published_at = revision.published_at if revision else None
        self.current_formed_on = revision.formed_on if revision else None
        self.current_public = bool(revision) and revision.scope == Scope.PUBLIC

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_withdrawn(self) -> bool:
        """Withdrawn: its page keeps the title, dates, reason and hashes, not its contents."""
        return self.status == Status.WITHDRAWN

    def clean(self):
        super().clean()
        if (self.validity == Validity.REPEALED) != bool(self.repealed_on):
            raise ValidationError(
                {"repealed_on": _("Give the date of repeal for a repealed document, and only for one.")}
            )
        if self.category_id and self.scope == Scope.PUBLIC and self.category.is_internal:
            raise ValidationError(
                {"scope": _("“%(category)s” is an internal category: a notice filed there is internal and cannot be "
                            "made public.") % {"category": self.category}}
            )


class IndexCounter(models.Model):
    """The last sequence number given in a department's year of index numbers (索引號).

    Numbers are drawn from this row under a lock (``disclosures.numbering``), never worked
    out from the highest existing number: two drafts started at the same moment would
    otherwise both take the same one."""

    department = models.ForeignKey(
        "portal.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        ordering = ["department", "year"]
        verbose_name = _("index number counter")
        verbose_name_plural = _("index number counters")
        constraints = [models.UniqueConstraint(fields=["department", "year"], name="index_counter_per_department_year")]

    def __str__(self):
        return f"{self.department_id}-{self.year}: {self.last}"


class Attachment(models.Model):
    """A file of a disclosure. Its content never changes; published revisions keep it."""

    disclosure = models.ForeignKey(Disclosure, verbose_name=_("disclosure"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size"), editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    in_next_revision = models.BooleanField(
        _("include in the next revision"), default=True, help_text=_("Untick to leave this file out of an amendment.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class ReviewRecord(models.Model):
    """The filing of one pre-review decision (預審備案)."""

    class Decision(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        APPROVED = "approved", _("Approved")
        FORWARDED = "forwarded", _("Approved by the department, sent to the coordinator")
        RETURNED = "returned", _("Returned with comment")

    disclosure = models.ForeignKey(Disclosure, verbose_name=_("disclosure"), on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    scope = models.CharField(_("scope decided"), max_length=10, choices=Scope.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("review record")
        verbose_name_plural = _("review records")

    def __str__(self):
        return f"{self.get_decision_display()} · {self.reviewer}"


class PublicTotal(models.Model):
    """How many disclosures the public may read (``current_public``), kept by a database
    trigger (migration 0014) so that the public list never counts the whole table."""

    name = models.CharField(max_length=20, primary_key=True)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("public total")
        verbose_name_plural = _("public totals")

    def __str__(self):
        return f"{self.name}: {self.count}"
