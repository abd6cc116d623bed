"""Publishing through the admin, end to end, and department scoping on every admin page and action."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from disclosures.models import Attachment, Disclosure, Status
from tests.factories import DisclosureFactory, category

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def management_data(response):
    """The inline formsets' management fields, as the add/change page rendered them."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, field in formset.management_form.fields.items():
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value() or field.initial or 0
    return data


def disclosure_form(**overrides):
    data = {
        "category": category("budget").pk,
        "title": "2026年縣財政預算公開",
        "summary": "預算收支總表",
        "body": "<p>收入<strong>1200萬元</strong></p><script>alert(1)</script>",
        "document_number": "漢財發〔2026〕3號",
        "formed_on": "2026-03-02",
        "scope": "public",
        "channels": ["website", "notice_board"],
    }
    data.update(overrides)
    return data


def run_action(client, action, pks, **extra):
    return client.post(
        reverse("admin:disclosures_disclosure_changelist"),
        {"action": action, "_selected_action": [str(pk) for pk in pks], "index": 0, **extra},
        follow=True,
    )


def test_publisher_drafts_with_attachment_reviewer_approves_and_it_is_published(
    client, publisher_a, reviewer_a, department_a
):
    client.force_login(publisher_a)
    add_url = reverse("admin:disclosures_disclosure_add")
    page = client.get(add_url)
    assert page.status_code == 200
    data = {**disclosure_form(), **management_data(page)}
    data["attachments-0-file"] = SimpleUploadedFile("預算表.pdf", PDF)
    data["attachments-0-in_next_revision"] = "on"
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    disclosure = Disclosure.objects.get()
    assert disclosure.department == department_a  # filled in from the user
    assert "<script" not in disclosure.body
    attachment = Attachment.objects.get()
    assert attachment.name == "預算表.pdf" and attachment.content_type == "application/pdf"
    assert disclosure.index_number == f"{department_a.code}-2026-00001"

    run_action(client, "submit", [disclosure.pk])
    disclosure.refresh_from_db()
    assert disclosure.status == Status.IN_REVIEW

    client.force_login(reviewer_a)
    run_action(client, "approve", [disclosure.pk], comment="同意公開")
    run_action(client, "publish", [disclosure.pk])
    disclosure.refresh_from_db()
    assert disclosure.status == Status.PUBLISHED
    change = client.get(reverse("admin:disclosures_disclosure_change", args=[disclosure.pk]))
    assert "同意公開" in change.content.decode()  # the review record is listed on the disclosure

    public = client.get(disclosure.get_absolute_url())
    assert public.status_code == 200 and "2026年縣財政預算公開" in public.content.decode()
    download = client.get(reverse("disclosures:attachment", args=[disclosure.pk, attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment;" in download["Content-Disposition"]
    call_command("verify_ledger")


def test_refused_upload_keeps_the_rest_of_the_form(client, publisher_a):
    client.force_login(publisher_a)
    add_url = reverse("admin:disclosures_disclosure_add")
    page = client.get(add_url)
    data = {**disclosure_form(title="保留我的標題"), **management_data(page)}
    data["attachments-0-file"] = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 program")
    response = client.post(add_url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "virus.pdf" in html and "保留我的標題" in html
    assert not Disclosure.objects.exists()


def test_published_disclosure_is_read_only_in_admin(client, publisher_a, reviewer_a, department_a, publish):
    disclosure = DisclosureFactory(department=department_a)
    publish(disclosure, publisher_a, reviewer_a)
    client.force_login(publisher_a)
    url = reverse("admin:disclosures_disclosure_change", args=[disclosure.pk])
    assert client.get(url).context["has_change_permission"] is False
    client.post(url, disclosure_form(title="偷偷改"))
    disclosure.refresh_from_db()
    assert disclosure.title != "偷偷改"
    delete = client.post(reverse("admin:disclosures_disclosure_delete", args=[disclosure.pk]), {"post": "yes"})
    assert delete.status_code == 403


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_other_departments_drafts_are_404_on_every_admin_page(client, publisher_b, department_a, view):
    draft = DisclosureFactory(department=department_a)
    client.force_login(publisher_b)
    assert client.get(reverse(f"admin:disclosures_disclosure_{view}", args=[draft.pk])).status_code == 404
    assert client.post(reverse(f"admin:disclosures_disclosure_{view}", args=[draft.pk]), {"post": "yes"}).status_code == 404


def test_changelist_and_actions_ignore_other_departments(client, publisher_a, publisher_b, department_a, department_b):
    mine = DisclosureFactory(department=department_b)
    theirs = DisclosureFactory(department=department_a)
    client.force_login(publisher_b)
    listed = client.get(reverse("admin:disclosures_disclosure_changelist")).context["cl"].queryset
    assert list(listed) == [mine]
    run_action(client, "submit", [theirs.pk, mine.pk])
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.status == Status.DRAFT and mine.status == Status.IN_REVIEW


def test_hand_made_form_cannot_file_into_another_department(client, make_staff, department_a, department_b, office):
    """A publisher acting for two departments chooses among them, and only them."""
    from guardian.shortcuts import assign_perm

    user = make_staff("two_hats", "publisher", department_a)
    assign_perm("portal.act_for_department", user, department_b)
    client.force_login(user)
    add_url = reverse("admin:disclosures_disclosure_add")
    page = client.get(add_url)
    assert set(page.context["adminform"].form.fields["department"].queryset) == {department_a, department_b}
    response = client.post(add_url, {**disclosure_form(), **management_data(page), "department": office.pk})
    assert response.status_code == 200 and "department" in response.context["adminform"].form.errors
    assert not Disclosure.objects.exists()


def test_other_departments_unpublished_attachment_is_not_served(client, publisher_b, department_a):
    draft = DisclosureFactory(department=department_a)
    attachment = Attachment.objects.create(
        disclosure=draft, file=SimpleUploadedFile("x.pdf", PDF), name="x.pdf", content_type="application/pdf", size=len(PDF), sha256="0" * 64
    )
    client.force_login(publisher_b)
    assert client.get(reverse("disclosures:attachment", args=[draft.pk, attachment.pk])).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404
