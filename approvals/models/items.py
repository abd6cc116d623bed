"""Approval items (行政審批事項), what an applicant brings and goes through, where they apply,
and the change log every establishment, adjustment, cancellation or delegation writes."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

#: A code is printed on posters and used in addresses (/approvals/<code>/): letters, digits,
#: dots, hyphens and underscores, and at least one digit so that no code reads as a page name.
CODE_VALIDATOR = RegexValidator(
    r"^(?=[^\s]*\d)[0-9A-Za-z][0-9A-Za-z._-]*$",
    _("Use letters, digits, dots, hyphens and underscores, with at least one digit."),
)


class Kind(models.TextChoices):
    LICENSING = "licensing", _("Administrative licensing")
    CONFIRMATION = "confirmation", _("Administrative confirmation")
    BENEFIT = "benefit", _("Administrative benefit")
    COLLECTION = "collection", _("Administrative collection")
    AWARD = "award", _("Administrative award")
    RULING = "ruling", _("Administrative ruling")
    OTHER = "other", _("Other administrative power")


class ItemStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    ADJUSTED = "adjusted", _("Adjusted")
    CANCELLED = "cancelled", _("Cancelled")
    DELEGATED = "delegated", _("Delegated")


class ChangeKind(models.TextChoices):
    ESTABLISH = "establish", _("Established")
    ADJUST = "adjust", _("Adjusted")
    CANCEL = "cancel", _("Cancelled")
    DELEGATE = "delegate", _("Delegated")


#: The item's status after a change of each kind.
STATUS_AFTER = {
    ChangeKind.ESTABLISH: ItemStatus.IN_FORCE,
    ChangeKind.ADJUST: ItemStatus.ADJUSTED,
    ChangeKind.CANCEL: ItemStatus.CANCELLED,
    ChangeKind.DELEGATE: ItemStatus.DELEGATED,
}


def blank_form_path(instance, filename):
    # A random name: nothing about the file or the department can be guessed from the URL.
    return f"approvals/forms/{secrets.token_hex(16)}"


class ServiceHall(models.Model):
    """A government service hall (政務大廳), run by a department (normally the service centre)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    department = models.ForeignKey(
        "portal.Department", verbose_name=_("run by"), on_delete=models.PROTECT, related_name="service_halls"
    )
    address = models.CharField(_("address"), max_length=200)
    opening_hours = models.TextField(_("opening hours"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    rules = models.TextField(
        _("rules of the hall"), blank=True, help_text=_("Shown on the hall page, e.g. that its items are handled only there.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("service hall")
        verbose_name_plural = _("service halls")

    def __str__(self):
        return self.name


class ServiceWindow(models.Model):
    """A window of a hall and the departments that serve at it."""

    hall = models.ForeignKey(ServiceHall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="windows")
    number = models.CharField(_("window number"), max_length=10)
    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("e.g. 政務大廳7號窗口; imports name windows by it."))
    departments = models.ManyToManyField(
        "portal.Department", verbose_name=_("departments served here"), related_name="hall_windows", blank=True
    )
    opening_hours = models.TextField(_("opening hours"), blank=True, help_text=_("Leave empty for the hall's hours."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["hall", "position", "number"]
        verbose_name = _("service window")
        verbose_name_plural = _("service windows")
        constraints = [models.UniqueConstraint(fields=["hall", "number"], name="approvals_window_number_unique")]

    def __str__(self):
        return f"{self.hall} · {self.name}"


class ApprovalItemQuerySet(models.QuerySet):
    def current(self):
        """Items an applicant can still apply for (not cancelled)."""
        return self.exclude(status=ItemStatus.CANCELLED)

    def cancelled(self):
        """Items taken off the register: they keep their page, marked, with the cancellation."""
        return self.filter(status=ItemStatus.CANCELLED)

    def for_department(self, department):
        return self.filter(department=department)

    def search(self, text: str):
        """Items whose code, name or legal basis contains ``text`` (either Chinese script)."""
        from portal.chinese import to_traditional

        query = models.Q()
        for variant in {text, to_traditional(text)}:
            query |= (
                models.Q(code__icontains=variant)
                | models.Q(name__icontains=variant)
                | models.Q(basis_law__icontains=variant)
            )
        return self.filter(query)


class ApprovalItem(models.Model):
    """An administrative approval item and its service guide (办事指南)."""

    #: Fields whose change is an adjustment of the item (needs a date, document and reason).
    SUBSTANTIVE_FIELDS = (
        "name", "kind", "basis_law", "basis_article", "basis_document", "conditions", "statutory_limit", "promised_limit",
    )

    code = models.CharField(
        _("item code"), max_length=40, unique=True, validators=[CODE_VALIDATOR],
        help_text=_("事項編碼. Printed on posters and in addresses: do not change it."),
    )
    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        "portal.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="approval_items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LICENSING)
    basis_law = models.CharField(_("legal basis: law or regulation"), max_length=300, help_text=_("設定依據"))
    basis_article = models.CharField(_("legal basis: article"), max_length=100, blank=True)
    basis_document = models.CharField(_("legal basis: document number"), max_length=100, blank=True)
    conditions = models.TextField(_("acceptance conditions"), blank=True)
    statutory_limit = models.PositiveSmallIntegerField(_("statutory time limit (working days)"))
    promised_limit = models.PositiveSmallIntegerField(
        _("promised time limit (working days)"), help_text=_("May not exceed the statutory limit; 0 means on the spot.")
    )
    window = models.ForeignKey(
        ServiceWindow, verbose_name=_("service-hall window"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="items", help_text=_("An item assigned to the hall is handled only at this window."),
    )
    location = models.CharField(
        _("where to apply"), max_length=200, blank=True, help_text=_("For items not handled at a hall window.")
    )
    consultation_phone = models.CharField(_("consultation phone"), max_length=40, blank=True)
    complaint_phone = models.CharField(_("complaint phone"), max_length=40, blank=True)
    online_url = models.URLField(_("online application"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.IN_FORCE, editable=False, db_index=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = ApprovalItemQuerySet.as_manager()

    class Meta:
        ordering = ["department__code", "code"]
        verbose_name = _("approval item")
        verbose_name_plural = _("approval items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(promised_limit__lte=models.F("statutory_limit")),
                name="approvals_item_promised_within_statutory",
            ),
        ]
        indexes = [models.Index(fields=["department", "status"])]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("approvals:detail", kwargs={"code": self.code})

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.promised_limit is not None
            and self.statutory_limit is not None
            and self.promised_limit > self.statutory_limit
        ):
            errors["promised_limit"] = _(
                "The promised limit (%(promised)d working days) may not exceed the statutory limit (%(statutory)d)."
            ) % {"promised": self.promised_limit, "statutory": self.statutory_limit}
        if (
            self.window_id
            and self.department_id
            and not self.window.departments.filter(pk=self.department_id).exists()
        ):
            errors["window"] = _("The department does not serve at this window; see the hall's windows.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self) -> bool:
        return self.status == ItemStatus.CANCELLED


class Material(models.Model):
    """A document the applicant must bring (申請材料)."""

    class Form(models.TextChoices):
        ORIGINAL = "original", _("Original")
        COPY = "copy", _("Copy")
        BOTH = "original_and_copy", _("Original and copy")
        ELECTRONIC = "electronic", _("Electronic")

    item = models.ForeignKey(ApprovalItem, verbose_name=_("approval item"), on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices, default=Form.ORIGINAL)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    blank_form = models.FileField(_("blank form"), upload_to=blank_form_path, max_length=200, blank=True)
    blank_form_name = models.CharField(_("blank form file name"), max_length=200, blank=True, editable=False)
    blank_form_type = models.CharField(_("blank form type"), max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["item", "position", "pk"]
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")
        constraints = [models.CheckConstraint(condition=models.Q(copies__gte=1), name="approvals_material_copies_positive")]

    def __str__(self):
        return self.name


class ProcedureStep(models.Model):
    """One step of an item's procedure, in order."""

    item = models.ForeignKey(ApprovalItem, verbose_name=_("approval item"), on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("step"), default=1)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("what happens"), blank=True)
    responsible = models.CharField(_("who is responsible"), max_length=100, blank=True)
    time_limit = models.PositiveSmallIntegerField(_("time limit (working days)"), null=True, blank=True)

    class Meta:
        ordering = ["item", "position", "pk"]
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")

    def __str__(self):
        return f"{self.position}. {self.name}"


class ChangeEntry(models.Model):
    """What every public change-log entry holds (items and fees): subclasses add the object
    it belongs to, its ``kind`` and constraints."""

    effective_on = models.DateField(_("effective on"))
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    details = models.TextField(
        _("details"), blank=True, help_text=_("e.g. to whom an item was delegated, or a fee's old and new standard.")
    )
    changed_fields = models.JSONField(
        _("fields changed"), default=list, blank=True, help_text=_("[{field, from, to}] of an adjustment.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["effective_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.effective_on}"


class ItemChange(ChangeEntry):
    """One entry of an item's public change log. Reform statistics are computed from these."""

    item = models.ForeignKey(ApprovalItem, verbose_name=_("approval item"), on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("change"), max_length=20, choices=ChangeKind.choices)

    class Meta(ChangeEntry.Meta):
        verbose_name = _("item change")
        verbose_name_plural = _("item change log")
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(kind="establish"), name="approvals_item_established_once"
            ),
            models.UniqueConstraint(fields=["item"], condition=models.Q(kind="cancel"), name="approvals_item_cancelled_once"),
            models.CheckConstraint(
                condition=models.Q(kind="establish") | ~models.Q(reason=""), name="approvals_item_change_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["kind", "effective_on"])]
