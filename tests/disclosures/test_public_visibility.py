"""Trust (#11, items 1–3): the public reads only reviewed, published revisions — by the
published revision's scope, internal categories stay internal, and a withdrawn notice
keeps its metadata and hashes but no longer serves its contents anywhere public."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disclosures import services
from disclosures.models import Attachment, Disclosure, Scope
from portal.workflow import TransitionError
from tests.disclosures.test_tables import HEADER, make_table, recipients
from tests.factories import DisclosureFactory, category

pytestmark = pytest.mark.django_db

MARKER_BODY = "唯一正文標記XYZ"
#: Searched for: a word of the body that is not the marker (the search page repeats its query).
SEARCHED = "救濟款項"


def public_surfaces(client, disclosure):
    """Every public answer that could carry the notice, as text."""
    urls = [
        "/",
        reverse("disclosures:list"),
        disclosure.get_absolute_url(),
        reverse("disclosures:history", args=[disclosure.pk]),
        reverse("disclosures:poster", args=[disclosure.pk]),
        "/feeds/disclosures/",
        f"/search/?q={SEARCHED}",
        "/api/v1/disclosures/",
        f"/api/v1/disclosures/{disclosure.pk}/",
    ]
    answers = {url: client.get(url) for url in urls}
    return {url: (answer.status_code, answer.content.decode()) for url, answer in answers.items()}


@pytest.fixture
def notice(department_a, publisher_a, reviewer_a, publish):
    disclosure = DisclosureFactory(department=department_a, title="公開的預算通知", body=f"<p>{MARKER_BODY} {SEARCHED}</p>")
    publish(disclosure, publisher_a, reviewer_a)
    disclosure.refresh_from_db()
    return disclosure


def edit_draft(actor, disclosure, **changes):
    """As the admin form does: the working copy's fields, saved through the service."""
    disclosure = Disclosure.objects.get(pk=disclosure.pk)
    for name, value in changes.items():
        setattr(disclosure, name, value)
    return services.disclosure_save(actor=actor, disclosure=disclosure, fields=list(changes))


def test_setting_an_amendment_internal_does_not_take_the_public_notice_down(client, notice, publisher_a):
    services.disclosure_amend(actor=publisher_a, disclosure=notice)
    edit_draft(publisher_a, notice, scope=Scope.INTERNAL, title="改過的標題")
    pages = public_surfaces(client, notice)
    assert pages[notice.get_absolute_url()][0] == 200
    assert "公開的預算通知" in pages[notice.get_absolute_url()][1]
    assert "改過的標題" not in "".join(text for _status, text in pages.values())  # the draft is not public
    assert json.loads(pages[f"/api/v1/disclosures/{notice.pk}/"][1])["title"] == "公開的預算通知"


def test_an_internal_notice_is_not_public_before_its_public_amendment_is_published(
    client, department_a, publisher_a, reviewer_a, publish
):
    internal = DisclosureFactory(department=department_a, scope=Scope.INTERNAL, title="內部通知", body=f"<p>{MARKER_BODY} {SEARCHED}</p>")
    publish(internal, publisher_a, reviewer_a)
    services.disclosure_amend(actor=publisher_a, disclosure=internal)
    edit_draft(publisher_a, internal, scope=Scope.PUBLIC)
    pages = public_surfaces(client, internal)
    leaks = [url for url, (_status, text) in pages.items() if "內部通知" in text or MARKER_BODY in text]
    assert leaks == []
    assert pages[internal.get_absolute_url()][0] == 404
    assert pages["/"][0] == 200 and pages[reverse("disclosures:list")][0] == 200  # answered, just without it

    # Once reviewed and published as public, it is public — but its first, internal revision is not.
    publish(Disclosure.objects.get(pk=internal.pk), publisher_a, reviewer_a)
    assert client.get(internal.get_absolute_url()).status_code == 200
    assert client.get(reverse("disclosures:revision", args=[internal.pk, 2])).status_code == 200
    assert client.get(reverse("disclosures:revision", args=[internal.pk, 1])).status_code == 404
    history = client.get(reverse("disclosures:history", args=[internal.pk])).content.decode()
    # The revision links, not "r1"/"r2": a page's random CSRF token contains "r1" now and then.
    assert f'href="{reverse("disclosures:revision", args=[internal.pk, 2])}"' in history
    assert f'href="{reverse("disclosures:revision", args=[internal.pk, 1])}"' not in history
    client.force_login(publisher_a)  # its own staff read every revision
    assert client.get(reverse("disclosures:revision", args=[internal.pk, 1])).status_code == 200


