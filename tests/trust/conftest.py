"""Fixtures of the trust suites: one of everything the public can reach, and the bounds
that keep hypothesis and schemathesis within the suite's time."""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, settings

from approvals.models import ApplicationStatus, Material
from disclosures import services as disclosure_services
from disclosures.models import DataTable
from disclosures.tables import read_and_mask
from portal import citizen_secrets
from disclosures.requests import services as request_services
from supervision import services as supervision_services
from tests.approvals.factories import ApplicationFactory, FeeItemFactory, establish
from tests.factories import CatalogueEntryFactory, DisclosureFactory, standard_lists

# Function-scoped fixtures (the database, the client) are shared by a test's examples on
# purpose: each example is one more request to the same portal. No example database on disk.
settings.register_profile(
    "gongkai",
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("gongkai")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class World:
    """What the hostile requests aim at: real rows, so that every view runs its full path."""


@pytest.fixture
def world(department_a, publisher_a, reviewer_a, publish):
    w = World()
    w.department = department_a
    disclosure = DisclosureFactory(department=department_a, title="2026年部門預算公開")
    data = "姓名,金額\n張三,1200.00\n李四,800.50\n".encode()
    table = DataTable(disclosure=disclosure, title="名冊", source=ContentFile(data, name="x.csv"),
                      source_name="x.csv", source_sha256="0" * 64)
    table.set_content(read_and_mask(io.BytesIO(data), "csv"))
    table.save()
    disclosure_services.data_table_confirm_masking(actor=publisher_a, table=table)
    publish(disclosure, publisher_a, reviewer_a)
    disclosure.refresh_from_db()
    w.disclosure = disclosure
    standard_lists()  # the standard catalogue's domains (a transactional test's flush removes the seed)
    w.catalogue_entry = CatalogueEntryFactory(department=department_a)
    w.attachment_id = 1
    w.item = establish(department=department_a, code="A-001", name="道路客運經營許可", on=dt.date(2010, 1, 1))
    w.material = Material.objects.create(
        item=w.item, name="申請表", blank_form=ContentFile(PDF, name="form.pdf"),
        blank_form_name="申請表.pdf", blank_form_type="application/pdf",
    )
    w.fee = FeeItemFactory(department=department_a, approval_item=w.item)
    w.application = ApplicationFactory(
        item=w.item, status=ApplicationStatus.COMPLETED, decided_on=dt.date(2026, 9, 10), completed_on=dt.date(2026, 9, 12),
        decision="准予許可",
    )
    w.rating_secret = citizen_secrets.new_secret()
    w.application.rating_secret_hash = citizen_secrets.hashed(w.rating_secret)
    w.application.save(update_fields=["rating_secret_hash"])
    filed = supervision_services.complaint_file(
        kind="complaint", department=department_a, summary="窗口態度", details="排隊兩小時", identity=None
    )
    w.complaint_code, w.complaint_secret = filed.tracking_code, filed.secret
    asked = request_services.request_file(
        department=department_a, requester_type="person", description="徵地補償明細",
        identity=request_services.Identity(name="張三", phone="13900000000"))
    w.request_code, w.request_secret = asked.tracking_code, asked.secret
    return w


def pytest_terminal_summary(terminalreporter):
    from tests.trust.cases import tally

    suites = sorted(name for name in tally if not name.endswith(" 5xx"))
    if suites:
        terminalreporter.section("trust suites: cases tried")
        for name in suites:
            terminalreporter.write_line(f"{name}: {tally[name]} cases, {tally[name + ' 5xx']} server errors")
