"""What an import row costs (issue 15: 5,000 rows in a worker within a minute): the objects a
file names are looked up once, the departments the user acts for are read once, and the
check constraints are decided without a query each (portal.constraints) — with the same
answers and the same errors as the database gives."""

import datetime as dt
import itertools

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosures.models import Disclosure, Status, Validity
from portal.constraints import UNDECIDED, holds
from tests.disclosures.test_import_export import csv_file, row

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:disclosures_disclosure_import")


def dry_run_queries(client, rows: int) -> int:
    upload = SimpleUploadedFile("x.csv", csv_file([row(title=f"第{n}份") for n in range(rows)]))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(IMPORT, {"resource": "0", "format": "0", "import_file": upload})
    assert response.status_code == 200 and not response.context["result"].has_errors()
    assert not response.context["result"].has_validation_errors()
    return len(queries)


def test_a_disclosure_row_costs_a_bounded_number_of_queries(client, publisher_a):
    """27 queries a row before: nine for three check constraints, one for each lookup of the
    department and the category, one for the permission of each row."""
    client.force_login(publisher_a)

    per_row = (dry_run_queries(client, 20) - dry_run_queries(client, 10)) / 10

    assert per_row <= 15


def test_the_check_constraints_are_decided_in_python_as_the_database_decides_them(db):
    formed = dt.date(2026, 3, 1)
    constraints = Disclosure._meta.constraints
    checked = [c for c in constraints if hasattr(c, "condition")]
    assert len(checked) == 3
    combinations = itertools.product(
        [None, formed - dt.timedelta(days=1), formed, formed + dt.timedelta(days=1)],  # valid_until
        [Status.DRAFT, Status.WITHDRAWN],
        ["", "已撤回"],
        [Validity.VALID, Validity.REPEALED],
        [None, formed],  # repealed_on
    )
    for valid_until, status, reason, validity, repealed_on in combinations:
        disclosure = Disclosure(formed_on=formed, valid_until=valid_until, status=status, withdrawn_reason=reason,
                                validity=validity, repealed_on=repealed_on)
        values = {field.name: getattr(disclosure, field.attname) for field in Disclosure._meta.local_concrete_fields}
        for constraint in checked:
            try:
                constraint.validate(Disclosure, disclosure)  # Django's way: a query
                by_database = True
            except ValidationError:
                by_database = False
            assert holds(constraint, values) is by_database, (constraint.name, values)


def test_what_python_cannot_decide_is_left_to_the_database(db):
    from django.db.models import CheckConstraint
    from django.db.models.functions import Length

    across = CheckConstraint(condition=Q(department__code="x"), name="across")
    function = CheckConstraint(condition=Q(title__gt=Length("summary")), name="function")
    text_order = CheckConstraint(condition=Q(title__gt="m"), name="text_order")
    for constraint in (across, function, text_order):
        assert holds(constraint, {"title": "a", "summary": "b", "department": 1}) is UNDECIDED
    assert holds(CheckConstraint(condition=Q(valid_until__gte=dt.date(2026, 1, 1)), name="skip"),
                 {}, exclude={"valid_until"}) is True  # an excluded field: Django skips the constraint


def test_a_row_breaking_a_constraint_is_refused_with_the_constraints_message(client, publisher_a):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(publisher_a)
    upload = SimpleUploadedFile("x.csv", csv_file([row(formed_on="2026-03-02", valid_until="2026-03-01")]))

    response = client.post(IMPORT, {"resource": "0", "format": "0", "import_file": upload})

    invalid = response.context["result"].invalid_rows
    assert len(invalid) == 1 and not Disclosure.objects.exists()
    messages = [str(message) for messages in invalid[0].error_dict.values() for message in messages]
    constraint = next(c for c in Disclosure._meta.constraints if c.name == "disclosure_valid_after_formed")
    assert str(constraint.get_violation_error_message()) in messages

