"""Demo complaints and reports (``seed_demo``): every kind and status, across departments,
some overdue, some reopened, some anonymous. Idempotent: skipped once any exists."""

import datetime as dt

from django.contrib.auth import get_user_model

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
