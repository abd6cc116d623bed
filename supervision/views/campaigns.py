"""Pages of evaluation campaigns (民主評議).

For evaluators, outside the admin: a login page for accounts with the evaluator role, the
invitation link for outside evaluators without an account (used once: it ties the browser's
session to the invitation), the list of their campaigns and one scorecard per department —
only their own. For everyone: the results of closed campaigns.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.models import Department
from portal.page_cache import cache_public_page
from portal.permissions import READ, scope
from supervision import campaign_results
from supervision.campaign_forms import ScorecardForm
from supervision.models import Campaign, CampaignStatus, Invitation, ScorecardStatus
from supervision.services import campaigns as services
from supervision.services.campaigns import Evaluator, InvitationRefused

#: The session key holding the redeemed invitation of an evaluator without an account.
INVITATION_SESSION_KEY = "gongkai_invitation"


def current_evaluator(request) -> Evaluator | None:
    """Who is evaluating in this browser: a redeemed invitation (it comes first), or the account."""
    invitation_pk = request.session.get(INVITATION_SESSION_KEY)
    if invitation_pk:
        invitation = Invitation.objects.select_related("campaign").filter(
            pk=invitation_pk, redeemed_at__isnull=False).first()
        if invitation is not None:
            return Evaluator(invitation=invitation)
    if request.user.is_authenticated and request.user.is_active:
        return Evaluator(user=request.user)
    return None


def _to_login(request):
    return redirect(f"{reverse('supervision:evaluate-login')}?next={request.path}")


class EvaluatorLoginView(LoginView):
    """The evaluators' own sign-in (they have no admin)."""

    template_name = "supervision/evaluation/login.html"

    def get_default_redirect_url(self):
        return reverse("supervision:evaluate")

    def get_redirect_url(self):
        wanted = self.request.POST.get("next", self.request.GET.get("next", ""))
        if wanted.startswith("/supervision/evaluate/") and url_has_allowed_host_and_scheme(
                wanted, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()):
            return wanted
        return ""


evaluator_login = never_cache(EvaluatorLoginView.as_view())


@require_POST
def evaluator_logout(request):
    logout(request)  # the session goes, and the invitation tied to it
    return redirect("portal:home")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request, token: str):
    """An outside evaluator's link: a page that asks to start (so that a link preview does not
    use it up), then, posted, ties this browser to the invitation."""
    try:
        if request.method == "POST":
            invited = services.invitation_redeem(token=token[:100])
            request.session.cycle_key()
            request.session[INVITATION_SESSION_KEY] = invited.pk
            return redirect("supervision:evaluate")
        invited = services.invitation_check(token=token[:100])
    except InvitationRefused as refused:
        return render(request, "supervision/evaluation/invitation_refused.html",
                      {"reason": refused.messages[0]}, status=404)
    return render(request, "supervision/evaluation/invitation.html", {"invitation": invited})


@never_cache
@require_safe
def evaluator_home(request):
    """The evaluator's campaigns and, for each department evaluated, the state of their own card."""
    evaluator = current_evaluator(request)
    if evaluator is None:
        return _to_login(request)
    campaigns = list(
        services.evaluator_campaigns(evaluator).exclude(status=CampaignStatus.DRAFT)
        .prefetch_related("departments").order_by("status", "-period_end", "pk")[:50]
    )
    cards = {
        (card.campaign_id, card.department_id): card
        for card in services.scorecards_of(evaluator).filter(campaign__in=campaigns).only(
            "campaign_id", "department_id", "status", "total")
    }
    rows = [
        (campaign, [(department, cards.get((campaign.pk, department.pk))) for department in campaign.departments.all()])
        for campaign in campaigns
    ]
    return render(request, "supervision/evaluation/home.html", {
        "evaluator": evaluator, "rows": rows, "submitted": ScorecardStatus.SUBMITTED,
    })


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def scorecard(request, pk: int, code: str):
    """The evaluator's own card for one department: save a draft, or submit once."""
    evaluator = current_evaluator(request)
    if evaluator is None:
        return _to_login(request)
    campaign = get_object_or_404(services.evaluator_campaigns(evaluator).exclude(status=CampaignStatus.DRAFT), pk=pk)
    department = get_object_or_404(Department.objects.filter(evaluation_campaigns=campaign), code=code[:32])
    criteria = list(campaign.criteria.all())
    card = services.scorecards_of(evaluator).filter(campaign=campaign, department=department).first()
    fixed = not campaign.is_open or (card is not None and card.status == ScorecardStatus.SUBMITTED)
    initial = {}
    if card is not None:
        initial = {f"criterion_{score.criterion_id}": score.value for score in card.scores.all()}
        initial["comment"] = card.comment
    form = ScorecardForm(request.POST if request.method == "POST" and not fixed else None, initial=initial,
                         campaign=campaign, criteria=criteria, disabled=fixed)
    if request.method == "POST":
        if fixed:
            messages.error(request, _("This scorecard can no longer be changed."))
            return redirect("supervision:scorecard", pk=campaign.pk, code=department.code)
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            step = services.scorecard_submit if submit else services.scorecard_save
            try:
                step(evaluator=evaluator, campaign=campaign, department=department, scores=form.scores(),
                     comment=form.cleaned_data["comment"])
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, _("Submitted: %(department)s.") % {"department": department.name}
                                 if submit else _("Draft saved: %(department)s.") % {"department": department.name})
                return redirect("supervision:evaluate" if submit else "supervision:scorecard",
                                **({} if submit else {"pk": campaign.pk, "code": department.code}))
    return render(request, "supervision/evaluation/scorecard.html", {
        "evaluator": evaluator, "campaign": campaign, "department": department, "form": form, "card": card,
        "fixed": fixed,
    })


# --- public results ----------------------------------------------------------------------


@cache_public_page
@require_safe
def campaign_list(request):
    """The closed campaigns whose results are published."""
    campaigns = scope(request.user, Campaign.objects.all(), READ).order_by("-period_end", "-pk")[:100]
    return render(request, "supervision/evaluation/campaign_list.html", {"campaigns": campaigns})


@cache_public_page
@require_safe
def campaign_detail(request, pk: int):
    """A closed campaign's results: ranking, weighted scores, scorecards counted, comments."""
    campaign = get_object_or_404(scope(request.user, Campaign.objects.all(), READ), pk=pk)
    if campaign.status != CampaignStatus.CLOSED:
        raise Http404
    return render(request, "supervision/evaluation/results.html", results_context(campaign))


def results_context(campaign: Campaign) -> dict:
    """What a results table shows (the public page and the office's preview in the admin)."""
    criteria = list(campaign.criteria.all())
    rows = campaign_results.results(campaign)
    return {
        "campaign": campaign, "criteria": criteria,
        "rows": [(row, [row.criteria.get(criterion.pk) for criterion in criteria]) for row in rows],
    }
