"""Seed the catalogue with the eight disclosures (八公開) and the internal group (DESIGN §3.1).

The coordinator may edit the tree afterwards; this migration only creates rows that
are missing, and reversing it removes only rows it created and nobody has used.
"""

from django.db import migrations

PUBLIC, INTERNAL = "public", "internal"

# (code, name, English name, scope, children[(code, name, English name)])
CATEGORIES = [
    ("goals-plans", "目標規劃公開", "Goals and plans", PUBLIC, [
        ("development-plans", "經濟社會發展計劃", "Economic and social development plans"),
        ("work-targets", "工作目標及完成情況", "Work targets and their completion"),
        ("major-decisions", "重大決策及出台政策", "Major decisions and policies"),
        ("public-commitments", "為民辦實事承諾進展", "Progress of commitments to the public"),
    ]),
    ("finance", "財務公開", "Finance", PUBLIC, [
        ("budget", "預算", "Budgets"),
        ("final-accounts", "決算", "Final accounts"),
        ("special-funds", "專項資金", "Special funds"),
        ("procurement", "政府採購", "Government procurement"),
        ("tendering", "工程項目招投標", "Tendering of construction projects"),
    ]),
    ("assets", "國有和集體資產公開", "State and collective assets", PUBLIC, [
        ("land-acquisition", "土地徵用和拆遷補償", "Land acquisition, demolition and compensation"),
        ("land-use-rights", "國有土地使用權出讓", "Transfer of state land-use rights"),
        ("mining-rights", "礦產資源採礦權出讓", "Transfer of mining rights"),
        ("asset-transfers", "國有資產轉讓", "Transfer of state assets"),
    ]),
    ("cadres", "幹部使用公開", "Appointment of cadres", PUBLIC, [
        ("civil-service-recruitment", "公務員錄用", "Civil-service recruitment"),
        ("cadre-selection", "幹部選拔任用", "Selection and appointment of cadres"),
        ("school-admissions", "招生", "School admissions"),
    ]),
    ("integrity", "廉政公開", "Integrity", PUBLIC, [
        ("leaders-integrity", "領導幹部廉潔自律", "Integrity of leading cadres"),
        ("accountability", "責任追究", "Accountability"),
    ]),
    ("farmers-burden", "農民負擔公開", "Farmers' burden", PUBLIC, [
        ("relief-funds", "民政救濟資金", "Civil-affairs relief funds"),
        ("grain-subsidies", "國家糧食補貼", "State grain subsidies"),
        ("machinery-subsidies", "農機補貼", "Agricultural machinery subsidies"),
        ("reforestation-funds", "退耕還林資金", "Returning farmland to forest funds"),
        ("education-exemptions", "二免一補資金", "Two exemptions and one subsidy funds"),
    ]),
    ("family-planning", "計劃生育公開", "Family planning", PUBLIC, [
        ("family-planning-rewards", "計劃生育獎勵扶助資金", "Family-planning reward and support funds"),
    ]),
    ("procedures", "機關部門辦事程序公開", "Procedures of government offices", PUBLIC, [
        ("duties", "工作職能", "Duties"),
        ("approval-items", "行政審批事項", "Administrative approval items"),
        ("fees", "收費項目及標準", "Fees and their standards"),
        ("service-procedures", "辦事程序", "Service procedures"),
    ]),
    ("internal", "對內公開", "Internal disclosure", INTERNAL, [
        ("hospitality", "招待費", "Hospitality expenses"),
        ("communications", "通訊費", "Communication expenses"),
        ("vehicles", "車輛管理費", "Vehicle expenses"),
        ("travel", "差旅費", "Travel expenses"),
        ("housing", "住房分配", "Housing allocation"),
        ("professional-titles", "職稱評定", "Professional title assessment"),
        ("promotions", "晉級評優", "Promotions and commendations"),
    ]),
]


def seed(apps, schema_editor):
    Category = apps.get_model("disclosures", "Category")
    for position, (code, name, name_en, scope, children) in enumerate(CATEGORIES, start=1):
        parent, _ = Category.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "scope": scope, "position": position}
        )
        for child_position, (child_code, child_name, child_en) in enumerate(children, start=1):
            Category.objects.get_or_create(
                code=child_code,
                defaults={
                    "name": child_name,
                    "name_en": child_en,
                    "scope": scope,
                    "position": child_position,
                    "parent": parent,
                },
            )


def unseed(apps, schema_editor):
    Category = apps.get_model("disclosures", "Category")
    codes = [code for code, *_rest in CATEGORIES] + [c[0] for *_r, children in CATEGORIES for c in children]
    Category.objects.filter(code__in=codes, parent__isnull=False).delete()
    Category.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
