"""The admin of information requests and yearly reports: the department's queue, the steps
(each a service), the requester read by the department only, and the coordinators' report
pages (HTML with every figure linked to its records, printable, XLSX)."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables

from disclosures.models.requests import (
    OPEN,
    RUNNING,
    AnnualReport,
    InformationRequest,
    Requester,
    RequestFile,
    RequestStatus,
    ReportStatus,
)
from disclosures.requests import output, report as yearly, services
from disclosures.requests.forms import RequestActionForm, RequestRegisterForm
from portal import citizen_secrets
from portal.admin_scoping import ReadOnlyAdminMixin, ScopedAdmin, ServiceActionsMixin
from portal.admin_workspace import DueColumnMixin
from portal.permissions import scope


#: The one-time hand-over of a registered request's secret to its slip page.
SLIP_COOKIE = "gongkai_request_slip"


class QueueFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("overdue", _("Overdue")), ("correction", _("Waiting for a correction")),
                ("closed", _("Closed"))]

    def queryset(self, request, queryset):
        return {
            "open": lambda: queryset.filter(status__in=OPEN),
            "overdue": lambda: queryset.overdue(timezone.localdate()),
            "correction": lambda: queryset.filter(status=RequestStatus.CORRECTION),
            "closed": lambda: queryset.exclude(status__in=OPEN),
        }.get(self.value(), lambda: queryset)()


class _ReportTraceFilter(admin.SimpleListFilter):
    """The records behind one figure of a yearly report (the report page links here): the
    figure's key is the filter's value; the year (and the column) come with it, taken here,
    not left for the change list to read as field lookups."""

    extra_parameters: tuple[str, ...] = ("report_year",)

    def __init__(self, request, params, model, model_admin):
        self.cell = {name: (params.pop(name, None) or [""])[-1] for name in self.extra_parameters}
        super().__init__(request, params, model, model_admin)

    def expected_parameters(self):
        return [self.parameter_name, *self.extra_parameters]

    def year(self) -> int | None:
        try:
            year = int(self.cell["report_year"])
        except ValueError:
            return None
        return year if 2000 <= year <= 2100 else None


class ReportCellFilter(_ReportTraceFilter):
    """The requests behind one cell of a yearly report's requests table."""

    title = _("yearly report cell")
    parameter_name = "report_row"
    extra_parameters = ("report_year", "report_column")

    def lookups(self, request, model_admin):
        return [(row.key, row.label) for row in yearly.ROWS]

    def queryset(self, request, queryset):
        if not self.value() or self.value() not in yearly.ROW_BY_KEY:
            return queryset
        column = self.cell["report_column"] or yearly.TOTAL
        if self.year() is None or column not in yearly.COLUMNS:
            return queryset.none()
        return queryset.filter(pk__in=yearly.records(self.year(), None, self.value(), column).values("pk"))


class ReportFigureFilter(_ReportTraceFilter):
    """The disclosures behind one figure of a yearly report's section 2 (on the disclosure
    change list; shown only while it is applied)."""

    title = _("yearly report figure")
    parameter_name = "report_figure"

    def lookups(self, request, model_admin):
        key = self.value()
        return [(key, yearly.PROACTIVE_LABELS[key])] if key in yearly.PROACTIVE_RECORDS else []

    def queryset(self, request, queryset):
        if self.value() not in yearly.PROACTIVE_RECORDS:
            return queryset
        if self.year() is None:
            return queryset.none()
        return queryset.filter(pk__in=yearly.proactive_records(self.year(), None, self.value()).values("pk"))


class RequesterInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = Requester
    fields = ["name", "organisation", "phone", "email", "address"]
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("requester (never public)")

    def has_view_permission(self, request, obj=None):
        return True  # whoever may see the request (its department) needs the name to reply


class FileInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RequestFile
    fields = ["name", "with_reply", "content_type", "size", "sha256"]
    readonly_fields = fields
    extra = 0

    def has_view_permission(self, request, obj=None):
        return True


