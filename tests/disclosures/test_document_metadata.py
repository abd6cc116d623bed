"""Document metadata as county sites show it (索引號, 主題分類, 發文機構, 發文字號, 成文日期,
發布日期, 有效性 with 廢止日期, 規範性文件): in a box on the page, filterable on the list and
in the API, changed only through a reviewed revision, covered by the ledger's hash."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosures import ledger, services
from disclosures.models import Disclosure, Domain, Revision, Validity
from disclosures.models.ledger import DEFAULT_METADATA
from tests.factories import CatalogueEntryFactory, DisclosureFactory, standard_lists

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded_lists(db):
    standard_lists()


@pytest.fixture
def normative(department_a, publisher_a, reviewer_a, publish):
    entry = CatalogueEntryFactory(domain=Domain.objects.get(code="social-assistance"), category=None, title="",
                                  department=department_a, item="最低生活保障", sub_item="政策文件")
    disclosure = DisclosureFactory(
        department=department_a, catalogue_entry=entry, title="城鄉低保審核確認實施細則", issuing_body="縣民政局",
        written_on=dt.date(2026, 3, 2), formed_on=dt.date(2026, 3, 5), normative=True,
    )
    publish(disclosure, publisher_a, reviewer_a)
    disclosure.refresh_from_db()
    return disclosure


def test_the_detail_page_shows_the_metadata_box(client, normative):
    html = client.get(normative.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    box = html[html.index('class="metadata-box"'):]
    for text in ("索引號", normative.index_number, "主題分類", "社會救助", "政策文件", "發文機構", "縣民政局",
                 "發文字號", normative.document_number, "成文日期", "發布日期", "有效性", "有效", "規範性文件"):
        assert text in box, text


def test_metadata_changes_only_through_a_reviewed_revision(client, normative, publisher_a, reviewer_a, cold_pages):
    """Repealing a normative document is an amendment: until it is reviewed and published, the
    public page and the filters still read the published revision."""
    services.disclosure_amend(actor=publisher_a, disclosure=normative)
    draft = Disclosure.objects.get(pk=normative.pk)
    draft.validity, draft.repealed_on = Validity.REPEALED, dt.date(2026, 11, 1)
    services.disclosure_save(actor=publisher_a, disclosure=draft, fields=["validity", "repealed_on"])
    in_force = Disclosure.objects.normative().in_force()
    assert list(in_force) == [normative]
    assert "廢止" not in client.get(normative.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    services.disclosure_submit(actor=publisher_a, disclosure=draft)
    services.disclosure_approve(actor=reviewer_a, disclosure=draft)
    services.disclosure_publish(actor=reviewer_a, disclosure=draft)
    assert not Disclosure.objects.normative().in_force().exists()
    assert list(Disclosure.objects.normative().with_validity(Validity.REPEALED)) == [normative]
    html = client.get(normative.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "廢止" in html and "2026年11月1日" in html


def test_the_list_and_the_api_filter_normative_documents_in_force(client, normative, department_a, publisher_a, cold_pages,
                                                                  reviewer_a, publish):
    expired = DisclosureFactory(department=department_a, title="已過期的規定", normative=True,
                                formed_on=dt.date(2020, 1, 1), valid_until=dt.date(2021, 1, 1))
    plain = DisclosureFactory(department=department_a, title="一般通知")
    for disclosure in (expired, plain):
        publish(disclosure, publisher_a, reviewer_a)
    html = client.get(reverse("disclosures:list") + "?normative=1&validity=valid").content.decode()
    assert normative.title in html and expired.title not in html and plain.title not in html
    html = client.get(reverse("disclosures:list") + "?validity=expired").content.decode()
    assert expired.title in html and normative.title not in html
    api = client.get("/api/v1/disclosures/?normative=1&validity=valid&format=json").json()
    rows = api["results"] if isinstance(api, dict) else api
    assert [row["title"] for row in rows] == [normative.title]
    assert rows[0]["normative"] is True and rows[0]["validity"] == "valid" and rows[0]["issuing_body"] == "縣民政局"
    assert rows[0]["written_on"] == "2026-03-02" and rows[0]["catalogue_entry"] == normative.catalogue_entry_id


def test_a_repealed_document_needs_its_date(department_a, publisher_a):
    from django.core.exceptions import ValidationError

    disclosure = DisclosureFactory.build(department=department_a, validity=Validity.REPEALED)
    with pytest.raises(ValidationError):
        disclosure.full_clean(exclude=["index_number"])


def test_the_ledger_covers_the_metadata_and_old_revisions_keep_their_hash(normative):
    revision = normative.current_revision
    assert revision.metadata() != DEFAULT_METADATA and "metadata" in revision.canonical_content()
    # Tampering with a metadata column breaks the chain (PostgreSQL's and SQLite's triggers
    # refuse the edit itself; the hash would catch one made around them).
    tampered = Revision.objects.get(pk=revision.pk)
    tampered.normative = False
    assert tampered.compute_hash() != revision.entry_hash
    assert ledger.verify() == (1, None)


def test_a_revision_with_default_metadata_hashes_as_before(department_a, publisher_a, reviewer_a, publish):
    """A revision written before the metadata existed has the defaults: its canonical content,
    and so its hash, has no metadata key — old revisions still verify."""
    revision = publish(DisclosureFactory(department=department_a, formed_on=timezone.localdate()), publisher_a, reviewer_a)
    assert revision.metadata() == DEFAULT_METADATA
    assert "metadata" not in revision.canonical_content()
    assert ledger.verify()[1] is None
