"""Ten years of published disclosures for the bench (``portal.bench_data``): at scale 1,
100,000 disclosures over the eight public categories, one in ten amended (two
revisions), one in a hundred withdrawn, one in twenty internal; their revisions chained
in the ledger as publication would have chained them, and their index numbers counted."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import connection
from django.utils import timezone

from disclosures.models import Category, Disclosure, IndexCounter, LedgerHead, Revision, Scope, Status
from disclosures.totals import count_public_totals
from disclosures.models.ledger import GENESIS_HASH
from portal.bench_data import County, copy_instances, first_id, reset_sequences

DOCUMENT_KINDS = ("通知", "公告", "決定", "意見", "辦法", "報告", "公示", "通報")
TOPICS = ("財政預算", "專項資金", "救助資金", "糧食補貼", "招生計劃", "收費標準", "土地徵用", "工程招標",
          "幹部任免", "退耕還林", "計劃生育", "農機補貼", "政府採購", "審計結果", "行政審批", "公務接待")


def generate(county: County) -> int:
    departments = county.shared["departments"]
    categories = list(
        Category.objects.filter(scope=Scope.PUBLIC).exclude(parent__scope=Scope.INTERNAL).order_by("pk")
    )
    rand, count = county.random, county.count(100_000)
    today = timezone.localdate()
    first = first_id(Disclosure)
    disclosures, revisions = [], []
    counters = Counter({(c.department_id, c.year): c.last for c in IndexCounter.objects.all()})  # a second run goes on
    for offset in range(count):
        pk = first + offset
        department, category = rand.choice(departments), rand.choice(categories)
        formed_on = today - dt.timedelta(days=rand.randint(0, 3650))
        published_at = timezone.make_aware(
            dt.datetime.combine(formed_on + dt.timedelta(days=rand.randint(0, 5)), dt.time(8 + rand.randint(0, 9), rand.randint(0, 59)))
        )
        counters[(department.pk, formed_on.year)] += 1
        title = f"{department.name}關於{rand.choice(TOPICS)}的{rand.choice(DOCUMENT_KINDS)}({county.phrase(4, 12)})"[:200]
        body = "".join(f"<p>{paragraph}</p>" for paragraph in county.paragraphs(300, 2000))
        scope = Scope.INTERNAL if rand.random() < 0.05 else Scope.PUBLIC
        withdrawn = rand.random() < 0.01
        disclosure = Disclosure(
            pk=pk, department=department, category=category, title=title,
            summary=county.phrase(20, 60), body=body,
            document_number=f"漢{department.name[1:3]}發〔{formed_on.year}〕{counters[(department.pk, formed_on.year)]}號",
            index_number=f"{department.code}-{formed_on.year}-{counters[(department.pk, formed_on.year)]:05d}",
            formed_on=formed_on, scope=scope, channels=["website"],
            status=Status.WITHDRAWN if withdrawn else Status.PUBLISHED,
            withdrawn_at=published_at + dt.timedelta(days=30) if withdrawn else None,
            withdrawn_reason="內容已過時,撤回。" if withdrawn else "",
        )
        disclosures.append(disclosure)
        amended = rand.random() < 0.1
        for number in (1, 2) if amended else (1,):
            revisions.append(_revision(disclosure, number, published_at + dt.timedelta(days=(number - 1) * 20)))
    _chain(revisions)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # no deferred checks left pending: ALTER TABLE below refuses them
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    copy_instances(Disclosure, disclosures)
    copy_instances(Revision, revisions)
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute("ANALYZE disclosures_disclosure, disclosures_revision")  # fresh rows: plan on real counts
            # The totals' trigger would update the same few rows once per disclosure in one
            # transaction (each update walking the ones before): counted once at the end.
            cursor.execute("ALTER TABLE disclosures_disclosure DISABLE TRIGGER disclosures_public_total")
        cursor.execute(
            "UPDATE disclosures_disclosure SET current_revision_id = r.id, current_published_at = r.published_at, "
            "current_formed_on = r.formed_on, current_public = (r.scope = 'public') FROM ("
            "SELECT r1.id, r1.disclosure_id, r1.published_at, r1.formed_on, r1.scope FROM disclosures_revision r1 "
            "WHERE r1.disclosure_id >= %s AND NOT EXISTS (SELECT 1 FROM disclosures_revision r2 "
            "WHERE r2.disclosure_id = r1.disclosure_id AND r2.number > r1.number)) r "
            "WHERE r.disclosure_id = disclosures_disclosure.id", [first]
        )
        cursor.execute(
            "UPDATE disclosures_revision SET superseded_at = (SELECT n.published_at FROM disclosures_revision n "
            "WHERE n.disclosure_id = disclosures_revision.disclosure_id AND n.number = disclosures_revision.number + 1) "
            "WHERE disclosure_id >= %s AND EXISTS (SELECT 1 FROM disclosures_revision n "
            "WHERE n.disclosure_id = disclosures_revision.disclosure_id AND n.number = disclosures_revision.number + 1)",
            [first],
        )
        if postgresql:
            cursor.execute("ALTER TABLE disclosures_disclosure ENABLE TRIGGER disclosures_public_total")
            count_public_totals()
    for (department_id, year), last in counters.items():
        IndexCounter.objects.update_or_create(department_id=department_id, year=year, defaults={"last": last})
    reset_sequences(Disclosure, Revision)
    return len(disclosures) + len(revisions)


def _revision(disclosure: Disclosure, number: int, published_at) -> Revision:
    return Revision(
        disclosure_id=disclosure.pk, number=number, title=disclosure.title, summary=disclosure.summary,
        body=disclosure.body, document_number=disclosure.document_number, index_number=disclosure.index_number,
        department_code=disclosure.department.code, category_code=disclosure.category.code,
        formed_on=disclosure.formed_on, scope=disclosure.scope, channels=disclosure.channels,
        attachments=[], tables=[], published_at=published_at,
    )


def _chain(revisions: list[Revision]) -> None:
    """Sequence and hash the revisions in order of publication, after the chain's tip."""
    head, _ = LedgerHead.objects.get_or_create(pk=1)
    sequence, previous = head.last_sequence, head.last_hash or GENESIS_HASH
    first = first_id(Revision)
    revisions.sort(key=lambda r: (r.published_at, r.disclosure_id, r.number))
    for offset, revision in enumerate(revisions):
        sequence += 1
        revision.pk, revision.sequence, revision.previous_hash = first + offset, sequence, previous
        revision.entry_hash = previous = revision.compute_hash()
    head.last_sequence, head.last_hash = sequence, previous
    head.save()
