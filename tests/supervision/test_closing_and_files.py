"""Issue 12: the supervisor may not close a complaint before the complainant could rate it,
and staff who handle a complaint open the files filed with it, every opening logged."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from supervision import services
from supervision.closing import rating_closes_on
from supervision.models import Complaint, IdentityAccess, Status
from tests.supervision.test_mailbox import PDF, file_via_web

pytestmark = pytest.mark.django_db


@pytest.fixture
def replied(department_a, supervisor, publisher_a):
    complaint = services.complaint_file(kind="complaint", department=department_a, summary="s", details="d",
                                        identity=None).complaint
    services.complaint_accept(actor=supervisor, complaint=complaint)
    services.complaint_assign(actor=supervisor, complaint=complaint, department=department_a)
    services.complaint_reply(actor=publisher_a, complaint=Complaint.objects.get(pk=complaint.pk), body="已處理")
    return Complaint.objects.get(pk=complaint.pk)


def _replied_days_ago(complaint, days):
    Complaint.objects.filter(pk=complaint.pk).update(replied_at=timezone.now() - dt.timedelta(days=days))
    return Complaint.objects.get(pk=complaint.pk)


def test_closing_right_after_the_reply_is_refused_and_not_offered(client, replied, supervisor):
    with pytest.raises(services.TransitionError, match=rating_closes_on(replied).isoformat()):
        services.complaint_close(actor=supervisor, complaint=replied)
    client.force_login(supervisor)
    page = client.get(reverse("admin:supervision_complaint_change", args=[replied.pk])).content.decode()
    assert 'value="close"' not in page
    assert Complaint.objects.get(pk=replied.pk).status == Status.REPLIED


@override_settings(GONGKAI_COMPLAINT_RATING_DAYS=5)
def test_closing_is_allowed_once_the_working_days_to_rate_have_passed(client, replied, supervisor):
    old = _replied_days_ago(replied, 10)  # ten calendar days hold at least five working days
    client.force_login(supervisor)
    page = client.get(reverse("admin:supervision_complaint_change", args=[old.pk])).content.decode()
    assert 'value="close"' in page
    assert services.complaint_close(actor=supervisor, complaint=old).status == Status.CLOSED


@override_settings(GONGKAI_COMPLAINT_RATING_DAYS=0)
def test_the_number_of_working_days_is_a_setting(replied, supervisor):
    assert services.complaint_close(actor=supervisor, complaint=replied).status == Status.CLOSED


def test_handling_staff_download_a_filed_attachment_and_each_opening_is_logged(
    client, department_a, supervisor, publisher_a, publisher_b
):
    file_via_web(client, department_a, attachments=SimpleUploadedFile("收據.pdf", PDF))
    complaint = Complaint.objects.get()
    attachment = complaint.attachments.get()
    url = reverse("admin:supervision_complaint_attachment", args=[complaint.pk, attachment.pk])

    client.force_login(supervisor)
    change = client.get(reverse("admin:supervision_complaint_change", args=[complaint.pk])).content.decode()
    assert f'href="{url}"' in change
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    access = IdentityAccess.objects.get()
    assert (access.user, access.attachment) == (supervisor, attachment) and "收據.pdf" in access.purpose

    client.force_login(publisher_b)  # not the assigned department
    assert client.get(url).status_code == 404
    services.complaint_accept(actor=supervisor, complaint=complaint)
    services.complaint_assign(actor=supervisor, complaint=complaint, department=department_a)
    client.force_login(publisher_a)
    assert client.get(url).status_code == 200
    assert IdentityAccess.objects.filter(user=publisher_a, attachment=attachment).count() == 1
