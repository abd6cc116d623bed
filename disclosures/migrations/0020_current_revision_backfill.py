"""Copy each published disclosure's current revision (date, date formed, scope) onto
its row; the trigger of 0014 counts the public ones as they are set."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forward(apps, schema_editor):
    Disclosure = apps.get_model("disclosures", "Disclosure")
    Revision = apps.get_model("disclosures", "Revision")
    PublicTotal = apps.get_model("disclosures", "PublicTotal")
    PublicTotal.objects.get_or_create(name="public")
    current = Revision.objects.filter(pk=OuterRef("current_revision_id"))
    Disclosure.objects.filter(current_revision__isnull=False).update(
        current_published_at=Subquery(current.values("published_at")[:1]),
        current_formed_on=Subquery(current.values("formed_on")[:1]),
    )
    Disclosure.objects.filter(current_revision__scope="public").update(current_public=True)


def reverse(apps, schema_editor):
    Disclosure = apps.get_model("disclosures", "Disclosure")
    Disclosure.objects.update(current_published_at=None, current_formed_on=None, current_public=False)
    apps.get_model("disclosures", "PublicTotal").objects.filter(name="public").delete()


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0019_public_total_trigger")]
    operations = [migrations.RunPython(forward, reverse)]
