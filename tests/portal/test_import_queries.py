"""What an import row costs (issue 15: 5,000 rows in a worker within a minute): the objects a
file names are looked up once, the departments the user acts for are read once, the check
constraints are decided without a query each (portal.constraints), a foreign key's
existence is checked once per value, no savepoint is taken inside a row and the events and
history records are written together at the end (portal.batched_writes) — with the same
answers, errors and records as row by row."""

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
    """27 queries a row at first: nine for three check constraints, one for each lookup of the
    department and the category, one for the permission of each row; 14.4 then: six for the
    savepoints of the row, the workflow step and the save, two for the foreign keys' existence,
    one for the uniqueness of the empty index number, the event and the history record. Left:
    the row's savepoint (two), the index-number counter and its check, the insert."""
    client.force_login(publisher_a)

    per_row = (dry_run_queries(client, 20) - dry_run_queries(client, 10)) / 10

    assert per_row <= 5.5


def import_file(client, rows):
    from tests.disclosures.test_import_export import confirm, dry_run

    return confirm(client, "disclosure", dry_run(client, "disclosure", csv_file(rows)))


def test_an_import_writes_each_rows_event_and_history_record_as_the_service_does(client, publisher_a, department_a):
    from disclosures.events import DisclosureEvent
    from portal.models import Event
    from tests.factories import DisclosureFactory

    draft = DisclosureFactory(department=department_a, title="舊")
    client.force_login(publisher_a)

    import_file(client, [row(title="新一"), row(index_number=draft.index_number, title="改"), row(title="新二")])

    new = list(Disclosure.objects.exclude(pk=draft.pk).order_by("pk"))
    assert [d.title for d in new] == ["新一", "新二"]
    for disclosure, kind, history_type in [(new[0], DisclosureEvent.CREATED, "+"), (draft, DisclosureEvent.EDITED, "~"),
                                           (new[1], DisclosureEvent.CREATED, "+")]:
        disclosure.refresh_from_db()
        event = Event.objects.get(object_id=str(disclosure.pk), kind=kind.value)
        assert (event.actor, event.data["source"], event.to_state) == (publisher_a, "import", Status.DRAFT)
        record = disclosure.history.latest("history_id")
        assert (record.history_type, record.history_user, record.title) == (history_type, publisher_a, disclosure.title)
        assert record.index_number == disclosure.index_number != ""
    assert Event.objects.get(kind=DisclosureEvent.EDITED.value).data["fields"]


def test_a_file_rolled_back_leaves_no_event_and_no_history_record(client, publisher_a, department_a):
    """The dry run passed; before the confirm, the third row's draft was submitted: the two
    new rows before it are rolled back with their events and history records."""
    from tests.disclosures.test_import_export import confirm, dry_run
    from disclosures import services
    from portal.models import Event
    from tests.factories import DisclosureFactory

    draft = DisclosureFactory(department=department_a)
    client.force_login(publisher_a)
    content = csv_file([row(title="新一"), row(title="新二"), row(index_number=draft.index_number, title="改")])
    preview = dry_run(client, "disclosure", content)
    services.disclosure_submit(actor=publisher_a, disclosure=draft)
    history, events = Disclosure.history.count(), Event.objects.count()

    confirm(client, "disclosure", preview)

    assert Disclosure.objects.count() == 1
    assert (Disclosure.history.count(), Event.objects.count()) == (history, events)


def test_outside_an_import_a_failed_step_rolls_back_to_its_own_savepoint(publisher_a, department_a):
    """The savepoints are left out only inside an import's rows: a caller that catches a
    refused step goes on with its transaction."""
    from django.core.exceptions import PermissionDenied
    from django.db import transaction

    from disclosures.services import disclosure_save
    from portal.models import Department
    from tests.factories import DisclosureFactory

    draft = DisclosureFactory(department=department_a)
    elsewhere = Department.objects.exclude(pk=department_a.pk).first() or Department.objects.create(code="x", name="x")
    with transaction.atomic():
        draft.department = elsewhere
        with pytest.raises(PermissionDenied):
            disclosure_save(actor=publisher_a, disclosure=draft, fields=["department"])
        assert Disclosure.objects.filter(pk=draft.pk, department=department_a).exists()  # a query still runs


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

