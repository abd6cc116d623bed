"""The demo county's standard catalogue (``manage.py seed_demo``): six domains written for the
demo, loaded through the same import as a county's workbook, and demo notices linked to its
entries with the document metadata county sites show (normative documents in force and
repealed among them). Idempotent: a second load finds every entry unchanged."""

import datetime as dt
import io

from django.contrib.auth import get_user_model

from disclosures import services, standard_layout
from disclosures.catalogue_import import standard_catalogue_import
from disclosures.models import CatalogueEntry, Category, Disclosure, Validity
from disclosures.standard_layout import LayoutRow
from portal.models import Department
from portal.roles import Role

WEB, TWO, BOARD, HALL, STATION, READING = "政府網站", "兩微一端", "公開欄", "政務服務中心", "便民服務站", "公開查閱點"
FORMED = "信息形成（或變更）之日起20個工作日內"
ALL, SPECIFIC = (True, False), (False, True)
ACTIVE, BOTH = (True, False), (True, True)

# domain: [(一級事項, 二級事項, 公開內容（要素）, 公開依據, 公開時限, 公開主體, 渠道, 對象, 方式)]
CATALOGUE = {
    "社會救助": [
        ("最低生活保障", "政策文件", "城鄉低保的審核確認辦法、保障標準及調整情況",
         "《社會救助暫行辦法》、《政府信息公開條例》", FORMED, "縣民政局", [WEB, TWO, READING], ALL, ACTIVE),
        ("最低生活保障", "保障對象", "保障對象姓名（隱去身份證號）、所在村（社區）、保障人數、保障金額",
         "《最低生活保障審核確認辦法》", "按季度", "鄉鎮人民政府", [BOARD, WEB], SPECIFIC, ACTIVE),
        ("臨時救助", "辦事指南", "申請條件、所需材料、辦理流程、辦理時限、諮詢電話",
         "《社會救助暫行辦法》", "實時公開", "縣民政局", [HALL, WEB], ALL, BOTH),
    ],
    "養老服務": [
        ("政策法規", "高齡津貼", "高齡津貼發放對象、標準、程序",
         "《老年人權益保障法》、《政府信息公開條例》", FORMED, "縣民政局", [WEB, STATION], ALL, ACTIVE),
        ("養老機構", "備案信息", "養老機構名稱、地址、床位數、收費標準", "《養老機構管理辦法》", "及時公開",
         "縣民政局", [WEB, HALL], ALL, BOTH),
    ],
    "財政預決算": [
        ("政府預算", "預算報告", "一般公共預算、政府性基金預算及說明", "《預算法》第十四條",
         "批准後20日內", "縣財政局", [WEB], ALL, ACTIVE),
        ("部門決算", "決算報表", "部門收支決算總表、財政撥款支出決算表、“三公”經費支出", "《預算法》第十四條",
         "按年度", "縣財政局", [WEB, BOARD], ALL, ACTIVE),
    ],
    "就業": [
        ("就業服務", "招聘信息", "用人單位、崗位、人數、條件、報名方式", "《就業促進法》", "及時公開",
         "縣人事局", [WEB, TWO, HALL], ALL, ACTIVE),
        ("就業補貼", "補貼名單", "享受補貼人員姓名、補貼類型、金額", "《就業補助資金管理辦法》", "每季度結束後10個工作日內",
         "縣人事局", [WEB, BOARD], SPECIFIC, ACTIVE),
    ],
    "涉農補貼": [
        ("耕地地力保護補貼", "發放情況", "補貼面積、標準、發放戶數、金額", "《農業相關轉移支付資金管理辦法》",
         FORMED, "縣農業局", [WEB, BOARD, STATION], ALL, ACTIVE),
        ("農機購置補貼", "補貼名單", "購機者姓名、機具品目、補貼額", "《農機購置補貼實施指導意見》", "按月",
         "縣農業局", [WEB, BOARD], ALL, BOTH),
    ],
    "重大建設項目": [
        ("批准服務信息", "審批結果", "項目名稱、建設單位、審批部門、批復文號", "《政府信息公開條例》",
         FORMED, "縣發展和改革局", [WEB, "投資項目在線審批監管平台"], ALL, ACTIVE),
    ],
}

