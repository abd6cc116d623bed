"""Departments keep their approval items, fees and the hall in the admin; window clerks
register applications there (DESIGN §1, §3.4). Every save and action calls a service."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables

from approvals import services
from approvals.applicants import masked_id_number, masked_phone, public_name
from approvals.forms import (
    ApplicationForm,
    ApprovalItemForm,
    ApprovalsActionForm,
    FeeItemForm,
    InlineFeeForm,
    MaterialForm,
)
from approvals.models import (
    Application,
    ApprovalItem,
    CorrectionRequest,
    FeeChange,
    FeeItem,
    ItemChange,
    Material,
    ProcedureStep,
    Rating,
    RectificationCase,
    RectificationRule,
    RectificationStatus,
    ServiceHall,
    ServiceWindow,
)
from approvals.permissions import fileable_items
from approvals.resources import ApprovalItemResource, FeeItemResource
from portal import citizen_secrets
from portal.admin_forms import LabelledInputsForm
from portal.admin_scoping import ReadOnlyAdminMixin, ScopedAdmin, ScopedImportExportAdmin
from portal.admin_scoping import ServiceActionsMixin as SharedServiceActions
from portal.admin_workspace import DueColumnMixin
from portal.deadlines import due_display
from portal.permissions import can, departments_for, has_model_permission


class ServiceActionsMixin(SharedServiceActions):
    """Runs a service per selected object; the action form carries the date of the step."""

    action_form = ApprovalsActionForm

    def _date(self, request):
        form = self.action_form(request.POST)
        form.is_valid()
        return form.cleaned_data.get("on") or timezone.localdate()


class RegisterAdminMixin(ServiceActionsMixin):
    """Items and fees: a new one is established, an edit goes through the update service with
    the form's change record; the code is fixed once saved (it is printed); nothing is deleted
    (cancellation is the way out, and stays public); a cancelled one is read-only."""

    #: The services (staticmethods) and their keyword for the object.
    establish = update = None
    keyword = ""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["code"] if obj is not None else fields

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.status != "cancelled")

    def get_fieldsets(self, request, obj=None):
        # The change record is input for the next edit, never stored on the object: a reader
        # who may not edit would see three empty boxes named after the form's fields.
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            fieldsets = [fieldset for fieldset in fieldsets if fieldset[0] != CHANGE_RECORD[0]]
        return fieldsets

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        step = self.update if change else self.establish
        step(actor=request.user, **{self.keyword: obj}, **form.change_record())

    def _change_action(self, request, queryset, step, message, **kwargs):
        self._run(
            request, queryset, step, message, self.keyword, effective_on=self._date(request),
            document_number=self._form_value(request, "document_number"), reason=self._form_value(request, "text"),
            **kwargs,
        )


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_view_permission(self, request, obj=None):
        return True  # shown to whoever may see the parent


# --- the hall ---------------------------------------------------------------------------


@admin.register(ServiceHall)
class ServiceHallAdmin(ScopedAdmin):
    list_display = ["name", "department", "address", "phone"]
    search_fields = ["name", "address"]
    list_select_related = ["department"]


@admin.register(ServiceWindow)
class ServiceWindowAdmin(ScopedAdmin):
    list_display = ["name", "number", "hall", "position"]
    list_filter = ["hall"]
    search_fields = ["name", "number"]
    list_select_related = ["hall"]
    filter_horizontal = ["departments"]


# --- approval items ---------------------------------------------------------------------


class MaterialInline(admin.TabularInline):
    model = Material
    form = MaterialForm
    extra = 0
    fields = ["position", "name", "form", "copies", "mandatory", "notes", "blank_form"]

    def get_fields(self, request, obj=None):
        # Read only, a blank form is a link under its uploaded name, not its storage path.
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return ["blank_form_download" if field == "blank_form" else field for field in fields]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "blank_form_download"]

    @admin.display(description=_("blank form"))
    def blank_form_download(self, material):
        if not material.blank_form:
            return "—"
        url = reverse("approvals:blank-form", args=[material.item.code, material.pk])  # the public download
        return format_html('<a href="{}">{}</a>', url, material.blank_form_name or gettext("download"))


class ProcedureStepInline(admin.TabularInline):
    model = ProcedureStep
    form = LabelledInputsForm
    extra = 0
    fields = ["position", "name", "description", "responsible", "time_limit"]


class FeeInline(admin.StackedInline):
    model = FeeItem
    form = InlineFeeForm
    fk_name = "approval_item"
    extra = 0
    can_delete = False  # a fee leaves the schedule by cancellation, which stays in its log
    show_change_link = True
    verbose_name_plural = _("fees of this item (adjust an existing standard on the fee's own page)")


class ItemChangeInline(ReadOnlyInline):
    model = ItemChange
    fields = ["kind", "effective_on", "document_number", "reason", "details", "changed_fields", "recorded_by"]
    verbose_name_plural = _("change log (published)")


CHANGE_RECORD = (
    _("Change record"),
    {
        "fields": ["change_effective_on", "change_document_number", "change_reason"],
        "description": _(
            "For a new item: when and by which document it was established. For a change of name, basis, "
            "conditions or limits: the adjustment's date, document and reason — it is published in the change log."
        ),
    },
)


@admin.register(ApprovalItem)
class ApprovalItemAdmin(RegisterAdminMixin, ScopedImportExportAdmin):
    establish = staticmethod(services.approval_item_establish)
    update = staticmethod(services.approval_item_update)
    keyword = "item"
    resource_classes = [ApprovalItemResource]
    form = ApprovalItemForm
    inlines = [MaterialInline, ProcedureStepInline, FeeInline, ItemChangeInline]
    list_display = ["code", "name", "department", "kind", "promised_limit", "statutory_limit", "window", "status"]
    list_filter = ["status", "kind", "department"]
    search_fields = ["code", "name", "basis_law"]
    list_select_related = ["department", "window__hall"]
    readonly_fields = ["status"]
    actions = ["cancel", "delegate"]
    fieldsets = [
        (None, {"fields": ["code", "name", "department", "kind", "status"]}),
        (_("Legal basis"), {"fields": ["basis_law", "basis_article", "basis_document"]}),
        (_("Conditions and time limits"), {"fields": ["conditions", "statutory_limit", "promised_limit"]}),
        (_("Where and how to apply"), {"fields": ["window", "location", "consultation_phone", "complaint_phone", "online_url"]}),
        CHANGE_RECORD,
    ]

    def get_search_results(self, request, queryset, search_term):
        # The application form's item picker: the items the clerk may register applications
        # for (those at the windows of the hall their department runs, too), as the form accepts.
        if request.GET.get("model_name") == "application" and request.GET.get("field_name") == "item":
            queryset = fileable_items(request.user).select_related("department")
        return super().get_search_results(request, queryset, search_term)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "window":
            # Any window where one of the user's departments serves (all, county-wide), not
            # only the windows of halls the user's department runs.
            field.queryset = (
                ServiceWindow.objects.filter(departments__in=departments_for(request.user)).select_related("hall").distinct()
            )
        return field

    def save_formset(self, request, form, formset, change):
        item = form.instance
        if formset.model in (Material, ProcedureStep):
            saved = formset.save(commit=False)
            if saved or formset.deleted_objects:
                services.approval_item_parts_save(actor=request.user, item=item, saved=saved, deleted=formset.deleted_objects)
            return
        if formset.model is not FeeItem:
            return super().save_formset(request, form, formset, change)
        for fee in formset.save(commit=False):
            fee.department_id, fee.approval_item = item.department_id, item
            if fee.pk is None:
                services.fee_item_establish(
                    actor=request.user, fee=fee, effective_on=timezone.localdate(),
                    reason=str(_("Published with approval item %(code)s")) % {"code": item.code},
                )
            else:
                services.fee_item_update(actor=request.user, fee=fee)

    @admin.action(description=_("Cancel (date, document number, reason)"))
    def cancel(self, request, queryset):
        self._change_action(request, queryset, services.approval_item_cancel, _("%(count)d cancelled."))

    @admin.action(description=_("Delegate (date, document number, reason, to whom)"))
    def delegate(self, request, queryset):
        self._change_action(request, queryset, services.approval_item_delegate, _("%(count)d delegated."),
                            delegated_to=self._form_value(request, "delegated_to"))


# --- fees ---------------------------------------------------------------------------------


class FeeChangeInline(ReadOnlyInline):
    model = FeeChange
    fields = ["kind", "effective_on", "document_number", "reason", "details", "recorded_by"]
    verbose_name_plural = _("change log (published)")


@admin.register(FeeItem)
class FeeItemAdmin(RegisterAdminMixin, ScopedImportExportAdmin):
    establish = staticmethod(services.fee_item_establish)
    update = staticmethod(services.fee_item_update)
    keyword = "fee"
    resource_classes = [FeeItemResource]
    form = FeeItemForm
    inlines = [FeeChangeInline]
    list_display = ["code", "name", "department", "approval_item", "standard", "status"]
    list_filter = ["status", "standard_kind", "department"]
    search_fields = ["code", "name", "legal_basis"]
    list_select_related = ["department", "approval_item"]
    autocomplete_fields = ["approval_item"]
    readonly_fields = ["status"]
    actions = ["suspend", "resume", "cancel"]
    fieldsets = [
        (None, {"fields": ["code", "name", "department", "approval_item", "status"]}),
        (_("Standard"), {"fields": ["legal_basis", "standard_kind", "amount", "amount_min", "amount_max", "currency", "unit"]}),
        (_("Reductions and exemptions"), {"fields": ["reductions"]}),
        CHANGE_RECORD,
    ]

    @admin.action(description=_("Suspend (date, document number, reason)"))
    def suspend(self, request, queryset):
        self._change_action(request, queryset, services.fee_item_suspend, _("%(count)d suspended."))

    @admin.action(description=_("Resume charging (date, document number, reason)"))
    def resume(self, request, queryset):
        self._change_action(request, queryset, services.fee_item_resume, _("%(count)d resumed."))

    @admin.action(description=_("Cancel (date, document number, reason)"))
    def cancel(self, request, queryset):
        self._change_action(request, queryset, services.fee_item_cancel, _("%(count)d cancelled."))


# --- applications ---------------------------------------------------------------------


class CorrectionInline(ReadOnlyInline):
    model = CorrectionRequest
    fields = ["requested_on", "missing", "resumed_on", "requested_by"]


#: The one-time hand-over of a new receipt's rating secret to the receipt page.
RECEIPT_COOKIE = "gongkai_receipt"

HANDLER_FIELDS = ["item", "applicant_kind", "applicant_name", "applicant_id_number", "applicant_phone", "received_on"]
STATE_FIELDS = [
    "tracking_number", "window", "status", "due_on", "due_provisional", "decision", "rejection_reason", "decided_on",
    "completed_on", "registered_by", "rating_secret_state",
]
MASKED_FIELDS = ["item", "applicant_kind", "applicant_public", "id_number_masked", "phone_masked", "received_on"]


@admin.register(Application)
class ApplicationAdmin(ServiceActionsMixin, ScopedAdmin):
    """The handling staff see the applicant whole; everyone else (supervisors) masked."""

    form = ApplicationForm
    inlines = [CorrectionInline]
    autocomplete_fields = ["item"]  # a county has hundreds of items: typed, not scrolled
    list_filter = ["status", "item__department"]
    date_hierarchy = "received_on"
    list_select_related = ["item__department"]
    actions = ["start_review", "request_correction", "correction_received", "decide", "reject", "complete"]

    # Scoping is the shared mixin's: ``approvals.permissions`` declares that the staff of a
    # hall's department reach the applications of the items at its windows too.
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "item":
            field.queryset = fileable_items(request.user).select_related("department")
        return field

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # nothing to show before registration

    # --- what each sees ----------------------------------------------------------------
    def _handles_all(self, request):
        return has_model_permission(request.user, Application, "change")

    def get_list_display(self, request):
        applicant = ["applicant_name", "applicant_phone"] if self._handles_all(request) else ["applicant_public"]
        return ["tracking_number", "item", *applicant, "received_on", "status", "due", "decided_on"]

    def get_search_fields(self, request):
        return ["tracking_number", "applicant_name", "applicant_phone"] if self._handles_all(request) else ["tracking_number"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ApplicationForm.Meta.fields
        if can(request.user, "change", obj):
            return ["tracking_number", *HANDLER_FIELDS, *STATE_FIELDS[1:]]
        return ["tracking_number", *MASKED_FIELDS, *STATE_FIELDS[1:]]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        readonly = STATE_FIELDS + MASKED_FIELDS
        return readonly if can(request.user, "change", obj) else readonly + HANDLER_FIELDS

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None or not can(request.user, "change", obj):
            raise PermissionDenied  # the history holds the applicant's details whole
        return super().history_view(request, object_id, extra_context)

    @admin.display(description=_("applicant"))
    def applicant_public(self, obj):
        return public_name(obj.applicant_kind, obj.applicant_name)

    @admin.display(description=_("ID number"))
    def id_number_masked(self, obj):
        return masked_id_number(obj.applicant_id_number)

    @admin.display(description=_("phone"))
    def phone_masked(self, obj):
        return masked_phone(obj.applicant_phone)

    @admin.display(description=_("rating secret"))
    def rating_secret_state(self, obj):
        """Whether the receipt carried a secret — never the secret, which nobody here sees."""
        url = reverse("admin:approvals_application_secret", args=[obj.pk])
        if obj.rating_secret_hash:
            text = _("On the applicant's receipt only; staff never see it.")
        else:
            text = _("None: registered before receipts carried one. It cannot be rated online.")
        return format_html('{} <a href="{}">{}</a>', text, url, _("Receipt"))

    @admin.display(description=_("due on"), ordering="due_on")
    def due(self, obj):
        if obj.due_on is None:
            return _("paused") if obj.is_paused else "—"
        overdue = obj.status in ("received", "under_review") and obj.due_on < timezone.localdate()
        return due_display(obj.due_on, obj.due_provisional, overdue=overdue)

    # --- saving and steps --------------------------------------------------------------
    @sensitive_variables("receipt")
    def save_model(self, request, obj, form, change):
        if change:
            services.application_update(actor=request.user, application=obj, fields=form.changed_data)
        else:
            receipt = services.application_receive(actor=request.user, application=obj)
            # Kept on this request only, for ``response_add`` to hand over to the receipt page.
            request.rating_secret_issued = receipt.rating_secret
            self.message_user(
                request, _("Tracking number %(number)s, due on %(due)s.") % {"number": obj.tracking_number, "due": obj.due_on},
                messages.SUCCESS,
            )

    def response_add(self, request, obj, post_url_continue=None):
        """Straight to the receipt: the clerk prints it for the applicant, with the secret."""
        page = reverse("admin:approvals_application_secret", args=[obj.pk])
        secret = getattr(request, "rating_secret_issued", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        del request.rating_secret_issued
        return citizen_secrets.hand_over(
            redirect(page), name=RECEIPT_COOKIE, path=page, payload={"pk": obj.pk, "secret": secret, "registered": True},
        )

    # --- the receipt and its secret ------------------------------------------------------
    def get_urls(self):
        return [
            path("<int:pk>/secret/", self.admin_site.admin_view(self.secret_view), name="approvals_application_secret"),
        ] + super().get_urls()

    @method_decorator(never_cache)
    def secret_view(self, request, pk):
        """The receipt with the rating secret, shown once after registration or after a
        supervisor issued a new secret; otherwise where a supervisor issues one."""
        application = get_object_or_404(self.get_queryset(request).select_related("item", "window"), pk=pk)

        def reissue(reason):
            return services.rating_secret_reissue(actor=request.user, application=application, reason=reason)

        @sensitive_variables("handed")
        def page(handed):
            return render(request, "admin/approvals/receipt.html", {
                **self.admin_site.each_context(request), "opts": self.model._meta, "object": application,
                "secret": handed["secret"] if handed else None, "registered": bool(handed and handed.get("registered")),
                "may_reissue": services.may_reissue_rating_secret(request.user),
                "title": _("Receipt of %(number)s") % {"number": application.tracking_number},
            })

        return citizen_secrets.slip_page(request, cookie=RECEIPT_COOKIE, pk=application.pk, reissue=reissue, page=page)

    def _step(self, request, queryset, step, message, **kwargs):
        self._run(request, queryset, step, message, "application", **kwargs)

    @admin.action(description=_("Start review"))
    def start_review(self, request, queryset):
        self._step(request, queryset, services.application_start_review, _("%(count)d under review."))

    @admin.action(description=_("Ask for correction (list what is missing) — the clock pauses"))
    def request_correction(self, request, queryset):
        self._step(request, queryset, services.application_request_correction, _("%(count)d paused for correction."),
                   missing=self._form_value(request, "text"), on=self._date(request))

    @admin.action(description=_("Corrected materials received — the clock runs again"))
    def correction_received(self, request, queryset):
        self._step(request, queryset, services.application_correction_received, _("%(count)d resumed."),
                   on=self._date(request))

    @admin.action(description=_("Decide (write the decision)"))
    def decide(self, request, queryset):
        self._step(request, queryset, services.application_decide, _("%(count)d decided."),
                   decision=self._form_value(request, "text"), on=self._date(request))

    @admin.action(description=_("Reject (write the reason)"))
    def reject(self, request, queryset):
        self._step(request, queryset, services.application_reject, _("%(count)d rejected."),
                   reason=self._form_value(request, "text"), on=self._date(request))

    @admin.action(description=_("Complete (handed over)"))
    def complete(self, request, queryset):
        self._step(request, queryset, services.application_complete, _("%(count)d completed."), on=self._date(request))


# --- ratings and rectification ----------------------------------------------------------


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ["application", "level", "created_at"]
    list_filter = ["level", "application__item__department"]
    list_select_related = ["application"]
    fields = ["application", "level", "comment", "created_at"]
    readonly_fields = fields


@admin.register(RectificationCase)
class RectificationCaseAdmin(DueColumnMixin, ScopedAdmin):
    """Saving an open case with an outcome closes it and publishes the outcome."""

    list_display = ["item", "department", "opened_on", "due", "status", "closed_on"]
    list_filter = ["status", "department"]
    list_select_related = ["item", "department"]

    fields = ["department", "item", "rating_level", "rating_comment", "opened_on", "working_days", "due_on", "status",
              "outcome", "closed_on", "closed_by"]
    readonly_fields = ["department", "item", "rating_level", "rating_comment", "opened_on", "working_days", "due_on",
                       "status", "closed_on", "closed_by"]

    def has_add_permission(self, request):
        return False  # opened by a bad rating

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.status == RectificationStatus.OPEN)

    @admin.display(description=_("rating"))
    def rating_level(self, obj):
        return obj.rating.get_level_display()

    @admin.display(description=_("comment"))
    def rating_comment(self, obj):
        return obj.rating.comment or "—"

    def save_model(self, request, obj, form, change):
        if obj.outcome.strip():
            services.rectification_close(actor=request.user, case=obj, outcome=obj.outcome)


@admin.register(RectificationRule)
class RectificationRuleAdmin(ScopedAdmin):
    list_display = ["department", "working_days", "updated_at"]
    list_select_related = ["department"]
