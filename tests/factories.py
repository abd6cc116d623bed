"""factory_boy factories for the domain."""

import datetime as dt

import factory

from disclosures.models import Category, CatalogueEntry, Disclosure
from portal.models import Department


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"第{n}局")
    kind = Department.Kind.BUREAU


def category(code="budget"):
    """A seeded category (re-created after a transactional test flushed the seed)."""
    return Category.objects.get_or_create(code=code, defaults={"name": f"類別 {code}"})[0]


def standard_lists():
    """The seeded domains and carriers of the standard catalogue (re-created after a
    transactional test flushed the seed; the migration's seed only adds what is missing)."""
    import importlib

    from django.apps import apps

    importlib.import_module("disclosures.migrations.0015_seed_domains_and_carriers").seed(apps, None)


class CatalogueEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogueEntry

    department = factory.SubFactory(DepartmentFactory)
    category = factory.LazyFunction(category)
    title = factory.Sequence(lambda n: f"年度預算公開{n}")
    channels = ["website", "notice_board"]


class DisclosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disclosure

    department = factory.SubFactory(DepartmentFactory)
    category = factory.LazyFunction(category)
    title = factory.Sequence(lambda n: f"關於公開2026年部門預算的通知{n}")
    summary = "部門預算收支總表"
    body = "<p>全年收入預算<strong>1200萬元</strong>。</p>"
    document_number = factory.Sequence(lambda n: f"漢財發〔2026〕{n}號")
    formed_on = dt.date(2026, 3, 2)
    channels = ["website"]
