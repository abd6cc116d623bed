"""An import through the admin, from its upload to its result (portal.import_jobs)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models.departments import Department


class ImportJob(models.Model):
    """One uploaded import file: checked (a dry run), confirmed, imported — and what came of
    it, kept for the importing user and their department. The file itself is kept only
    until it is imported or refused, or for ``GONGKAI_IMPORT_KEEP_SECONDS`` at most."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        READY = "ready", _("Checked, waiting for confirmation")
        IMPORTING = "importing", _("Being imported")
        IMPORTED = "imported", _("Imported")
        REFUSED = "refused", _("Refused, nothing imported")
        EXPIRED = "expired", _("Not confirmed in time, nothing imported")

    #: States in which a worker has yet to do something.
    RUNNING = (Status.CHECKING, Status.IMPORTING)

    token = models.CharField(_("reference"), max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    content_type = models.ForeignKey(ContentType, verbose_name=_("imported into"), on_delete=models.PROTECT)
    resource = models.CharField(_("resource"), max_length=200, editable=False)
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(_("file format"), max_length=10)
    language = models.CharField(_("language"), max_length=10, editable=False)
    content = models.BinaryField(_("file content"), null=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    new_rows = models.PositiveIntegerField(_("new"), default=0)
    updated_rows = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_rows = models.PositiveIntegerField(_("unchanged"), default=0)
    refused_rows = models.PositiveIntegerField(_("refused"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(content__isnull=True) | models.Q(status__in=["checking", "ready", "importing"]),
                name="import_job_file_only_while_open",
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"
