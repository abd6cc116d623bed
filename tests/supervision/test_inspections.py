"""Supervision activities (六項監督並舉): inspections of the six kinds with their checklist and
findings, a department's own self-inspection, and who may do what (DESIGN §3.5)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.events import events_for
from portal.permissions import scope
from portal.workflow import TransitionError
from supervision.models import (
    ChecklistResult,
    ChecklistTemplate,
    Finding,
    Inspection,
    InspectionStatus,
    Severity,
    SupervisionKind,
)
from supervision.services import inspections as services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def open_inspection(actor, department, kind=SupervisionKind.DISCIPLINE, **extra):
    return services.inspection_open(actor=actor, department=department, kind=kind, title="第三季度政務公開檢查", **extra)


def test_the_default_checklist_holds_the_seeds_points():
    template = ChecklistTemplate.objects.get()
    points = list(template.items.values_list("text", flat=True))
    assert len(points) == 10
    for word in ("公開目錄", "真實性", "全面性", "時效性", "公開性", "公示欄", "政務大廳", "投訴", "收費", "招待費"):
        assert any(word in point for point in points), word


def test_an_inspection_copies_its_checklist_so_later_template_edits_leave_it_alone(supervisor, department_a):
    inspection = open_inspection(supervisor, department_a, supervisors=[supervisor], deputies="張代表\n李代表")
    assert inspection.status == InspectionStatus.IN_PROGRESS
    assert inspection.checklist.count() == 10
    assert list(inspection.supervisors.all()) == [supervisor]
    template = ChecklistTemplate.objects.get()
    template.items.update(text="改過的要點")
    assert not inspection.checklist.filter(text="改過的要點").exists()
    assert [event.kind for event in events_for(inspection)] == ["inspection.opened"]


@pytest.mark.parametrize("kind", [k for k in SupervisionKind if k != SupervisionKind.SELF])
def test_a_department_cannot_open_an_inspection_of_another_kind_on_itself(publisher_a, department_a, kind):
    with pytest.raises(PermissionDenied):
        open_inspection(publisher_a, department_a, kind=kind)


def test_a_department_runs_its_own_self_inspection_and_supervisors_see_it(publisher_a, department_a, department_b,
                                                                          supervisor):
    inspection = open_inspection(publisher_a, department_a, kind=SupervisionKind.SELF)
    with pytest.raises(PermissionDenied):  # not another department's
        open_inspection(publisher_a, department_b, kind=SupervisionKind.SELF)
    finding = services.finding_record(actor=publisher_a, inspection=inspection, description="公示欄未更新",
                                      severity=Severity.MINOR, checklist_point=inspection.checklist.first())
    assert finding.inspection == inspection
    assert scope(supervisor, Inspection.objects.all()).filter(pk=inspection.pk).exists()
    services.inspection_conclude(actor=publisher_a, inspection=inspection, conclusion="已自查,一項需整改")
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CONCLUDED


def test_a_department_sees_but_does_not_change_the_supervision_offices_inspection_of_it(
        supervisor, publisher_a, publisher_b, department_a):
    inspection = open_inspection(supervisor, department_a)
    assert scope(publisher_a, Inspection.objects.all(), "view").filter(pk=inspection.pk).exists()
    assert not scope(publisher_a, Inspection.objects.all(), "change").filter(pk=inspection.pk).exists()
    assert not scope(publisher_b, Inspection.objects.all(), "view").filter(pk=inspection.pk).exists()
    with pytest.raises(PermissionDenied):
        services.finding_record(actor=publisher_a, inspection=inspection, description="自己寫的")
    with pytest.raises(PermissionDenied):
        services.inspection_conclude(actor=publisher_a, inspection=inspection, conclusion="結束")


def test_a_concluded_inspection_takes_no_more_findings(supervisor, department_a):
    inspection = open_inspection(supervisor, department_a)
    with pytest.raises(TransitionError):
        services.inspection_conclude(actor=supervisor, inspection=inspection, conclusion="  ")
    services.inspection_conclude(actor=supervisor, inspection=inspection, conclusion="基本合格")
    with pytest.raises(TransitionError):
        services.finding_record(actor=supervisor, inspection=inspection, description="後補的問題")


def test_findings_in_the_admin_take_evidence_files_checked_by_content(client_for, supervisor, department_a):
    inspection = open_inspection(supervisor, department_a)
    point = inspection.checklist.first()
    url = reverse("admin:supervision_inspection_change", args=[inspection.pk])
    client = client_for(supervisor)
    page = client.get(url)
    assert page.status_code == 200
    assert "Issue a rectification order" in page.content.decode() or "下達整改" in page.content.decode()

    def post(upload):
        checklist = list(inspection.checklist.all())
        data = {
            "checklist-TOTAL_FORMS": len(checklist), "checklist-INITIAL_FORMS": len(checklist),
            "checklist-MIN_NUM_FORMS": 0, "checklist-MAX_NUM_FORMS": 1000,
            "findings-TOTAL_FORMS": 1, "findings-INITIAL_FORMS": 0, "findings-MIN_NUM_FORMS": 0,
            "findings-MAX_NUM_FORMS": 1000,
            "findings-0-checklist_point": point.pk, "findings-0-description": "收費未公示",
            "findings-0-severity": "serious", "findings-0-evidence": "現場照片", "findings-0-evidence_file": upload,
        }
        for n, row in enumerate(checklist):
            data.update({f"checklist-{n}-id": row.pk, f"checklist-{n}-inspection": inspection.pk,
                         f"checklist-{n}-outcome": "not_met" if row == point else "met", f"checklist-{n}-note": ""})
        return client.post(url, data)

    refused = post(SimpleUploadedFile("evidence.pdf", b"<script>alert(1)</script>", content_type="application/pdf"))
    assert refused.status_code == 200 and not Finding.objects.exists()
    done = post(SimpleUploadedFile("evidence.pdf", PDF, content_type="application/pdf"))
    assert done.status_code == 302, done.content.decode()[:2000]
    finding = Finding.objects.get()
    assert (finding.severity, finding.evidence_file_name) == ("serious", "evidence.pdf")
    assert ChecklistResult.objects.get(pk=point.pk).outcome == "not_met"


def test_the_admin_add_page_opens_an_inspection_through_the_service(client_for, supervisor, department_a):
    client = client_for(supervisor)
    response = client.post(reverse("admin:supervision_inspection_add"), {
        "department": department_a.pk, "kind": "congress", "title": "人大代表視察", "inspected_on": "2026-11-03",
        "template": ChecklistTemplate.objects.get().pk, "supervisors": [supervisor.pk], "deputies": "王代表",
        "invited_members": "",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    inspection = Inspection.objects.get()
    assert (inspection.kind, inspection.created_by, inspection.checklist.count()) == ("congress", supervisor, 10)
    assert [event.kind for event in events_for(inspection)] == ["inspection.opened"]


def test_a_department_cannot_open_another_kind_in_the_admin_either(client_for, publisher_a, department_a):
    response = client_for(publisher_a).post(reverse("admin:supervision_inspection_add"), {
        "department": department_a.pk, "kind": "discipline", "title": "冒充的檢查", "inspected_on": "2026-11-03",
    })
    assert response.status_code == 403
    assert not Inspection.objects.exists()
