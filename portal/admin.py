"""Admin of the shared core: departments, staff, calendar, events, notifications."""

from collections import Counter
from functools import partial

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import admin_calendar, beat_admin, deadlines, events, import_jobs, notify, reminder_text, services
from portal.admin_scoping import ReadOnlyAdminMixin, ScopedAdmin
from portal.forms import LEVELS, ReminderRuleForm
from portal.admin_workspace import TodoFilterMixin
from portal.models import (
    CalendarDay,
    CalendarYear,
    Department,
    Event,
    ImportJob,
    Notification,
    OutgoingEmail,
    Reminder,
    ReminderRule,
    StaffProfile,
)
from portal.roles import COUNTY_WIDE_ROLES, Role, may_grant, may_manage_account, roles_of

def _boolean_icon(value):
    """Django's yes / no / unknown icon, its alternative text (read aloud) in the reader's
    language: Django writes the Python value, "True" or "False", on every page."""
    alt = {True: gettext("Yes"), False: gettext("No"), None: gettext("Unknown")}[value]
    icon = static("admin/img/icon-%s.svg" % {True: "yes", False: "no", None: "unknown"}[value])
    return format_html('<img src="{}" alt="{}">', icon, alt)


# Every admin page asks admin_list for the icon when it draws one (lists, read-only fields).
admin_list._boolean_icon = _boolean_icon

admin.site.site_header = _("Gongkai — government affairs disclosure")
admin.site.site_title = _("Gongkai administration")
admin.site.index_title = _("Publishing and management")
admin.site.site_url = "/"


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    list_display = ["code", "name", "kind", "parent", "phone", "service_window", "requires_coordinator_review"]
    list_filter = ["kind", "requires_coordinator_review"]
    search_fields = ["code", "name", "duties"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]




