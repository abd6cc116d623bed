"""The supervision office's admin: the complaints queue, handling actions, sealed identities;
inspections, rectification orders and accountability in ``inspections``."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables

from portal import citizen_secrets
from portal.admin_scoping import ReadOnlyAdminMixin, ServiceActionsMixin, ScopedAdmin, ScopedImportExportAdmin
from portal.admin_workspace import DueColumnMixin
from portal.permissions import has_model_permission, scope
from supervision import services
from supervision.forms import ComplaintActionForm
from supervision.models import Complaint, ComplaintAttachment, HandlingTime, IdentityAccess, Reply, Status
from supervision.models.complaints import OPEN_STATUSES
from supervision.resources import ComplaintResource


class QueueFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("overdue", _("Overdue")), ("replied", _("Replied, awaiting rating")),
                ("done", _("Closed or declined"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        return {
            "open": lambda: queryset.filter(status__in=OPEN_STATUSES),
            "overdue": lambda: queryset.filter(status__in=OPEN_STATUSES, due_on__lt=today),
            "replied": lambda: queryset.filter(status=Status.REPLIED),
            "done": lambda: queryset.filter(status__in=[Status.CLOSED, Status.DECLINED]),
        }.get(self.value(), lambda: queryset)()


class ReplyInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Reply
    fields = ["created_at", "department", "written_by", "body"]
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("written by"))
    def written_by(self, reply):
        return reply.author

    def has_view_permission(self, request, obj=None):
        return True  # whoever may see the complaint sees its replies


class AttachmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ComplaintAttachment
    fields = ["download", "content_type", "size", "sha256"]
    readonly_fields = fields
    extra = 0

    def has_view_permission(self, request, obj=None):
        return True

    @admin.display(description=_("file"))
    def download(self, attachment):
        url = reverse("admin:supervision_complaint_attachment", args=[attachment.complaint_id, attachment.pk])
        return format_html('<a href="{}" download>{}</a> <span class="help">{}</span>', url, attachment.name,
                           _("(opening it is logged)"))


@admin.register(Complaint)
class ComplaintAdmin(DueColumnMixin, ServiceActionsMixin, ScopedImportExportAdmin):
    resource_classes = [ComplaintResource]
    action_form = ComplaintActionForm
    inlines = [AttachmentInline, ReplyInline]
    # What the queue is worked by first: what it is about, where it stands, by when.
    list_display = ["summary", "status", "due", "overdue", "assigned_department", "kind", "department", "short_code",
                    "first_receiver", "channel"]
    list_filter = [QueueFilter, "status", "kind", "channel", "department", "assigned_department"]
    search_fields = ["tracking_code", "summary"]
    date_hierarchy = "received_on"
    list_select_related = ["department", "assigned_department", "first_receiver"]
    ordering = ["due_on", "pk"]
    actions = ["accept", "decline", "assign", "reply", "close"]
    readonly_fields = [
        "tracking_code", "kind", "channel", "department", "assigned_department", "disclosure", "approval_item_code",
        "fee_item_code", "summary", "details", "happened_on", "anonymous", "status", "first_receiver", "received_on",
        "due_on", "due_provisional", "decline_reason", "satisfaction", "reopen_count", "replied_at", "closed_at",
        "closed_on_time", "sealed_identity", "secret_state", "rectification",
    ]
    fields = readonly_fields

    @admin.display(description=_("code"))
    def short_code(self, obj):
        return f"{obj.tracking_code[:8]}…"

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.status in OPEN_STATUSES and obj.due_on < timezone.localdate()

    @admin.display(description=_("identity"))
    def sealed_identity(self, obj):
        if obj.anonymous:
            return _("anonymous")
        url = reverse("admin:supervision_complaint_identity", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Sealed — supervisors may open it (every view is logged)"))

    @admin.display(description=_("rectification"))
    def rectification(self, obj):
        """Orders issued after this complaint, and where to issue one (supervision.admin.inspections)."""
        from django.utils.http import urlencode

        query = urlencode({"department": obj.assigned_department_id or obj.department_id, "complaint": obj.pk})
        orders = reverse("admin:supervision_rectificationorder_changelist") + f"?complaint={obj.pk}"
        return format_html('<a href="{}">{}</a> · <a href="{}?{}">{}</a>', orders, _("Rectification orders"),
                           reverse("admin:supervision_rectificationorder_add"), query, _("Issue a rectification order"))

    @admin.display(description=_("secret"))
    def secret_state(self, obj):
        """Whether the filer holds a secret — never the secret, which nobody here sees."""
        url = reverse("admin:supervision_complaint_secret", args=[obj.pk])
        if obj.secret_hash:
            text = _("Held by the filer only; staff never see it.")
        else:
            text = _("None: filed before every filing got one. It can be read with its code, not rated online.")
        return format_html('{} <a href="{}">{}</a>', text, url, _("Details"))

    def has_add_permission(self, request):
        return False  # staff register phone, letter, visit and window complaints on the public form's twin below

    def has_change_permission(self, request, obj=None):
        return False  # every change is an action (a service)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_import_permission(self, request):
        return False  # the register is exported, never imported

    # --- sealed identity ---------------------------------------------------------------
    def get_urls(self):
        return [
            path("<int:pk>/identity/", self.admin_site.admin_view(self.identity_view), name="supervision_complaint_identity"),
            path("register/", self.admin_site.admin_view(self.register_view), name="supervision_complaint_register"),
            path("<int:pk>/secret/", self.admin_site.admin_view(self.secret_view), name="supervision_complaint_secret"),
            path("<int:pk>/attachments/<int:attachment_id>/", self.admin_site.admin_view(self.attachment_view),
                 name="supervision_complaint_attachment"),
        ] + super().get_urls()

    def attachment_view(self, request, pk, attachment_id):
        """A file filed with the complaint, as a download, for whoever may see the complaint
        (every opening logged: ``services.complaint_attachment_open``)."""
        complaint = get_object_or_404(scope(request.user, Complaint.objects.all(), "view"), pk=pk)
        attachment = get_object_or_404(complaint.attachments.all(), pk=attachment_id)
        services.complaint_attachment_open(actor=request.user, attachment=attachment)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise Http404("The stored file is missing.")
        return FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type)

    def identity_view(self, request, pk):
        complaint = get_object_or_404(scope(request.user, Complaint.objects.all(), "view"), pk=pk)
        identity, error = None, None
        if request.method == "POST":
            try:
                identity = services.identity_view(actor=request.user, complaint=complaint,
                                                  purpose=request.POST.get("purpose", ""))
            except PermissionDenied:
                raise
            except ValidationError as invalid:
                error = "; ".join(invalid.messages)
        elif not has_model_permission(request.user, Complaint, "see_identity"):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "complaint": complaint, "identity": identity,
                   "error": error, "opts": self.model._meta, "title": _("Sealed identity")}
        return render(request, "admin/supervision/identity.html", context)

    def register_view(self, request):
        from supervision.views import register_by_staff

        return register_by_staff(request, self.admin_site.each_context(request))

    @method_decorator(never_cache)
    def secret_view(self, request, pk):
        """The slip with the code and the secret, shown once after staff registered a filing
        or a supervisor issued a new secret; otherwise where a supervisor issues one."""
        from supervision.views import STAFF_SECRET_COOKIE

        complaint = get_object_or_404(scope(request.user, Complaint.objects.all(), "view"), pk=pk)

        def reissue(reason):
            return services.complaint_reissue_secret(actor=request.user, complaint=complaint, reason=reason)

        @sensitive_variables("handed")
        def page(handed):
            return render(request, "admin/supervision/secret.html", {
                **self.admin_site.each_context(request), "opts": self.model._meta, "object": complaint,
                "secret": handed["secret"] if handed else None, "registered": bool(handed and handed.get("registered")),
                "may_reissue": services.may_reissue_secret(request.user, complaint),
                "title": _("Secret of %(code)s") % {"code": complaint.tracking_code},
            })

        return citizen_secrets.slip_page(request, cookie=STAFF_SECRET_COOKIE, pk=complaint.pk, reissue=reissue, page=page)

    # --- actions -------------------------------------------------------------------------
    @admin.action(description=_("Accept"))
    def accept(self, request, queryset):
        self._run(request, queryset, services.complaint_accept, _("%(count)d accepted."), "complaint")

    @admin.action(description=_("Decline (reason in the text box)"))
    def decline(self, request, queryset):
        self._run(
            request, queryset, services.complaint_decline, _("%(count)d declined."), "complaint",
            reason=self._form_value(request, "text"),
        )

    @admin.action(description=_("Assign to the department chosen"))
    def assign(self, request, queryset):
        department_id = request.POST.get("department")
        from portal.models import Department

        department = Department.objects.filter(pk=department_id).first() if department_id else None
        if department is None:
            self.message_user(request, _("Choose the department to assign to."), messages.ERROR)
            return
        self._run(request, queryset, services.complaint_assign, _("%(count)d assigned."), "complaint", department=department)

    @admin.action(description=_("Reply (text in the text box)"))
    def reply(self, request, queryset):
        self._run(
            request, queryset, services.complaint_reply, _("%(count)d replied."), "complaint",
            body=self._form_value(request, "text"),
        )

    @admin.action(description=_("Close"))
    def close(self, request, queryset):
        self._run(request, queryset, services.complaint_close, _("%(count)d closed."), "complaint")


@admin.register(IdentityAccess)
class IdentityAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The access log, for the supervisors' superiors (superusers)."""

    list_display = ["at", "user", "complaint", "purpose", "attachment"]
    list_select_related = ["user", "complaint", "attachment"]
    date_hierarchy = "at"

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(HandlingTime)
class HandlingTimeAdmin(ScopedAdmin):
    list_display = ["kind", "working_days"]


# Inspections, rectification orders and accountability register their admins on import.
from supervision.admin import inspections  # noqa: E402

# Evaluation campaigns have their own module; importing it registers their admin.
from supervision.admin.campaigns import CampaignAdmin  # noqa: E402

__all__ = ["inspections", "CampaignAdmin"]
