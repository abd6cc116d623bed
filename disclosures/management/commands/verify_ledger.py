"""Verify the county-wide hash chain of published revisions end to end."""

from django.core.management.base import BaseCommand, CommandError

from disclosures import ledger


class Command(BaseCommand):
    help = "Recompute every published revision's hash and check the chain; report the first broken link."

    def handle(self, *args, **options):
        checked, broken = ledger.verify()
        if broken is not None:
            raise CommandError(
                f"Ledger broken at sequence {broken.sequence} (revision id {broken.revision_id}): "
                f"{broken.reason}. {checked} revisions before it verified."
            )
        self.stdout.write(self.style.SUCCESS(f"Ledger intact: {checked} published revisions verified."))
