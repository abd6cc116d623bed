"""Run one deadline scan synchronously (no broker needed) and say what was sent. The
e-mails it records go out through the worker, like every e-mail (``portal.notify``)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from portal import reminders
from portal.models import Reminder


class Command(BaseCommand):
    help = "Scan every deadline kind once and send what is due, or with --dry-run only list it."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what is due today; write nothing.")
        parser.add_argument("--now", metavar="YYYY-MM-DD", help="Scan as if today were this date.")

    def handle(self, *args, dry_run, now, **options):
        try:
            today = dt.date.fromisoformat(now) if now else None
        except ValueError as error:
            raise CommandError(f"--now must be a date like 2026-12-01: {error}") from error
        if dry_run:
            planned = reminders.plan(today or dt.date.today(), create_rules=False)
            for p in planned:
                self.stdout.write(f"would send {p.kind}#{p.object_id} {p.stage} → {p.audience} (due {p.due_on})")
            self.stdout.write(f"{len(planned)} reminders due; nothing sent (dry run).")
            return
        planned = reminders.scan(today)
        sent = 0
        for reminder in Reminder.objects.filter(state=Reminder.State.PENDING).order_by("pk"):
            if reminders.deliver(reminder.pk):
                sent += 1
                self.stdout.write(f"sent {reminder.kind}#{reminder.object_id} {reminder.stage} → {reminder.audience}")
        nobody = Reminder.objects.undeliverable().count()
        self.stdout.write(self.style.SUCCESS(f"{len(planned)} recorded, {sent} sent."))
        if nobody:
            self.stdout.write(self.style.WARNING(f"{nobody} reminders in all had nobody to tell (admin: Reminders)."))