def test_a_notice_in_an_internal_category_is_internal_whatever_the_form_said(
    client, department_a, publisher_a, reviewer_a
):
    client.force_login(publisher_a)
    response = client.post(reverse("admin:disclosures_disclosure_add"), {
        "category": category("hospitality").pk, "title": "第三季度招待費", "summary": "", "body": "<p>明細</p>",
        "document_number": "", "formed_on": "2026-10-08", "valid_until": "", "scope": "public", "channels": "website",
        "attachments-TOTAL_FORMS": 0, "attachments-INITIAL_FORMS": 0,
        "reviews-TOTAL_FORMS": 0, "reviews-INITIAL_FORMS": 0, "tables-TOTAL_FORMS": 0, "tables-INITIAL_FORMS": 0,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    disclosure = Disclosure.objects.get(title="第三季度招待費")
    assert disclosure.scope == Scope.INTERNAL
    page = client.get(reverse("admin:disclosures_disclosure_change", args=[disclosure.pk])).content.decode()
    assert "Internal (staff of the department only)" in page or "內部" in page

    services.disclosure_submit(actor=publisher_a, disclosure=disclosure)
    with pytest.raises(TransitionError):
        services.disclosure_approve(actor=reviewer_a, disclosure=disclosure, scope="public")
    services.disclosure_approve(actor=reviewer_a, disclosure=disclosure)  # as proposed: internal
    revision = services.disclosure_publish(actor=reviewer_a, disclosure=disclosure)
    assert revision.scope == Scope.INTERNAL
    client.logout()
    assert client.get(disclosure.get_absolute_url()).status_code == 404


def test_a_withdrawn_notice_keeps_title_reason_and_hashes_but_serves_no_contents(
    client, department_a, publisher_a, reviewer_a, publish
):
    disclosure = DisclosureFactory(department=department_a, title="救災資金發放公示", body=f"<p>{MARKER_BODY} {SEARCHED}</p>",
                                   summary="摘要標記QQQ")
    Attachment.objects.create(
        disclosure=disclosure, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), name="名冊.pdf", content_type="application/pdf",
        size=10, sha256="a" * 64,
    )
    make_table(disclosure, recipients(3), confirmed_by=publisher_a)
    publish(disclosure, publisher_a, reviewer_a)
    disclosure.refresh_from_db()
    attachment_id = disclosure.current_revision.attachments[0]["id"]
    before = {
        "attachment": reverse("disclosures:attachment", args=[disclosure.pk, attachment_id]),
        "table": reverse("disclosures:table-csv", args=[disclosure.pk, 0]),
    }
    assert all(client.get(url).status_code == 200 for url in before.values())

    services.disclosure_withdraw(actor=reviewer_a, disclosure=disclosure, reason="名單有誤")
    disclosure.refresh_from_db()
    pages = public_surfaces(client, disclosure)
    page = pages[disclosure.get_absolute_url()][1]
    assert "救災資金發放公示" in page and "名單有誤" in page and disclosure.current_revision.entry_hash in page
    leaks = [url for url, (_status, text) in pages.items() if MARKER_BODY in text or "摘要標記QQQ" in text]
    leaks += [url for url, (_status, text) in pages.items() if HEADER[0] in text or "名冊.pdf" in text]
    assert leaks == []
    revision_page = client.get(reverse("disclosures:revision", args=[disclosure.pk, 1])).content.decode()
    assert MARKER_BODY not in revision_page and disclosure.current_revision.entry_hash in revision_page
    assert [client.get(url).status_code for url in before.values()] == [404, 404]
    detail = json.loads(pages[f"/api/v1/disclosures/{disclosure.pk}/"][1])
    assert (detail["status"], detail["body"], detail["summary"], detail["attachments"], detail["tables"]) == (
        "withdrawn", "", "", [], []
    )
    assert detail["hash"] == disclosure.current_revision.entry_hash

    client.force_login(reviewer_a)  # staff still see everything in the admin
    admin_page = client.get(reverse("admin:disclosures_disclosure_change", args=[disclosure.pk])).content.decode()
    assert MARKER_BODY in admin_page
