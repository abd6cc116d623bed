"""Publishing through the admin (DESIGN §1): departments draft, submit, and reviewers
approve or return; every step is a service call."""

from django.contrib import admin
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header

from disclosures import catalogue_import, services
from disclosures.forms import (
    AttachmentForm, CatalogueEntryForm, DisclosureActionForm, DisclosureForm, StandardCatalogueImportForm,
)
from disclosures.models import (
    Attachment, Carrier, Category, CatalogueEntry, Disclosure, Domain, ReviewRecord, Revision, Scope, Status,
)
# The admins of information requests and yearly reports live with the rest of requests
# (importing the module registers them).
from disclosures.requests.admin import ReportFigureFilter
from disclosures.resources import CatalogueEntryResource, CategoryResource, DisclosureResource
from disclosures.sanitize import sanitize_html
from portal.admin_scoping import ReadOnlyAdminMixin, ScopedAdmin, ScopedImportExportAdmin, ServiceActionsMixin
from portal import chinese
from portal.permissions import can, departments_for, has_model_permission

from django import forms
from django.forms.models import BaseInlineFormSet

from disclosures.models import DataTable
from disclosures.tables import TABLE_TYPES, read_and_mask
from portal.masking import Kind
from portal.uploads import check_upload

def _badge(colour: str, text) -> str:
    return format_html('<strong style="color:#fff;background:{};padding:2px 8px;border-radius:3px">{}</strong>', colour, text)


SCOPE_COLOURS = {Scope.PUBLIC: "#0b4f8a", Scope.INTERNAL: "#8c1c13"}
STATUS_COLOURS = {
    Status.DRAFT: "#5b6470",
    Status.IN_REVIEW: "#8a5a00",
    Status.IN_COORDINATOR_REVIEW: "#8a5a00",
    Status.APPROVED: "#1d6b2f",
    Status.PUBLISHED: "#0b4f8a",
    Status.WITHDRAWN: "#8c1c13",
}


@admin.register(Category)
class CategoryAdmin(ScopedImportExportAdmin):
    resource_classes = [CategoryResource]
    list_display = ["name", "code", "name_en", "parent", "scope", "position"]
    list_filter = ["scope", "parent"]
    search_fields = ["name", "name_en", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Domain)
class DomainAdmin(ScopedAdmin):
    """The domains of the national standard catalogue (seeded with the 26 pilot domains)."""

    list_display = ["name", "code", "name_en", "aliases", "position"]
    search_fields = ["name", "name_en", "code", "aliases"]


class ReadableWhenReadOnlyMixin:
    """Where a reader may not edit, fields stored as codes or markup read as on the public
    page (issue 12: no raw codes or JSON on staff pages): the notice's body rendered
    (sanitised, in the reader's script), channels and the category by their names — not
    ``["website"]``, ``budget`` or ``<p>…<strong>``."""

    #: field → what is shown in its place on a read-only page.
    readable = {"body": "body_html", "channels": "channel_names", "category_code": "category_name"}

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [(name, {**options, "fields": [self.readable.get(field, field) if isinstance(field, str) else field
                                              for field in options["fields"]]}) for name, options in fieldsets]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.readable.values()]

    @admin.display(description=_("body"))
    def body_html(self, obj):
        if not obj.body:
            return "—"
        body = chinese.html_for_language(sanitize_html(obj.body), get_language())
        return format_html('<div class="notice-body">{}</div>', mark_safe(body))  # sanitised just above

    @admin.display(description=_("channels"))
    def channel_names(self, obj):
        names = dict(Carrier.objects.values_list("code", "name"))
        return "、".join(names.get(code, code) for code in obj.channels or ()) or "—"

    @admin.display(description=_("category"))
    def category_name(self, obj):
        category = Category.objects.filter(code=obj.category_code).first()
        return str(category) if category else obj.category_code


