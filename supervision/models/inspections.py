"""Supervision activities (六項監督並舉), rectification orders (限期改正) and accountability
(責任追究) — DESIGN §3.5.

An inspection (監督檢查) of a department by one of the six kinds of supervision runs a
checklist copied from an editable template, records findings with their severity and
evidence, and issues rectification orders with a deadline in working days. A department
runs its own self-inspection (自我監督) the same way. Accountability measures name what
caused them: a complaint, a finding, a rectification order, a bad rating's rectification
case or any other overdue item.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from supervision.models.complaints import StoredUpload


class SupervisionKind(models.TextChoices):
    SELF = "self", _("self-supervision")
    CONGRESS = "congress", _("people's congress supervision")
    DISCIPLINE = "discipline", _("discipline supervision")
    AUDIT = "audit", _("audit supervision")
    DEMOCRATIC = "democratic", _("democratic supervision")
    ORGANISATIONAL = "organisational", _("organisational supervision")


class ChecklistTemplate(models.Model):
    """The points an inspection checks, edited by the supervision office; an inspection
    copies them when it opens, so later edits never change an inspection already run."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    active = models.BooleanField(_("offered for new inspections"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")

    def __str__(self):
        return self.name


class ChecklistTemplateItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, verbose_name=_("template"), on_delete=models.CASCADE,
                                 related_name="items")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("point checked"), max_length=300)

    class Meta:
        ordering = ["template", "position", "pk"]
        verbose_name = _("checklist point")
        verbose_name_plural = _("checklist points")

    def __str__(self):
        return self.text


class InspectionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("in progress")
    CONCLUDED = "concluded", pgettext_lazy("inspection", "concluded")


