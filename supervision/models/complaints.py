"""The supervision mailbox (監督信箱): complaints, misconduct reports and suggestions.

Who filed is kept apart from what was filed: ``ReporterIdentity`` is a separate row that
only supervisors read, through ``supervision.services.identity_view``, which writes an
``IdentityAccess`` row each time. Nothing else — admin pages of the complaint, exports,
the tracking page, the API — touches it.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint about a service")
    REPORT = "report", _("Report of misconduct")
    SUGGESTION = "suggestion", _("Suggestion")


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")
    WINDOW = "window", _("Service window")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ASSIGNED = "assigned", _("Assigned to a department")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


#: Statuses in which the handling deadline runs.
OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.ASSIGNED, Status.REOPENED)


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    FAIRLY_SATISFIED = "fairly_satisfied", _("Fairly satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    VERY_DISSATISFIED = "very_dissatisfied", _("Very dissatisfied")


SATISFIED = (Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED, Satisfaction.FAIRLY_SATISFIED)


class HandlingTime(models.Model):
    """Working days allowed to handle each kind, set by the coordinator (限期辦理)."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(
        _("working days"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("handling time")
        verbose_name_plural = _("handling times")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.working_days}"


class ComplaintQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, on):
        return self.open().filter(due_on__lt=on)


class Complaint(models.Model):
    # A department sees what is assigned to it; supervisors see everything.
    tracking_code = models.CharField(_("tracking code"), max_length=32, unique=True, editable=False)
    secret_hash = models.CharField(max_length=128, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    department = models.ForeignKey(
        "portal.Department", verbose_name=_("department concerned"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_complaints",
    )
    disclosure = models.ForeignKey(
        "disclosures.Disclosure", verbose_name=_("disclosure concerned"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    approval_item_code = models.CharField(_("approval item code"), max_length=40, blank=True)
    fee_item_code = models.CharField(_("fee item"), max_length=40, blank=True)
    summary = models.CharField(_("subject"), max_length=200)
    details = models.TextField(_("what happened"), max_length=10000)
    happened_on = models.DateField(_("when it happened"), null=True, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    first_receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("first receiver (首問責任人)"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("due on"), db_index=True)
    due_provisional = models.BooleanField(_("due date provisional"), default=False)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("closed on time"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["secret_hash"])

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("complaint or report")
        verbose_name_plural = _("complaints and reports")
        permissions = [
            ("handle_complaint", _("Can accept, decline and assign complaints")),
            ("reply_complaint", _("Can reply to complaints")),
            ("view_identity", _("Can view the identity of complainants and reporters")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="complaint_decline_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["department", "received_on"]),
            # A year of complaints for the indicators and the public statistics (the overdue
            # figure reads due_on), read from the index alone.
            models.Index(fields=["received_on"],
                         include=["department", "status", "closed_on_time", "satisfaction", "due_on"],
                         name="complaint_received_figures"),
            # Open complaints by the department answering (the assigned one, else the one
            # concerned) and due date: the overdue ones per department, one department's
            # oldest first (``supervision.deadlines.COMPLAINT``).
            models.Index(Coalesce("assigned_department", "department"), "due_on",
                         condition=models.Q(status__in=["received", "accepted", "assigned", "reopened"]),
                         name="complaint_open_dept_due"),
            models.Index(fields=["due_on"], include=["assigned_department", "department"],
                         condition=models.Q(status__in=["received", "accepted", "assigned", "reopened"]),
                         name="complaint_open_due_cover"),
        ]

    def __str__(self):
        return f"{self.tracking_code[:8]}… {self.summary}"


class ReporterIdentity(models.Model):
    """Who filed: sealed. Read only through ``supervision.services.identity_view``."""

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="identity")
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("identity of the complainant")
        verbose_name_plural = _("identities of complainants")

    def __str__(self):
        return _("sealed identity")


class IdentityAccess(models.Model):
    """Every time a supervisor opened a sealed identity, or staff opened a file filed with a complaint."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="identity_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=200)
    #: Set when what was opened is a file filed with the complaint rather than the identity.
    attachment = models.ForeignKey(
        "ComplaintAttachment", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("attachment opened"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("identity access")
        verbose_name_plural = _("identity access log")

    def __str__(self):
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"


def complaint_attachment_path(instance, filename):
    return f"complaints/{secrets.token_hex(16)}"


class StoredUpload(models.Model):
    """What is kept about a file checked by ``portal.uploads.check_upload``; the subclass
    holds the file itself (each in its own directory) and what it belongs to."""

    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True

    @classmethod
    def store(cls, uploaded, checked, **fields):
        """Save ``uploaded`` with what ``check_upload`` found (``checked``)."""
        return cls.objects.create(file=uploaded, name=uploaded.name[:200], content_type=checked.content_type,
                                  size=checked.size, sha256=checked.sha256, **fields)

    def __str__(self):
        return self.name


class ComplaintAttachment(StoredUpload):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=complaint_attachment_path, max_length=200)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class Reply(models.Model):
    """A reply to the complainant, shown on the tracking page."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("portal.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    body = models.TextField(_("reply"), max_length=10000)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self):
        return f"{self.department} {self.created_at:%Y-%m-%d}"
