"""The admin of supervision activities: checklist templates, inspections with their checklist
and findings, rectification orders (the department's report with evidence files, the office's
verification) and accountability measures. Every state change is a service of
``supervision.services.inspections``."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from portal.admin_scoping import ReadOnlyAdminMixin, ScopedAdmin, ServiceActionsMixin
from portal.admin_workspace import DueColumnMixin
from portal.permissions import can, scope
from supervision.forms import (
    AccountabilityMeasureForm,
    FindingForm,
    OversightActionForm,
    RectificationReportForm,
)
from supervision.models import (
    OPEN_ORDER_STATUSES,
    AccountabilityMeasure,
    ChecklistResult,
    ChecklistTemplate,
    ChecklistTemplateItem,
    Finding,
    Inspection,
    InspectionStatus,
    RectificationOrder,
    ResponseFile,
)
from supervision.services import inspections as services


class CreatedByServiceMixin:
    """The add page creates through the service: it runs once the form is otherwise valid
    (inside the admin's transaction), so what the service refuses shows as the form's error."""

    def create(self, request, data):
        raise NotImplementedError

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        if obj is not None:
            return form_class
        model_admin = self

        class ServiceForm(form_class):
            created = None

            def _post_clean(self):
                super()._post_clean()
                if not self.errors:
                    try:
                        self.created = model_admin.create(request, self.cleaned_data)
                    except ValidationError as error:
                        self.add_error(None, error.messages)

        return ServiceForm

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing is edited in place: every change is a step
        obj.pk = form.created.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)


class TemplateItemInline(admin.TabularInline):
    model = ChecklistTemplateItem
    fields = ["position", "text"]
    extra = 1


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(ScopedAdmin):
    list_display = ["name", "active", "updated_at"]
    list_filter = ["active"]
    inlines = [TemplateItemInline]

    def has_delete_permission(self, request, obj=None):
        return False  # switched off instead: inspections name the template they copied


class _InspectionPartInline(admin.TabularInline):
    """Parts of an inspection: changed only while it is in progress, by whoever runs it."""

    extra = 0

    def _open(self, request, obj):
        return obj is not None and obj.status == InspectionStatus.IN_PROGRESS and can(request.user, "change", obj)

    def has_view_permission(self, request, obj=None):
        return True  # whoever may see the inspection sees its checklist and findings

    def has_change_permission(self, request, obj=None):
        return self._open(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class ChecklistInline(_InspectionPartInline):
    model = ChecklistResult
    fields = ["text", "outcome", "note"]
    readonly_fields = ["text"]

    def has_add_permission(self, request, obj=None):
        return False  # copied from the template when the inspection opens


class FindingInline(_InspectionPartInline):
    model = Finding
    form = FindingForm
    fields = ["checklist_point", "description", "severity", "evidence", "evidence_file", "orders_link"]
    readonly_fields = ["orders_link"]

    def has_add_permission(self, request, obj=None):
        return self._open(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "checklist_point":
            object_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = ChecklistResult.objects.filter(inspection_id=object_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("rectification"))
    def orders_link(self, obj):
        if obj.pk is None:
            return ""
        query = urlencode({"department": obj.inspection.department_id, "inspection": obj.inspection_id,
                           "finding": obj.pk})
        return format_html('<a href="{}?{}">{}</a>', reverse("admin:supervision_rectificationorder_add"), query,
                           _("Issue a rectification order"))


@admin.register(Inspection)
class InspectionAdmin(CreatedByServiceMixin, ServiceActionsMixin, ScopedAdmin):
    action_form = OversightActionForm
    list_display = ["title", "kind", "department", "inspected_on", "status", "finding_count", "order_count"]
    list_filter = ["kind", "status", "department"]
    search_fields = ["title"]
    date_hierarchy = "inspected_on"
    list_select_related = ["department"]
    actions = ["conclude"]
    add_fields = ["department", "kind", "title", "inspected_on", "template", "supervisors", "deputies",
                  "invited_members"]
    filter_horizontal = ["supervisors"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            findings_n=Count("findings", distinct=True), orders_n=Count("orders", distinct=True))

    @admin.display(description=_("findings"), ordering="findings_n")
    def finding_count(self, obj):
        return obj.findings_n

    @admin.display(description=_("rectification orders"), ordering="orders_n")
    def order_count(self, obj):
        return obj.orders_n

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return [*self.add_fields, "status", "conclusion", "concluded_on", "created_by", "orders"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def get_inlines(self, request, obj):
        return [] if obj is None else [ChecklistInline, FindingInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "template":
            kwargs["queryset"] = ChecklistTemplate.objects.filter(active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "supervisors":
            from django.contrib.auth import get_user_model

            from portal.roles import Role

            kwargs["queryset"] = get_user_model().objects.filter(
                is_active=True, staff_profile__role__in=[Role.SUPERVISOR, Role.COORDINATOR])
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("rectification orders"))
    def orders(self, obj):
        rows = format_html_join(
            "", '<li><a href="{}">{}</a> · {} · {}</li>',
            ((reverse("admin:supervision_rectificationorder_change", args=[order.pk]), order.requirement[:60],
              order.get_status_display(), order.due_on) for order in obj.orders.all()),
        )
        query = urlencode({"department": obj.department_id, "inspection": obj.pk})
        add = format_html('<a href="{}?{}">{}</a>', reverse("admin:supervision_rectificationorder_add"), query,
                          _("Issue a rectification order"))
        return format_html("<ul>{}</ul>{}", rows, add)

    def create(self, request, data):
        return services.inspection_open(
            actor=request.user, department=data["department"], kind=data["kind"], title=data["title"],
            inspected_on=data["inspected_on"], template=data.get("template"),
            supervisors=data.get("supervisors") or (), deputies=data.get("deputies", ""),
            invited_members=data.get("invited_members", ""),
        )

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Conclude (conclusion in the text box)"))
    def conclude(self, request, queryset):
        self._run(request, queryset, services.inspection_conclude, _("%(count)d concluded."), "inspection",
                  conclusion=self._form_value(request, "text"))


class OrderQueueFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("overdue", _("Overdue")), ("reported", _("Reported, to verify")),
                ("closed", _("Closed"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        return {
            "open": lambda: queryset.open(),
            "overdue": lambda: queryset.overdue(on=today),
            "reported": lambda: queryset.filter(status="reported"),
            "closed": lambda: queryset.filter(status="closed"),
        }.get(self.value(), lambda: queryset)()


class ResponseFileInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ResponseFile
    fields = ["name", "content_type", "size", "sha256", "uploaded_by", "created_at"]
    readonly_fields = fields
    extra = 0

    def has_view_permission(self, request, obj=None):
        return True


@admin.register(RectificationOrder)
class RectificationOrderAdmin(DueColumnMixin, CreatedByServiceMixin, ServiceActionsMixin, ScopedAdmin):
    action_form = OversightActionForm
    list_display = ["short_requirement", "department", "source", "issued_on", "due", "status", "overdue"]
    list_filter = [OrderQueueFilter, "status", "inspection__kind", "department"]
    search_fields = ["requirement"]
    date_hierarchy = "issued_on"
    list_select_related = ["department", "inspection", "complaint"]
    raw_id_fields = ["inspection", "finding", "complaint"]
    inlines = [ResponseFileInline]
    actions = ["start", "report", "verify", "send_back"]
    add_fields = ["department", "inspection", "finding", "complaint", "requirement", "working_days"]
    shown_fields = [*add_fields, "issued_on", "issued_by", "due_on", "due_provisional", "status", "response",
                    "reported_on", "send_back_reason", "sent_back_count", "closed_on", "closed_on_time",
                    "verified_by", "accountability"]

    @admin.display(description=_("what must be put right"))
    def short_requirement(self, obj):
        return obj.requirement[:60]

    @admin.display(description=_("from"))
    def source(self, obj):
        if obj.inspection_id:
            return obj.inspection
        if obj.complaint_id:
            return _("complaint %(code)s…") % {"code": obj.complaint.tracking_code[:8]}
        return "—"

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.status in OPEN_ORDER_STATUSES and obj.due_on < timezone.localdate()

    @admin.display(description=_("accountability"))
    def accountability(self, obj):
        query = urlencode({"department": obj.department_id, "rectification_order": obj.pk})
        return format_html('<a href="{}?{}">{}</a>', reverse("admin:supervision_accountabilitymeasure_add"), query,
                           _("Record an accountability measure"))

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.shown_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.shown_fields

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def has_change_permission(self, request, obj=None):
        return False  # every change is a step (a service)

    def has_delete_permission(self, request, obj=None):
        return False

    def create(self, request, data):
        return services.rectification_order_issue(
            actor=request.user, department=data["department"], requirement=data["requirement"],
            working_days=data["working_days"], inspection=data.get("inspection"), finding=data.get("finding"),
            complaint=data.get("complaint"),
        )

    def get_urls(self):
        return [
            path("<int:pk>/report/", self.admin_site.admin_view(self.report_view),
                 name="supervision_rectificationorder_report"),
        ] + super().get_urls()

    def report_view(self, request, pk):
        """The department's report: what was done, with evidence files."""
        order = get_object_or_404(scope(request.user, RectificationOrder.objects.all(), "view"), pk=pk)
        if not can(request.user, "respond", order):
            raise PermissionDenied
        form = RectificationReportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.rectification_order_report(actor=request.user, order=order,
                                                    response=form.cleaned_data["response"],
                                                    files=form.cleaned_data["files"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("The report was sent to the supervision office."), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:supervision_rectificationorder_change", args=[order.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "order": order, "form": form,
                   "title": _("Report rectification done")}
        return render(request, "admin/supervision/rectification_report.html", context)

    @admin.action(description=_("Start rectifying"))
    def start(self, request, queryset):
        self._run(request, queryset, services.rectification_order_start, _("%(count)d started."), "order")

    @admin.action(description=_("Report rectification done"))
    def report(self, request, queryset):
        """The report needs its text and files: one order at a time, on its own page."""
        orders = list(queryset[:2])
        if len(orders) != 1:
            self.message_user(request, _("Report on one order at a time."), messages.ERROR)
            return None
        return HttpResponseRedirect(reverse("admin:supervision_rectificationorder_report", args=[orders[0].pk]))

    @admin.action(description=_("Verify and close"))
    def verify(self, request, queryset):
        self._run(request, queryset, services.rectification_order_verify, _("%(count)d verified and closed."), "order")

    @admin.action(description=_("Send back (reason in the text box)"))
    def send_back(self, request, queryset):
        self._run(request, queryset, services.rectification_order_send_back, _("%(count)d sent back."), "order",
                  reason=self._form_value(request, "text"))


@admin.register(AccountabilityMeasure)
class AccountabilityMeasureAdmin(CreatedByServiceMixin, ScopedAdmin):
    form = AccountabilityMeasureForm
    list_display = ["measure", "department", "person", "decided_on", "cause"]
    list_filter = ["measure", "department"]
    search_fields = ["person", "reason"]
    date_hierarchy = "decided_on"
    list_select_related = ["department", "complaint", "finding", "rectification_order", "rating_rectification",
                           "overdue_type"]
    raw_id_fields = ["complaint", "finding", "rectification_order", "rating_rectification"]
    fields = ["measure", "department", "person", "decided_on", "reason", "complaint", "finding",
              "rectification_order", "rating_rectification", "overdue_type", "overdue_id"]

    @admin.display(description=_("cause"))
    def cause(self, obj):
        if obj.complaint_id:
            return _("complaint %(code)s…") % {"code": obj.complaint.tracking_code[:8]}
        for cause in (obj.finding, obj.rectification_order, obj.rating_rectification):
            if cause is not None:
                return f"{cause._meta.verbose_name}: {cause}"
        return f"{obj.overdue_type} #{obj.overdue_id}" if obj.overdue_type_id else "—"

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else [*self.fields, "recorded_by"]

    def has_change_permission(self, request, obj=None):
        return False  # a record: a measure revoked is a new decision, not an edit

    def has_delete_permission(self, request, obj=None):
        return False

    def create(self, request, data):
        overdue = None
        if data.get("overdue_type") and data.get("overdue_id"):
            overdue = data["overdue_type"].get_all_objects_for_this_type(pk=data["overdue_id"]).first()
            if overdue is None:
                raise ValidationError(_("No such overdue item."))
        return services.accountability_record(
            actor=request.user, measure=data["measure"], department=data["department"], reason=data["reason"],
            person=data.get("person", ""), decided_on=data.get("decided_on"), complaint=data.get("complaint"),
            finding=data.get("finding"), rectification_order=data.get("rectification_order"),
            rating_rectification=data.get("rating_rectification"), overdue_item=overdue,
        )
