"""Departments of the county and the staff who work for them."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.roles import Role

#: The guardian permission on a Department that makes a user act for it.
MEMBER_PERMISSION = "portal.act_for_department"


class DepartmentQuerySet(models.QuerySet):
    def top_level(self):
        return self.filter(parent__isnull=True)


class Department(models.Model):
    """A county body: the leading group, the open-government office, a bureau, a township."""

    class Kind(models.TextChoices):
        LEADING_GROUP = "leading_group", _("Leading group")
        OFFICE = "office", _("Office")
        BUREAU = "bureau", _("Government department")
        TOWNSHIP = "township", _("Township")
        SERVICE_CENTRE = "service_centre", _("Service centre")
        PUBLIC_SERVICE = "public_service", _("Public service organisation")

    # Objects of this model are scoped by their own identity (portal.permissions).
    code = models.SlugField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9-]+$", _("Use lower-case letters, digits and hyphens."))],
        help_text=_("Short stable code used in addresses, in lower-case letters, digits and hyphens. Printed on posters: "
                    "do not change it."),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BUREAU)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    duties = models.TextField(_("duties"), blank=True, help_text=_("What the department is responsible for."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    service_window = models.CharField(
        _("service-hall window"), max_length=100, blank=True, help_text=_("Where citizens are served, e.g. “Window 3”.")
    )
    requires_coordinator_review = models.BooleanField(
        _("needs the coordinator's review"),
        default=False,
        help_text=_("If set, what this department publishes is also reviewed by the open-government office."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        permissions = [("act_for_department", _("Act for this department"))]
        constraints = [
            models.CheckConstraint(condition=~models.Q(parent=models.F("pk")), name="department_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:department-detail", kwargs={"code": self.code})


class StaffProfile(models.Model):
    """Links a user to the department they work for and the role they hold there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="staff_profile"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="staff"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language of notifications"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["department__code", "user__username"]
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.department})"
