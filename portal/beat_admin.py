"""django-celery-beat's pages in the reader's language (issue 12).

The library writes a schedule as ``*/15 * * * * (m/h/dM/MY/d) Asia/Shanghai`` and in words
only in English ("Every 15 minutes Asia/Shanghai"), and labels two of its columns with
attribute names ("Scheduler", "Crontab translation"). Here a crontab reads, in Chinese,
``*/15 * * * *（分 時 日 月 週）北京時間`` and “每 15 分鐘（北京時間）” (cron_descriptor's
own Chinese, converted to the reader's script), and the periodic-task admin is the
library's with those columns labelled. Its strings missing from the library's catalogue
are in ``portal.locale_libraries.MISSING``.
"""

from cron_descriptor import FormatException, MissingFieldException, Options, WrongArgumentException, get_description
from django.contrib import admin
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import CrontabSchedule, PeriodicTask, cronexp

from portal.chinese import to_traditional

#: Time zones under the names a reader knows them by.
ZONES = {"Asia/Shanghai": gettext_lazy("Beijing time")}


def _zone(crontab) -> str:
    zone = str(crontab.timezone)
    return str(ZONES.get(zone, zone))


def _expression(crontab) -> str:
    return " ".join(cronexp(part) for part in (
        crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year, crontab.day_of_week))


def crontab_text(crontab) -> str:
    """``CrontabSchedule.__str__``: the expression, what its parts are, the time zone."""
    return _("%(expression)s (minute hour day month weekday) %(zone)s") % {
        "expression": _expression(crontab), "zone": _zone(crontab)}


def crontab_in_words(crontab) -> str:
    """``CrontabSchedule.human_readable``: “每 15 分鐘（北京時間）”, in the reader's language."""
    language = get_language() or ""
    options = Options()
    options.use_24hour_time_format = True
    options.locale_code = "zh_CN" if language.startswith("zh") else "en_US"
    try:
        words = get_description(_expression(crontab), options)
    except (MissingFieldException, FormatException, WrongArgumentException):
        words = _expression(crontab)
    if language == "zh-hant":
        words = to_traditional(words)
    return _("%(words)s (%(zone)s)") % {"words": words, "zone": _zone(crontab)}


class TaskFilter(admin.AllValuesFieldListFilter):
    """The filter by task, titled in the reader's language (the library's field is named
    "Task Name", a string outside its catalogue)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("task")


class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    list_display = ("name", "enabled", "schedule_text", "start_time", "last_run_at", "one_off")
    list_filter = ["enabled", "one_off", ("task", TaskFilter), "start_time", "last_run_at"]

    @admin.display(description=gettext_lazy("schedule"))
    def schedule_text(self, obj):
        return str(obj.scheduler)

    @admin.display(description=gettext_lazy("schedule in words"))
    def crontab_translation(self, obj):
        return obj.crontab.human_readable if obj.crontab else ""


def install(site=admin.site) -> None:
    """The library's crontab texts replaced, and its periodic-task admin with ours (portal/admin.py)."""
    CrontabSchedule.__str__ = crontab_text
    CrontabSchedule.human_readable = property(crontab_in_words)
    site.unregister(PeriodicTask)
    site.register(PeriodicTask, PeriodicTaskAdmin)
