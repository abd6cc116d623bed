"""Index numbers come from a counter per department and year, seeded from the numbers
already given (concurrent drafts: tests/test_concurrency.py)."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from disclosures.models import Disclosure, IndexCounter
from disclosures.numbering import next_index_number
from tests.factories import DepartmentFactory, DisclosureFactory

pytestmark = pytest.mark.django_db

seeding = importlib.import_module("disclosures.migrations.0012_seed_index_counters")


def test_each_department_and_year_counts_on_its_own(department_a, department_b):
    first = DisclosureFactory(department=department_a)
    second = DisclosureFactory(department=department_a)
    other = DisclosureFactory(department=department_b)
    next_year = DisclosureFactory(department=department_a, formed_on=dt.date(2027, 1, 4))
    assert [first.index_number, second.index_number, other.index_number, next_year.index_number] == [
        "dept-a-2026-00001", "dept-a-2026-00002", "dept-b-2026-00001", "dept-a-2027-00001"]
    assert sorted(IndexCounter.objects.values_list("department__code", "year", "last")) == [
        ("dept-a", 2026, 2), ("dept-a", 2027, 1), ("dept-b", 2026, 1)]


def test_a_draft_that_fails_to_save_gives_its_number_back(department_a):
    DisclosureFactory(department=department_a)
    failed = DisclosureFactory.build(department=department_a, valid_until=dt.date(2020, 1, 1))  # before formed_on
    with pytest.raises(IntegrityError):
        failed.save()
    assert failed.index_number == "" and failed.pk is None
    assert DisclosureFactory(department=department_a).index_number == "dept-a-2026-00002"


def test_the_number_is_given_once_and_kept(department_a):
    draft = DisclosureFactory(department=department_a)
    draft.title = "改過的標題"
    draft.save()
    assert Disclosure.objects.get(pk=draft.pk).index_number == "dept-a-2026-00001"
    assert IndexCounter.objects.get().last == 1


def test_a_number_taken_outside_the_counter_is_skipped(department_a):
    # Given a number under this code that the counter never gave (another department held
    # the code before a rename)
    former = DepartmentFactory(code="former")
    DisclosureFactory(department=former, index_number="dept-a-2026-00001")
    # then the counter passes over it
    assert DisclosureFactory(department=department_a).index_number == "dept-a-2026-00002"
    assert next_index_number(department_a, 2026) == "dept-a-2026-00003"


def test_the_migration_seeds_counters_from_the_highest_numbers_given(department_a):
    DisclosureFactory(department=department_a, index_number="dept-a-2026-00041")
    DisclosureFactory(department=department_a, index_number="dept-a-2026-00007")
    DisclosureFactory(department=department_a, index_number="dept-a-2025-00120")
    prefixed = DepartmentFactory(code="dept")  # "dept-a-…" starts with "dept-" too
    DisclosureFactory(department=prefixed, index_number="dept-2026-00003")
    IndexCounter.objects.all().delete()

    seeding.seed(apps, None)

    assert sorted(IndexCounter.objects.values_list("department__code", "year", "last")) == [
        ("dept", 2026, 3), ("dept-a", 2025, 120), ("dept-a", 2026, 41)]
    assert DisclosureFactory(department=department_a).index_number == "dept-a-2026-00042"
    assert DisclosureFactory(department=prefixed).index_number == "dept-2026-00004"


def test_seeding_twice_never_lowers_a_counter(department_a):
    DisclosureFactory(department=department_a, index_number="dept-a-2026-00005")
    IndexCounter.objects.create(department=department_a, year=2026, last=9)
    seeding.seed(apps, None)
    assert IndexCounter.objects.get().last == 9


def test_the_counter_is_unique_per_department_and_year(department_a):
    IndexCounter.objects.create(department=department_a, year=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndexCounter.objects.create(department=department_a, year=2026)