# (domain, 一級, 二級): title, department code, document number, issuing body, written on, formed on,
# normative, validity, repealed on, body
NOTICES = [
    (("社會救助", "最低生活保障", "政策文件"), "縣城鄉最低生活保障審核確認實施細則", "civil-affairs",
     "漢民發〔2026〕6號", "縣民政局", dt.date(2026, 3, 2), dt.date(2026, 3, 5), True, Validity.VALID, None,
     "<p>為規範城鄉最低生活保障審核確認工作,制定本細則。城市低保標準每人每月680元,農村每人每年5,400元。</p>"),
    (("社會救助", "最低生活保障", "保障對象"), "2026年第三季度城關鎮低保保障對象公示", "civil-affairs",
     "", "城關鎮人民政府", dt.date(2026, 10, 8), dt.date(2026, 10, 9), False, Validity.VALID, None,
     "<p>本季度城關鎮在保對象412戶、736人,發放保障金96.3萬元。名單張貼於各村(社區)公開欄。</p>"),
    (("養老服務", "政策法規", "高齡津貼"), "縣高齡津貼發放辦法(2019年)", "civil-affairs",
     "漢民發〔2019〕11號", "縣民政局", dt.date(2019, 4, 1), dt.date(2019, 4, 3), True, Validity.REPEALED,
     dt.date(2026, 5, 1), "<p>八十周歲以上老年人每月發放高齡津貼50元。本辦法自2026年5月1日起廢止。</p>"),
    (("財政預決算", "政府預算", "預算報告"), "2026年縣級一般公共預算", "finance",
     "漢財預〔2026〕1號", "縣財政局", dt.date(2026, 1, 20), dt.date(2026, 1, 25), False, Validity.VALID, None,
     "<p>2026年縣級一般公共預算收入4.2億元,支出9.8億元,上級補助5.1億元。</p>"),
]


def _rows() -> list[tuple[str, list[LayoutRow]]]:
    return [
        (domain, [
            LayoutRow(sheet="", row=0, domain=domain, item=item, sub_item=sub_item, elements=elements,
                      legal_basis=basis, time_limit=limit, responsible_body=body, channels=channels,
                      audience_all=audience[0], audience_specific=audience[1], proactive=manner[0],
                      on_request=manner[1])
            for item, sub_item, elements, basis, limit, body, channels, audience, manner in rows
        ])
        for domain, rows in CATALOGUE.items()
    ]


def load(stdout) -> None:
    User = get_user_model()
    coordinator = User.objects.filter(staff_profile__role=Role.COORDINATOR).order_by("pk").first()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    office = Department.objects.filter(code="open-gov-office").first()
    if coordinator is None or office is None:
        return
    workbook = standard_layout.write(_rows())
    report = standard_catalogue_import(actor=coordinator, fileobj=io.BytesIO(workbook), extension="xlsx",
                                       department=office, name="demo.xlsx", dry_run=False)
    if report.problems:
        raise RuntimeError("; ".join(str(problem) for problem in report.problems))
    published = 0
    category = Category.objects.get(code="major-decisions")
    for (domain, item, sub_item), title, code, number, issuer, written, formed, normative, validity, repealed, body in NOTICES:
        if Disclosure.objects.filter(title=title).exists():
            continue
        entry = CatalogueEntry.objects.get(domain__name=domain, item=item, sub_item=sub_item)
        disclosure = Disclosure.objects.create(
            department=Department.objects.get(code=code), category=category, catalogue_entry=entry, title=title,
            summary=title, body=body, document_number=number, issuing_body=issuer, written_on=written,
            formed_on=formed, normative=normative, validity=validity, repealed_on=repealed, channels=["website"],
        )
        services.disclosure_submit(actor=coordinator, disclosure=disclosure)
        services.disclosure_approve(actor=admin, disclosure=disclosure, comment="預審通過")
        services.disclosure_publish(actor=admin, disclosure=disclosure)
        published += 1
    stdout.write(
        f"Standard catalogue: {len(CATALOGUE)} domains, {len(report.created)} entries new, "
        f"{report.unchanged} unchanged; {published} linked notices published."
    )
