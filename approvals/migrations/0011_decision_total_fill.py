"""Count the published decisions already there into ``DecisionTotal`` (the triggers of 0010
keep them from now on)."""

from django.db import migrations


def fill(apps, schema_editor):
    from approvals.totals import count_decision_totals

    count_decision_totals(apps.get_model("approvals", "Application"), apps.get_model("approvals", "DecisionTotal"))


def empty(apps, schema_editor):
    apps.get_model("approvals", "DecisionTotal").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("approvals", "0010_decision_total")]
    operations = [migrations.RunPython(fill, empty)]
