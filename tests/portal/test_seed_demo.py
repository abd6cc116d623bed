"""``manage.py seed_demo`` loads the demo county and is idempotent."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from guardian.models import GroupObjectPermission, UserObjectPermission
from simple_history.models import HistoricalChanges

from portal.models import Department, StaffProfile
from portal.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "demo-Passw0rd-for-tests"


def seed():
    call_command("seed_demo", password=PASSWORD, stdout=StringIO())


def history_models():
    return sorted(
        (model for model in apps.get_models() if issubclass(model, HistoricalChanges)), key=lambda m: m._meta.label
    )


def snapshot():
    """Row counts of what the seed touches, and every user's password hash."""
    User = get_user_model()
    counts = {
        "departments": Department.objects.count(),
        "users": User.objects.count(),
        "staff profiles": StaffProfile.objects.count(),
        "groups": Group.objects.count(),
        "group memberships": User.groups.through.objects.count(),
        "guardian user grants": UserObjectPermission.objects.count(),
        "guardian group grants": GroupObjectPermission.objects.count(),
    }
    counts.update({f"history {model._meta.label}": model.objects.count() for model in history_models()})
    # Everything else the apps' demo loaders add (categories, catalogue, …) must not grow either.
    counts.update({f"rows {model._meta.label}": model._default_manager.count() for model in apps.get_models()})
    hashes = dict(User.objects.values_list("username", "password"))
    return counts, hashes


@pytest.fixture
def seeded():
    seed()


def test_running_the_seed_twice_creates_and_changes_nothing_the_second_time():
    """Given the demo county seeded once, when the seed runs again with the same password,
    then no row is added anywhere, no history is written, and no password is re-hashed."""
    seed()
    counts_before, hashes_before = snapshot()

    seed()
    counts_after, hashes_after = snapshot()

    differing = {key: (n, counts_after[key]) for key, n in counts_before.items() if counts_after[key] != n}
    assert differing == {}
    assert hashes_after == hashes_before


def test_the_seed_history_is_not_empty(seeded):
    """The idempotency check above is only meaningful if the seed writes history at all."""
    assert any(model.objects.exists() for model in history_models())


def test_the_demo_county_has_the_fourteen_leading_group_bureaus(seeded):
    assert Department.objects.filter(kind=Department.Kind.BUREAU).count() >= 14


def test_there_is_a_demo_user_for_every_role_and_a_superuser(seeded):
    User = get_user_model()
    for role in Role:
        users = User.objects.filter(groups__name=role.value, is_active=True)
        assert users.exists(), f"no demo user for {role.label}"
        assert all(user.check_password(PASSWORD) for user in users)
    assert User.objects.filter(is_superuser=True, is_active=True).exists()


def test_there_are_two_publishers_in_different_departments(seeded):
    publishers = StaffProfile.objects.filter(role=Role.PUBLISHER)
    assert publishers.values("department").distinct().count() >= 2


def test_a_new_password_on_a_second_run_resets_the_demo_accounts():
    seed()
    call_command("seed_demo", password="another-Passw0rd", stdout=StringIO())

    assert get_user_model().objects.get(username="coordinator").check_password("another-Passw0rd")


def test_the_printed_account_list_names_every_demo_account_including_the_window_clerk():
    out = StringIO()
    call_command("seed_demo", password=PASSWORD, stdout=out)
    listed = out.getvalue().split("Demo accounts", 1)[1]
    assert "clerk.hall" in listed and "政務大廳窗口工作人員" in listed
    staff = get_user_model().objects.filter(staff_profile__isnull=False).values_list("username", flat=True)
    assert all(username in listed for username in staff)


def test_seeding_sends_and_records_no_email(django_capture_on_commit_callbacks):
    from django.core import mail

    from portal.models import OutgoingEmail

    with django_capture_on_commit_callbacks(execute=True):
        seed()
    assert not OutgoingEmail.objects.exists() and not mail.outbox


def test_the_demo_county_has_a_standard_catalogue_with_linked_notices(seeded):
    """At least five domains of the national standard catalogue, and notices linked to
    their entries, a normative document in force and a repealed one among them."""
    from disclosures.models import CatalogueEntry, Disclosure

    standard = CatalogueEntry.objects.filter(domain__isnull=False)
    assert standard.values("domain").distinct().count() >= 5
    linked = Disclosure.objects.published().filter(catalogue_entry__in=standard)
    assert linked.count() >= 3
    assert linked.normative().in_force().exists()
    assert linked.normative().with_validity("repealed").exists()
