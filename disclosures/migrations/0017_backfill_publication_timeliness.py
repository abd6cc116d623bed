"""Fill in the first publication day and the day it was due for disclosures published
before those fields existed: from their first revision, counted on the working calendar."""

from django.db import migrations
from django.utils import timezone


def backfill(apps, schema_editor):
    from portal.calendar import WorkingCalendar

    Disclosure = apps.get_model("disclosures", "Disclosure")
    Revision = apps.get_model("disclosures", "Revision")
    calendar = WorkingCalendar()
    first = Revision.objects.filter(number=1).values_list(
        "disclosure_id", "published_at", "formed_on", "disclosure__catalogue_entry__days_allowed"
    )
    changed = []
    for disclosure_id, published_at, formed_on, days in first.iterator(chunk_size=2000):
        changed.append(Disclosure(
            pk=disclosure_id,
            first_published_on=timezone.localtime(published_at).date(),
            publication_due_on=calendar.add_working_days(formed_on, days or 20).date,
        ))
        if len(changed) >= 2000:
            Disclosure.objects.bulk_update(changed, ["first_published_on", "publication_due_on"])
            changed = []
    Disclosure.objects.bulk_update(changed, ["first_published_on", "publication_due_on"])


def clear(apps, schema_editor):
    apps.get_model("disclosures", "Disclosure").objects.update(first_published_on=None, publication_due_on=None)


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0016_disclosure_publication_timeliness")]
    operations = [migrations.RunPython(backfill, clear)]
