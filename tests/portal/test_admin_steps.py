"""Issue 12, item 2: the steps of a workflow on the object's own page — a button for each
step the user may take now, a form page for a step that asks for words, who acts next."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from disclosures import services
from disclosures.models import Disclosure, Status
from supervision import services as supervision_services
from supervision.models import Complaint, Status as ComplaintStatus
from tests.factories import DisclosureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(department_a, publisher_a):
    return DisclosureFactory(department=department_a, created_by=publisher_a)


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def steps_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_steps", args=[obj.pk])


def status_of(disclosure):
    return Disclosure.objects.get(pk=disclosure.pk).status


def test_a_step_that_asks_nothing_is_one_button_and_says_what_happened_in_chinese(client, draft, publisher_a):
    client.force_login(publisher_a)
    page = client.get(change_url(draft), HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert f'action="{steps_url(draft)}"' in page and 'name="step" value="submit"' in page
    response = client.post(steps_url(draft), {"step": "submit"}, HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert response.status_code == 302 and response["Location"] == change_url(draft)
    assert status_of(draft) == Status.IN_REVIEW
    with translation.override("zh-hant"):
        said = [str(message) for message in get_messages(response.wsgi_request)]
    assert said and all(not any("a" <= c <= "z" for c in text.lower()) for text in said), said


def test_who_acts_next_is_shown_to_those_who_wait(client, draft, publisher_a, department_a):
    services.disclosure_submit(actor=publisher_a, disclosure=draft)
    client.force_login(publisher_a)
    with translation.override("en"):
        page = client.get(change_url(draft), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Approve (pre-review)" in page and department_a.name in page and "Waiting for" in page


def test_returning_asks_for_a_comment_on_its_own_page_and_refuses_without_one(client, draft, publisher_a, reviewer_a):
    services.disclosure_submit(actor=publisher_a, disclosure=draft)
    client.force_login(reviewer_a)
    page = client.get(change_url(draft)).content.decode()
    assert f'href="{steps_url(draft)}?step=return_to_department"' in page
    form_page = client.get(steps_url(draft), {"step": "return_to_department"})
    assert form_page.status_code == 200 and "<textarea" in form_page.content.decode()
    refused = client.post(f"{steps_url(draft)}?step=return_to_department", {"step": "return_to_department", "comment": ""})
    assert refused.status_code == 200 and refused.context["form"].errors["comment"]
    assert status_of(draft) == Status.IN_REVIEW
    done = client.post(f"{steps_url(draft)}?step=return_to_department",
                       {"step": "return_to_department", "comment": "第二段數字有誤，\n請核對。"})
    assert done.status_code == 302 and status_of(draft) == Status.DRAFT
    assert draft.reviews.get(decision="returned").comment == "第二段數字有誤，\n請核對。"


def test_a_step_the_user_may_not_take_is_neither_shown_nor_run(client, draft, publisher_a, publisher_b):
    client.force_login(publisher_a)
    assert client.get(steps_url(draft), {"step": "approve"}).status_code == 404
    response = client.post(steps_url(draft), {"step": "approve"})
    assert response.status_code == 302 and status_of(draft) == Status.DRAFT
    client.force_login(publisher_b)  # another department: the object does not exist for them
    assert client.get(steps_url(draft)).status_code == 404
    assert client.post(steps_url(draft), {"step": "submit"}).status_code == 404
    assert status_of(draft) == Status.DRAFT


def test_steps_needing_their_own_words_are_not_offered_as_batch_actions(client, draft, reviewer_a, supervisor):
    client.force_login(reviewer_a)
    choices = dict(client.get(reverse("admin:disclosures_disclosure_changelist")).context["action_form"]
                   .fields["action"].choices)
    assert "approve" in choices and "return_to_department" not in choices and "withdraw" not in choices
    client.force_login(supervisor)
    choices = dict(client.get(reverse("admin:supervision_complaint_changelist")).context["action_form"]
                   .fields["action"].choices)
    assert "accept" in choices and "assign" in choices and "reply" not in choices and "decline" not in choices


def test_the_assigned_department_replies_in_a_multi_line_box(client, department_a, supervisor, publisher_a):
    complaint = supervision_services.complaint_file(kind="complaint", department=department_a, summary="s",
                                                    details="d", identity=None).complaint
    supervision_services.complaint_accept(actor=supervisor, complaint=complaint)
    client.force_login(supervisor)
    page = client.get(steps_url(complaint), {"step": "assign"})
    assert '<select name="department"' in page.content.decode()
    client.post(steps_url(complaint), {"step": "assign", "department": department_a.pk})
    assert Complaint.objects.get().status == ComplaintStatus.ASSIGNED

    client.force_login(publisher_a)
    page = client.get(change_url(complaint)).content.decode()
    assert f'href="{steps_url(complaint)}?step=reply"' in page
    assert '<textarea name="text"' in client.get(steps_url(complaint), {"step": "reply"}).content.decode()
    client.post(steps_url(complaint), {"step": "reply", "text": "經查，\n已退還多收費用。"})
    complaint = Complaint.objects.get()
    assert complaint.status == ComplaintStatus.REPLIED and complaint.replies.get().body == "經查，\n已退還多收費用。"
