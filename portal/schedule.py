"""The beat schedule, defined here once and loaded into django-celery-beat after migrate,
where the coordinator can see and change it in admin (changes there are kept).

Names are what the coordinator reads on the periodic-task pages, so they are Chinese (data,
like a department's name); ``was`` is the English name an entry had before (issue 12), which
``load_schedule`` renames once, where nobody has renamed it since."""

SCHEDULE = [
    {
        "name": "掃描期限並發送提醒",
        "was": "Scan deadlines and send reminders",
        "task": "portal.scan_deadlines",
        "crontab": {"minute": "*/15", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
    },
    {
        # Uploaded import files wait an hour at most for their confirmation (portal.import_jobs).
        "name": "刪除逾時未確認的匯入檔案",
        "was": "Delete import files not confirmed in time",
        "task": "portal.expire_import_files",
        "crontab": {"minute": "*/10", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
    },
    {
        "name": "重新排入遺失任務的電子郵件",
        "was": "Queue again e-mails whose task was lost",
        "task": "portal.requeue_emails",
        "crontab": {"minute": "7-59/15", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
    },
    {
        # The compliance dashboard's figures for this year, kept in the cache (supervision.figures).
        "name": "重新計算合規統計數字",
        "was": "Compute the compliance figures afresh",
        "task": "supervision.refresh_figures",
        "crontab": {"minute": "*/5", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"},
    },
]


def load_schedule(**kwargs) -> None:
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    for entry in SCHEDULE:
        if not PeriodicTask.objects.filter(name=entry["name"]).exists():
            PeriodicTask.objects.filter(name=entry["was"], task=entry["task"]).update(name=entry["name"])
        if PeriodicTask.objects.filter(task=entry["task"]).exists():
            continue  # kept as the coordinator left it, renamed or not
        crontab, _created = CrontabSchedule.objects.get_or_create(**entry["crontab"], timezone="Asia/Shanghai")
        PeriodicTask.objects.create(name=entry["name"], task=entry["task"], crontab=crontab)
