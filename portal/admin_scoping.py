"""Department scoping for every model admin (DESIGN §1): one mixin, used by all apps.

Querysets, object pages, foreign-key choices and saves all go through
``portal.permissions.scope``. An object outside the user's scope is a 404 — typing
its URL or posting a hand-made form reaches nothing.
"""

import logging

from django.contrib import admin, messages
from django.contrib.admin import helpers as admin_helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from guardian.admin import ReinforcedGuardedModelAdminMixin
from import_export.admin import ImportExportMixin
from import_export.forms import SelectableFieldsExportForm
from simple_history.admin import SimpleHistoryAdmin

from portal import admin_steps, events, import_jobs, workflow
from portal.admin_forms import NamedAutocompleteSelect
from portal.admin_history import EMPTY, ReadableChanges
from portal.admin_workspace import TodoFilterMixin
from portal.import_files import FileRefused, read_dataset
from portal.models import Department
from portal.permissions import departments_for, has_model_permission, rules_for, scope
from portal.resources import FORMATS, XLSX

logger = logging.getLogger(__name__)


#: Events shown on an object's history page, newest first.
HISTORY_EVENTS = 500


class ReadOnlyAdminMixin:
    """For records nobody edits in admin: events, notifications, published revisions, review filings."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceActionsMixin:
    """Admin actions that run a service per selected object (STYLE: actions call services).

    A batch goes on past an object the service refuses, or fails on, and reports each by
    the object's name, then how many were done and how many refused.

    Actions named after a transition of the model's workflow (``portal.workflow``) are
    offered only to users whose roles allow that step, and an object's change page shows
    a button for each step the user may take on it now (posted as the same action).
    """

    change_form_template = "admin/portal/workflow_change_form.html"

    def _workflow(self):
        return workflow.for_model(self.model)

    def get_actions(self, request):
        actions = super().get_actions(request)
        machine = self._workflow()
        if machine is None:
            return actions
        for name, transition in machine.transitions.items():
            if name in actions and (
                transition.action is None or not has_model_permission(request.user, self.model, transition.action)
            ):
                del actions[name]
        return actions

    def changelist_view(self, request, extra_context=None):
        # Steps where each object needs its own words (a reply, a reason) are taken on the
        # object's page: the list's action menu does not offer them for a batch. (Only the
        # menu: a posted action is still checked, and run per object, as every action is.)
        response = super().changelist_view(request, extra_context)
        machine = self._workflow()
        action_form = getattr(response, "context_data", {}).get("action_form") if machine else None
        if action_form is not None:
            single = {name for name, transition in machine.transitions.items() if not transition.batch}
            field = action_form.fields["action"]
            field.choices = [(name, label) for name, label in field.choices if name not in single]
        return response

    def _offered_steps(self, request, obj):
        machine = self._workflow()
        actions = self.get_actions(request)
        return [step for step in machine.available(request.user, obj) if step.name in actions], actions

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        machine = self._workflow()
        if machine is not None and obj is not None and obj.pk is not None:
            offered, actions = self._offered_steps(request, obj)
            context.update(
                workflow_steps=offered,
                workflow_waiting=admin_steps.who_acts_next(machine, obj, offered, set(self.actions or ())),
                workflow_steps_url=reverse(
                    f"{self.admin_site.name}:{self.model._meta.app_label}_{self.model._meta.model_name}_steps",
                    args=[obj.pk],
                ),
            )
        context["workflow_base_template"] = super().change_form_template or "admin/change_form.html"
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        opts = self.model._meta
        return [
            path("<path:object_id>/steps/", self.admin_site.admin_view(self.steps_view),
                 name=f"{opts.app_label}_{opts.model_name}_steps"),
        ] + super().get_urls()

    def steps_view(self, request, object_id):
        """The steps the user may take on one object now. ``?step=<name>`` is one step: its
        form (what it asks for), posted here; a step that asks nothing is posted straight
        from the object's page. The step runs as the admin action of the same name, on this
        object alone, and the user goes back to the object's page with what happened."""
        if not (self.has_view_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied  # as the change list: no permission on the model at all
        obj = self.get_object(request, object_id)  # 404 outside the user's scope
        if not (self.has_view_permission(request, obj) or self.has_change_permission(request, obj)):
            raise PermissionDenied
        machine = self._workflow()
        offered, actions = self._offered_steps(request, obj)
        opts = self.model._meta
        change_url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        name = request.GET.get("step") or request.POST.get("step") or ""
        transition = next((step for step in offered if step.name == name), None)
        if name and transition is None:
            if request.method == "POST":
                self.message_user(request, _("This step cannot be taken on “%(object)s” now, or not by you.")
                                  % {"object": obj}, messages.ERROR)
                return HttpResponseRedirect(change_url)
            raise Http404("No such step, or not yours to take now.")
        form = None
        if transition is not None:
            form = admin_steps.step_form_class(self.action_form, transition)(request.POST or None)
            if request.method == "POST" and form.is_valid():
                func = actions[transition.name][0]
                func(self, request, self.get_queryset(request).filter(pk=obj.pk))
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": opts, "original": obj, "object": obj, "change_url": change_url,
            "title": transition.label if transition else _("Steps you can take now"),
            "subtitle": str(obj),
            "step": transition, "form": form, "steps": offered,
            "waiting": admin_steps.who_acts_next(machine, obj, offered, set(self.actions or ())),
            "has_view_permission": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/portal/workflow_steps.html", context)

    def response_action(self, request, queryset):
        response = super().response_action(request, queryset)
        selected = request.POST.getlist(admin_helpers.ACTION_CHECKBOX_NAME)
        if request.POST.get("_back_to_object") and len(selected) == 1 and isinstance(response, HttpResponseRedirect):
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[selected[0]])
            )
        return response

    def _form_value(self, request, name):
        return (request.POST.get(name) or "").strip()

    def _run(self, request, queryset, step, done_message, keyword, **kwargs):
        done = refused = 0
        for obj in queryset:
            try:
                with transaction.atomic():  # one object's failure rolls back that object's step only
                    step(actor=request.user, **{keyword: obj}, **kwargs)
                done += 1
                continue
            except (PermissionDenied, ValidationError) as error:
                text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                text = text or _("you may not do this.")
            except Exception:
                logger.exception("Admin action %s failed on %r", getattr(step, "__name__", step), obj)
                text = _("it could not be done because of an unexpected error (logged for the administrators).")
            refused += 1
            self.message_user(request, _("%(object)s: %(reason)s") % {"object": obj, "reason": text}, messages.ERROR)
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        if refused:
            self.message_user(
                request, _("%(done)d done, %(refused)d refused.") % {"done": done, "refused": refused}, messages.WARNING
            )


