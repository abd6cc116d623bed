"""Validation of items and fees: errors a clerk can act on, and the database holds the line too."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from approvals import services
from approvals.models import ApprovalItem, FeeItem
from tests.approvals.factories import ApprovalItemFactory, FeeItemFactory, establish

pytestmark = pytest.mark.django_db


def test_given_a_promised_limit_above_the_statutory_one_when_cleaned_then_the_promised_field_has_the_error(department_a):
    item = ApprovalItemFactory.build(department=department_a, statutory_limit=20, promised_limit=25)
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert list(caught.value.message_dict) == ["promised_limit"]
    assert "20" in caught.value.message_dict["promised_limit"][0]


def test_given_an_equal_promised_limit_then_the_item_is_valid_and_established(department_a, coordinator):
    """The boundary of the rule: a promise may equal the statutory limit (only above is refused)."""
    item = ApprovalItemFactory.build(department=department_a, statutory_limit=20, promised_limit=20)
    item.full_clean()  # raises ValidationError if the rule refused the boundary
    services.approval_item_establish(actor=coordinator, item=item, effective_on=dt.date(2026, 1, 5))
    stored = ApprovalItem.objects.get(code=item.code)
    assert (stored.statutory_limit, stored.promised_limit) == (20, 20)
    assert stored.changes.get().kind == "establish"


def test_the_database_refuses_a_promised_limit_above_the_statutory_one(department_a):
    item = establish(department=department_a, statutory_limit=20, promised_limit=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalItem.objects.filter(pk=item.pk).update(promised_limit=21)


def test_the_establish_service_refuses_it_as_a_validation_error_not_a_crash(department_a, coordinator):
    item = ApprovalItemFactory.build(department=department_a, statutory_limit=5, promised_limit=6)
    with pytest.raises(ValidationError):
        services.approval_item_establish(actor=coordinator, item=item, effective_on=dt.date(2026, 1, 5))
    assert not ApprovalItem.objects.exists()


def test_item_codes_are_unique(department_a, department_b):
    establish(department=department_a, code="X-100")
    duplicate = ApprovalItemFactory.build(department=department_b, code="X-100")
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert "code" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.parametrize("code", ["fees", "has space", "-1", "沒有數字", ""])
def test_a_code_must_be_an_address_safe_token_with_a_digit(department_a, code):
    with pytest.raises(ValidationError) as caught:
        ApprovalItemFactory.build(department=department_a, code=code).full_clean()
    assert "code" in caught.value.message_dict


def test_a_window_must_be_one_where_the_department_serves(department_a, department_b, window):
    item = ApprovalItemFactory.build(department=department_b, window=window)
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert "window" in caught.value.message_dict


@pytest.mark.parametrize("fields,bad", [
    ({"standard_kind": "fixed", "amount": None}, "amount"),
    ({"standard_kind": "fixed", "amount": "10", "amount_min": "1"}, "amount_min"),
    ({"standard_kind": "range", "amount": None, "amount_min": "50", "amount_max": "20"}, "amount_max"),
    ({"standard_kind": "range", "amount": None, "amount_min": None, "amount_max": "20"}, "amount_min"),
    ({"standard_kind": "range", "amount": "10", "amount_min": "5", "amount_max": "20"}, "amount"),
    ({"standard_kind": "per_unit", "amount": "3.5", "unit": ""}, "unit"),
    ({"standard_kind": "fixed", "amount": "-1"}, "amount"),
    ({"currency": "rmb"}, "currency"),
])
def test_an_incomplete_or_inconsistent_fee_standard_is_a_field_error(department_a, fields, bad):
    fee = FeeItemFactory.build(department=department_a, **fields)
    with pytest.raises(ValidationError) as caught:
        fee.full_clean()
    assert bad in caught.value.message_dict


@pytest.mark.parametrize("fields,shown", [
    ({"standard_kind": "fixed", "amount": Decimal("10"), "unit": "本"}, "¥10.00 / 本"),
    ({"standard_kind": "range", "amount": None, "amount_min": Decimal("50"), "amount_max": Decimal("200"), "unit": ""}, "¥50.00–200.00"),
    ({"standard_kind": "per_unit", "amount": Decimal("3.5"), "unit": "平方米"}, "¥3.50 / 平方米"),
    ({"standard_kind": "fixed", "amount": Decimal("20"), "currency": "USD", "unit": ""}, "USD 20.00"),
])
def test_every_kind_of_standard_is_valid_and_reads_as_one_line(department_a, fields, shown):
    fee = FeeItemFactory.build(department=department_a, **fields)
    fee.full_clean()
    assert fee.standard == shown


def test_the_database_refuses_a_range_without_its_bounds(department_a):
    fee = FeeItemFactory(department=department_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        FeeItem.objects.filter(pk=fee.pk).update(standard_kind="range")


def test_a_fee_linked_to_another_departments_item_is_refused(department_a, department_b):
    item = establish(department=department_b)
    fee = FeeItemFactory.build(department=department_a, approval_item=item)
    with pytest.raises(ValidationError) as caught:
        fee.full_clean()
    assert "approval_item" in caught.value.message_dict