@admin.register(Carrier)
class CarrierAdmin(ScopedAdmin):
    """The channels and carriers an entry may tick (公開渠道和載體); an import names them."""

    list_display = ["name", "code", "aliases", "position"]
    search_fields = ["name", "code", "aliases"]


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(ReadableWhenReadOnlyMixin, ScopedImportExportAdmin):
    resource_classes = [CatalogueEntryResource]
    form = CatalogueEntryForm
    list_display = ["title", "domain", "item", "department", "category", "time_limit_display", "scope", "active"]
    list_filter = ["domain", "cadence", "time_limit_rule", "scope", "active", "category", "department"]
    search_fields = ["title", "item", "sub_item", "elements", "legal_basis", "responsible_body"]
    list_select_related = ["department", "category", "domain"]
    autocomplete_fields = ["category", "domain"]
    readonly_fields = ["time_limit_rule"]
    fieldsets = [
        (None, {"fields": ["department", "domain", "category", "item", "sub_item", "title", "elements", "legal_basis"]}),
        (_("Time limit"), {"fields": ["time_limit", "cadence", "days_allowed", "time_limit_rule"]}),
        (_("Body, channels, audience and manner"), {"fields": [
            "responsible_body", "channels", "audience_all", "audience_specific", "proactive", "on_request",
            "scope", "position", "active",
        ]}),
    ]

    @admin.display(description=_("time limit"), ordering="days_allowed")
    def time_limit_display(self, obj):
        text = obj.time_limit or obj.get_cadence_display()
        return format_html("{} ({})", text, obj.get_time_limit_rule_display())

    def get_urls(self):
        return [
            path("standard-import/", self.admin_site.admin_view(self.standard_import_view),
                 name="disclosures_catalogueentry_standard_import"),
            path("standard-export/", self.admin_site.admin_view(self.standard_export_view),
                 name="disclosures_catalogueentry_standard_export"),
        ] + super().get_urls()

    def standard_import_view(self, request):
        """Check, then import, a county's standard-catalogue workbook (docs/catalogue.md)."""
        if not (has_model_permission(request.user, CatalogueEntry, "add")
                and has_model_permission(request.user, CatalogueEntry, "change")):
            raise PermissionDenied
        form = StandardCatalogueImportForm(request.POST or None, request.FILES or None, user=request.user)
        report = None
        if request.method == "POST" and form.is_valid():
            report = catalogue_import.standard_catalogue_import(
                actor=request.user, fileobj=form.cleaned_data["file"], extension=form.extension,
                department=form.cleaned_data["department"], name=form.cleaned_data["file"].name,
                dry_run="apply" not in request.POST,
            )
            if report.applied:
                self.message_user(request, _("Imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.") % {
                    "created": len(report.created), "updated": len(report.updated), "unchanged": report.unchanged,
                })
                return redirect("admin:disclosures_catalogueentry_changelist")
        return render(request, "admin/disclosures/catalogueentry/standard_import.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "form": form, "report": report,
            "title": _("Import a standard catalogue workbook"),
        })

    def standard_export_view(self, request):
        """The standard catalogue as an XLSX workbook in the standard layout."""
        if not has_model_permission(request.user, CatalogueEntry, "view"):
            raise PermissionDenied
        response = HttpResponse(
            catalogue_import.standard_catalogue_export(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = content_disposition_header(True, "基層政務公開標準目錄.xlsx")
        return response


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 1
    can_delete = False  # published revisions keep their files; untick “include” to leave one out
    fields = ["file", "name", "content_type", "size", "sha256", "in_next_revision"]
    readonly_fields = ["name", "content_type", "size", "sha256"]

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or obj.is_editable)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)


class DataTableForm(forms.ModelForm):
    """A table is read and masked when uploaded. Its file cannot be replaced (delete the
    table and upload another), and its masking is confirmed once the preview was shown."""

    confirm_masking = forms.BooleanField(
        label=_("I have checked the masked preview above"),
        required=False,
        help_text=_("Publication is refused until the masking of every table is confirmed."),
    )

    class Meta:
        model = DataTable
        fields = ["title", "source"]
        widgets = {"source": forms.FileInput}  # no link to the stored, unmasked file

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # On a read-only page (the disclosure is not an editable draft) the inline leaves both fields out.
        source, confirm = self.fields.get("source"), self.fields.get("confirm_masking")
        if source is not None and self.instance.pk:
            source.disabled = True
        if confirm is not None and (not self.instance.pk or self.instance.masking_confirmed):
            confirm.disabled = True
        if confirm is not None and not self.instance.pk:
            confirm.help_text = _("Save first: the masked preview appears, then confirm it.")

    def clean_source(self):
        uploaded = self.cleaned_data["source"]
        if self.instance.pk or uploaded is None:
            return uploaded
        self._checked = check_upload(uploaded, allowed=TABLE_TYPES)
        self._parsed = read_and_mask(uploaded, self._checked.extension)
        return uploaded

    def save(self, commit=True):
        parsed = getattr(self, "_parsed", None)
        if parsed is not None:
            self.instance.source_name = self.cleaned_data["source"].name[:200]
            self.instance.source_sha256 = self._checked.sha256
            self.instance.set_content(parsed)
        return super().save(commit)


class DataTableFormSet(BaseInlineFormSet):
    actor = None  # set per request by DataTableInline.get_formset

    def save_existing(self, form, obj, commit=True):
        saved = super().save_existing(form, obj, commit)
        if form.cleaned_data.get("confirm_masking"):
            services.data_table_confirm_masking(actor=self.actor, table=saved)
        return saved


