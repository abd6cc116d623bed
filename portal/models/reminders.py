"""Reminder rules the coordinator edits, and the record of every reminder sent (DESIGN §3.6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def default_leads():
    return [3, 1]


def default_escalations():
    return [{"after": 1, "to": "department_head"}, {"after": 5, "to": "supervision"}]


class ReminderRule(models.Model):
    """How one deadline kind is watched, in working days."""

    kind = models.CharField(_("deadline kind"), max_length=50, unique=True)
    lead_days = models.JSONField(
        _("reminders before the due date"),
        default=default_leads,
        help_text=_("Working days before the due date on which those responsible are reminded."),
    )
    notify_on_due = models.BooleanField(_("notice on the due date"), default=True)
    escalations = models.JSONField(
        _("escalations"),
        default=default_escalations,
        help_text=_("After how many working days overdue, and to whom, the reminder goes up."),
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")

    def __str__(self):
        from portal.reminder_text import kind_label  # the deadline kinds are registered by the apps

        return kind_label(self.kind)


class ReminderQuerySet(models.QuerySet):
    def undeliverable(self):
        """Reminders nobody could be told of: no one in the audience nor up the chain
        (department head, coordinator). Shown to the coordinator and counted."""
        return self.filter(state=Reminder.State.UNDELIVERABLE)

    def late(self):
        """Reminders recorded after the day they were due (a scan caught up after an outage)."""
        return self.filter(late=True)


class Reminder(models.Model):
    """One reminder or escalation about one item's due date at one threshold — recorded
    before it is sent, under a unique key, so that no scan, retry or second beat can send it
    twice, while the next due date of a recurring obligation is reminded afresh."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        #: Nobody to tell, even up the chain: never "sent".
        UNDELIVERABLE = "undeliverable", _("Nobody to tell")
        #: The item was done before the reminder went out.
        MOOT = "moot", _("Not needed (done in the meantime)")

    kind = models.CharField(_("deadline kind"), max_length=50)
    object_id = models.BigIntegerField(_("object"))
    stage = models.CharField(_("stage"), max_length=30, help_text=_("How far the item was from its due date: before it, on it or overdue."))
    audience = models.CharField(_("to"), max_length=30)
    due_on = models.DateField(_("due on"))
    state = models.CharField(_("state"), max_length=15, choices=State.choices, default=State.PENDING)
    #: The day the stage was reached; a scan catching up after an outage records it later.
    for_day = models.DateField(_("reminder of"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False, help_text=_("Recorded after its day (an outage was caught up)."))
    #: Who was told in the end: the audience itself or the next one up the chain.
    delivered_to = models.CharField(_("told"), max_length=30, blank=True)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "due_on", "stage"], name="reminder_once_per_stage"),
        ]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self):
        from portal.reminder_text import kind_label, stage_label  # the deadline kinds are registered by the apps

        return f"{kind_label(self.kind)} #{self.object_id} {stage_label(self.stage)}"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}:{self.due_on:%Y%m%d}:{self.stage}"


class ScanProgress(models.Model):
    """The last day the deadline scan completed: the next scan covers every day after it,
    so that an outage of the broker or the workers loses no day's reminders."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    last_day = models.DateField(_("last day scanned"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline scan progress")
        verbose_name_plural = _("deadline scan progress")

    def __str__(self):
        return f"{self.name} {self.last_day}"
