"""Demo disclosures for the demo county (``manage.py seed_demo``), drawn from the seed report.

Idempotent: an entry or disclosure that exists (by title) is left alone.
"""

import datetime as dt

from django.contrib.auth import get_user_model

from disclosures import compliance, services
from disclosures.models import Cadence, Category, CatalogueEntry, Disclosure, Scope
from portal.models import Department
from portal.roles import Role

# department, category, what must be disclosed, legal basis, cadence, channels
CATALOGUE = [
    ("finance", "budget", "部門預算及“三公”經費預算", "《政府信息公開條例》第二十條", Cadence.YEARLY, ["website", "notice_board"]),
    ("finance", "final-accounts", "部門決算", "《政府信息公開條例》第二十條", Cadence.YEARLY, ["website"]),
    ("finance", "grain-subsidies", "國家糧食補貼發放名單", "財政部糧食直補資金管理辦法", Cadence.QUARTERLY, ["website", "mobile_board"]),
    ("finance", "special-funds", "上級專項經費分配使用情況", "縣政務公開目錄", Cadence.MONTHLY, ["website"]),
    ("education", "education-exemptions", "二免一補資金發放情況", "農村義務教育經費保障機制", Cadence.QUARTERLY, ["website", "notice_board"]),
    ("education", "school-admissions", "學校招生計劃及錄取結果", "縣政務公開目錄", Cadence.YEARLY, ["website", "service_window"]),
    ("education", "fees", "學校收費項目及標準", "教育收費公示制度", Cadence.STANDING, ["website", "notice_board", "documents"]),
    ("civil-affairs", "relief-funds", "民政救濟資金分配", "縣政務公開目錄", Cadence.QUARTERLY, ["website", "notice_board"]),
    ("prices", "fees", "行政事業性收費項目目錄", "《價格法》", Cadence.STANDING, ["website", "service_window", "documents"]),
    ("land", "land-acquisition", "土地徵用和拆遷補償標準", "《土地管理法》", Cadence.AD_HOC, ["website", "notice_board"]),
    ("personnel", "civil-service-recruitment", "公務員錄用公告及結果", "《公務員法》", Cadence.AD_HOC, ["website", "media"]),
    ("open-gov-office", "approval-items", "行政審批事項目錄", "縣行政審批制度改革方案", Cadence.STANDING, ["website", "service_window"]),
    ("finance", "hospitality", "機關招待費開支情況", "機關內部事務公開制度", Cadence.QUARTERLY, ["notice_board"]),
]

# department, category, title, document number, formed on, body
DISCLOSURES = [
    ("finance", "budget", "2026年縣財政局部門預算公開", "漢財發〔2026〕3號", dt.date(2026, 2, 10),
     "<p>2026年部門收入預算1,280萬元,支出預算1,280萬元,其中“三公”經費42萬元,比上年下降8%。</p>"),
    ("finance", "grain-subsidies", "2026年第三季度國家糧食補貼發放情況", "漢財農〔2026〕21號", dt.date(2026, 10, 9),
     "<p>本季度向全縣12,406戶種糧農戶發放糧食直補資金386.5萬元,按實際種植面積每畝13.5元計發。</p>"),
    ("education", "education-exemptions", "2026年秋季學期“二免一補”資金發放公示", "漢教發〔2026〕15號", dt.date(2026, 9, 20),
     "<p>全縣義務教育階段免除學雜費、教科書費,補助寄宿生生活費,惠及學生31,200名。</p>"),
    ("education", "fees", "2026年秋季學期中小學收費項目及標準", "漢教發〔2026〕12號", dt.date(2026, 8, 25),
     "<p>義務教育階段學校除代收作業本費外,一律不得向學生收取任何費用。</p>"),
    ("civil-affairs", "relief-funds", "2026年第三季度民政救濟資金分配情況", "漢民發〔2026〕30號", dt.date(2026, 10, 12),
     "<p>第三季度下撥臨時救助資金58萬元,救助困難群眾1,046人次。</p>"),
    ("prices", "fees", "關於取消部分行政事業性收費項目的公告", "漢價發〔2026〕5號", dt.date(2026, 4, 1),
     "<p>經縣政府研究決定,取消證照工本費等14項收費項目,自公告之日起執行。</p>"),
    ("open-gov-office", "approval-items", "關於取消56項行政審批事項的決定", "漢政發〔2026〕12號", dt.date(2026, 3, 15),
     "<p>深化行政審批制度改革,取消行政審批事項56項,取消率達20.1%。取消事項目錄見附件。</p>"),
    ("land", "land-acquisition", "城關鎮新區建設項目徵地補償標準公告", "漢國土發〔2026〕8號", dt.date(2026, 6, 18),
     "<p>徵收城關鎮五一村集體土地86畝,補償標準按省定區片綜合地價執行。</p>"),
    ("personnel", "civil-service-recruitment", "2026年縣級機關公開招錄公務員擬錄用人員公示", "漢人發〔2026〕19號", dt.date(2026, 7, 30),
     "<p>經筆試、面試、體檢和考察,擬錄用公務員23名,公示期7天。</p>"),
    ("finance", "hospitality", "2026年第三季度機關招待費開支情況", "", dt.date(2026, 10, 10),
     "<p>本季度招待費支出1.8萬元,均按公務接待標準列支(僅限本單位幹部職工查閱)。</p>"),
]

