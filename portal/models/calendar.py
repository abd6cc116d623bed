"""Working-day calendar data that the coordinator maintains (see ``portal.calendar``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CalendarDay(models.Model):
    """One day whose status differs from what the calendar packages say.

    Used for years the packages do not cover (the State Council's schedule for the
    next year) and for local corrections.
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"), help_text=_("Ticked: a make-up working day (調休). Unticked: a holiday or day off.")
    )
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("e.g. Spring Festival"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}".strip()


class CalendarYear(models.Model):
    """A year whose official holiday schedule has been entered by the coordinator.

    Until a year is confirmed here (or covered by the official package data), due
    dates falling in it are provisional.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"), max_length=200, help_text=_("The State Council notice the schedule comes from.")
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("official calendar year")
        verbose_name_plural = _("official calendar years")
        constraints = [
            models.CheckConstraint(condition=models.Q(year__gte=2000, year__lte=2100), name="calendar_year_range"),
        ]

    def __str__(self):
        return str(self.year)
