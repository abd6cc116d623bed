"""Past versions in the admin (django-simple-history, through ``portal.admin_scoping``):
as private as the object, never written back, and a history page for every model."""

import pytest
from django.urls import reverse

from approvals.models import RectificationRule
from disclosures.models import Disclosure
from tests.factories import DisclosureFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited_draft(department_a):
    """A draft of department A whose first version had another title."""
    draft = DisclosureFactory(department=department_a, title="初稿")
    draft.title = "修改稿"
    draft.save()
    return draft


def first_version(draft):
    version = Disclosure.history.filter(id=draft.pk).order_by("history_id").first()
    return reverse("admin:disclosures_disclosure_simple_history", args=[draft.pk, version.history_id])


def as_posted(draft, **changes):
    data = {
        "department": draft.department_id, "category": category("budget").pk, "title": draft.title, "summary": draft.summary, "body": draft.body,
        "document_number": draft.document_number, "formed_on": draft.formed_on.isoformat(), "scope": draft.scope,
        "channels": draft.channels,
    }
    return {**data, **changes}


@pytest.mark.parametrize("who", ["supervisor", "publisher_a"])
def test_nobody_writes_a_past_version_back(request, client, who, edited_draft):
    """Neither the supervisor, who may only read the draft, nor its own publisher: the
    history is a record. Posting the first version once wrote it over the draft."""
    client.force_login(request.getfixturevalue(who))
    url = first_version(edited_draft)
    assert client.get(url).status_code == 200

    assert client.post(url, as_posted(edited_draft, title="初稿")).status_code == 403

    edited_draft.refresh_from_db()
    assert edited_draft.title == "修改稿"
    assert Disclosure.history.filter(id=edited_draft.pk).count() == 2


def test_another_departments_past_version_is_404(client, publisher_b, edited_draft):
    client.force_login(publisher_b)
    assert client.get(first_version(edited_draft)).status_code == 404
    assert client.post(first_version(edited_draft), {}).status_code == 404


def test_a_model_without_past_versions_has_a_history_page(client, coordinator, department_a):
    """Ratings, published revisions and rectification rules keep no past versions; their
    history page was a 500."""
    rule = RectificationRule.objects.create(department=department_a, working_days=7)
    client.force_login(coordinator)
    history = client.get(reverse("admin:approvals_rectificationrule_history", args=[rule.pk]))
    assert history.status_code == 200
    assert "object-events" in history.content.decode()
    version = reverse("admin:approvals_rectificationrule_simple_history", args=[rule.pk, 1])
    assert client.get(version).status_code == 404


def test_what_changed_reads_in_words_not_codes(client, coordinator, department_a):
    """A box reads 是/否 (not True/False), a choice its label, an empty value "—" (not
    "Deleted 部門 (pk=None)")."""
    import re

    department_a.requires_coordinator_review = not department_a.requires_coordinator_review
    department_a.save()
    client.force_login(coordinator)
    page = client.get(reverse("admin:portal_department_history", args=[department_a.pk])).content.decode()
    changes = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace("&nbsp;", " ").replace("&rarr;", "→")
    assert re.search(r"須經政務公開辦公室審核: (是|否) +→ +(是|否)", changes), changes[-400:]
    assert "True" not in changes and "False" not in changes
