"""Demo information requests (``manage.py seed_demo``): every state and every outcome, one
extended, one overdue, one carried over from 2025, a reply published as a disclosure; and
the 2026 yearly reports opened, so that the demo year's report is complete.

Idempotent: nothing is added when the first demo request exists.
"""

import datetime as dt

from django.contrib.auth import get_user_model

from disclosures import services as disclosure_services
from disclosures.models import InformationRequest
from disclosures.requests import services
from portal.models import Department

D = dt.date
# department, received on, requester type, what is asked, [(step, on, arguments)]
REQUESTS = [
    ("finance", D(2025, 12, 22), "person", "2025年第四季度國家糧食補貼發放到戶明細",
     [("reply", D(2026, 1, 8), {"outcome": "disclosed", "text": "明細見附件。"})]),
    ("finance", D(2026, 3, 2), "company", "2026年縣本級政府採購目錄及限額標準",
     [("reply", D(2026, 3, 9), {"outcome": "already_public", "text": "已在縣政府網站“財務公開—政府採購”欄目公開。"})]),
    ("finance", D(2026, 4, 13), "research", "2025年全縣專項資金分配使用情況",
     [("extend", D(2026, 5, 6), {"days": 15, "reason": "涉及12個部門,需逐一匯總核實"}),
      ("reply", D(2026, 5, 25), {"outcome": "partly", "text": "專項資金分配表予以公開;涉及企業商業秘密的3個項目明細不予公開。"}),
      ("publish", None, {})]),
    ("finance", D(2026, 5, 11), "person", "某村民最低生活保障金領取情況",
     [("reply", D(2026, 5, 18), {"outcome": "not_disclosed", "sub_reason": "third_party",
                                 "text": "所申請信息涉及他人個人隱私,權利人不同意公開。"})]),
    ("finance", D(2026, 6, 1), "law_firm", "縣財政局黨組會議討論預算調整的會議紀要",
     [("reply", D(2026, 6, 8), {"outcome": "not_disclosed", "sub_reason": "process_information"})]),
    ("finance", D(2026, 6, 15), "ngo", "1998年縣財政局機構改革檔案",
     [("reply", D(2026, 6, 22), {"outcome": "cannot_provide", "sub_reason": "not_held",
                                 "text": "該檔案已移交縣檔案館,請向縣檔案館查詢。"})]),
    ("finance", D(2026, 7, 6), "person", "2026年縣財政局部門預算",
     [("reply", D(2026, 7, 10), {"outcome": "not_processed", "sub_reason": "repeat",
                                 "text": "本機關已於2026年3月就同一內容答覆。"})]),
    ("finance", D(2026, 8, 3), "other", "有關資金的情況",
     [("correct", D(2026, 8, 5), {"notice": "請寫明所需資金的名稱和年份。", "days": 10}),
      ("abandon", D(2026, 8, 24), {})]),
    ("finance", D(2026, 9, 7), "company", "2026年上半年縣本級預算執行情況",
     [("consult", D(2026, 9, 9), {"third_party": "縣審計局"}),
      ("consulted", D(2026, 9, 21), {}),
      ("reply", D(2026, 10, 12), {"outcome": "disclosed"})]),
    ("finance", D(2026, 10, 12), "person", "城關鎮五一村徵地補償款撥付憑證", []),            # overdue now
    ("finance", D(2026, 11, 2), "research", "2026年“三公”經費執行情況",
     [("extend", D(2026, 11, 20), {"days": 20, "reason": "需待第四季度數據匯總後答覆"})]),   # extended, running
    ("finance", D(2026, 11, 16), "person", "2026年冬季取暖補貼發放標準",
     [("consult", D(2026, 11, 18), {"third_party": "縣民政局"})]),                           # consulting
    ("education", D(2026, 11, 24), "person", "那個學校的事", [("correct", D(2026, 11, 25), {"notice": "請寫明學校名稱和所需信息。"})]),
    ("education", D(2026, 11, 27), "person", "2026年秋季學期城關一小招生劃片範圍", []),       # received
    ("education", D(2026, 9, 14), "person", "本人孩子的學籍檔案",
     [("reply", D(2026, 9, 18), {"outcome": "other", "sub_reason": "other",
                                 "text": "學籍檔案請持身份證件到學校辦理查詢。"})]),
    ("education", D(2026, 10, 8), "company", "要求重新出具2025年已獲取的收費許可證明",
     [("reply", D(2026, 10, 13), {"outcome": "not_processed", "sub_reason": "confirm_or_reissue"})]),
]


def _people():
    User = get_user_model()
    by_name = {user.username: user for user in User.objects.filter(
        username__in=["publisher.finance", "reviewer", "publisher.education", "reviewer.education", "coordinator"])}
    return {
        "finance": (by_name.get("publisher.finance"), by_name.get("reviewer")),
        "education": (by_name.get("publisher.education"), by_name.get("reviewer.education")),
        "coordinator": by_name.get("coordinator"),
    }


def load(stdout) -> None:
    if InformationRequest.objects.filter(description=REQUESTS[0][3]).exists():
        stdout.write("Information requests: already there.")
        return
    people = _people()
    departments = {d.code: d for d in Department.objects.filter(code__in=["finance", "education"])}
    for code, received, kind, asked, steps in REQUESTS:
        handler, head = people[code]
        request = services.request_file(
            department=departments[code], requester_type=kind, description=asked, received_on=received,
            identity=services.Identity(name="示例申請人", phone="0915-5200000"),
            channel="web" if received.month % 2 else "letter",
            registered_by=None if received.month % 2 else handler,
        ).request
        for step, on, arguments in steps:
            request.refresh_from_db()
            if step == "reply":
                services.request_reply(actor=handler, request=request, on=on, **arguments)
            elif step == "extend":
                services.request_extend(actor=head, request=request, on=on, **arguments)
            elif step == "correct":
                services.request_ask_correction(actor=handler, request=request, on=on, **arguments)
            elif step == "abandon":
                services.request_abandon(actor=handler, request=request, on=on)
            elif step == "consult":
                services.request_consult(actor=handler, request=request, on=on, **arguments)
            elif step == "consulted":
                services.request_consultation_ended(actor=handler, request=request, on=on)
            elif step == "publish":
                disclosure = services.request_publish_reply(actor=handler, request=request)
                disclosure_services.disclosure_approve(actor=head, disclosure=disclosure, comment="預審通過")
                disclosure_services.disclosure_publish(actor=head, disclosure=disclosure)
    opened = services.annual_reports_schedule(year=2026)
    stdout.write(f"Information requests: {len(REQUESTS)} filed; {opened} yearly reports for 2026 opened.")
