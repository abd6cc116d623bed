"""Approval items, fee items and ten years of applications for the bench
(``portal.bench_data``): at scale 1, 3,000 items, 10,000 fee items and 200,000
applications, most of them decided (the public results list), some still running."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from approvals.models import Application, ApprovalItem, FeeItem
from approvals.models.applications import ApplicantKind, ApplicationStatus
from approvals.models.fees import StandardKind
from approvals.models.items import Kind
from approvals.totals import count_decision_totals
from approvals.tracking import ALPHABET, RANDOM_LENGTH
from portal.bench_data import County, copy_instances, first_id, reset_sequences

SURNAMES = "王李張劉陳楊趙黃周吳徐孫胡朱高林何郭馬羅"
GIVEN = "偉芳娜敏靜麗強磊軍洋勇艷傑娟濤明超秀霞平剛桂英"


def generate(county: County) -> int:
    departments, rand = county.shared["departments"], county.random
    item_id, fee_id, application_id = first_id(ApprovalItem), first_id(FeeItem), first_id(Application)
    items = [
        ApprovalItem(
            pk=item_id + n, code=f"B{item_id + n:06d}", name=f"{county.phrase(6, 16)}審批", department=rand.choice(departments),
            kind=rand.choice(Kind.values), basis_law=f"《{county.phrase(4, 10)}條例》", basis_article=f"第{rand.randint(1, 60)}條",
            conditions="".join(county.paragraphs(100, 400)), statutory_limit=(limit := rand.randint(5, 30)),
            promised_limit=rand.randint(0, limit), consultation_phone="0915-5210030", complaint_phone="0915-5210012",
        )
        for n in range(county.count(3_000))
    ]
    fees = [
        FeeItem(
            pk=fee_id + n, code=f"F{fee_id + n:06d}", name=f"{county.phrase(4, 12)}費", department=rand.choice(departments),
            approval_item=rand.choice(items) if rand.random() < 0.5 else None, legal_basis=f"《{county.phrase(4, 10)}收費標準》",
            standard_kind=StandardKind.FIXED, amount=Decimal(rand.randint(5, 2000)), unit="每件",
        )
        for n in range(county.count(10_000))
    ]
    today = timezone.localdate()
    applications = []
    for n in range(county.count(200_000)):
        received_on = today - dt.timedelta(days=rand.randint(0, 3650))
        due_on = received_on + dt.timedelta(days=rand.randint(5, 40))
        decided = received_on + dt.timedelta(days=rand.randint(1, 45))
        status = rand.choices(
            [ApplicationStatus.COMPLETED, ApplicationStatus.DECIDED, ApplicationStatus.REJECTED, ApplicationStatus.UNDER_REVIEW],
            [70, 15, 10, 5],
        )[0]
        undecided = status == ApplicationStatus.UNDER_REVIEW or decided > today
        if undecided:
            status = ApplicationStatus.UNDER_REVIEW
        applications.append(Application(
            pk=application_id + n,
            tracking_number=f"{received_on:%Y%m%d}-" + "".join(rand.choice(ALPHABET) for _ in range(RANDOM_LENGTH)),
            item=rand.choice(items), applicant_kind=ApplicantKind.PERSON,
            applicant_name=rand.choice(SURNAMES) + rand.choice(GIVEN) + rand.choice(GIVEN),
            applicant_id_number=f"61{rand.randint(10**15, 10**16 - 1)}", applicant_phone=f"139{rand.randint(10**7, 10**8 - 1)}",
            received_on=received_on, status=status, due_on=due_on,
            decision="" if undecided else "准予許可。",
            rejection_reason="材料不符合法定條件。" if status == ApplicationStatus.REJECTED else "",
            decided_on=None if undecided else decided,
            completed_on=decided if status == ApplicationStatus.COMPLETED else None,
        ))
    copy_instances(ApprovalItem, items)
    copy_instances(FeeItem, fees)
    postgresql = connection.vendor == "postgresql"
    if postgresql:  # the decision totals counted once below rather than row by row
        with connection.cursor() as cursor:  # no deferred checks left pending: ALTER TABLE refuses them
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE approvals_application DISABLE TRIGGER approvals_decision_total")
    try:
        copy_instances(Application, applications)
    finally:
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE approvals_application ENABLE TRIGGER approvals_decision_total")
    count_decision_totals()
    reset_sequences(ApprovalItem, FeeItem, Application)
    return len(items) + len(fees) + len(applications)