AMENDED = "2026年縣財政局部門預算公開"
AMENDMENT = ("2026年縣財政局部門預算公開(更正)", "<p>更正:“三公”經費預算為40萬元,比上年下降12%。其餘不變。</p>")
WITHDRAWN = ("城關鎮新區建設項目徵地補償標準公告", "補償範圍有誤,待重新測繪後另行公告。")


def _actors(department: Department):
    User = get_user_model()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    coordinator = User.objects.filter(staff_profile__role=Role.COORDINATOR).order_by("pk").first()
    publisher = User.objects.filter(staff_profile__department=department, staff_profile__role=Role.PUBLISHER).first()
    reviewer = User.objects.filter(staff_profile__department=department, staff_profile__role=Role.REVIEWER).first()
    return publisher or coordinator, reviewer or admin


def load(stdout) -> None:
    departments = {d.code: d for d in Department.objects.all()}
    categories = {c.code: c for c in Category.objects.all()}
    entries = {}
    for code, category, title, basis, cadence, channels in CATALOGUE:
        category_obj = categories[category]
        entries[(code, category)], _created = CatalogueEntry.objects.get_or_create(
            department=departments[code],
            category=category_obj,
            title=title,
            defaults={"legal_basis": basis, "cadence": cadence, "channels": channels, "scope": category_obj.scope},
        )
    created = 0
    for code, category, title, number, formed_on, body in DISCLOSURES:
        known_as = [title, AMENDMENT[0]] if title == AMENDED else [title]
        if Disclosure.objects.filter(title__in=known_as).exists():
            continue
        department, category_obj = departments[code], categories[category]
        disclosure = Disclosure.objects.create(
            department=department,
            category=category_obj,
            catalogue_entry=entries.get((code, category)),
            title=title,
            summary=title,
            body=body,
            document_number=number,
            formed_on=formed_on,
            scope=Scope.INTERNAL if category_obj.scope == Scope.INTERNAL else Scope.PUBLIC,
            channels=["website", "notice_board"],
        )
        submitter, approver = _actors(department)
        services.disclosure_submit(actor=submitter, disclosure=disclosure)
        services.disclosure_approve(actor=approver, disclosure=disclosure, comment="預審通過")
        services.disclosure_publish(actor=approver, disclosure=disclosure)
        created += 1
        if title == AMENDED:
            services.disclosure_amend(actor=submitter, disclosure=disclosure)
            disclosure.refresh_from_db()
            disclosure.title, disclosure.body = AMENDMENT
            disclosure.save()
            services.disclosure_submit(actor=submitter, disclosure=disclosure)
            services.disclosure_approve(actor=approver, disclosure=disclosure, comment="更正已核")
            services.disclosure_publish(actor=approver, disclosure=disclosure)
        if title == WITHDRAWN[0]:
            services.disclosure_withdraw(actor=approver, disclosure=disclosure, reason=WITHDRAWN[1])
    compliance.refresh(CatalogueEntry.objects.active())
    stdout.write(f"Disclosures: {len(entries)} catalogue entries, {created} disclosures published.")