class DataTableInline(admin.StackedInline):
    """Tables uploaded as CSV or XLSX, previewed masked as they will be published."""

    model = DataTable
    form = DataTableForm
    formset = DataTableFormSet
    extra = 0
    fields = ["title", "source", "source_name", "masking", "preview", "confirm_masking"]
    readonly_fields = ["source_name", "masking", "preview"]
    verbose_name_plural = _("data tables (ID, phone and account numbers are masked on publication)")
    preview_rows = 20

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.actor = request.user
        return formset

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not self._may_edit(request, obj):  # read-only: no file link, nothing to confirm
            fields = [name for name in fields if name not in ("source", "confirm_masking")]
        return fields

    # A table is part of its disclosure: whoever may edit the draft may add, confirm or remove its tables.
    def _may_edit(self, request, obj):
        if not has_model_permission(request.user, Disclosure, "change"):
            return False
        return obj is None or (obj.is_editable and can(request.user, "change", obj))

    def has_view_permission(self, request, obj=None):
        return True  # shown to whoever may see the disclosure itself

    def has_add_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    @admin.display(description=_("masking"))
    def masking(self, obj):
        if not obj.pk:
            return "—"
        columns = format_html_join(
            "",
            "<li>{}: {}</li>",
            ((obj.header[column["index"]] or column["index"] + 1, Kind(column["kind"]).label) for column in obj.masked_columns),
        ) or format_html("<li>{}</li>", _("No column holds ID, phone or account numbers."))
        if obj.masking_confirmed:
            state = format_html(
                "{} {} · {}", _("Confirmed by"), obj.masking_confirmed_by, date_format(localtime(obj.masking_confirmed_at), "SHORT_DATETIME_FORMAT")
            )
        else:
            state = format_html(
                '<strong style="color:#8c1c13">{}</strong>',
                _("Not confirmed: the disclosure cannot be published until the masking is confirmed."),
            )
        return format_html("<ul>{}</ul><p>{}</p>", columns, state)

    @admin.display(description=_("preview, as it will be published"))
    def preview(self, obj):
        if not obj.pk:
            return "—"
        masked = {column["index"] for column in obj.masked_columns}

        def cells(template, values):
            return format_html_join(
                "", template, (("background:#fff3cd" if i in masked else "", value) for i, value in enumerate(values))
            )

        head = format_html("<tr>{}</tr>", cells('<th scope="col" style="{}">{}</th>', obj.header))
        body = format_html_join(
            "", "<tr>{}</tr>", ((cells('<td style="{}">{}</td>', row),) for row in obj.rows[: self.preview_rows])
        )
        note = _("First %(shown)d of %(count)d rows; highlighted columns are masked.") % {
            "shown": min(self.preview_rows, obj.row_count),
            "count": obj.row_count,
        }
        return format_html(
            '<div style="overflow-x:auto"><table><thead>{}</thead><tbody>{}</tbody></table></div><p>{}</p>', head, body, note
        )


class ReviewRecordInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReviewRecord
    extra = 0
    can_delete = False
    fields = ["created_at", "reviewer", "decision", "scope", "comment"]
    readonly_fields = fields
    verbose_name_plural = _("review records (預審備案)")

    def has_view_permission(self, request, obj=None):
        return True  # shown to whoever may see the disclosure itself


