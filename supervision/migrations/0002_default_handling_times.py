"""Seed the handling times by kind (限期辦理): complaint 15, report 30, suggestion 20 working days."""

from django.db import migrations

DEFAULTS = {"complaint": 15, "report": 30, "suggestion": 20}


def seed(apps, schema_editor):
    HandlingTime = apps.get_model("supervision", "HandlingTime")
    for kind, days in DEFAULTS.items():
        HandlingTime.objects.get_or_create(kind=kind, defaults={"working_days": days})


def unseed(apps, schema_editor):
    apps.get_model("supervision", "HandlingTime").objects.filter(kind__in=DEFAULTS).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
