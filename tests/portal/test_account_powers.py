"""County-wide powers are the superusers' to hand out (issue 11, item 4).

The attacks replayed: the coordinator resets the supervisor's password (and would log in as
them), or creates an account and gives it the supervisor's role, and reads sealed identities.
The coordinator still manages department staff, and every grant or revocation of a role is
an event in the log.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from guardian.shortcuts import get_perms

from portal import services
from portal.models import Event, StaffProfile
from portal.roles import Role, role_permissions, sync_role_groups

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "Xq7!county-wide-takeover"


def password_url(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def user_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def role_events(user):
    return list(
        Event.objects.filter(content_type__model="user", object_id=str(user.pk), kind__startswith="role.")
        .order_by("pk")
        .values_list("kind", "data__role", "actor__username")
    )


def change_form_data(user, **changes):
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "is_active": "on", "is_staff": "on" if user.is_staff else "",
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-05", "date_joined_1": "09:00:00",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def profile_form_data(user, department, role, **extra):
    return {"user": user.pk, "department": department.pk, "role": role, "title": "", "phone": "",
            "language": "zh-hant", **extra}


class TestTheCoordinatorCannotTakeOverCountyWideAccounts:
    def test_resetting_the_supervisors_password_is_refused(self, client, coordinator, supervisor):
        client.force_login(coordinator)
        assert client.get(password_url(supervisor)).status_code == 403
        response = client.post(password_url(supervisor), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                                                          "usable_password": "true"})
        assert response.status_code == 403
        supervisor.refresh_from_db()
        assert supervisor.check_password("pw-supervisor") and not supervisor.check_password(NEW_PASSWORD)

    def test_changing_the_supervisors_email_is_refused(self, client, coordinator, supervisor):
        client.force_login(coordinator)
        response = client.post(user_url(supervisor), change_form_data(supervisor, email="mine@evil.example"))
        assert response.status_code == 403
        supervisor.refresh_from_db()
        assert supervisor.email == ""

    def test_the_supervisors_account_is_shown_read_only(self, client, coordinator, supervisor):
        client.force_login(coordinator)
        response = client.get(user_url(supervisor))
        assert response.status_code == 200
        assert response.context["has_change_permission"] is False
        assert 'name="email"' not in response.content.decode()

    def test_another_coordinators_password_is_refused_too(self, client, coordinator, make_staff, office):
        other = make_staff("coordinator2", Role.COORDINATOR, office)
        client.force_login(coordinator)
        assert client.post(password_url(other), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 403
        other.refresh_from_db()
        assert other.check_password("pw-coordinator2")

    def test_a_superusers_account_is_out_of_sight(self, client, coordinator, superuser):
        client.force_login(coordinator)
        assert client.get(password_url(superuser)).status_code in (302, 403, 404)
        superuser.refresh_from_db()
        assert superuser.check_password("pw-root")


class TestTheCoordinatorCannotHandOutCountyWideRoles:
    def test_a_new_account_given_the_supervisor_group_is_refused(self, client, coordinator):
        supervisors = Group.objects.get(name=Role.SUPERVISOR)
        client.force_login(coordinator)
        response = client.post(reverse("admin:auth_user_add"), {
            "username": "mole", "usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
            "groups": [supervisors.pk],
        })
        assert response.status_code == 403
        assert not User.objects.filter(username="mole").exists()

    def test_the_supervisor_role_through_a_staff_profile_is_refused(self, client, coordinator, office):
        mole = User.objects.create_user("mole", password=NEW_PASSWORD)
        client.force_login(coordinator)
        response = client.post(reverse("admin:portal_staffprofile_add"), profile_form_data(mole, office, Role.SUPERVISOR))
        assert response.status_code == 200
        assert "role" in response.context["adminform"].form.errors
        assert not StaffProfile.objects.filter(user=mole).exists()
        assert not mole.groups.exists() and role_events(mole) == []

    def test_the_form_offers_only_department_roles(self, client, coordinator):
        client.force_login(coordinator)
        choices = dict(client.get(reverse("admin:portal_staffprofile_add")).context["adminform"].form.fields["role"].choices)
        assert set(choices) - {""} == {Role.PUBLISHER, Role.REVIEWER, Role.EVALUATOR}

    def test_groups_on_an_existing_account_are_refused(self, client, coordinator, publisher_a):
        supervisors = Group.objects.get(name=Role.SUPERVISOR)
        client.force_login(coordinator)
        response = client.post(user_url(publisher_a), change_form_data(publisher_a, groups=[supervisors.pk]))
        assert response.status_code == 403
        assert not publisher_a.groups.filter(name=Role.SUPERVISOR).exists()

    @pytest.mark.parametrize("field, value", [("is_superuser", "on"), ("user_permissions", "1")])
    def test_superuser_fields_in_a_hand_made_post_are_refused(self, client, coordinator, publisher_a, field, value):
        client.force_login(coordinator)
        if field == "user_permissions":
            value = Permission.objects.get(codename="view_complaint").pk
        response = client.post(user_url(publisher_a), change_form_data(publisher_a, **{field: value}))
        assert response.status_code == 403
        publisher_a.refresh_from_db()
        assert not publisher_a.is_superuser and not publisher_a.user_permissions.exists()

    def test_moving_the_supervisor_into_a_department_role_is_refused(self, client, coordinator, supervisor, department_a):
        client.force_login(coordinator)
        response = client.post(reverse("admin:portal_staffprofile_add"), profile_form_data(supervisor, department_a, Role.PUBLISHER))
        assert response.status_code == 200 and "user" in response.context["adminform"].form.errors
        assert StaffProfile.objects.get(user=supervisor).role == Role.SUPERVISOR

    def test_the_supervisors_profile_cannot_be_edited_or_deleted(self, client, coordinator, supervisor, department_a):
        profile = StaffProfile.objects.get(user=supervisor)
        client.force_login(coordinator)
        change = reverse("admin:portal_staffprofile_change", args=[profile.pk])
        assert client.post(change, profile_form_data(supervisor, department_a, Role.PUBLISHER)).status_code == 403
        assert client.post(reverse("admin:portal_staffprofile_delete", args=[profile.pk]), {"post": "yes"}).status_code == 403
        profile.refresh_from_db()
        assert profile.role == Role.SUPERVISOR and supervisor.groups.filter(name=Role.SUPERVISOR).exists()

    def test_the_service_refuses_whatever_the_caller(self, coordinator, supervisor, office, department_a):
        mole = User.objects.create_user("mole")
        with pytest.raises(PermissionDenied):
            services.staff_profile_save(actor=coordinator, user=mole, department=office, role=Role.SUPERVISOR)
        with pytest.raises(PermissionDenied):
            services.staff_profile_save(actor=coordinator, user=supervisor, department=department_a, role=Role.PUBLISHER)
        with pytest.raises(PermissionDenied):  # the supervisor does not manage staff at all
            services.staff_profile_save(actor=supervisor, user=mole, department=department_a, role=Role.PUBLISHER)
        assert not mole.groups.exists()

    def test_guardian_object_permission_pages_are_not_the_coordinators(self, client, coordinator, publisher_a, department_b):
        client.force_login(coordinator)
        page = reverse("admin:portal_department_permissions", args=[department_b.pk])
        manage = reverse("admin:portal_department_permissions_manage_user", args=[department_b.pk, publisher_a.pk])
        assert client.get(page).url == reverse("admin:index")
        response = client.post(manage, {"permissions": ["act_for_department"]})
        assert response.status_code == 302 and response.url == reverse("admin:index")
        assert "act_for_department" not in get_perms(publisher_a, department_b)


class TestTheCoordinatorManagesDepartmentStaff:
    def test_giving_a_department_publisher_the_publisher_role_is_allowed_and_recorded(self, client, coordinator, department_a):
        clerk = User.objects.create_user("clerk", password=NEW_PASSWORD)
        client.force_login(coordinator)
        response = client.post(reverse("admin:portal_staffprofile_add"), profile_form_data(clerk, department_a, Role.PUBLISHER))
        assert response.status_code == 302
        assert clerk.groups.filter(name=Role.PUBLISHER).exists()
        assert role_events(clerk) == [("role.granted", "publisher", "coordinator")]

    def test_changing_a_role_records_the_revocation_and_the_grant(self, coordinator, publisher_a, department_a):
        services.staff_profile_save(actor=coordinator, user=publisher_a, department=department_a, role=Role.REVIEWER)
        assert role_events(publisher_a)[-2:] == [("role.revoked", "publisher", "coordinator"),
                                                 ("role.granted", "reviewer", "coordinator")]
        assert set(publisher_a.groups.values_list("name", flat=True)) == {Role.REVIEWER}

    def test_resetting_a_department_publishers_password_is_allowed(self, client, coordinator, publisher_a):
        client.force_login(coordinator)
        response = client.post(password_url(publisher_a), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                                                           "usable_password": "true"})
        assert response.status_code == 302
        publisher_a.refresh_from_db()
        assert publisher_a.check_password(NEW_PASSWORD)

    def test_deleting_a_profile_takes_the_role_away_and_records_it(self, client, coordinator, publisher_a, department_a):
        profile = StaffProfile.objects.get(user=publisher_a)
        client.force_login(coordinator)
        response = client.post(reverse("admin:portal_staffprofile_delete", args=[profile.pk]), {"post": "yes"})
        assert response.status_code == 302
        assert not publisher_a.groups.exists()
        assert "act_for_department" not in get_perms(publisher_a, department_a)
        assert role_events(publisher_a)[-1] == ("role.revoked", "publisher", "coordinator")


class TestSuperusersDoAll:
    def test_superuser_resets_the_supervisors_password(self, client, superuser, supervisor):
        client.force_login(superuser)
        response = client.post(password_url(supervisor), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                                                          "usable_password": "true"})
        assert response.status_code == 302
        supervisor.refresh_from_db()
        assert supervisor.check_password(NEW_PASSWORD)

    def test_superuser_appoints_a_supervisor_through_a_staff_profile(self, client, superuser, office):
        inspector = User.objects.create_user("inspector")
        client.force_login(superuser)
        response = client.post(reverse("admin:portal_staffprofile_add"), profile_form_data(inspector, office, Role.SUPERVISOR))
        assert response.status_code == 302
        assert inspector.groups.filter(name=Role.SUPERVISOR).exists()
        assert role_events(inspector) == [("role.granted", "supervisor", "root")]

    def test_superusers_group_changes_are_recorded(self, client, superuser, publisher_a):
        supervisors = Group.objects.get(name=Role.SUPERVISOR)
        client.force_login(superuser)
        response = client.post(user_url(publisher_a), change_form_data(publisher_a, groups=[supervisors.pk]))
        assert response.status_code == 302
        assert set(publisher_a.groups.values_list("name", flat=True)) == {Role.SUPERVISOR}
        assert role_events(publisher_a)[-2:] == [("role.granted", "supervisor", "root"), ("role.revoked", "publisher", "root")]


def test_role_groups_lose_permissions_the_code_no_longer_grants():
    publishers = Group.objects.get(name=Role.PUBLISHER)
    assert "auth.delete_user" not in role_permissions(Role.PUBLISHER)
    publishers.permissions.add(Permission.objects.get(codename="delete_user"))
    sync_role_groups()
    held = {f"{p.content_type.app_label}.{p.codename}" for p in publishers.permissions.select_related("content_type")}
    assert "auth.delete_user" not in held
    assert held == set(role_permissions(Role.PUBLISHER))  # and still everything granted