class DepartmentScopedAdminMixin(TodoFilterMixin):
    #: Action used to limit foreign-key choices; publishers may only attach their own departments.
    choice_action = "change"

    def get_queryset(self, request):
        return scope(request.user, super().get_queryset(request), "view")

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and object_id is not None:
            raise Http404("No such object, or not yours to see.")
        return obj

    object_history_template = "admin/portal/object_history.html"

    def _visible(self, request, object_id):
        obj = self.get_queryset(request).filter(pk=unquote(object_id)).first()
        if obj is None:
            raise Http404("No such object, or not yours to see.")
        return obj

    def _tracks_history(self) -> bool:
        return hasattr(self.model._meta, "simple_history_manager_attribute")

    def history_view(self, request, object_id, extra_context=None):
        # simple-history would fall back to the last historical record of an object
        # outside the queryset; another department's history is as private as the object.
        obj = self._visible(request, object_id)
        object_events = events.labelled(events.events_for(obj)[:HISTORY_EVENTS], type(obj))
        context = {**(extra_context or {}), "object_events": object_events}
        if not self._tracks_history():
            # Without HistoricalRecords (ratings, published revisions …) simple-history's
            # view fails: the page shows the events alone.
            return admin.ModelAdmin.history_view(self, request, object_id, context)
        return super().history_view(request, object_id, context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # One past version is as private as the object. And the history is a record:
        # simple-history saves a posted version even with reverting disabled (the setting
        # only hides the button), which would write the old row back past the services,
        # by anyone who may merely view it.
        self._visible(request, object_id)
        if not self._tracks_history():
            raise Http404("No such version.")
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _allowed(self, request, obj, action):
        if obj is None:
            return True
        return scope(request.user, type(obj)._default_manager.filter(pk=obj.pk), action).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._allowed(request, obj, "view")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._allowed(request, obj, "change")

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._allowed(request, obj, "delete")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = NamedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        related = db_field.related_model
        if related is Department:
            if db_field.name == "parent":
                kwargs["queryset"] = Department.objects.all()
            else:
                kwargs["queryset"] = departments_for(request.user)
        elif rules_for(related).department is not None:
            kwargs["queryset"] = scope(request.user, related._default_manager.all(), "view")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Defence in depth behind the limited choices: never save into another department.
        field = rules_for(type(obj)).department
        if field == "department" and obj.department_id is not None:
            if not departments_for(request.user).filter(pk=obj.department_id).exists():
                raise PermissionDenied
        super().save_model(request, obj, form, change)


class ScopedAdmin(DepartmentScopedAdminMixin, ReinforcedGuardedModelAdminMixin, SimpleHistoryAdmin):
    """Base admin: department scoping, change history (simple-history) and the
    object-permission pages of django-guardian (for holders of guardian's own permissions)."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        for record in historical_records:  # the library's list prints a missing reason as "None"
            record.history_change_reason = record.history_change_reason or EMPTY


class LabelledExportForm(SelectableFieldsExportForm):
    """The export page's column boxes labelled with the columns' labels, not their codes."""

    def _get_field_label(self, resource, field_name):
        return capfirst(resource().label(field_name))


class ScopedImportExportAdmin(ImportExportMixin, ScopedAdmin):
    """Base admin with import/export through the app's ``resources.py`` (built on
    ``portal.resources.ScopedResource``, which is given the user). Importing needs the add
    and change permissions, exporting the view permission.

    The two import steps are django-import-export's (upload and dry run, then confirm) with
    the file read within bounds (``portal.import_files``) and kept, between the steps, in
    an ``ImportJob`` (``portal.import_jobs``) rather than a temporary file. A file of more
    than ``GONGKAI_IMPORT_SYNC_ROWS`` rows is checked and imported by a worker; the user is
    sent to the import's page, which shows its progress and then its result."""

    formats = FORMATS
    import_template_name = "admin/portal/import.html"
    export_form_class = LabelledExportForm

    def get_urls(self):
        info = self.get_model_info()
        template = path(
            "import/template/", self.admin_site.admin_view(self.import_template_view), name="%s_%s_import_template" % info
        )
        return [template, *super().get_urls()]

    def import_template_view(self, request):
        """The model's import template: an XLSX workbook with the column headers (in the
        reader's language) and one example row."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0](**self.get_import_resource_kwargs(request))
        workbook = XLSX()
        response = HttpResponse(workbook.export_data(resource.template()), content_type=workbook.get_content_type())
        filename = _("%(models)s import template.xlsx") % {"models": self.model._meta.verbose_name_plural}
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response

    def get_import_context_data(self, **kwargs):
        return {
            **super().get_import_context_data(**kwargs),
            "import_template_url": reverse("%s:%s_%s_import_template" % (self.admin_site.name, *self.get_model_info())),
            "error_labels": self.resource_classes[0]().error_labels(),
        }

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**super().get_resource_kwargs(request, *args, **kwargs), "user": request.user}

    def import_action(self, request, **kwargs):
        if request.method != "POST":
            return super().import_action(request, **kwargs)
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_import_form(request)
        if not form.is_valid():
            return super().import_action(request, **kwargs)  # the form again, with its errors
        upload = form.cleaned_data["import_file"]
        file_format = self.get_import_formats()[int(form.cleaned_data["format"])]().get_extension()
        resource_class = self.choose_import_resource_class(form, request)
        resource = resource_class(**self.get_import_resource_kwargs(request, form=form, **kwargs))
        try:
            dataset = read_dataset(upload, file_format, name=upload.name)
        except FileRefused as refusal:
            form.add_error("import_file", refusal.message)
            return self._import_page(request, form, resource)
        if not dataset:
            form.add_error(
                "import_file",
                _("No valid data to import. Ensure your file has the correct headers or data for import."),
            )
            return self._import_page(request, form, resource)
        job_kwargs = {
            "user": request.user, "model": self.model, "resource_class": resource_class,
            "file_format": file_format, "upload": upload, "rows": len(dataset),
        }
        if import_jobs.runs_in_worker(len(dataset)):
            job = import_jobs.import_job_create(checked=False, **job_kwargs)
            return HttpResponseRedirect(reverse("admin:portal_importjob_change", args=[job.pk]))
        result = resource.import_data(
            dataset,
            dry_run=True,
            raise_errors=False,
            file_name=upload.name,
            user=request.user,
            **self.get_import_data_kwargs(request=request, form=form, **kwargs),
        )
        confirm_form = None
        if not result.has_errors() and not result.has_validation_errors():
            job = import_jobs.import_job_create(checked=True, **job_kwargs)
            upload.tmp_storage_name = job.token  # what the confirm form carries
            confirm_form = self.create_confirm_form(request, import_form=form)
        return self._import_page(request, form, resource, result=result, confirm_form=confirm_form)

    def _import_page(self, request, form, resource, status=200, **context):
        context.update(self.get_import_context_data())
        context.update(self.admin_site.each_context(request))
        context.update({
            "title": _("Import"),
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "fields_list": [
                (resource.get_display_name(), [field.column_name for field in resource.get_user_visible_fields()])
            ],
            "import_error_display": self.import_error_display,
        })
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context, status=status)

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """The confirmation. It names its file only by the token of an ``ImportJob`` that the
        same user uploaded for this model and that still waits: anything else is a 400 with
        a message, never a path that is opened."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = import_jobs.import_job_confirm(
            user=request.user, model=self.model, token=request.POST.get("import_file_name", "")
        )
        if job is None:
            messages.error(
                request,
                _("This import cannot be confirmed: it was already confirmed, it waited more than an hour, "
                  "or it is not yours. Nothing was imported. Upload the file again."),
            )
            form = self.get_import_form_class(request)(
                self.get_import_formats(), self.get_import_resource_classes(request)
            )
            resource = self.get_import_resource_classes(request)[0](**self.get_import_resource_kwargs(request))
            return self._import_page(request, form, resource, status=400)
        if import_jobs.runs_in_worker(job.total_rows):
            return HttpResponseRedirect(reverse("admin:portal_importjob_change", args=[job.pk]))
        result = import_jobs.import_job_run(job.pk)
        if result is None:
            messages.error(request, _("The import did not finish. Nothing was imported; the import's page says why."))
            return HttpResponseRedirect(reverse("admin:portal_importjob_change", args=[job.pk]))
        return self.process_result(result, request)

    def process_result(self, result, request):
        # The confirm step imports the file again; if it no longer imports cleanly (the data
        # changed since the dry run), the transaction was rolled back: say so, not "finished".
        # The history entries were written with the import (portal.import_jobs).
        problems = import_jobs.problems_of(result, self.get_import_resource_classes(request)[0]().error_labels())
        if problems:
            messages.error(
                request,
                _("Nothing was imported: %(problems)s")
                % {"problems": " | ".join(import_jobs.describe(problem) for problem in problems[:5])},
            )
            return HttpResponseRedirect(reverse("%s:%s_%s_import" % (self.admin_site.name, *self.get_model_info())))
        self.add_success_message(result, request)
        return HttpResponseRedirect(
            reverse("admin:%s_%s_changelist" % self.get_model_info(), current_app=self.admin_site.name)
        )
