"""The event log: every state change writes one row in the same transaction (DESIGN §6)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    #: A registered ``portal.events.EventKind`` value, "<noun>.<verb>".
    kind = models.CharField(_("action"), max_length=50)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("kind of object"))
    object_id = models.CharField(_("object"), max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    from_state = models.CharField(_("from"), max_length=30, blank=True)
    to_state = models.CharField(_("to"), max_length=30, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        model = self.content_type.model_class()
        return f"{self.kind_label} {model._meta.verbose_name if model else self.content_type.model}#{self.object_id}"

    @property
    @admin.display(description=_("action"), ordering="kind")
    def kind_label(self) -> str:
        from portal.events import label_of  # the registry is filled by the apps at start-up

        return label_of(self.kind)
