"""Load the demo county. Idempotent: a second run changes nothing."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from portal import search, services
from portal.notify import without_email
from portal.demo import DEPARTMENTS, PEOPLE, loaders
from portal.models import Department, StaffProfile


class Command(BaseCommand):
    help = "Create the demo county: departments, categories, and a demo user for every role."

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True, help="Password for every demo account.")

    @transaction.atomic
    def handle(self, *args, password, **options):
        created = self._departments()
        rows = self._people(password)
        with without_email():  # the demo's steps notify in the site; no mail goes out
            for loader in loaders():
                loader(self.stdout)
        search.rebuild()  # searchable at once, before any worker has taken the queued entries
        self.stdout.write(self.style.SUCCESS(f"Demo county ready ({created} departments created)."))
        self.stdout.write("Demo accounts (password as given):")
        titles = dict(StaffProfile.objects.filter(user__username__in=[row[0] for row in rows])
                      .exclude(title="").values_list("user__username", "title"))
        for username, name, role in rows:
            title = f" · {titles[username]}" if username in titles else ""
            self.stdout.write(f"  {username:<22} {name}  {role}{title}")

    def _departments(self) -> int:
        created = 0
        for code, name, kind, parent, duties, address, phone, window in DEPARTMENTS:
            values = {
                "name": name,
                "kind": kind,
                "parent": Department.objects.get(code=parent) if parent else None,
                "duties": duties,
                "address": address,
                "phone": phone,
                "service_window": window,
            }
            department = Department.objects.filter(code=code).first()
            if department is None:
                Department.objects.create(code=code, **values)
                created += 1
            elif any(getattr(department, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(department, field, value)
                department.save()
        return created

    def _people(self, password: str) -> list[tuple[str, str, str]]:
        User = get_user_model()
        rows = []
        for username, full_name, role, department_code, superuser in PEOPLE:
            user, _created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": full_name,
                    "email": f"{username}@gongkai.example",
                    "is_staff": superuser,
                    "is_superuser": superuser,
                },
            )
            if not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            if department_code:
                department = Department.objects.get(code=department_code)
                profile = StaffProfile.objects.filter(user=user).first()
                if profile is None or (profile.department_id, profile.role) != (department.pk, role):
                    services.staff_profile_save(actor=None, user=user, department=department, role=role)
            elif role:
                services.user_role_grant(actor=None, user=user, role=role)
            rows.append((username, full_name, role.label if role else "superuser"))
        return rows
