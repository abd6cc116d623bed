"""Every rating given so far is placed in the department that runs its application's item."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Rating = apps.get_model("approvals", "Rating")
    Application = apps.get_model("approvals", "Application")
    department = Application.objects.filter(pk=OuterRef("application_id")).values("item__department_id")[:1]
    Rating.objects.filter(department__isnull=True).update(department_id=Subquery(department))


class Migration(migrations.Migration):
    dependencies = [("approvals", "0006_rating_department")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
