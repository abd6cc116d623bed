"""The disclosure catalogue: categories of the eight disclosures (八公開), the domains of the
national standard catalogue (基層政務公開標準目錄), the channels and carriers, and obligations."""

import re

from django.db import models
from django.urls import reverse
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


class TimeLimitRule(models.TextChoices):
    """How an entry's working days were read from its time limit as written (公開時限)."""

    WORKING_DAYS = "working_days", _("Working days, as written")
    CALENDAR_DAYS = "calendar_days", _("Calendar days, converted to working days")
    PERIODIC = "periodic", _("Periodic: the default working days after the period")
    PROMPT_DEFAULT = "prompt_default", _("“Promptly”: the county's default")
    REAL_TIME_DEFAULT = "real_time_default", _("“In real time”: the county's default")
    UNPARSED_DEFAULT = "unparsed_default", _("Not understood: the county's default")
    ENTERED = "entered", _("Entered by hand")


class NamedListItem(models.Model):
    """A row of a list the coordinator keeps and a workbook names (the domains, the carriers):
    a code, a Traditional-Chinese name, and the other names a workbook may use for it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True, help_text=_("In Traditional Chinese."))
    aliases = models.CharField(
        _("other names"), max_length=300, blank=True,
        help_text=_("Other names a workbook may use for it, separated by “、”."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class Domain(NamedListItem):
    """A domain of the national standard catalogue (試點領域, 國辦發〔2019〕54號): a county keeps
    one standard catalogue per domain. Seeded with the 26 pilot domains; see docs/catalogue.md."""

    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta(NamedListItem.Meta):
        verbose_name = _("standard catalogue domain")
        verbose_name_plural = _("standard catalogue domains")

    def get_absolute_url(self):
        return reverse("disclosures:catalogue-domain", kwargs={"code": self.code})


class Carrier(NamedListItem):
    """A channel or carrier of disclosure (公開渠道和載體), editable by the coordinator. The
    codes of the original seven channels are kept, so older entries still read."""

    class Meta(NamedListItem.Meta):
        verbose_name = _("channel or carrier")
        verbose_name_plural = _("channels and carriers")


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
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="catalogue_entries", help_text=_("For the county's own catalogue (八公開); leave empty with a domain."),
    )
    domain = models.ForeignKey(
        Domain, verbose_name=_("domain"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="entries", help_text=_("For the national standard catalogue; leave empty with a category."),
    )
    title = models.CharField(_("what must be disclosed"), max_length=200)
    item = models.CharField(_("item (level one)"), max_length=200, blank=True, help_text=_("一級事項"))
    sub_item = models.CharField(_("item (level two)"), max_length=200, blank=True, help_text=_("二級事項"))
    elements = models.TextField(_("content (elements)"), blank=True, help_text=_("公開內容（要素）"))
    legal_basis = models.TextField(_("legal basis"), blank=True, help_text=_("公開依據: one or more documents."))
    time_limit = models.CharField(
        _("time limit as written"), max_length=200, blank=True,
        help_text=_("公開時限, e.g. 信息形成（或變更）之日起20個工作日內; the working days below are read from it."),
    )
    time_limit_rule = models.CharField(
        _("how the working days were read"), max_length=20, choices=TimeLimitRule.choices, default=TimeLimitRule.ENTERED,
    )
    responsible_body = models.CharField(
        _("responsible body as written"), max_length=200, blank=True, help_text=_("公開主體"),
    )
    audience_all = models.BooleanField(_("for the whole public"), default=True, help_text=_("公開對象: 全社會"))
    audience_specific = models.BooleanField(_("for specific groups"), default=False, help_text=_("公開對象: 特定群眾"))
    proactive = models.BooleanField(_("disclosed proactively"), default=True, help_text=_("公開方式: 主動"))
    on_request = models.BooleanField(_("disclosed on request"), default=False, help_text=_("公開方式: 依申請公開"))
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("序號 within the domain."))
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
            models.UniqueConstraint(fields=["domain", "item", "sub_item"], name="catalogue_entry_unique_in_domain"),
            models.CheckConstraint(condition=models.Q(days_allowed__gte=1), name="catalogue_days_positive"),
            models.CheckConstraint(
                condition=models.Q(category__isnull=True, domain__isnull=False)
                | models.Q(category__isnull=False, domain__isnull=True),
                name="catalogue_entry_category_or_domain",
            ),
        ]
        indexes = [models.Index(fields=["domain", "position"])]

    def __str__(self):
        return f"{self.department} · {self.title}"

    def save(self, *args, **kwargs):
        if self.domain_id and not self.title:
            self.title = (self.sub_item or self.item)[:200]
        super().save(*args, **kwargs)

    @property
    def legal_documents(self) -> list[str]:
        """The documents of the legal basis: each 《…》 title, or the text split at 、；; when none is quoted."""
        return split_documents(self.legal_basis)


def split_documents(text: str) -> list[str]:
    quoted = re.findall(r"《[^》]+》[^《、，,；;\n]*", text or "")
    if quoted:
        return [document.strip() for document in quoted]
    return [part.strip() for part in re.split(r"[、；;\n]+", text or "") if part.strip()]
