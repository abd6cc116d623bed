"""Demo approvals for the demo county (``manage.py seed_demo``), after the seed report.

* the service hall and a window per department at the hall, and a window clerk;
* a handful of realistic items per department, with materials, steps and fees, and the
  rest of the county's register (established in 2004–2008);
* the reform history, through the services so that the change log holds it: 11 items
  cancelled in 2025, then — as the seed reports — 56 of the 279 items in force on
  1 January 2026 cancelled by 漢政發〔2026〕12號 (20.1%), a few delegated and adjusted;
* fees, one suspended and two cancelled by 漢價發〔2026〕5號;
* applications in every status (some overdue, one across the National Day holiday),
  published decisions, ratings and the rectification cases the bad ones opened.

Idempotent: whatever exists (by item code, hall and window name, the clerk's username, or
any application for a demo item) is left alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from approvals import services
from approvals.models import (
    ApplicantKind,
    Application,
    ApprovalItem,
    FeeItem,
    Kind,
    Material,
    ProcedureStep,
    ServiceHall,
    ServiceWindow,
)
from portal import services as portal_services
from portal.calendar import WorkingCalendar
from portal.models import Department, StaffProfile
from portal.roles import Role

HALL = {
    "name": "漢陰縣政務服務大廳",
    "address": "人民路1號",
    "opening_hours": "週一至週五 上午8:30–12:00,下午2:30–5:30(夏季下午3:00–6:00)\n週六上午受理即辦件",
    "phone": "0915-5210030",
    "rules": "凡決定進入政務大廳辦理的審批事項,一律在大廳窗口受理、辦理,部門不得另行受理。"
             "一次性告知,限時辦結;超過承諾時限的,追究窗口和部門責任。",
}
CLERK = ("clerk.hall", "孫窗口")

LICENSING, CONFIRMATION, BENEFIT, OTHER = Kind.LICENSING, Kind.CONFIRMATION, Kind.BENEFIT, Kind.OTHER

#: department: (code prefix, complaint phone of the supervision bureau is shared)
PREFIXES = {
    "personnel": "RS", "education": "JY", "civil-affairs": "MZ", "finance": "CZ", "health": "WS", "transport": "JT",
    "prices": "WJ", "land": "GT", "family-planning": "RK", "agriculture": "NY", "water": "SL", "construction": "ZJ",
    "audit": "SJ",
}
COMPLAINT_PHONE = "0915-5210012"

APPLICATION_FORM = ("申請表", "original", 1, True)
ID_COPY = ("申請人身份證明", "original_and_copy", 1, True)
LICENCE = ("營業執照", "copy", 1, True)

STEPS = [
    ("受理", "大廳窗口", 1, "審查材料是否齊全、符合法定形式;不齊全的一次性告知補正。"),
    ("審查", "業務股室", None, "審查申請材料的實質內容,需要現場核查的組織核查。"),
    ("決定", "分管局長", None, "作出准予或不予許可的書面決定;不予許可的說明理由並告知救濟途徑。"),
    ("送達", "大廳窗口", None, "通知申請人到窗口領取證照或決定書。"),
]

# code, department, name, kind, law, article, conditions, statutory, promised, materials, fees
# fees: (fee code, name, basis, kind, amount, min, max, unit, reductions)
ITEMS = [
    ("JT-001", "transport", "道路旅客運輸經營許可", LICENSING, "《中華人民共和國道路運輸條例》", "第八條、第十條",
     "有與其經營業務相適應並經檢測合格的車輛;有符合規定條件的駕駛人員;有健全的安全生產管理制度。", 20, 10,
     [APPLICATION_FORM, LICENCE, ("車輛技術等級評定證明", "copy", 1, True), ("駕駛人員從業資格證", "copy", 1, True)],
     [("F-JT-01", "道路運輸證工本費", "陝價費發〔2005〕25號", "fixed", "10", None, None, "證", "")]),
    ("JT-002", "transport", "道路貨物運輸經營許可", LICENSING, "《中華人民共和國道路運輸條例》", "第二十一條",
     "有與其經營業務相適應並經檢測合格的車輛;有符合條件的駕駛人員;有安全生產管理制度。", 20, 7,
     [APPLICATION_FORM, LICENCE, ("車輛行駛證", "copy", 1, True)], []),
    ("JT-003", "transport", "機動車維修經營許可", LICENSING, "《中華人民共和國道路運輸條例》", "第三十七條",
     "有相應的機動車維修場地;有必要的設備、設施和技術人員。", 20, 15,
     [APPLICATION_FORM, LICENCE, ("維修場地使用證明", "copy", 1, True), ("技術人員資格證書", "copy", 1, False)], []),
    ("JY-001", "education", "民辦學校設立審批", LICENSING, "《中華人民共和國民辦教育促進法》", "第十二條",
     "有規範的名稱和章程;有合格的教師和管理人員;有與辦學規模相適應的校舍和設施。", 90, 30,
     [APPLICATION_FORM, ("學校章程", "original", 1, True), ("校舍產權或租賃證明", "copy", 1, True),
      ("資產及經費來源證明", "original", 1, True)], []),
    ("JY-002", "education", "教師資格認定", CONFIRMATION, "《教師資格條例》", "第十三條",
     "具備國家規定的學歷;普通話水平達到二級乙等以上;體檢合格;思想品德良好。", 30, 20,
     [APPLICATION_FORM, ID_COPY, ("學歷證書", "original_and_copy", 1, True), ("普通話水平測試等級證書", "original_and_copy", 1, True),
      ("體格檢查表", "original", 1, True)],
     [("F-JY-01", "教師資格認定體檢費", "陝價費函〔2006〕88號", "fixed", "60", None, None, "人", "城鄉低保對象免收")]),
    ("MZ-001", "civil-affairs", "最低生活保障審批", BENEFIT, "《城市居民最低生活保障條例》", "第七條",
     "家庭人均收入低於當地最低生活保障標準的本縣常住戶口居民。", 30, 20,
     [APPLICATION_FORM, ("戶口簿", "original_and_copy", 1, True), ("家庭收入證明", "original", 1, True)], []),
    ("MZ-002", "civil-affairs", "社會團體成立登記", LICENSING, "《社會團體登記管理條例》", "第九條",
     "有50個以上的個人會員或30個以上的單位會員;有規範的名稱和相應的組織機構;有固定的住所。", 60, 30,
     [APPLICATION_FORM, ("章程草案", "original", 1, True), ("業務主管單位批准文件", "original", 1, True)],
     [("F-MZ-01", "社會團體登記費", "財綜〔2003〕5號", "range", None, "50", "200", "", "")]),
    ("MZ-003", "civil-affairs", "結婚登記", CONFIRMATION, "《婚姻登記條例》", "第四條",
     "男女雙方自願結婚,達到法定婚齡,無禁止結婚的情形,共同到婚姻登記機關申請。", 1, 0,
     [ID_COPY, ("戶口簿", "original", 1, True), ("本人近期半身免冠合影照片", "original", 3, True)],
     [("F-MZ-02", "結婚證工本費", "計價格〔2002〕2340號", "fixed", "9", None, None, "對", "")]),
    ("CZ-001", "finance", "會計從業資格證書核發", LICENSING, "《中華人民共和國會計法》", "第三十八條",
     "考試合格;遵守會計和其他財經法律、法規;具備良好的道德品質。", 20, 10,
     [APPLICATION_FORM, ID_COPY, ("考試合格證明", "original", 1, True)],
     [("F-CZ-01", "會計從業資格證書工本費", "陝價費發〔2005〕40號", "fixed", "5", None, None, "本", "")]),
    ("CZ-002", "finance", "代理記賬機構設立審批", LICENSING, "《代理記賬管理辦法》", "第三條",
     "有3名以上持有會計從業資格證書的專職從業人員;主管代理記賬業務的負責人具有會計師以上專業技術職務資格。", 20, 15,
     [APPLICATION_FORM, LICENCE, ("從業人員資格證明", "copy", 1, True)], []),
    ("WS-001", "health", "醫療機構執業許可", LICENSING, "《醫療機構管理條例》", "第十五條",
     "按照設置批准書核准的事項完成建設;有相應的醫務人員、設施和設備;有規章制度。", 45, 30,
     [APPLICATION_FORM, ("設置醫療機構批准書", "copy", 1, True), ("醫務人員執業證書", "copy", 1, True),
      ("房屋產權或使用權證明", "copy", 1, True)],
     [("F-WS-01", "醫療機構執業登記費", "陝價費發〔2004〕71號", "range", None, "100", "500", "", "")]),
    ("WS-002", "health", "公共場所衛生許可", LICENSING, "《公共場所衛生管理條例》", "第八條",
     "場所衛生設施、設備符合衛生標準;從業人員取得健康合格證明。", 20, 10,
     [APPLICATION_FORM, LICENCE, ("從業人員健康合格證明", "copy", 1, True)], []),
    ("RS-001", "personnel", "專業技術職務任職資格評審", CONFIRMATION, "《關於深化職稱制度改革的意見》", "",
     "符合相應專業技術職務任職條件,年度考核合格。", 60, 45,
     [APPLICATION_FORM, ("學歷證書", "copy", 1, True), ("業績成果材料", "original", 1, True)],
     [("F-RS-01", "職稱評審費", "陝價費函〔2007〕12號", "fixed", "120", None, None, "人", "")]),
    ("RS-002", "personnel", "事業單位工作人員調動審批", OTHER, "《事業單位人事管理條例》", "第二十條",
     "調出和調入單位同意,有相應編制和崗位空缺。", 20, 10,
     [APPLICATION_FORM, ("調出單位同意調動函", "original", 1, True)], []),
    ("WJ-001", "prices", "收費許可證核發", LICENSING, "《收費許可證管理辦法》", "第七條",
     "收費項目和標準經有權機關批准;收費單位具有法人資格。", 20, 10,
     [APPLICATION_FORM, ("收費批准文件", "copy", 1, True), ("法人證書", "copy", 1, True)], []),
    ("GT-001", "land", "土地登記", CONFIRMATION, "《土地登記辦法》", "第九條",
     "權屬來源合法,界址清楚,無權屬爭議。", 30, 15,
     [APPLICATION_FORM, ID_COPY, ("權屬來源證明", "original", 1, True), ("地籍調查表、宗地圖", "original", 1, True)],
     [("F-GT-01", "土地登記費(住宅)", "國測財字〔1990〕第2號", "per_unit", "10", None, None, "宗", "農民宅基地減半收取"),
      ("F-GT-02", "土地證書工本費", "國測財字〔1990〕第2號", "fixed", "5", None, None, "本", "")]),
    ("GT-002", "land", "採礦權出讓審批", LICENSING, "《礦產資源開採登記管理辦法》", "第五條",
     "符合礦產資源規劃;有開發利用方案和環境影響評價。", 40, 30,
     [APPLICATION_FORM, ("開發利用方案", "original", 1, True), ("環境影響評價批覆", "copy", 1, True)], []),
    ("RK-001", "family-planning", "生育服務證辦理", CONFIRMATION, "《陝西省人口與計劃生育條例》", "第二十條",
     "符合法律、法規規定生育條件的夫妻。", 15, 5,
     [ID_COPY, ("結婚證", "original_and_copy", 1, True), ("戶口簿", "original_and_copy", 1, True)], []),
    ("RK-002", "family-planning", "農村部分計劃生育家庭獎勵扶助審批", BENEFIT, "《農村部分計劃生育家庭獎勵扶助制度試點方案》", "",
     "本人及配偶均為農業戶口,年滿60周歲,只有一個子女或兩個女孩。", 30, 20,
     [APPLICATION_FORM, ("戶口簿", "copy", 1, True), ("村委會證明", "original", 1, True)], []),
    ("NY-001", "agriculture", "農作物種子經營許可", LICENSING, "《中華人民共和國種子法》", "第二十六條",
     "有與經營種子種類和數量相適應的資金;有種子檢驗人員和貯藏設施。", 30, 15,
     [APPLICATION_FORM, LICENCE, ("種子檢驗人員資格證", "copy", 1, True)],
     [("F-NY-01", "種子經營許可證工本費", "陝價費發〔2003〕19號", "fixed", "10", None, None, "證", "")]),
    ("NY-002", "agriculture", "農機購置補貼審核", BENEFIT, "《農業機械購置補貼專項資金使用管理辦法》", "",
     "購買列入補貼目錄的農業機械的農民和農機專業合作社。", 20, 10,
     [APPLICATION_FORM, ID_COPY, ("購機發票", "original_and_copy", 1, True)], []),
    ("SL-001", "water", "取水許可", LICENSING, "《取水許可和水資源費徵收管理條例》", "第十一條",
     "取水符合水資源綜合規劃和水功能區劃;有取水工程設計方案。", 45, 20,
     [APPLICATION_FORM, ("建設項目水資源論證報告", "original", 1, True), ("取水工程設計方案", "original", 1, True)],
     [("F-SL-01", "水資源費", "陝價費發〔2006〕102號", "per_unit", "0.10", None, None, "立方米", "農業生產取水免收")]),
    ("SL-002", "water", "河道採砂許可", LICENSING, "《中華人民共和國河道管理條例》", "第二十五條",
     "在批准的採砂規劃可採區內;有採砂設備和安全措施。", 20, 10,
     [APPLICATION_FORM, LICENCE, ("採砂作業方案", "original", 1, True)],
     [("F-SL-02", "河道採砂管理費", "陝價費發〔2004〕55號", "per_unit", "0.50", None, None, "立方米", "")]),
    ("ZJ-001", "construction", "建設工程規劃許可", LICENSING, "《中華人民共和國城鄉規劃法》", "第四十條",
     "符合控制性詳細規劃和規劃條件;有建設工程設計方案。", 20, 15,
     [APPLICATION_FORM, ("國有土地使用證", "copy", 1, True), ("建設工程設計方案", "original", 1, True)], []),
    ("ZJ-002", "construction", "建築工程施工許可", LICENSING, "《中華人民共和國建築法》", "第八條",
     "已辦理用地和規劃許可;已確定施工企業;有滿足施工需要的施工圖紙和技術資料;建設資金已落實。", 15, 7,
     [APPLICATION_FORM, ("建設工程規劃許可證", "copy", 1, True), ("中標通知書", "copy", 1, True),
      ("施工圖審查合格書", "copy", 1, True)], []),
    ("SJ-001", "audit", "社會審計機構審計業務報備", OTHER, "《中華人民共和國審計法實施條例》", "第二十七條",
     "在本縣承接國家建設項目審計業務的社會審計機構。", 10, 5,
     [APPLICATION_FORM, ("執業證書", "copy", 1, True)], []),
]

#: Subjects per department for the rest of the register: "<subject><suffix>".
REGISTER_SUBJECTS = {
    "transport": ["出租汽車經營", "客運站經營", "危險貨物運輸", "駕駛員培訓機構", "公路超限運輸"],
    "education": ["幼兒園辦園", "中小學校舍使用", "校外培訓機構", "教育收費項目", "學前教育機構"],
    "civil-affairs": ["民辦非企業單位", "殯葬設施建設", "養老機構設立", "收養登記", "地名命名"],
    "finance": ["政府採購代理機構", "會計師事務所分所", "財政票據領購", "彩票銷售站點", "國有資產處置"],
    "health": ["母嬰保健技術服務", "放射診療", "醫師執業註冊", "護士執業註冊", "消毒產品生產"],
    "personnel": ["公務員調任", "事業單位公開招聘", "技工學校設立", "人才中介機構", "職業技能鑑定所"],
    "prices": ["價格評估機構", "經營服務性收費", "商品房銷售價格", "停車收費標準", "價格鑑證"],
    "land": ["建設用地預審", "臨時用地", "探礦權", "土地復墾方案", "集體土地使用權"],
    "family-planning": ["計劃生育技術服務機構", "再生育", "流動人口婚育證明", "節育手術併發症鑑定", "獨生子女父母光榮證"],
    "agriculture": ["獸藥經營", "農藥經營", "動物防疫條件", "生鮮乳收購站", "拖拉機駕駛證"],
    "water": ["水土保持方案", "河道管理範圍內建設項目", "水利工程質量監督", "取水工程驗收", "入河排污口設置"],
    "construction": ["建築企業資質", "房地產開發企業資質", "城市道路挖掘", "戶外廣告設置", "城市綠地佔用"],
    "audit": ["內部審計機構備案", "審計結果報備", "社會審計業務", "建設項目竣工決算審計", "專項資金審計"],
}
REGISTER_SUFFIXES = ["審批", "變更", "延續", "註銷", "年檢"]
REGISTER_SIZE = 290 - len(ITEMS)  # on the register before 2025
CANCELLED_2025 = 11
CANCELLED_2026 = 56  # of 279 in force on 1 January 2026 → 20.1%
REFORM_2025 = ("漢政發〔2025〕8號", dt.date(2025, 4, 1), "不符合行政許可法設定權限,予以取消。")
REFORM_2026 = ("漢政發〔2026〕12號", dt.date(2026, 3, 15), "深化行政審批制度改革:無法律法規依據或可由市場調節、行業自律解決的事項,一律取消。")
DELEGATE_2026 = ("漢政發〔2026〕13號", dt.date(2026, 3, 15), "方便群眾就近辦理,下放至鄉鎮。", "城關鎮、澗池鎮人民政府")
NEW_2026 = [
    ("JT-050", "transport", "新能源汽車充電設施建設備案", OTHER, "《電動汽車充電基礎設施發展指南》", 10, 5),
    ("MZ-050", "civil-affairs", "社區養老服務設施備案", OTHER, "《養老機構管理辦法》", 15, 5),
    ("NY-050", "agriculture", "家庭農場認定", CONFIRMATION, "《關於促進家庭農場發展的指導意見》", 20, 10),
]
ADJUSTED_2026 = {"JT-001": 7, "GT-001": 10, "ZJ-002": 5}  # code → new promised limit
ADJUST_REASON = ("漢政發〔2026〕14號", dt.date(2026, 4, 1), "壓縮承諾時限,提高辦事效率。")
FEE_CANCEL = ("漢價發〔2026〕5號", dt.date(2026, 4, 1), "經縣政府研究決定,取消證照工本費等收費項目。", ["F-CZ-01", "F-GT-02"])
FEE_SUSPEND = ("漢價發〔2026〕6號", dt.date(2026, 5, 1), "減輕企業負擔,暫停徵收一年。", ["F-SL-02"])

PEOPLE = [  # name, 17 leading digits of an ID number, phone
    ("張小明", "61092119850312301", "13809151234"), ("李秀英", "61092119790518402", "13909152345"),
    ("王建國", "61092119660901503", "13609153456"), ("劉桂蘭", "61092119881120604", "15809154567"),
    ("陳志強", "61092119920215705", "18709155678"), ("楊麗華", "61092119751003806", "13309156789"),
    ("趙德勝", "61092119690707907", "13509157890"), ("黃美玲", "61092119830226108", "15109158901"),
]
COMPANIES = [
    ("漢陰縣順達客運有限公司", "91610921MA6YB1234X", "0915-5212345"),
    ("漢陰縣綠源水務有限責任公司", "91610921MA6YC5678K", "0915-5216789"),
    ("漢陰縣安康汽車維修中心", "92610921MA6YD9012L", "13991504321"),
]

# A page of a PDF that check_upload accepts; enough for a demo download.
BLANK_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _id_number(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def _coordinator():
    return get_user_model().objects.filter(staff_profile__role=Role.COORDINATOR).order_by("pk").first()


def _hall(departments) -> dict[str, ServiceWindow]:
    centre = departments["service-centre"]
    hall, _created = ServiceHall.objects.get_or_create(name=HALL["name"], defaults={**HALL, "department": centre})
    windows = {}
    for code, department in departments.items():
        label = department.service_window
        if not label.startswith("政務大廳"):
            continue
        window, created = ServiceWindow.objects.get_or_create(
            name=label, defaults={"hall": hall, "number": label.removeprefix("政務大廳").removesuffix("號窗口"),
                                  "position": len(windows)},
        )
        if created:
            window.departments.add(department)
        windows[code] = window
    return windows


def _clerk(service_centre):
    """The window clerk, a publisher of the service centre, with the demo accounts' password
    (the loader is not given it: the hash is copied from the coordinator's account)."""
    User = get_user_model()
    clerk, _created = User.objects.get_or_create(username=CLERK[0], defaults={"first_name": CLERK[1]})
    coordinator = _coordinator()
    if coordinator is not None and clerk.password != coordinator.password:
        clerk.password = coordinator.password
        clerk.save(update_fields=["password"])
    if not StaffProfile.objects.filter(user=clerk, department=service_centre, role=Role.PUBLISHER,
                                       title="政務大廳窗口工作人員").exists():
        portal_services.staff_profile_save(actor=None, user=clerk, department=service_centre, role=Role.PUBLISHER,
                                           title="政務大廳窗口工作人員")
    return clerk


def _item(actor, departments, windows, code, department, name, kind, law, article, conditions, statutory, promised, on,
          document):
    department_obj = departments[department]
    item = ApprovalItem(
        code=code, name=name, department=department_obj, kind=kind, basis_law=law, basis_article=article,
        conditions=conditions, statutory_limit=statutory, promised_limit=promised, window=windows.get(department),
        location="" if department in windows else department_obj.address,
        consultation_phone=department_obj.phone or "0915-5210030", complaint_phone=COMPLAINT_PHONE,
    )
    return services.approval_item_establish(actor=actor, item=item, effective_on=on, document_number=document)


def _detailed(actor, departments, windows) -> dict[str, ApprovalItem]:
    items = {}
    for number, (code, department, name, kind, law, article, conditions, statutory, promised, materials, fees) in enumerate(ITEMS):
        item = _item(actor, departments, windows, code, department, name, kind, law, article, conditions, statutory,
                     promised, dt.date(2004, 7, 1), "漢政發〔2004〕30號")
        for position, (material, form, copies, mandatory) in enumerate(materials, start=1):
            row = Material(item=item, position=position, name=material, form=form, copies=copies, mandatory=mandatory)
            if material == APPLICATION_FORM[0] and number % 3 == 0:
                row.blank_form.save(f"{name}申請表.pdf", ContentFile(BLANK_PDF), save=False)
                row.blank_form_name, row.blank_form_type = f"{name}申請表.pdf", "application/pdf"
            row.save()
        ProcedureStep.objects.bulk_create(
            ProcedureStep(item=item, position=position, name=step, responsible=who,
                          time_limit=days if days is not None else None, description=text)
            for position, (step, who, days, text) in enumerate(STEPS, start=1)
        )
        for fee_code, fee_name, basis, standard, amount, low, high, unit, reductions in fees:
            fee = FeeItem(
                code=fee_code, name=fee_name, department=item.department, approval_item=item, legal_basis=basis,
                standard_kind=standard, amount=Decimal(amount) if amount else None,
                amount_min=Decimal(low) if low else None, amount_max=Decimal(high) if high else None, unit=unit,
                reductions=reductions,
            )
            services.fee_item_establish(actor=actor, fee=fee, effective_on=dt.date(2005, 1, 1), document_number=basis)
        items[code] = item
    return items


def _register(actor, departments, windows) -> list[ApprovalItem]:
    """The rest of the county's register, departments taking turns."""
    names = [
        (department, f"{subject}{suffix}")
        for suffix in REGISTER_SUFFIXES
        for subject_index in range(5)
        for department, subjects in REGISTER_SUBJECTS.items()
        for subject in [subjects[subject_index]]
    ][:REGISTER_SIZE]
    counters: dict[str, int] = {}
    items = []
    for index, (department, name) in enumerate(names):
        counters[department] = counters.get(department, 100) + 1
        established = dt.date(2004 + index % 5, 7, 1)
        items.append(_item(
            actor, departments, windows, f"{PREFIXES[department]}-{counters[department]}", department, name,
            LICENSING if "審批" in name else CONFIRMATION, "《陝西省行政許可事項目錄》", "", "符合法律、法規規定的條件。",
            20, 15, established, f"漢政發〔{established.year}〕{10 + index % 5}號",
        ))
    return items


def _spread(items, count):
    return [items[int(j * len(items) / count)] for j in range(count)]


def _reform(actor, detailed, register) -> None:
    cancelled_2025 = _spread(register, CANCELLED_2025)
    remaining = [item for item in register if item not in cancelled_2025]
    cancelled_2026 = [detailed["CZ-001"], *_spread(remaining, CANCELLED_2026 - 1)]
    document, on, reason = REFORM_2025
    for item in cancelled_2025:
        services.approval_item_cancel(actor=actor, item=item, effective_on=on, document_number=document, reason=reason)
    document, on, reason = REFORM_2026
    for item in cancelled_2026:
        services.approval_item_cancel(actor=actor, item=item, effective_on=on, document_number=document, reason=reason)
    document, on, reason, to = DELEGATE_2026
    for item in [item for item in remaining if item not in cancelled_2026][-4:]:
        services.approval_item_delegate(actor=actor, item=item, effective_on=on, document_number=document, reason=reason,
                                        delegated_to=to)
    document, on, reason = ADJUST_REASON
    for code, promised in ADJUSTED_2026.items():
        item = ApprovalItem.objects.get(code=code)
        item.promised_limit = promised
        services.approval_item_update(actor=actor, item=item, effective_on=on, document_number=document, reason=reason)


def _fees(actor) -> None:
    document, on, reason, codes = FEE_CANCEL
    for fee in FeeItem.objects.filter(code__in=codes):
        services.fee_item_cancel(actor=actor, fee=fee, effective_on=on, document_number=document, reason=reason)
    document, on, reason, codes = FEE_SUSPEND
    for fee in FeeItem.objects.filter(code__in=codes):
        services.fee_item_suspend(actor=actor, fee=fee, effective_on=on, document_number=document, reason=reason)


# status, item code, working days ago received, person (index) or company (-1-index), rating
APPLICATIONS = [
    ("received", "JT-002", 2, 0, None),
    ("received", "MZ-001", 35, 1, None),  # overdue
    ("under_review", "WS-001", 20, -1, None),
    ("under_review", "GT-001", 25, 2, None),  # overdue
    ("under_review", "SL-001", 8, -2, None),  # corrected once, then under review
    ("needs_correction", "JY-002", 6, 3, None),
    ("needs_correction", "ZJ-001", 12, -3, None),
    ("decided", "JT-001", 12, -1, None),
    ("decided", "NY-001", 15, 4, None),
    ("completed", "MZ-003", 30, 5, 5),
    ("completed", "JY-002", 40, 6, 4),
    ("completed", "RK-001", 28, 7, 5),
    ("completed", "WS-002", 35, -3, 3),
    ("completed", "JT-003", 45, -1, 2),  # bad review: rectified
    ("completed", "GT-001", 50, 0, 1),  # bad review: rectification open
    ("rejected", "MZ-002", 30, 1, None),
    ("rejected", "SL-002", 25, -2, 4),
]


def _applications(clerk, handler, detailed) -> int:
    calendar = WorkingCalendar()
    today = timezone.localdate()
    created = 0
    for status, code, ago, who, level in APPLICATIONS:
        item = detailed[code]
        received_on = calendar.subtract_working_days(today, ago)
        if who >= 0:
            name, first17, phone = PEOPLE[who]
            applicant = (ApplicantKind.PERSON, name, _id_number(first17), phone)
        else:
            applicant = (ApplicantKind.ORGANISATION, *COMPANIES[-1 - who])
        kind, name, id_number, phone = applicant
        receipt = services.application_receive(actor=clerk, application=Application(
            item=item, received_on=received_on, applicant_kind=kind, applicant_name=name,
            applicant_id_number=id_number, applicant_phone=phone,
        ))
        application = receipt.application
        created += 1
        step = lambda days: min(calendar.add_working_days(received_on, days).date, today)  # noqa: E731
        if code == "SL-001" or status == "needs_correction":
            services.application_request_correction(
                actor=clerk, application=application, missing="建設項目水資源論證報告(需加蓋編制單位公章)" if code == "SL-001"
                else "申請表未簽字;缺少身份證複印件。", on=step(1),
            )
            if status == "needs_correction":
                continue
            services.application_correction_received(actor=clerk, application=application, on=step(4))
        if status == "received":
            continue
        if status != "rejected":
            services.application_start_review(actor=handler, application=application)
        if status == "under_review":
            continue
        decided_on = step(min(item.promised_limit, ago - 1) or 1)
        if status == "rejected":
            services.application_reject(actor=handler, application=application, on=decided_on,
                                        reason="申請材料不符合法定條件:" + item.conditions[:30])
        else:
            services.application_decide(actor=handler, application=application, on=decided_on,
                                        decision=f"准予{item.name},證號漢{item.code}-{received_on:%Y}-{created:03d}。")
        if status == "completed":
            services.application_complete(actor=clerk, application=application, on=step(min(item.promised_limit, ago - 1) + 1))
        if level is not None:
            rating = services.rating_submit(application=application, secret=receipt.rating_secret, level=level,
                                            comment="" if level > 2 else "窗口人員讓我來回跑了三趟。")
            if code == "JT-003":
                services.rectification_close(
                    actor=handler, case=rating.rectification, on=today,
                    outcome="已約談窗口工作人員,並在窗口公示一次性告知清單;申請人表示認可。",
                )
    return created


def _national_day(clerk, handler, detailed) -> None:
    """An application received on the Monday before the 2026 National Day holiday."""
    received_on, decided_on = dt.date(2026, 9, 28), dt.date(2026, 10, 15)
    if decided_on > timezone.localdate():
        return
    name, first17, phone = PEOPLE[2]
    application = services.application_receive(actor=clerk, application=Application(
        item=detailed["JT-002"], received_on=received_on, applicant_name=name, applicant_id_number=_id_number(first17),
        applicant_phone=phone,
    )).application
    services.application_start_review(actor=handler, application=application)
    services.application_decide(actor=handler, application=application, on=decided_on,
                                decision="准予道路貨物運輸經營許可,證號漢交運貨-2026-088。")


def load(stdout) -> None:
    departments = {department.code: department for department in Department.objects.all()}
    if "service-centre" not in departments:
        return
    coordinator = _coordinator()
    windows = _hall(departments)
    clerk = _clerk(departments["service-centre"])
    new_items = not ApprovalItem.objects.filter(code__in=[row[0] for row in ITEMS]).exists()
    if new_items:
        detailed = _detailed(coordinator, departments, windows)
        register = _register(coordinator, departments, windows)
        _reform(coordinator, detailed, register)
        for code, department, name, kind, law, statutory, promised in NEW_2026:
            _item(coordinator, departments, windows, code, department, name, kind, law, "", "符合規定條件。", statutory,
                  promised, dt.date(2026, 5, 1), "漢政發〔2026〕20號")
        _fees(coordinator)
    detailed = {item.code: item for item in ApprovalItem.objects.filter(code__in=[row[0] for row in ITEMS])}
    applications = 0
    if not Application.objects.filter(item__in=detailed.values()).exists():
        applications = _applications(clerk, coordinator, detailed)
        _national_day(clerk, coordinator, detailed)
    stdout.write(
        f"Approvals: {ApprovalItem.objects.count()} items, {FeeItem.objects.count()} fees, {applications} applications "
        f"added now; window clerk “{CLERK[0]}” (password as the other demo accounts)."
    )
