"""Fee items (收費項目): a fee not in the published schedule is not a fee (DESIGN §3.4)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from approvals.models.items import CODE_VALIDATOR, ApprovalItem, ChangeEntry


class StandardKind(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    RANGE = "range", _("Range")
    PER_UNIT = "per_unit", _("Rate per unit")


class FeeStatus(models.TextChoices):
    IN_FORCE = "in_force", _("Charged")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


class FeeChangeKind(models.TextChoices):
    ESTABLISH = "establish", _("Established")
    ADJUST = "adjust", _("Standard adjusted")
    SUSPEND = "suspend", _("Suspended")
    RESUME = "resume", _("Resumed")
    CANCEL = "cancel", _("Cancelled")


FEE_STATUS_AFTER = {
    FeeChangeKind.ESTABLISH: FeeStatus.IN_FORCE,
    FeeChangeKind.SUSPEND: FeeStatus.SUSPENDED,
    FeeChangeKind.RESUME: FeeStatus.IN_FORCE,
    FeeChangeKind.CANCEL: FeeStatus.CANCELLED,
}

CURRENCY_SYMBOLS = {"CNY": "¥"}
STANDARD_FIELDS = ("standard_kind", "amount", "amount_min", "amount_max", "currency", "unit")

_money = {"max_digits": 12, "decimal_places": 2, "null": True, "blank": True}


class FeeItemQuerySet(models.QuerySet):
    def scheduled(self):
        """The public schedule: fees charged or suspended (a cancelled fee is in its change log)."""
        return self.exclude(status=FeeStatus.CANCELLED)


class FeeItem(models.Model):
    #: Fields whose change is an adjustment of the fee (needs a date, document and reason).
    SUBSTANTIVE_FIELDS = (*STANDARD_FIELDS, "legal_basis")

    code = models.CharField(_("fee code"), max_length=40, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        "portal.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="fee_items"
    )
    approval_item = models.ForeignKey(
        ApprovalItem, verbose_name=_("approval item"), null=True, blank=True, on_delete=models.PROTECT, related_name="fees"
    )
    legal_basis = models.TextField(_("legal basis for the fee"), help_text=_("收費依據"))
    standard_kind = models.CharField(_("kind of standard"), max_length=10, choices=StandardKind.choices, default=StandardKind.FIXED)
    amount = models.DecimalField(_("amount or rate"), **_money, help_text=_("For a fixed amount or a rate per unit."))
    amount_min = models.DecimalField(_("lowest amount"), **_money, help_text=_("For a range."))
    amount_max = models.DecimalField(_("highest amount"), **_money, help_text=_("For a range."))
    currency = models.CharField(
        _("currency"), max_length=3, default="CNY", validators=[RegexValidator(r"^[A-Z]{3}$", _("An ISO 4217 code, e.g. CNY."))]
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("e.g. per certificate, per square metre."))
    reductions = models.TextField(_("reductions and exemptions"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=FeeStatus.choices, default=FeeStatus.IN_FORCE, editable=False, db_index=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = FeeItemQuerySet.as_manager()

    class Meta:
        ordering = ["department__code", "code"]
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(standard_kind="fixed", amount__isnull=False, amount_min__isnull=True, amount_max__isnull=True)
                    | models.Q(
                        standard_kind="range",
                        amount__isnull=True,
                        amount_min__isnull=False,
                        amount_max__isnull=False,
                        amount_min__lte=models.F("amount_max"),
                    )
                    | (
                        models.Q(standard_kind="per_unit", amount__isnull=False, amount_min__isnull=True, amount_max__isnull=True)
                        & ~models.Q(unit="")
                    )
                ),
                name="approvals_fee_standard_complete",
            ),
            models.CheckConstraint(
                condition=(
                    (models.Q(amount__isnull=True) | models.Q(amount__gte=0))
                    & (models.Q(amount_min__isnull=True) | models.Q(amount_min__gte=0))
                ),
                name="approvals_fee_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("approvals:fees") + f"#fee-{self.code}"

    def clean(self):
        super().clean()
        errors = {}
        kind = self.standard_kind
        if kind in (StandardKind.FIXED, StandardKind.PER_UNIT):
            if self.amount is None:
                errors["amount"] = _("Give the amount.") if kind == StandardKind.FIXED else _("Give the rate per unit.")
            for name in ("amount_min", "amount_max"):
                if getattr(self, name) is not None:
                    errors[name] = _("Only a range has a lowest and a highest amount.")
            if kind == StandardKind.PER_UNIT and not self.unit:
                errors["unit"] = _("A rate per unit needs its unit.")
        elif kind == StandardKind.RANGE:
            if self.amount is not None:
                errors["amount"] = _("A range has a lowest and a highest amount, not one amount.")
            if self.amount_min is None:
                errors["amount_min"] = _("Give the lowest amount.")
            if self.amount_max is None:
                errors["amount_max"] = _("Give the highest amount.")
            if self.amount_min is not None and self.amount_max is not None and self.amount_min > self.amount_max:
                errors["amount_max"] = _("The highest amount may not be lower than the lowest.")
        for name in ("amount", "amount_min", "amount_max"):
            value = getattr(self, name)
            if value is not None and value < Decimal("0") and name not in errors:
                errors[name] = _("An amount may not be negative.")
        if self.approval_item_id and self.department_id and self.approval_item.department_id != self.department_id:
            errors["approval_item"] = _("The approval item belongs to another department.")
        if errors:
            raise ValidationError(errors)

    @property
    def standard(self) -> str:
        """The standard as one line: “¥10.00 / per certificate”, “¥50.00–200.00”."""
        return describe_standard(self.standard_kind, self.amount, self.amount_min, self.amount_max, self.currency, self.unit)

    standard.fget.short_description = _("fee standard")


def _money_text(value) -> str:
    return number_format(value, decimal_pos=2, force_grouping=True)


def describe_standard(kind, amount, amount_min, amount_max, currency, unit) -> str:
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    if kind == StandardKind.RANGE:
        text = f"{symbol}{_money_text(amount_min)}–{_money_text(amount_max)}"
    elif amount is None:
        return ""
    else:
        text = f"{symbol}{_money_text(amount)}"
    return f"{text} / {unit}" if unit else text


class FeeChange(ChangeEntry):
    """One entry of a fee item's public change log."""

    fee = models.ForeignKey(FeeItem, verbose_name=_("fee item"), on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("change"), max_length=20, choices=FeeChangeKind.choices)

    class Meta(ChangeEntry.Meta):
        verbose_name = _("fee change")
        verbose_name_plural = _("fee change log")
        constraints = [
            models.UniqueConstraint(fields=["fee"], condition=models.Q(kind="establish"), name="approvals_fee_established_once"),
            models.CheckConstraint(
                condition=models.Q(kind="establish") | ~models.Q(reason=""), name="approvals_fee_change_has_reason"
            ),
        ]