class Inspection(models.Model):
    """One supervision activity of one kind, on one department."""

    department = models.ForeignKey("portal.Department", verbose_name=_("department inspected"),
                                   on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(_("kind of supervision"), max_length=20, choices=SupervisionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    inspected_on = models.DateField(_("date of the inspection"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=20, choices=InspectionStatus.choices,
                              default=InspectionStatus.IN_PROGRESS, editable=False)
    supervisors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("supervisors taking part"),
                                         blank=True, related_name="+")
    deputies = models.TextField(_("people's congress deputies taking part"), blank=True,
                                help_text=_("Names, one a line."))
    invited_members = models.TextField(_("invited members taking part"), blank=True,
                                       help_text=_("Names and what they represent, one a line."))
    template = models.ForeignKey(ChecklistTemplate, verbose_name=_("checklist template"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    conclusion = models.TextField(_("conclusion"), blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        indexes = [models.Index(fields=["department", "inspected_on"], name="supervision_insp_dept_on")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.title}"


class ChecklistOutcome(models.TextChoices):
    PENDING = "pending", _("not yet checked")
    MET = "met", _("met")
    NOT_MET = "not_met", _("not met")
    NOT_APPLICABLE = "na", _("not applicable")


class ChecklistResult(models.Model):
    """One point of an inspection's checklist, copied from the template, and what was found."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE,
                                   related_name="checklist")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("point checked"), max_length=300)
    outcome = models.CharField(_("outcome"), max_length=10, choices=ChecklistOutcome.choices,
                               default=ChecklistOutcome.PENDING)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["inspection", "position", "pk"]
        verbose_name = _("checklist point")
        verbose_name_plural = _("checklist")

    def __str__(self):
        return self.text


class Severity(models.TextChoices):
    MINOR = "minor", _("minor")
    MODERATE = "moderate", _("moderate")
    SERIOUS = "serious", _("serious")


def evidence_path(instance, filename):
    return f"supervision/evidence/{secrets.token_hex(16)}"


class Finding(models.Model):
    """What an inspection found wrong, how serious it is, and the evidence."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT,
                                   related_name="findings")
    checklist_point = models.ForeignKey(ChecklistResult, verbose_name=_("checklist point"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="findings")
    description = models.TextField(_("finding"), max_length=5000)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MODERATE)
    evidence = models.TextField(_("evidence"), blank=True, max_length=5000,
                                help_text=_("What was seen, where, and the documents that show it."))
    evidence_file = models.FileField(_("evidence file"), upload_to=evidence_path, max_length=200, blank=True)
    evidence_file_name = models.CharField(_("file name"), max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["inspection", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self):
        return f"{self.get_severity_display()} · {self.description[:60]}"


class OrderStatus(models.TextChoices):
    ISSUED = "issued", _("issued")
    RECTIFYING = "rectifying", _("in rectification")
    REPORTED = "reported", _("reported done")
    CLOSED = "closed", _("verified and closed")


#: Orders the department still has to act on: the deadline engine follows these.
OPEN_ORDER_STATUSES = (OrderStatus.ISSUED, OrderStatus.RECTIFYING)


class RectificationOrderQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_ORDER_STATUSES)

    def overdue(self, *, on):
        return self.open().filter(due_on__lt=on)


class RectificationOrder(models.Model):
    """A rectification order (整改意見) with a deadline in working days (限期改正): issued
    from an inspection's finding or a complaint; the department reports what it did, with
    evidence files; the supervision office verifies and closes it, or sends it back."""

    MAX_DAYS = 120

    department = models.ForeignKey("portal.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="rectification_orders")
    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="orders")
    finding = models.ForeignKey(Finding, verbose_name=_("finding"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="orders")
    complaint = models.ForeignKey("supervision.Complaint", verbose_name=_("complaint"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="rectification_orders")
    requirement = models.TextField(_("what must be put right"), max_length=5000)
    issued_on = models.DateField(_("issued on"), editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT,
                                  related_name="+", editable=False)
    working_days = models.PositiveSmallIntegerField(
        _("working days to rectify"), validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS)])
    due_on = models.DateField(_("due on"), db_index=True, editable=False)
    due_provisional = models.BooleanField(_("due date provisional"), default=False, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.ISSUED,
                              editable=False)
    response = models.TextField(_("the department's report"), blank=True, editable=False)
    reported_on = models.DateField(_("reported on"), null=True, blank=True, editable=False)
    send_back_reason = models.TextField(_("reason sent back"), blank=True, editable=False)
    sent_back_count = models.PositiveSmallIntegerField(_("times sent back"), default=0, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    closed_on_time = models.BooleanField(_("rectified on time"), null=True, editable=False)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = RectificationOrderQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        permissions = [
            ("respond_rectificationorder", _("Can report on rectification orders")),
            ("verify_rectificationorder", _("Can verify and close rectification orders")),
        ]
        indexes = [models.Index(fields=["department", "issued_on"], name="supervision_order_dept_issued")]
        constraints = [
            models.CheckConstraint(condition=models.Q(due_on__gte=models.F("issued_on")),
                                   name="supervision_order_due_after_issued"),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_on__isnull=False, closed_on_time__isnull=False),
                name="supervision_order_closed_with_date"),
            models.CheckConstraint(
                condition=~models.Q(status__in=["reported", "closed"]) | (
                    models.Q(reported_on__isnull=False) & ~models.Q(response="")),
                name="supervision_order_reported_with_response"),
        ]

    def __str__(self):
        return f"{self.department} · {self.requirement[:40]}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("admin:supervision_rectificationorder_change", args=[self.pk])


def response_file_path(instance, filename):
    return f"supervision/rectification/{secrets.token_hex(16)}"


class ResponseFile(StoredUpload):
    """Evidence a department sends with its report on a rectification order."""

    order = models.ForeignKey(RectificationOrder, verbose_name=_("rectification order"), on_delete=models.PROTECT,
                              related_name="files")
    file = models.FileField(_("file"), upload_to=response_file_path, max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")


class Measure(models.TextChoices):
    CRITICISM = "criticism", _("criticism and education")
    CIRCULATED = "circulated", _("circulated criticism")
    ADMONITION = "admonition", _("admonition talk")
    ORGANISATIONAL = "organisational", _("organisational handling")
    DISCIPLINARY = "disciplinary", _("disciplinary sanction")


class AccountabilityMeasure(models.Model):
    """A measure of accountability (責任追究) against a department or a person in it, and
    what caused it. The names stay in the supervision office; the public sees counts."""

    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    department = models.ForeignKey("portal.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="accountability_measures")
    person = models.CharField(_("person"), max_length=100, blank=True,
                              help_text=_("Name and post; empty when the measure is against the department."))
    decided_on = models.DateField(_("decided on"), default=timezone.localdate)
    reason = models.TextField(_("reason"), max_length=5000)
    complaint = models.ForeignKey("supervision.Complaint", verbose_name=_("complaint"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="accountability_measures")
    finding = models.ForeignKey(Finding, verbose_name=_("finding"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="accountability_measures")
    rectification_order = models.ForeignKey(RectificationOrder, verbose_name=_("rectification order"), null=True,
                                            blank=True, on_delete=models.PROTECT,
                                            related_name="accountability_measures")
    rating_rectification = models.ForeignKey("approvals.RectificationCase",
                                             verbose_name=_("rectification of a bad rating"), null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    #: Any other overdue item of a registered deadline kind (a disclosure obligation, an
    #: information request, an application …).
    overdue_type = models.ForeignKey(ContentType, verbose_name=_("overdue item: type"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    overdue_id = models.PositiveBigIntegerField(_("overdue item: number"), null=True, blank=True)
    overdue_item = GenericForeignKey("overdue_type", "overdue_id")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
                                    related_name="+", editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("accountability measure")
        verbose_name_plural = _("accountability measures")
        indexes = [models.Index(fields=["department", "decided_on"], name="supervision_measure_dept_on")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(complaint__isnull=False) | models.Q(finding__isnull=False)
                | models.Q(rectification_order__isnull=False) | models.Q(rating_rectification__isnull=False)
                | models.Q(overdue_type__isnull=False, overdue_id__isnull=False),
                name="supervision_measure_has_cause"),
            models.CheckConstraint(
                condition=models.Q(overdue_type__isnull=True, overdue_id__isnull=True)
                | models.Q(overdue_type__isnull=False, overdue_id__isnull=False),
                name="supervision_measure_overdue_whole"),
        ]

    def __str__(self):
        return f"{self.get_measure_display()} · {self.department}"
