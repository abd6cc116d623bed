"""The beat schedule, defined here once and loaded into django-celery-beat after migrate,
where the coordinator can see and change it in admin (changes there are kept)."""

SCHEDULE = [
    {
        "name": "Scan deadlines and send reminders",
        "task": "portal.scan_deadlines",
        "crontab": {"minute": "*/15", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
    },
    {
        # Uploaded import files wait an hour at most for their confirmation (portal.import_jobs).
        "name": "Delete import files not confirmed in time",
        "task": "portal.expire_import_files",
        "crontab": {"minute": "*/10", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
    },
    {
        "name": "Queue again e-mails whose task was lost",
        "task": "portal.requeue_emails",
        "crontab": {"minute": "7-59/15", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
    },
    {
        # The compliance dashboard's figures for this year, kept in the cache (supervision.figures).
        "name": "Compute the compliance figures afresh",
        "task": "supervision.refresh_figures",
        "crontab": {"minute": "*/5", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
    },
]


def load_schedule(**kwargs) -> None:
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    for entry in SCHEDULE:
        if PeriodicTask.objects.filter(name=entry["name"]).exists():
            continue
        crontab, _created = CrontabSchedule.objects.get_or_create(**entry["crontab"], timezone="Asia/Shanghai")
        PeriodicTask.objects.create(name=entry["name"], task=entry["task"], crontab=crontab)
