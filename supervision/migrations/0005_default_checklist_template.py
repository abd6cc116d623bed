"""Seed the default checklist of a supervision inspection (監督檢查) from the seed document:
the catalogue complete and current; what is disclosed true, complete, timely and open
(真實性、全面性、時效性、公開性); notice boards up to date; the service hall's rules kept;
feedback and complaint channels working; fees as published; the internal disclosure of
hospitality, travel, vehicle and housing matters."""

from django.db import migrations

NAME = "政務公開監督檢查(通用)"
POINTS = [
    "公開目錄完整,並隨情況變化及時更新",
    "公開內容真實準確(真實性)",
    "應公開事項全部公開,無不公開、半公開(全面性)",
    "在規定時限內公開,定期公開事項按期更新(時效性)",
    "公開方式便於群眾知曉,公開範圍符合規定(公開性)",
    "政務公示欄內容及時更新,無過期信息",
    "政務大廳各項制度落實,凡決定在大廳辦理的事項一律在大廳辦理",
    "監督電話、監督信箱等反饋和投訴渠道暢通,群眾意見及時處理",
    "收費項目和標準與公示一致,無公示外收費",
    "招待費、差旅費、車輛管理費、住房分配等事項按規定對內公開",
]


def seed(apps, schema_editor):
    Template = apps.get_model("supervision", "ChecklistTemplate")
    Item = apps.get_model("supervision", "ChecklistTemplateItem")
    template, created = Template.objects.get_or_create(name=NAME)
    if created:
        Item.objects.bulk_create(Item(template=template, position=n, text=text) for n, text in enumerate(POINTS, 1))


def unseed(apps, schema_editor):
    Template = apps.get_model("supervision", "ChecklistTemplate")
    apps.get_model("supervision", "ChecklistTemplateItem").objects.filter(template__name=NAME).delete()
    Template.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0004_inspections_rectification_accountability")]
    operations = [migrations.RunPython(seed, unseed)]
