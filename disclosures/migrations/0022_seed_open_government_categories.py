"""The catalogue's categories for what the open-government work itself publishes: replies to
information requests made public and the yearly reports."""

from django.db import migrations

PARENT = ("open-government", "政府信息公開工作", "Open-government work")
CHILDREN = [
    ("annual-reports", "政府信息公開工作年度報告", "Yearly open-government reports"),
    ("request-replies", "依申請公開答覆", "Replies to information requests"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("disclosures", "Category")
    position = (Category.objects.filter(parent__isnull=True).order_by("-position").values_list("position", flat=True)
                .first() or 0) + 1
    code, name, name_en = PARENT
    parent, _created = Category.objects.get_or_create(
        code=code, defaults={"name": name, "name_en": name_en, "scope": "public", "position": position})
    for child_position, (child_code, child_name, child_en) in enumerate(CHILDREN, start=1):
        Category.objects.get_or_create(code=child_code, defaults={
            "name": child_name, "name_en": child_en, "scope": "public", "position": child_position, "parent": parent})


def unseed(apps, schema_editor):
    Category = apps.get_model("disclosures", "Category")
    Category.objects.filter(code__in=[c[0] for c in CHILDREN], disclosures__isnull=True).delete()
    Category.objects.filter(code=PARENT[0], children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0021_information_requests_and_yearly_reports")]
    operations = [migrations.RunPython(seed, unseed)]
