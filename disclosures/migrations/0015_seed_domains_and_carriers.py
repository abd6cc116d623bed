"""Seed the 26 domains of the national standard catalogue and the channels and carriers.

The domains are the 26 pilot domains of the grassroots open-government standardisation
(國辦發〔2017〕42號 chose them; 國辦發〔2019〕54號 extended the standard catalogues to every
county); the sources are recorded in docs/catalogue.md. The carriers are the tick boxes of
the standard layout's 公開渠道和載體 column; the seven channel codes used before keep their
codes. The coordinator may edit both lists; reversing removes only unused rows it created.
"""

from django.db import migrations

# (code, name, English name, other names a workbook may use)
DOMAINS = [
    ("urban-rural-planning", "城鄉規劃", "Urban and rural planning", "規劃、自然資源"),
    ("major-construction", "重大建設項目", "Major construction projects", "重大建設項目批准和實施"),
    ("public-resources-trading", "公共資源交易", "Public resource trading", "公共資源配置"),
    ("budgets-final-accounts", "財政預決算", "Budgets and final accounts", "財政預算決算、預決算"),
    ("work-safety", "安全生產", "Work safety", ""),
    ("tax-administration", "稅收管理", "Tax administration", ""),
    ("land-acquisition", "征地補償", "Land acquisition compensation", "徵地補償、征地信息"),
    ("housing-expropriation", "國有土地上房屋征收與補償", "Expropriation of housing on state land",
     "國有土地上房屋徵收與補償、國有土地上房屋征收"),
    ("rural-dilapidated-housing", "農村危房改造", "Renovation of dilapidated rural housing", "危房改造"),
    ("environmental-protection", "環境保護", "Environmental protection", "生態環境"),
    ("public-culture", "公共文化服務", "Public cultural services", "公共文化"),
    ("public-legal-services", "公共法律服務", "Public legal services", "公共法律"),
    ("poverty-alleviation", "扶貧", "Poverty alleviation", "脫貧攻堅、鄉村振興"),
    ("disaster-relief", "救災", "Disaster relief", "災害救助"),
    ("food-drug-supervision", "食品藥品監管", "Food and drug supervision", "食品藥品"),
    ("urban-law-enforcement", "城市綜合執法", "Comprehensive urban law enforcement", "綜合行政執法"),
    ("employment", "就業", "Employment", ""),
    ("social-insurance", "社會保險", "Social insurance", ""),
    ("social-assistance", "社會救助", "Social assistance", ""),
    ("elderly-care", "養老服務", "Elderly care services", ""),
    ("household-registration", "戶籍管理", "Household registration", ""),
    ("agricultural-subsidies", "涉農補貼", "Agricultural subsidies", ""),
    ("compulsory-education", "義務教育", "Compulsory education", ""),
    ("health-family-planning", "衛生計生", "Health and family planning", "衛生健康、醫療衛生"),
    ("municipal-services", "市政服務", "Municipal services", ""),
    ("affordable-housing", "保障性住房", "Affordable housing", "保障性安居工程"),
]

# (code, name, other names); the first seven are the channel codes used before.
CARRIERS = [
    ("website", "政府網站", "門戶網站、政府門戶網站"),
    ("notice_board", "公開欄", "公示欄、社區/企事業單位/村公示欄（電子屏）、村務公開欄、政務公開欄"),
    ("service_window", "政務服務中心", "政務服務大廳、服務大廳窗口"),
    ("media", "新聞媒體", "媒體"),
    ("documents", "明白卡", "明白紙、宣傳資料"),
    ("broadcast", "廣播電視", "廣播"),
    ("mobile_board", "流動公開欄", ""),
    ("two-micro-one-end", "兩微一端", "政務微博、政務微信、政務客戶端"),
    ("press-hearing", "發布會/聽證會", "發布會、聽證會、新聞發布會"),
    ("reading-point", "公開查閱點", "政府信息公開查閱點"),
    ("service-station", "便民服務站", "便民服務中心"),
    ("print-media", "紙質媒體", "報刊"),
    ("gazette", "政府公報", ""),
    ("home-visit", "入戶/現場", "入戶、現場"),
    ("precise-push", "精準推送", ""),
    ("investment-platform", "投資項目在線審批監管平台", "投資項目在線審批監管平臺"),
    ("trading-platform", "公共資源交易平台", "公共資源交易平臺、公共資源交易中心網站"),
    ("tendering-platform", "招標投標公共服務平台", "招標投標公共服務平臺"),
    ("department-website", "管理部門網站", "部門網站"),
    ("other", "其他", ""),
]


def seed(apps, schema_editor):
    Domain = apps.get_model("disclosures", "Domain")
    Carrier = apps.get_model("disclosures", "Carrier")
    for position, (code, name, name_en, aliases) in enumerate(DOMAINS, start=1):
        Domain.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "aliases": aliases, "position": position}
        )
    for position, (code, name, aliases) in enumerate(CARRIERS, start=1):
        Carrier.objects.get_or_create(code=code, defaults={"name": name, "aliases": aliases, "position": position})


def unseed(apps, schema_editor):
    Domain = apps.get_model("disclosures", "Domain")
    Carrier = apps.get_model("disclosures", "Carrier")
    Domain.objects.filter(code__in=[row[0] for row in DOMAINS], entries__isnull=True).delete()
    Carrier.objects.filter(code__in=[row[0] for row in CARRIERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0014_revision_metadata_trigger")]
    operations = [migrations.RunPython(seed, unseed)]
