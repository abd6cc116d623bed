"""The permission matrix: each role × own / other department × view / change / delete,
in the admin and in ``portal.permissions.scope``."""

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from portal.models import Department, StaffProfile
from portal.permissions import can, departments_for, scope

pytestmark = pytest.mark.django_db


def admin_url(obj, view="change"):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])


class TestScopeHelper:
    def test_publisher_sees_only_own_department(self, publisher_a, department_a, department_b):
        assert list(scope(publisher_a, Department.objects.all(), "view")) == [department_a]
        assert list(departments_for(publisher_a)) == [department_a]

    def test_publisher_may_not_change_or_delete_even_own_department(self, publisher_a, department_a):
        assert can(publisher_a, "view", department_a)  # their own: seen, not edited
        assert not can(publisher_a, "change", department_a)
        assert not can(publisher_a, "delete", department_a)

    @pytest.mark.parametrize("role", ["coordinator", "supervisor"])
    def test_county_wide_roles_see_every_department(self, request, role, department_a, department_b):
        user = request.getfixturevalue(role)
        assert set(scope(user, Department.objects.all(), "view")) >= {department_a, department_b}

    def test_only_coordinator_changes_departments(self, coordinator, supervisor, department_b):
        assert can(coordinator, "change", department_b)
        assert not can(supervisor, "change", department_b)

    def test_anonymous_sees_nothing(self, department_a):
        from django.contrib.auth.models import AnonymousUser

        assert Department.objects.filter(pk=department_a.pk).exists()  # there is something not to see
        assert not scope(AnonymousUser(), Department.objects.all(), "view").exists()

    def test_inactive_user_sees_nothing(self, publisher_a, department_a):
        assert list(scope(publisher_a, Department.objects.all(), "view")) == [department_a]
        publisher_a.is_active = False
        publisher_a.save()
        assert not scope(publisher_a, Department.objects.all(), "view").exists()

    def test_object_grant_adds_a_single_object(self, publisher_a, publisher_b):
        other_profile = StaffProfile.objects.get(user=publisher_b)
        assert not can(publisher_a, "view", other_profile)
        assign_perm("portal.view_staffprofile", publisher_a, other_profile)
        assert can(publisher_a, "view", other_profile)
        assert not can(publisher_a, "change", other_profile)

    def test_staff_profiles_follow_department(self, publisher_a, publisher_b, reviewer_a):
        visible = set(scope(publisher_a, StaffProfile.objects.all(), "view").values_list("user__username", flat=True))
        assert visible == {"publisher_a", "reviewer_a"}


# (role fixture, object department: "own" | "other", view, expected status)
ADMIN_MATRIX = [
    ("publisher_a", "own", "change", 200),  # read-only view of own department
    ("publisher_a", "other", "change", 404),
    ("publisher_a", "own", "delete", 403),
    ("publisher_a", "other", "delete", 404),
    ("publisher_a", "other", "history", 404),
    ("reviewer_a", "own", "change", 200),
    ("reviewer_a", "other", "change", 404),
    ("reviewer_a", "other", "delete", 404),
    ("supervisor", "own", "change", 200),
    ("supervisor", "other", "change", 200),
    ("supervisor", "other", "delete", 403),
    ("coordinator", "other", "change", 200),
    ("coordinator", "other", "delete", 200),
]


@pytest.mark.parametrize("role,which,view,status", ADMIN_MATRIX)
def test_department_admin_matrix(request, client, role, which, view, status, department_a, department_b):
    user = request.getfixturevalue(role)
    client.force_login(user)
    own = StaffProfile.objects.get(user=user).department
    target = own if which == "own" else (department_b if own != department_b else department_a)
    assert client.get(admin_url(target, view)).status_code == status


@pytest.mark.parametrize("role,which,status", [
    ("publisher_a", "own", 200),
    ("publisher_a", "other", 404),
    ("reviewer_a", "other", 404),
    ("supervisor", "other", 200),
])
def test_staff_profile_admin_matrix(request, client, role, which, status, publisher_a, publisher_b):
    user = request.getfixturevalue(role)
    client.force_login(user)
    target = StaffProfile.objects.get(user=publisher_a if which == "own" else publisher_b)
    if which == "own" and role != "publisher_a":
        target = StaffProfile.objects.get(user=user)
    assert client.get(admin_url(target)).status_code == status


def test_changelist_lists_only_own_department(client, publisher_a, department_a, department_b):
    client.force_login(publisher_a)
    response = client.get(reverse("admin:portal_department_changelist"))
    assert response.status_code == 200
    listed = list(response.context["cl"].queryset)
    assert listed == [department_a]


def test_hand_made_post_to_other_department_changes_nothing(client, publisher_a, department_b):
    client.force_login(publisher_a)
    response = client.post(admin_url(department_b), {"code": "dept-b", "name": "被改", "kind": "bureau"})
    assert response.status_code == 404
    department_b.refresh_from_db()
    assert department_b.name == "乙局"


def test_hand_made_delete_of_own_department_is_refused(client, publisher_a, department_a):
    client.force_login(publisher_a)
    response = client.post(admin_url(department_a, "delete"), {"post": "yes"})
    assert response.status_code == 403
    assert Department.objects.filter(pk=department_a.pk).exists()


def test_coordinator_cannot_make_superusers(client, coordinator, publisher_a):
    client.force_login(coordinator)
    response = client.get(reverse("admin:auth_user_change", args=[publisher_a.pk]))
    assert response.status_code == 200
    assert "is_superuser" not in response.context["adminform"].form.fields


def test_staff_profile_foreign_key_choices_are_scoped(client, coordinator, publisher_a, department_a, department_b):
    """Form choices go through the same helper: a coordinator may pick any department."""
    client.force_login(coordinator)
    response = client.get(reverse("admin:portal_staffprofile_add"))
    choices = response.context["adminform"].form.fields["department"].queryset
    assert set(choices) >= {department_a, department_b}
