"""Seed the index-number counters from the numbers already given, so that the next number
of each department's year follows the highest one that exists."""

import re

from django.db import migrations

SEQUENCE = re.compile(r"(\d{4})-(\d+)")


def seed(apps, schema_editor):
    Department = apps.get_model("portal", "Department")
    Disclosure = apps.get_model("disclosures", "Disclosure")
    IndexCounter = apps.get_model("disclosures", "IndexCounter")
    for department in Department.objects.all():
        prefix = f"{department.code}-"
        highest: dict[int, int] = {}
        # By the department's code, not by the department column: a number belongs to the
        # code it was given under, and the counter must not give it again.
        for number in Disclosure.objects.filter(index_number__startswith=prefix).values_list("index_number", flat=True):
            match = SEQUENCE.fullmatch(number[len(prefix):])
            if match:  # "dept-a-2026-00001" also starts with "dept-": its rest is no year-sequence
                year, sequence = int(match[1]), int(match[2])
                highest[year] = max(highest.get(year, 0), sequence)
        for year, last in highest.items():
            counter, created = IndexCounter.objects.get_or_create(department=department, year=year, defaults={"last": last})
            if not created and counter.last < last:
                counter.last = last
                counter.save(update_fields=["last"])


def unseed(apps, schema_editor):
    apps.get_model("disclosures", "IndexCounter").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0011_index_counters")]
    operations = [migrations.RunPython(seed, unseed)]
