"""The disclosure catalogue: categories of the eight disclosures (八公開) and obligations."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Scope(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal (staff of the department only)")


class Channel(models.TextChoices):
    WEBSITE = "website", _("Website")
    NOTICE_BOARD = "notice_board", _("Notice board")
    SERVICE_WINDOW = "service_window", _("Service-hall window")
    MEDIA = "media", _("Media")
    DOCUMENTS = "documents", _("Documents and information cards")
    BROADCAST = "broadcast", _("Broadcast")
    MOBILE_BOARD = "mobile_board", _("Mobile notice board")


class Cadence(models.TextChoices):
    STANDING = "standing", _("Standing (kept current)")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    AD_HOC = "ad_hoc", _("Ad hoc (after each event)")


class CategoryQuerySet(models.QuerySet):
    def top_level(self):
        return self.filter(parent__isnull=True)

    def public(self):
        return self.filter(scope=Scope.PUBLIC)


class Category(models.Model):
    """A node of the disclosure catalogue tree, editable by the coordinator."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, help_text=_("In Traditional Chinese."))
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.PUBLIC)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_unique_name_in_parent"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_internal(self) -> bool:
        """An internal category (對內公開) or one under it: what is filed there is internal."""
        return self.scope == Scope.INTERNAL or (self.parent is not None and self.parent.scope == Scope.INTERNAL)


class CatalogueEntryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def public(self):
        return self.active().filter(scope=Scope.PUBLIC)


class CatalogueEntry(models.Model):
    """An obligation: a department must disclose something in a category, on a legal basis,
    to a scope, through channels, with a cadence and a number of working days allowed."""

    department = models.ForeignKey(
        "portal.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="catalogue_entries"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="catalogue_entries"
    )
    title = models.CharField(_("what must be disclosed"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.PUBLIC)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    cadence = models.CharField(_("cadence"), max_length=10, choices=Cadence.choices, default=Cadence.STANDING)
    days_allowed = models.PositiveSmallIntegerField(
        _("working days allowed"),
        default=20,
        help_text=_("Working days after the information forms or changes, or after the period ends (statutory: 20)."),
    )
    active = models.BooleanField(_("active"), default=True)
    # Kept by disclosures.compliance.refresh for the reminder scan (an indexed range query).
    next_due_on = models.DateField(_("next due on"), null=True, blank=True, editable=False, db_index=True)
    due_provisional = models.BooleanField(
        _("due date provisional"), default=False, editable=False,
        help_text=_("The count runs through a year whose official holiday schedule is not yet entered."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["next_due_on", "due_provisional"])

    objects = CatalogueEntryQuerySet.as_manager()

    class Meta:
        ordering = ["department__code", "category__position", "title"]
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        constraints = [
            models.UniqueConstraint(fields=["department", "category", "title"], name="catalogue_entry_unique"),
            models.CheckConstraint(condition=models.Q(days_allowed__gte=1), name="catalogue_days_positive"),
        ]

    def __str__(self):
        return f"{self.department} · {self.title}"