@admin.register(Disclosure)
class DisclosureAdmin(ReadableWhenReadOnlyMixin, ServiceActionsMixin, ScopedImportExportAdmin):
    resource_classes = [DisclosureResource]
    form = DisclosureForm
    action_form = DisclosureActionForm
    inlines = [AttachmentInline, ReviewRecordInline, DataTableInline]
    list_display = [
        "title", "department", "category", "status_badge", "scope_badge", "public_revision", "formed_on", "updated_at",
    ]
    list_filter = ["status", "scope", "validity", "normative", "category__parent", "department", ReportFigureFilter]
    search_fields = ["title", "document_number", "index_number", "summary"]
    date_hierarchy = "formed_on"
    list_select_related = ["department", "category", "current_revision"]
    autocomplete_fields = ["category"]
    readonly_fields = ["index_number", "status_badge", "scope_badge", "public_revision", "ledger_hash", "withdrawal"]
    actions = ["submit", "approve", "complete_review", "return_to_department", "publish", "amend", "withdraw"]
    fieldsets = [
        (None, {"fields": ["scope_badge", "department", "category", "catalogue_entry", "title", "summary", "body"]}),
        (_("Document"), {"fields": [
            "document_number", "index_number", "issuing_body", "written_on", "formed_on", "valid_until", "validity",
            "repealed_on", "normative",
        ]}),
        (_("Scope and channels"), {"fields": ["scope", "channels"]}),
        (_("State"), {"fields": ["status_badge", "public_revision", "ledger_hash", "withdrawal"]}),
    ]

    # --- display -------------------------------------------------------------------
    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return _badge(STATUS_COLOURS.get(obj.status, "#333"), obj.get_status_display())

    @admin.display(description=_("scope"), ordering="scope")
    def scope_badge(self, obj):
        """Who will read it, and who reads it now where a published revision says otherwise."""
        badge = _badge(SCOPE_COLOURS[obj.scope], obj.get_scope_display())
        published = obj.current_revision.scope if obj.current_revision_id else None
        if published and published != obj.scope:
            return format_html("{} {}", badge, _("(the published revision: %(scope)s)") % {"scope": Scope(published).label})
        return badge

    @admin.display(description=_("public revision"))
    def public_revision(self, obj):
        if not obj.current_revision_id:
            return "—"
        return format_html('<a href="{}">r{}</a>', obj.get_absolute_url(), obj.current_revision.number)

    @admin.display(description=_("ledger hash"))
    def ledger_hash(self, obj):
        revisions = obj.revisions.order_by("number") if obj.pk else []
        return format_html_join(
            "", "<div><code>r{} {}</code></div>", ((r.number, r.entry_hash) for r in revisions)
        ) or "—"

    @admin.display(description=_("withdrawal"))
    def withdrawal(self, obj):
        if not obj.withdrawn_at:
            return "—"
        return format_html("{}: {}", date_format(localtime(obj.withdrawn_at), "SHORT_DATETIME_FORMAT"), obj.withdrawn_reason)

    # --- scoping and editing --------------------------------------------------------
    def _single_department(self, request):
        departments = list(departments_for(request.user)[:2])
        return departments[0] if len(departments) == 1 else None

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self._single_department(request) is not None:
            fields.append("department")  # filled in from the user
        return fields

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        # Only a draft that was never published may be deleted; the database protects revisions too.
        return super().has_delete_permission(request, obj) and (obj is None or obj.current_revision_id is None)

    def save_model(self, request, obj, form, change):
        if not change:
            single = self._single_department(request)
            if single is not None:
                obj.department = single
        services.disclosure_save(actor=request.user, disclosure=obj, fields=form.changed_data)

    # --- lifecycle actions ------------------------------------------------------------
    @admin.action(description=_("Submit for pre-review"))
    def submit(self, request, queryset):
        self._run(request, queryset, services.disclosure_submit, _("%(count)d submitted for pre-review."), "disclosure")

    @admin.action(description=_("Approve (pre-review)"))
    def approve(self, request, queryset):
        self._run(
            request, queryset, services.disclosure_approve, _("%(count)d approved."), "disclosure",
            scope=self._form_value(request, "scope") or None, comment=self._form_value(request, "comment"),
        )

    @admin.action(description=_("Approve (coordinator review)"))
    def complete_review(self, request, queryset):
        self.approve(request, queryset)

    @admin.action(description=_("Return with comment"))
    def return_to_department(self, request, queryset):
        self._run(
            request, queryset, services.disclosure_return, _("%(count)d returned."), "disclosure",
            comment=self._form_value(request, "comment"),
        )

    @admin.action(description=_("Publish"))
    def publish(self, request, queryset):
        self._run(request, queryset, services.disclosure_publish, _("%(count)d published."), "disclosure")

    @admin.action(description=_("Amend (start a new revision)"))
    def amend(self, request, queryset):
        self._run(request, queryset, services.disclosure_amend, _("%(count)d opened for amendment."), "disclosure")

    @admin.action(description=_("Withdraw (with reason)"))
    def withdraw(self, request, queryset):
        self._run(
            request, queryset, services.disclosure_withdraw, _("%(count)d withdrawn."), "disclosure",
            reason=self._form_value(request, "comment"),
        )


@admin.register(Revision)
class RevisionAdmin(ReadableWhenReadOnlyMixin, ReadOnlyAdminMixin, ScopedAdmin):
    """Published revisions: read-only, as the database enforces."""

    list_display = ["sequence", "title", "number", "department_code", "published_at", "short_hash"]
    search_fields = ["title", "index_number", "entry_hash"]
    date_hierarchy = "published_at"
    list_select_related = ["disclosure"]

    @admin.display(description=_("hash"))
    def short_hash(self, obj):
        return obj.entry_hash[:16]

