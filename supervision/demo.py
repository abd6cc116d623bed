"""Demo complaints and reports (``seed_demo``): every kind and status, across departments,
some overdue, some reopened, some anonymous. Idempotent: skipped once any exists."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.models import Department
from portal.roles import Role
from supervision import services
from supervision.models import Complaint

# kind, department, summary, details, received, anonymous, path through the lifecycle
FILINGS = [
    ("complaint", "education", "學校收取資料費", "城關二小要求每名學生交資料費80元,未見收費公示。", dt.date(2026, 11, 2), False, "closed"),
    ("report", "land", "徵地補償款被截留", "五一村部分農戶的補償款比公告標準少發,懷疑村幹部截留。", dt.date(2026, 11, 5), True, "assigned"),
    ("complaint", "civil-affairs", "低保審批拖延", "申請低保三個月無答覆,窗口說材料在局裡。", dt.date(2026, 10, 12), False, "assigned"),
    ("suggestion", "open-gov-office", "公開欄增加盲文說明", "建議政務大廳公開欄增加盲文和大字版。", dt.date(2026, 11, 16), False, "received"),
    ("complaint", "transport", "運輸證辦理多次跑腿", "辦理道路運輸證跑了四次,每次要求補交不同材料。", dt.date(2026, 10, 20), False, "reopened"),
    ("report", "prices", "超標準收取證照工本費", "證照工本費已公告取消,窗口仍收取20元。", dt.date(2026, 11, 9), True, "replied"),
    ("complaint", "health", "藥品價格未公示", "鎮衛生院藥品價格未在大廳公示。", dt.date(2026, 11, 18), False, "declined"),
]


def load(stdout) -> None:
    if Complaint.objects.exists():
        return
    User = get_user_model()
    supervisor = User.objects.filter(staff_profile__role=Role.SUPERVISOR).first()
    departments = {d.code: d for d in Department.objects.all()}
    for kind, code, summary, details, received, anonymous, path in FILINGS:
        department = departments[code]
        identity = None if anonymous else services.Identity(name="王某某", phone="13800000000", email="citizen@example.com")
        filed = services.complaint_file(
            kind=kind, department=department, summary=summary, details=details, identity=identity,
            received_on=received, channel="web",
        )
        complaint = filed.complaint
        if path == "received":
            continue
        if path == "declined":
            services.complaint_decline(actor=supervisor, complaint=complaint, reason="不屬本機關受理範圍,已告知向上級衛生部門反映。")
            continue
        services.complaint_accept(actor=supervisor, complaint=complaint)
        services.complaint_assign(actor=supervisor, complaint=complaint, department=department)
        if path == "assigned":
            continue
        services.complaint_reply(actor=supervisor, complaint=complaint, body="經核查情況屬實,已責令退還並限期整改。")
        complaint.refresh_from_db()
        if path == "closed":
            services.complaint_rate(complaint=complaint, secret=filed.secret, satisfaction="satisfied", reopen=False)
        elif path == "reopened":
            services.complaint_rate(complaint=complaint, secret=filed.secret, satisfaction="dissatisfied", reopen=True)
    stdout.write(f"Supervision: {len(FILINGS)} complaints and reports.")


# --- Inspections, rectification orders and accountability -----------------------------------------

# kind, department, title, days ago, findings [(description, severity, point)], concluded
INSPECTIONS = [
    ("discipline", "land", "徵地補償公開專項檢查", 150, [("五一村徵地補償標準未在公示欄公布", "serious", 3)], True),
    ("congress", "education", "人大代表視察學校收費公開", 120, [("城關二小資料費未見收費公示", "moderate", 9)], True),
    ("audit", "finance", "專項資金分配使用公開審計", 100, [("糧食補貼發放名冊公示不全", "moderate", 3)], True),
    ("democratic", "transport", "群眾代表評議政務大廳窗口", 70, [("運輸證辦理一次告知未落實", "moderate", 7)], True),
    ("organisational", "health", "藥品價格公示整改督查", 45, [("鎮衛生院藥品價格未公示", "serious", 9)], True),
    ("self", "finance", "財政局政務公開自查", 20, [("公示欄逾期未更新", "minor", 6)], False),
]

# department, finding of which inspection (index), working days, issued days ago, what happens
ORDERS = [
    ("land", 0, 10, 140, "overdue"),          # never reported: escalated by the deadline engine
    ("education", 1, 10, 110, "closed_on_time"),
    ("finance", 2, 15, 90, "closed_late"),
    ("transport", 3, 10, 60, "overdue"),
    ("health", 4, 5, 40, "overdue"),
    ("education", 1, 10, 25, "reported"),
    ("finance", 2, 10, 30, "sent_back"),
    ("education", 1, 20, 5, "open"),
    ("finance", 5, 20, 15, "open"),
]

MEASURES = [
    ("circulated", "land", "", "徵地補償標準逾期未公示,整改逾期", 0),
    ("admonition", "land", "某股長", "對整改逾期負直接責任", 0),
    ("criticism", "transport", "", "窗口一次告知制度落實不力", 3),
]


def _staff_of(code):
    from portal.models import StaffProfile

    profile = StaffProfile.objects.filter(department__code=code, role__in=[Role.PUBLISHER, Role.REVIEWER]).first()
    return profile.user if profile else None


def load_oversight(stdout) -> None:
    """Inspections of several kinds, rectification orders open, closed (on time and late),
    reported, sent back and overdue, and accountability measures. Idempotent."""
    from portal.calendar import WorkingCalendar
    from supervision.models import Inspection
    from supervision.services import inspections as oversight

    if Inspection.objects.exists():
        return
    User = get_user_model()
    supervisor = User.objects.filter(staff_profile__role=Role.SUPERVISOR).first()
    departments = {d.code: d for d in Department.objects.all()}
    today = timezone.localdate()
    calendar = WorkingCalendar()
    findings = []
    for kind, code, title, ago, found, concluded in INSPECTIONS:
        actor = _staff_of(code) if kind == "self" else supervisor
        inspection = oversight.inspection_open(
            actor=actor, department=departments[code], kind=kind, title=title,
            inspected_on=today - dt.timedelta(days=ago), supervisors=[supervisor] if kind != "self" else [],
            deputies="王代表\n孫代表" if kind in ("congress", "democratic") else "",
            invited_members="群眾代表 趙某(城關鎮)" if kind == "democratic" else "",
        )
        points = list(inspection.checklist.all())
        for description, severity, point in found:
            findings.append(oversight.finding_record(
                actor=actor, inspection=inspection, description=description, severity=severity,
                evidence="現場檢查記錄及照片", checklist_point=points[point] if points else None))
        if concluded:
            oversight.inspection_conclude(actor=supervisor, inspection=inspection, conclusion="發現問題已下達整改意見",
                                          on=inspection.inspected_on)
    orders = []
    for code, index, days, ago, path in ORDERS:
        finding = findings[index]
        issuer = finding.inspection.created_by
        issued = today - dt.timedelta(days=ago)
        order = oversight.rectification_order_issue(
            actor=issuer, department=departments[code], finding=finding, working_days=days, on=issued,
            requirement=f"針對「{finding.description}」限期整改,並報送整改情況及佐證材料。")
        orders.append(order)
        staff = _staff_of(code)
        if path in ("open", "overdue") or staff is None:
            continue
        due = order.due_on
        reported = calendar.add_working_days(issued, 2).date if path != "closed_late" else due + dt.timedelta(days=6)
        order = oversight.rectification_order_report(actor=staff, order=order, on=min(reported, today),
                                                     response="已按要求整改,公示欄已更新,附照片。")
        if path in ("closed_on_time", "closed_late"):
            oversight.rectification_order_verify(actor=supervisor, order=order, on=min(reported + dt.timedelta(days=2), today))
        elif path == "sent_back":
            oversight.rectification_order_send_back(actor=supervisor, order=order, reason="佐證材料不足,請補充發放名冊公示照片。")
    for measure, code, person, reason, order_index in MEASURES:
        oversight.accountability_record(actor=supervisor, measure=measure, department=departments[code], person=person,
                                        reason=reason, rectification_order=orders[order_index],
                                        decided_on=today - dt.timedelta(days=10))
    stdout.write(f"Supervision: {len(INSPECTIONS)} inspections, {len(ORDERS)} rectification orders, "
                 f"{len(MEASURES)} accountability measures.")
