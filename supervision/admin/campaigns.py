"""The admin of evaluation campaigns: the open-government office and the supervision office
prepare a campaign (criteria and weights, departments, evaluators with an account), open
it, issue invitation links to outside evaluators, follow the results and close it."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from portal.admin_scoping import ScopedAdmin, ServiceActionsMixin
from portal.models import Department
from portal.permissions import can
from portal.roles import Role
from supervision.campaign_forms import InvitationForm
from supervision.views.campaigns import results_context
from supervision.models import Campaign, CampaignStatus, Criterion, ScorecardStatus
from supervision.models.campaigns import DEFAULT_CRITERIA
from supervision.services import campaigns as services


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ["name", "weight", "position"]
    extra = 0
    min_num = 1

    def get_extra(self, request, obj=None, **kwargs):
        return len(DEFAULT_CRITERIA) - 1 if obj is None else 0  # min_num adds the first


@admin.register(Campaign)
class CampaignAdmin(ServiceActionsMixin, ScopedAdmin):
    list_display = ["title", "period_start", "period_end", "scale", "status", "pages"]
    list_filter = ["status", "scale"]
    search_fields = ["title"]
    date_hierarchy = "period_end"
    ordering = ["-period_end", "-pk"]
    inlines = [CriterionInline]
    filter_horizontal = ["departments", "evaluators"]
    fields = ["title", "period_start", "period_end", "scale", "departments", "evaluators", "status", "opened_at",
              "closed_at", "pages"]
    readonly_fields = ["status", "opened_at", "closed_at", "pages"]
    actions = ["open", "close"]

    @admin.display(description=_("pages"))
    def pages(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:supervision_campaign_results", args=[obj.pk]), _("Results"),
            reverse("admin:supervision_campaign_invitations", args=[obj.pk]), _("Invitation links"),
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, CriterionInline) and obj.pk is None and request.method != "POST":
            kwargs["initial"] = [{"name": str(name), "weight": weight, "position": position}
                                 for position, (name, weight) in enumerate(DEFAULT_CRITERIA)]
        return kwargs

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "evaluators":
            from django.contrib.auth import get_user_model

            kwargs["queryset"] = get_user_model().objects.filter(groups__name=Role.EVALUATOR.value, is_active=True)
        elif db_field.name == "departments":
            kwargs["queryset"] = Department.objects.all()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # Prepared while a draft; fixed once open (scorecards rest on its criteria), read-only closed.
        return super().has_change_permission(request, obj) and (obj is None or obj.status == CampaignStatus.DRAFT)

    def has_delete_permission(self, request, obj=None):
        return False  # a campaign is a record; one never opened is simply left as a draft

    def save_model(self, request, obj, form, change):
        try:
            services.campaign_save(actor=request.user, campaign=obj)
        except ValidationError as invalid:
            raise PermissionDenied("; ".join(invalid.messages)) from invalid

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.campaign_default_criteria(campaign=form.instance)

    # --- actions ---------------------------------------------------------------------------
    @admin.action(description=_("Open for scoring"))
    def open(self, request, queryset):
        self._run(request, queryset, services.campaign_open, _("%(count)d opened."), "campaign")

    @admin.action(description=_("Close and publish the results"))
    def close(self, request, queryset):
        self._run(request, queryset, services.campaign_close, _("%(count)d closed."), "campaign")

    # --- pages -----------------------------------------------------------------------------
    def get_urls(self):
        return [
            path("<int:pk>/results/", self.admin_site.admin_view(self.results_view),
                 name="supervision_campaign_results"),
            path("<int:pk>/invitations/", self.admin_site.admin_view(self.invitations_view),
                 name="supervision_campaign_invitations"),
        ] + super().get_urls()

    def _page(self, request, obj, template, title, **context):
        return render(request, template, {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": obj,
            "title": title % {"campaign": obj.title}, **context,
        })

    def results_view(self, request, pk):
        """The results as they stand (the public page shows them once the campaign is closed)."""
        campaign = get_object_or_404(self.get_queryset(request), pk=pk)
        drafts = campaign.scorecards.filter(status=ScorecardStatus.DRAFT).count()
        return self._page(request, campaign, "admin/supervision/campaign_results.html", _("Results of %(campaign)s"),
                          drafts=drafts, **results_context(campaign))

    @method_decorator(never_cache)
    def invitations_view(self, request, pk):
        """The invitation links issued, and a form for new ones; a new link is shown once, here."""
        campaign = get_object_or_404(self.get_queryset(request), pk=pk)
        may_invite = can(request.user, "change", campaign) and campaign.status != CampaignStatus.CLOSED
        form, issued, error = InvitationForm(), [], None
        if request.method == "POST":
            if not may_invite:
                raise PermissionDenied
            form = InvitationForm(request.POST)
            if form.is_valid():
                try:
                    for name in form.cleaned_data["names"]:
                        invitation, token = services.invitation_issue(
                            actor=request.user, campaign=campaign, name=name, kind=form.cleaned_data["kind"],
                            days=form.cleaned_data["days"])
                        link = request.build_absolute_uri(reverse("supervision:evaluate-invitation", args=[token]))
                        issued.append((invitation, link))
                except ValidationError as invalid:
                    error = "; ".join(invalid.messages)
                form = InvitationForm() if issued else form
        invitations = campaign.invitations.order_by("-created_at", "-pk")[:500]
        return self._page(request, campaign, "admin/supervision/campaign_invitations.html",
                          _("Invitation links of %(campaign)s"), form=form, issued=issued, error=error,
                          invitations=invitations, may_invite=may_invite)