@admin.register(StaffProfile)
class StaffProfileAdmin(ScopedAdmin):
    list_display = ["user", "department", "role", "title", "phone"]
    list_filter = ["role", "department"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "department__name"]
    list_select_related = ["user", "department"]
    autocomplete_fields = ["user", "department"]

    def get_readonly_fields(self, request, obj=None):
        # A profile stays with its person: moving it to another account would hand that
        # account the role without the service seeing either side of the change.
        return [*super().get_readonly_fields(request, obj), *(["user"] if obj else [])]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and not request.user.is_superuser:
            # Accounts with county-wide powers are not the coordinator's to attach anywhere.
            field.queryset = field.queryset.filter(is_superuser=False).exclude(
                groups__name__in=[role.value for role in COUNTY_WIDE_ROLES]
            )
        return field

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs["choices"] = [(value, label) for value, label in Role.choices if may_grant(request.user, value)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def _manages(self, request, obj):
        return obj is None or may_manage_account(request.user, obj.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._manages(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._manages(request, obj)

    def delete_model(self, request, obj):
        services.staff_profile_delete(actor=request.user, profile=obj)

    def delete_queryset(self, request, queryset):
        for profile in queryset.select_related("user", "department"):
            services.staff_profile_delete(actor=request.user, profile=profile)

    def save_model(self, request, obj, form, change):
        # Through the service, so that group membership and the department grant follow.
        services.staff_profile_save(
            actor=request.user,
            user=obj.user,
            department=obj.department,
            role=obj.role,
            title=obj.title,
            phone=obj.phone,
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedAdmin):
    """Overrides go through ``services.calendar_day_save``: the open due dates whose count
    crosses the day move, and the page says which."""

    list_display = ["date", "is_working_day", "name"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["name"]
    change_list_template = "admin/portal/calendarday/change_list.html"

    def get_urls(self):
        return [
            path("month/", self.admin_site.admin_view(partial(admin_calendar.month_view, self)),
                 name="portal_calendarday_month"),
            path("day/<str:date>/", self.admin_site.admin_view(partial(admin_calendar.day_view, self)),
                 name="portal_calendarday_day"),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        effect = services.calendar_day_effect(date=obj.date, is_working_day=obj.is_working_day)
        day, moved = services.calendar_day_save(
            actor=request.user, date=obj.date, is_working_day=obj.is_working_day, name=obj.name
        )
        obj.pk = day.pk
        self.message_user(request, describe_moves(effect) if moved else _("No open due date moves."), messages.SUCCESS)

    def delete_model(self, request, obj):
        moved = services.calendar_day_delete(actor=request.user, day=obj)
        self.message_user(request, _("%(count)d open due dates moved.") % {"count": moved}, messages.SUCCESS)

    def delete_queryset(self, request, queryset):
        for day in queryset:
            self.delete_model(request, day)


def describe_moves(moves) -> str:
    """"3 complaint or report moved (2026-03-05 → 2026-03-06 ×3)" per kind, for the admin."""
    by_kind: dict = {}
    for move in moves:
        by_kind.setdefault(move.kind, Counter())[(move.old, move.new)] += 1
    parts = []
    for kind_name, pairs in by_kind.items():
        dates = ", ".join(f"{old} → {new} ×{count}" for (old, new), count in sorted(pairs.items()))
        parts.append(_("%(count)d %(kind)s moved (%(dates)s)") % {
            "count": sum(pairs.values()), "kind": deadlines.get(kind_name).label, "dates": dates})
    return "; ".join(parts)


@admin.register(CalendarYear)
class CalendarYearAdmin(ScopedAdmin):
    list_display = ["year", "source", "confirmed_by", "confirmed_at"]
    readonly_fields = ["confirmed_by", "confirmed_at"]

    def save_model(self, request, obj, form, change):
        _year, changed = services.calendar_year_confirm(actor=request.user, year=obj.year, source=obj.source)
        obj.pk = _year.pk
        self.message_user(
            request,
            _("Calendar for %(year)s confirmed; %(count)d open deadlines recomputed.")
            % {"year": obj.year, "count": changed},
            messages.SUCCESS,
        )


@admin.register(ReminderRule)
class ReminderRuleAdmin(ScopedAdmin):
    form = ReminderRuleForm
    list_display = ["kind_name", "leads", "notify_on_due", "escalation_steps", "active"]
    fieldsets = [
        (None, {"fields": ["kind", "active"]}),
        (_("Before and on the due date"), {"fields": ["lead_days", "notify_on_due"]}),
        (_("Escalations when overdue"), {
            "fields": [(f"escalation_{level}_after", f"escalation_{level}_to") for level in LEVELS],
            "description": _("After how many working days overdue the reminder goes up, and to whom; each level "
                             "later than the one before. Leave a level empty to stop there."),
        }),
    ]

    @admin.display(description=_("deadline kind"), ordering="kind")
    def kind_name(self, rule):
        return reminder_text.kind_label(rule.kind)

    @admin.display(description=_("reminders before the due date"))
    def leads(self, rule):
        return reminder_text.leads_label(rule.lead_days)

    @admin.display(description=_("escalations"))
    def escalation_steps(self, rule):
        return reminder_text.escalations_label(rule.escalations)


class ReminderKindFilter(admin.SimpleListFilter):
    """Deadline kinds by their names (the registry), not their codes."""

    title = _("deadline kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.name, kind.label) for kind in deadlines.kinds()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


def _stage_order(stage: str) -> tuple[int, int]:
    """before-5, before-3 … due … overdue-1, overdue-5: the order they come in."""
    name, _dash, days = stage.partition("-")
    return {"before": 0, "due": 1, "overdue": 2}.get(name, 3), -int(days) if name == "before" else int(days or 0)


class ReminderStageFilter(admin.SimpleListFilter):
    """The stages the rules can reach, in words ("3 working days before the due date")."""

    title = _("stage")
    parameter_name = "stage"

    def lookups(self, request, model_admin):
        stages = {"due"}
        for rule in ReminderRule.objects.all():
            stages |= {f"before-{days}" for days in rule.lead_days}
            stages |= {f"overdue-{step['after']}" for step in rule.escalations}
        return [(stage, reminder_text.stage_label(stage)) for stage in sorted(stages, key=_stage_order)]

    def queryset(self, request, queryset):
        return queryset.filter(stage=self.value()) if self.value() else queryset


@admin.register(Reminder)
class ReminderAdmin(TodoFilterMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every reminder; *Nobody to tell* (state) lists the undeliverable ones, *late* those a
    scan caught up after an outage."""

    list_display = ["created_at", "kind_name", "object_id", "stage_name", "audience_name", "told_name", "recipients",
                    "due_on", "for_day", "late", "state", "attempts", "sent_at"]
    list_filter = ["state", "late", ReminderKindFilter, ReminderStageFilter]
    fields = readonly_fields = ["kind_name", "object_id", "stage_name", "audience_name", "told_name", "recipients",
                                "due_on", "for_day", "late", "state", "attempts", "last_error", "created_at", "sent_at"]

    @admin.display(description=_("deadline kind"), ordering="kind")
    def kind_name(self, reminder):
        return reminder_text.kind_label(reminder.kind)

    @admin.display(description=_("stage"), ordering="stage")
    def stage_name(self, reminder):
        return reminder_text.stage_label(reminder.stage)

    @admin.display(description=_("to"))
    def audience_name(self, reminder):
        return reminder_text.audience_label(reminder.audience)

    @admin.display(description=_("told"), ordering="delivered_to")
    def told_name(self, reminder):
        return reminder_text.audience_label(reminder.delivered_to) if reminder.sent_at else ""
    search_fields = ["object_id", "last_error"]
    date_hierarchy = "created_at"


class EmailKindFilter(admin.SimpleListFilter):
    """E-mail kinds by their names (``portal.notify.register_email``), not their codes."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return sorted(notify.email_kinds(), key=lambda pair: str(pair[1]))

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What was sent, what waits for a retry, what failed — without addresses or text."""

    list_display = ["created_at", "kind_label", "object_id", "state", "attempts", "next_attempt_at", "sent_at",
                    "last_error"]
    list_filter = ["state", EmailKindFilter]
    fields = readonly_fields = ["created_at", "kind_label", "object_id", "language_name", "state", "attempts",
                                "next_attempt_at", "sent_at", "last_error"]

    @admin.display(description=_("language"), ordering="language")
    def language_name(self, email):
        return str(dict(settings.LANGUAGES).get(email.language, email.language)) if email.language else "—"
    search_fields = ["object_id", "last_error"]
    date_hierarchy = "created_at"


class EventKindFilter(admin.SimpleListFilter):
    """Event kinds by their labels (the registry in ``portal.events``), not their codes."""

    title = _("action")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return sorted(((kind.value, kind.label) for kind in events.kinds()), key=lambda pair: str(pair[1]))

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class SubjectKindFilter(admin.RelatedOnlyFieldListFilter):
    """The kinds of object that have events, by their names in the reader's language (not
    "app | model" in English, and not every model of every library)."""

    title = _("kind of object")

    def field_choices(self, field, request, model_admin):
        used = Event.objects.values_list("content_type", flat=True).distinct()
        kinds = ContentType.objects.filter(pk__in=used)
        named = [(kind.pk, kind.model_class()._meta.verbose_name if kind.model_class() else kind.model) for kind in kinds]
        return sorted(named, key=lambda pair: str(pair[1]))


@admin.register(Event)
class EventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "actor", "kind_label", "subject_kind", "object_id", "from_label", "to_label"]
    list_filter = [EventKindFilter, ("content_type", SubjectKindFilter)]
    search_fields = ["object_id", "kind", "actor__username"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "content_type"]
    fields = readonly_fields = ["created_at", "actor", "kind_label", "subject_kind", "object_id", "from_label",
                                "to_label", "details"]

    @admin.display(description=_("details"))
    def details(self, event):
        model = event.content_type.model_class()
        if model is None:  # a kind of object no app declares any more: as recorded
            return str(event.data or "—")
        [event] = events.labelled([event], model)
        return format_html_join("", "<div>{}: {}</div>", event.details) or "—"

    @admin.display(description=_("kind of object"), ordering="content_type")
    def subject_kind(self, event):
        model = event.content_type.model_class()
        return model._meta.verbose_name if model else event.content_type.model

    @admin.display(description=_("from"), ordering="from_state")
    def from_label(self, event):
        return events.state_label(event.content_type.model_class(), event.from_state)

    @admin.display(description=_("to"), ordering="to_state")
    def to_label(self, event):
        return events.state_label(event.content_type.model_class(), event.to_state)


@admin.register(Notification)
class NotificationAdmin(TodoFilterMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "subject", "read_at"]
    list_filter = ["read_at"]
    readonly_fields = ["recipient", "key", "subject", "body", "url", "created_at", "read_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(recipient=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Imports and what came of them, for the importing user and their department
    (``import_jobs.visible_to``). A running import's page refreshes itself (no script) and
    shows its progress; a checked one waiting for its uploader offers the confirmation."""

    list_display = [
        "created_at", "file_name", "imported_into", "user", "status", "total_rows", "new_rows", "updated_rows",
        "unchanged_rows", "refused_rows",
    ]
    list_filter = ["status", ("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["file_name", "user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "content_type", "department"]
    fields = [
        "file_name", "imported_into", "user", "department", "status", "created_at", "finished_at", "total_rows",
        "new_rows", "updated_rows", "unchanged_rows", "refused_rows",
    ]
    readonly_fields = fields
    change_form_template = "admin/portal/importjob/change_form.html"
    #: Seconds between two looks at a running import.
    refresh_seconds = 2

    @admin.display(description=_("imported into"), ordering="content_type")
    def imported_into(self, job):
        model = job.content_type.model_class()
        return model._meta.verbose_name_plural if model else job.content_type.model

    def get_queryset(self, request):
        return import_jobs.visible_to(request.user).select_related("user", "content_type", "department")

    def get_object(self, request, object_id, from_field=None):
        job = super().get_object(request, object_id, from_field)
        if job is None and object_id is not None:
            raise Http404("No such import, or not yours to see.")
        return job

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        # Everyone in the admin sees their own imports; the queryset decides whose else.
        return self.has_module_permission(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        context = {
            "job": job,
            "running": job.status in ImportJob.RUNNING,
            "progress": import_jobs.progress_of(job),
            "refresh": self.refresh_seconds if job.status in ImportJob.RUNNING else None,
            "problems": [import_jobs.describe(problem) for problem in job.errors],
        }
        if job.status == ImportJob.Status.READY and job.user_id == request.user.pk:
            opts = job.content_type.model_class()._meta
            context["confirm_url"] = reverse(f"admin:{opts.app_label}_{opts.model_name}_process_import")
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **context})


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """The coordinator manages the accounts of department staff; only a superuser makes
    superusers, grants raw permissions or groups, or touches an account with county-wide
    powers (its password, e-mail, flags and roles: ``portal.roles.may_manage_account``).
    Roles are given through staff profiles (``services.staff_profile_save``)."""

    #: Fields only a superuser sees or may post, on the add form as on the change form.
    SUPERUSER_FIELDS = frozenset({"is_superuser", "user_permissions", "groups"})

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in self.SUPERUSER_FIELDS]})
            for name, opts in fieldsets
        ]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else qs.filter(is_superuser=False)

    def has_change_permission(self, request, obj=None):
        # Also guards the password form (/admin/auth/user/<id>/password/), which asks this.
        return super().has_change_permission(request, obj) and (obj is None or may_manage_account(request.user, obj))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A hand-made POST naming a superuser's field is refused outright rather than quietly
        # dropped, so that whoever tried it (and the test replaying it) sees the refusal.
        if request.method == "POST" and not request.user.is_superuser and self.SUPERUSER_FIELDS & set(request.POST):
            raise PermissionDenied
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        # Only a superuser's form has the groups field; what it grants or takes away is audited.
        user = form.instance
        user.__dict__.pop("_gongkai_roles", None)
        before = roles_of(user) if change else frozenset()
        super().save_related(request, form, formsets, change)
        user.__dict__.pop("_gongkai_roles", None)
        services.role_changes_record(actor=request.user, user=user, before=before, after=roles_of(user))

beat_admin.install()  # django-celery-beat's pages in Chinese
