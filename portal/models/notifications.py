"""In-site notifications for staff (reminders, escalations, review requests), and the
e-mails waiting to be sent (``portal.notify``)."""

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    #: Unique per (object, kind, threshold): sending the same reminder twice is impossible.
    key = models.CharField(_("key"), max_length=200)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.subject


class OutgoingEmailQuerySet(models.QuerySet):
    def lost(self, *, before):
        """Pending e-mails whose next attempt was due before ``before``: their task never
        reached the broker (it was down) or was lost with it; and e-mails left *sending* by
        a worker that died, once their lease has expired."""
        return self.filter(
            state__in=[OutgoingEmail.State.PENDING, OutgoingEmail.State.SENDING], next_attempt_at__lt=before
        )


class OutgoingEmail(models.Model):
    """One e-mail to send, recorded in the transaction of the step that causes it and sent
    after commit by the ``portal.send_email`` task.

    It names what to say (a composer registered under ``kind``, and the object it is
    about), never the address or the text: the address is looked up when the e-mail is
    sent, so no recipient's address — a complainant's is a sealed identity — is copied
    here, into the broker or into the error kept after a failure."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        #: Handed to the mail server; not yet known to be accepted (``portal.notify.email_send``).
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        DROPPED = "dropped", _("Nothing to send (no address)")

    kind = models.CharField(_("kind"), max_length=50)
    object_id = models.BigIntegerField(_("object"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.kind_label}#{self.object_id}"

    @property
    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self) -> str:
        from portal.notify import email_label  # the composers are registered by the apps at start-up

        return email_label(self.kind)