@admin.register(InformationRequest)
class InformationRequestAdmin(DueColumnMixin, ServiceActionsMixin, ScopedAdmin):
    action_form = RequestActionForm
    inlines = [RequesterInline, FileInline]
    list_display = ["short_code", "department", "requester_type", "received_on", "status", "due", "overdue",
                    "extension_days", "outcome", "on_time"]
    list_filter = [QueueFilter, ReportCellFilter, "status", "outcome", "requester_type", "channel", "department"]
    search_fields = ["tracking_code", "description"]  # what is asked again and again is found (art. 44)
    date_hierarchy = "received_on"
    list_select_related = ["department"]
    ordering = ["due_on", "pk"]
    actions = ["request_correction", "correction_received", "abandon", "consult", "consultation_ended", "extend",
               "reply", "publish_reply", "make_proactive"]
    readonly_fields = [
        "tracking_code", "department", "channel", "requester_type", "description", "purpose", "reply_form", "status",
        "received_on", "counted_from", "due_on", "due_provisional", "correction_notice", "correction_requested_on",
        "correction_due_on", "corrected_on", "consultation_started_on", "consultation_ended_on", "extension_days",
        "extension_reason", "extension_approved_by", "extended_on", "outcome", "sub_reason", "reply_text",
        "replied_by", "closed_on", "on_time", "disclosure",
    ]
    fields = readonly_fields

    @admin.display(description=_("code"))
    def short_code(self, obj):
        return f"{obj.tracking_code[:8]}…"

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.status in RUNNING and obj.due_on < timezone.localdate()

    # --- registering a request received by letter, fax, e-mail or in person -----------------
    # The add form is the register: the service files the request (the clock, the tracking
    # code, the secret) and the clerk goes straight to the slip, where the secret is shown once.
    add_fieldsets = [
        (_("How it arrived"), {"fields": ["department", "channel", "received_on"]}),
        (_("The requester (never public)"), {"fields": ["requester_type", "name", "organisation", "phone", "email",
                                                        "address"]}),
        (_("The request"), {"fields": ["description", "purpose", "reply_form", "files"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = RequestRegisterForm
        return super().get_form(request, obj, change=change, **kwargs)

    @method_decorator(sensitive_variables("filed"))
    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied  # every change is a step
        data = form.cleaned_data
        filed = services.request_register(
            actor=request.user, department=data["department"], channel=data["channel"],
            received_on=data["received_on"], requester_type=data["requester_type"],
            identity=services.Identity(**form.identity()), description=data["description"],
            purpose=data["purpose"], reply_form=data["reply_form"], files=data["files"],
        )
        # The admin logs and redirects with ``obj``: it becomes the row the service made.
        for field in InformationRequest._meta.concrete_fields:
            setattr(obj, field.attname, getattr(filed.request, field.attname))
        obj._state.adding = False
        # Kept on this request only, for ``response_add`` to hand over to the slip page.
        request.request_secret_issued = filed.secret

    def response_add(self, request, obj, post_url_continue=None):
        """Straight to the slip: the clerk prints it (or reads it out) for the requester."""
        secret = getattr(request, "request_secret_issued", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        del request.request_secret_issued
        page = reverse("admin:disclosures_informationrequest_secret", args=[obj.pk])
        return citizen_secrets.hand_over(
            redirect(page), name=SLIP_COOKIE, path=page, payload={"pk": obj.pk, "secret": secret, "registered": True},
        )

    @method_decorator(never_cache)
    def secret_view(self, request, pk):
        """The slip with the tracking code and the secret, shown once after registration;
        afterwards only that the requester holds it. A secret is never issued again here."""
        information_request = get_object_or_404(self.get_queryset(request), pk=pk)

        def reissue(reason):
            raise PermissionDenied

        @sensitive_variables("handed")
        def page(handed):
            return render(request, "admin/disclosures/request_slip.html", {
                **self.admin_site.each_context(request), "opts": self.model._meta, "object": information_request,
                "secret": handed["secret"] if handed else None, "registered": bool(handed), "may_reissue": False,
                "title": _("Slip of request %(code)s") % {"code": information_request.tracking_code},
            })

        return citizen_secrets.slip_page(request, cookie=SLIP_COOKIE, pk=information_request.pk, reissue=reissue,
                                         page=page)

    def get_urls(self):
        return [
            path("<int:pk>/secret/", self.admin_site.admin_view(self.secret_view),
                 name="disclosures_informationrequest_secret"),
        ] + super().get_urls()

    def has_change_permission(self, request, obj=None):
        return False  # every change is a step (a service)

    def has_delete_permission(self, request, obj=None):
        return False

    def _on(self, request) -> dt.date | None:
        raw = self._form_value(request, "on")
        try:
            return dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            return None

    def _days(self, request) -> int:
        try:
            return int(self._form_value(request, "days") or 0)
        except ValueError:
            return 0

    @admin.action(description=_("Ask for a correction (notice in the text box)"))
    def request_correction(self, request, queryset):
        self._run(request, queryset, services.request_ask_correction, _("%(count)d correction notices sent."),
                  "request", notice=self._form_value(request, "text"), on=self._on(request))

    @admin.action(description=_("Corrected request received (date in the date box)"))
    def correction_received(self, request, queryset):
        self._run(request, queryset, services.request_correction_received, _("%(count)d corrections recorded."),
                  "request", on=self._on(request))

    @admin.action(description=_("Close: not corrected in time"))
    def abandon(self, request, queryset):
        self._run(request, queryset, services.request_abandon, _("%(count)d closed."), "request")

    @admin.action(description=_("Consult a third party (pauses the clock)"))
    def consult(self, request, queryset):
        self._run(request, queryset, services.request_consult, _("%(count)d consultations recorded."), "request",
                  third_party=self._form_value(request, "text"), on=self._on(request))

    @admin.action(description=_("Third party's opinion received (date in the date box)"))
    def consultation_ended(self, request, queryset):
        self._run(request, queryset, services.request_consultation_ended, _("%(count)d consultations ended."),
                  "request", on=self._on(request))

    @admin.action(description=_("Extend (days and reason; office head's approval)"))
    def extend(self, request, queryset):
        self._run(request, queryset, services.request_extend, _("%(count)d extended."), "request",
                  days=self._days(request), reason=self._form_value(request, "text"))

    @admin.action(description=_("Reply (outcome, reason and text)"))
    def reply(self, request, queryset):
        self._run(request, queryset, services.request_reply, _("%(count)d replied."), "request",
                  outcome=self._form_value(request, "outcome") or "", sub_reason=self._form_value(request, "sub_reason"),
                  text=self._form_value(request, "text"), on=self._on(request))

    @admin.action(description=_("Publish the reply as a disclosure"))
    def publish_reply(self, request, queryset):
        self._run(request, queryset, services.request_publish_reply,
                  _("%(count)d replies sent to pre-review as disclosures."), "request")

    @admin.action(description=_("Move the information into proactive disclosure (the catalogue)"))
    def make_proactive(self, request, queryset):
        self._run(request, queryset, services.request_make_proactive,
                  _("%(count)d added to the catalogue of proactive disclosure."), "request",
                  title=self._form_value(request, "text"))

    def _run(self, request, queryset, step, done_message, keyword, **kwargs):
        if kwargs.get("outcome") == "":
            self.message_user(request, _("Choose the outcome."), messages.ERROR)
            return
        super()._run(request, queryset, step, done_message, keyword, **kwargs)


@admin.register(AnnualReport)
class AnnualReportAdmin(ServiceActionsMixin, ScopedAdmin):
    list_display = ["year", "department", "status", "due_on", "finalised_at", "disclosure"]
    list_filter = ["year", "status", "department"]
    list_select_related = ["department", "disclosure"]
    actions = ["finalise", "publish"]
    fieldsets = [
        (None, {"fields": ["year", "department", "status", "due_on", "report_links"]}),
        (_("1. Overview"), {"fields": ["overview"]}),
        (_("2. Proactive disclosure"), {"fields": ["proactive_notes", "fee_income"]}),
        (_("4. Administrative review and litigation"), {"fields": [*yearly.REVIEW_FIELDS["review"],
                                                                   *yearly.REVIEW_FIELDS["suit"],
                                                                   *yearly.REVIEW_FIELDS["suit_after_review"]]}),
        (_("5. Problems and improvements"), {"fields": ["problems"]}),
        (_("6. Other matters"), {"fields": ["other_matters"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        fixed = ["status", "due_on", "report_links"]
        if obj is None:
            return fixed
        if obj.status == ReportStatus.FINAL:
            return [field.name for field in AnnualReport._meta.fields if field.name != "id"] + ["report_links"]
        return ["year", "department", *fixed]

    @admin.display(description=_("the report"))
    def report_links(self, obj):
        from django.utils.html import format_html

        if obj is None or obj.pk is None:
            return "—"
        page = reverse("admin:disclosures_annualreport_report", args=[obj.pk])
        return format_html('<a href="{}">{}</a> · <a href="{}?print=1">{}</a> · <a href="{}">{}</a>',
                           page, _("Read, with the records behind each figure"), page, _("Printable page"),
                           reverse("admin:disclosures_annualreport_xlsx", args=[obj.pk]), _("XLSX"))

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == ReportStatus.FINAL:
            return False  # its figures are frozen; what was entered stays as it was finalised
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            opened = services.annual_report_open(actor=request.user, year=obj.year, department=obj.department)
            obj.pk = opened.pk
            if not form.changed_data or set(form.changed_data) <= {"year", "department"}:
                return
        services.annual_report_save(actor=request.user, report=obj, fields=form.changed_data)

    @admin.action(description=_("Finalise"))
    def finalise(self, request, queryset):
        self._run(request, queryset, services.annual_report_finalise, _("%(count)d finalised."), "report")

    @admin.action(description=_("Publish as a disclosure"))
    def publish(self, request, queryset):
        self._run(request, queryset, services.annual_report_publish,
                  _("%(count)d sent to pre-review as disclosures."), "report")

    def get_urls(self):
        return [
            path("<int:pk>/report/", self.admin_site.admin_view(self.report_view), name="disclosures_annualreport_report"),
            path("<int:pk>/report.xlsx", self.admin_site.admin_view(self.xlsx_view), name="disclosures_annualreport_xlsx"),
        ] + super().get_urls()

    def _report(self, request, pk):
        report = get_object_or_404(scope(request.user, AnnualReport.objects.select_related("department"), "view"), pk=pk)
        return report, yearly.build(report.year, report.department, report)

    def report_view(self, request, pk):
        report, document = self._report(request, pk)
        trace = reverse("admin:disclosures_informationrequest_changelist")
        return render(request, "admin/disclosures/annual_report.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": report,
            "title": str(report), "printable": request.GET.get("print") == "1",
            "fragment": output.html_fragment(document, trace_url=None if request.GET.get("print") else trace),
        })

    def xlsx_view(self, request, pk):
        report, document = self._report(request, pk)
        if document is None:
            raise Http404
        response = HttpResponse(output.xlsx(document),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = content_disposition_header(True, f"annual-report-{report.year}.xlsx")
        return response
