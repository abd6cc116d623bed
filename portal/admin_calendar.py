"""The working-day calendar as a calendar (issue 12, item 4): a month grid for the
coordinator — working days, holidays, weekends worked (調休) and years without an official
schedule — and, from any day, an override edited there, with the open due dates it would
move shown before it is saved (``services.calendar_day_effect``)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import deadlines, services
from portal.calendar import WorkingCalendar, holiday_names, month_grid, package_is_working_day
from portal.models import CalendarDay

#: The months the grid goes to, either side of today: far enough for any deadline.
YEARS_SHOWN = 5


class DayForm(forms.Form):
    is_working_day = forms.TypedChoiceField(
        label=gettext_lazy("This day is"), widget=forms.RadioSelect, coerce=lambda value: value == "1",
        choices=[("1", gettext_lazy("a working day")), ("0", gettext_lazy("a day off"))])
    name = forms.CharField(label=gettext_lazy("name"), max_length=100, required=False,
                           help_text=gettext_lazy("E.g. 春節 or 春節調休上班."))


def _month(value: str | None, today: dt.date) -> dt.date | None:
    """The first of the month ``YYYY-MM`` names, within YEARS_SHOWN of today; None if not."""
    try:
        month = dt.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None
    return month if abs(month.year - today.year) <= YEARS_SHOWN else None


def _shifted(month: dt.date, by: int) -> str:
    index = month.year * 12 + month.month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_view(model_admin, request):
    """The month grid; each day a link to its page for those who may change the calendar."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    today = timezone.localdate()
    month = _month(request.GET.get("month"), today)
    if month is None:
        if "month" in request.GET:
            messages.warning(request, _("No such month: showing this month."))
        month = today.replace(day=1)
    calendar = WorkingCalendar()
    names = holiday_names(month.year, get_language())
    names.update(CalendarDay.objects.filter(date__year=month.year, date__month=month.month)
                 .exclude(name="").values_list("date", "name"))
    weeks = [[(day, names.get(day.date, "")) if day else None for day in week]
             for week in month_grid(month.year, month.month, calendar)]
    return TemplateResponse(request, "admin/portal/calendar_month.html", {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Working-day calendar, %(month)s") % {"month": f"{month.year}-{month.month:02d}"},
        "month": month, "weeks": weeks, "today": today,
        "previous": _shifted(month, -1), "next": _shifted(month, 1),
        "provisional": calendar.is_provisional_year(month.year),
        "may_change": model_admin.has_change_permission(request),
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
    })


def day_view(model_admin, request, date: str):
    """One day: how it counts now, and an override — or its removal — previewed, then saved."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        messages.warning(request, _("No such day."))
        return redirect("admin:portal_calendarday_month")
    month_url = reverse("admin:portal_calendarday_month") + f"?month={day:%Y-%m}"
    override = CalendarDay.objects.filter(date=day).first()
    working_now = WorkingCalendar().is_working_day(day)
    initial = {"is_working_day": "1" if working_now else "0", "name": override.name if override else ""}
    form = DayForm(request.POST or None, initial=initial)
    preview = None
    removing = request.method == "POST" and "remove" in request.POST and override is not None
    if removing:
        preview = services.calendar_day_effect(date=day, is_working_day=package_is_working_day(day))
        if "confirm" in request.POST:
            moved = services.calendar_day_delete(actor=request.user, day=override)
            messages.success(request, _("The override of %(day)s was removed; %(count)d open due dates moved.")
                             % {"day": day.isoformat(), "count": moved})
            return redirect(month_url)
    elif request.method == "POST" and form.is_valid():
        working = form.cleaned_data["is_working_day"]
        preview = services.calendar_day_effect(date=day, is_working_day=working)
        if "confirm" in request.POST:
            _day, moved = services.calendar_day_save(actor=request.user, date=day, is_working_day=working,
                                                    name=form.cleaned_data["name"])
            messages.success(request, _("%(day)s saved; %(count)d open due dates moved.")
                             % {"day": day.isoformat(), "count": moved})
            return redirect(month_url)
    return TemplateResponse(request, "admin/portal/calendar_day.html", {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Working-day calendar, %(day)s") % {"day": day.isoformat()},
        "day": day, "working_now": working_now, "override": override, "form": form,
        "previewed": preview is not None, "removing": removing, "month_url": month_url,
        "moves": [_described(move) for move in preview or []],
    })


def _described(move) -> dict:
    kind = deadlines.get(move.kind)
    return {"kind": kind.label, "item": kind.describe(move.item), "url": kind.url(move.item),
            "old": move.old, "new": move.new, "provisional": move.provisional}
