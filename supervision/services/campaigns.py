"""Every write of an evaluation campaign (民主評議): creating, opening and closing it,
issuing and using invitation links, saving and submitting scorecards.

Evaluators are of two kinds, both an :class:`Evaluator`: an account among the campaign's
``evaluators`` (holding the evaluator role), or the holder of a redeemed invitation link,
who has no account. Their steps have no staff permission (``portal.workflow``'s
``action=None``): :func:`_require_invited` is the check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from portal import events, page_cache
from portal.models import Department
from supervision.events import CampaignEvent
from supervision.models import (
    Campaign,
    CampaignStatus,
    Criterion,
    Invitation,
    Score,
    Scorecard,
    ScorecardStatus,
)
from supervision.models.campaigns import DEFAULT_CRITERIA
from supervision.workflows import CAMPAIGN, SCORECARD

#: How long an invitation link stays usable unless the issuer says otherwise.
INVITATION_DAYS = 14


@dataclass(frozen=True)
class Evaluator:
    """Who fills a scorecard: an account, or an invitation (one of the two)."""

    user: object = None
    invitation: Invitation | None = None

    def __post_init__(self):
        if (self.user is None) == (self.invitation is None):
            raise ValueError("an evaluator is an account or an invitation, not both nor neither")

    @property
    def actor(self):
        """Whom the events name: the account; nobody for an invitation (its id is in the payload)."""
        return self.user

    def owns(self) -> Q:
        """The scorecards that are this evaluator's."""
        return Q(evaluator=self.user) if self.user is not None else Q(invitation=self.invitation)

    def card_fields(self) -> dict:
        return {"evaluator": self.user} if self.user is not None else {"invitation": self.invitation}


# --- campaigns ----------------------------------------------------------------------------


def campaign_create(*, actor, title: str, period_start: dt.date, period_end: dt.date, scale: str,
                    departments: Iterable[Department], evaluators: Iterable = (),
                    criteria: Iterable[tuple[str, int]] | None = None) -> Campaign:
    """Create a campaign as a draft, with the default criteria unless others are given."""
    campaign = Campaign(title=title, period_start=period_start, period_end=period_end, scale=scale,
                        created_by=actor)
    with CAMPAIGN.step("create", campaign, actor=actor) as step:
        _check_period(campaign)
        campaign.save()
        campaign.departments.set(departments)
        campaign.evaluators.set(evaluators)
        _criteria_create(campaign, DEFAULT_CRITERIA if criteria is None else criteria)
        step.payload["title"] = title
    return step.obj


def campaign_save(*, actor, campaign: Campaign) -> Campaign:
    """Save an edited campaign (the admin's form): only while it is being prepared."""
    if campaign.pk is None:
        with CAMPAIGN.step("create", campaign, actor=actor) as step:
            _check_period(campaign)
            campaign.created_by = actor
            step.payload["title"] = campaign.title
        return step.obj
    with transaction.atomic():
        current = CAMPAIGN.lock(campaign)
        CAMPAIGN.require(actor, CAMPAIGN["open"], current)
        if current.status != CampaignStatus.DRAFT:
            raise ValidationError(_("A campaign is edited only while it is being prepared."))
        _check_period(campaign)
        campaign.save()
    return campaign


def campaign_default_criteria(*, campaign: Campaign) -> None:
    """Give a draft campaign without criteria the default ones (the admin's add form left empty)."""
    if campaign.status == CampaignStatus.DRAFT and not campaign.criteria.exists():
        _criteria_create(campaign, DEFAULT_CRITERIA)


def _criteria_create(campaign: Campaign, criteria: Iterable[tuple[str, int]]) -> None:
    """The criteria as data, in the county's language whatever the creator reads the site in
    (the defaults are translatable names)."""
    with translation.override(settings.LANGUAGE_CODE):
        Criterion.objects.bulk_create(
            Criterion(campaign=campaign, name=str(name), weight=weight, position=position)
            for position, (name, weight) in enumerate(criteria)
        )


def _check_period(campaign: Campaign) -> None:
    if campaign.period_start and campaign.period_end and campaign.period_end < campaign.period_start:
        raise ValidationError(_("The period evaluated ends before it starts."))


def campaign_open(*, actor, campaign: Campaign) -> Campaign:
    """Open a prepared campaign for scoring; its criteria and departments are fixed from now on."""
    with CAMPAIGN.step("open", campaign, actor=actor) as step:
        current = step.obj
        if not current.departments.exists():
            raise ValidationError(_("Choose the departments to evaluate before opening the campaign."))
        if not current.criteria.exists():
            raise ValidationError(_("Give the campaign at least one criterion before opening it."))
        current.opened_at = timezone.now()
    return step.obj


def campaign_close(*, actor, campaign: Campaign) -> Campaign:
    """Close the campaign: scoring ends, drafts not submitted are left out, results go public."""
    with CAMPAIGN.step("close", campaign, actor=actor) as step:
        step.obj.closed_at = timezone.now()
        step.payload["scorecards"] = step.obj.scorecards.filter(status=ScorecardStatus.SUBMITTED).count()
        page_cache.invalidate_on_commit()
    return step.obj


# --- invitation links ---------------------------------------------------------------------


def token_hash(token: str) -> str:
    """The stored form of an invitation token (256 random bits: a fast hash is enough)."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_issue(*, actor, campaign: Campaign, name: str, kind: str,
                     days: int = INVITATION_DAYS) -> tuple[Invitation, str]:
    """Issue a single-use link for an outside evaluator; returns the invitation and the
    token, which is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the evaluator's name."))
    if not 1 <= days <= 90:
        raise ValidationError(_("An invitation is valid for 1 to 90 days."))
    token = secrets.token_urlsafe(32)
    with CAMPAIGN.step("invite", campaign, actor=actor) as step:
        invitation = Invitation.objects.create(
            campaign=step.obj, name=name[:100], kind=kind, token_hash=token_hash(token),
            expires_at=timezone.now() + dt.timedelta(days=days), created_by=actor,
        )
        step.payload.update(invitation=invitation.pk, name=invitation.name)
    return invitation, token


class InvitationRefused(ValidationError):
    """The link is unknown, used, expired, or its campaign is not open."""


def _refusal(invitation: Invitation | None) -> str | None:
    """Why the link cannot be used now, or None."""
    if invitation is None:
        return _("This invitation link is not valid.")
    if invitation.redeemed_at is not None:
        return _("This invitation link has already been used. Ask the office that invited you for a new one.")
    if invitation.expired(timezone.now()):
        return _("This invitation link has expired. Ask the office that invited you for a new one.")
    if not invitation.campaign.is_open:
        return _("This evaluation is not open for scoring.")
    return None


def invitation_check(*, token: str) -> Invitation:
    """The invitation a link names, if it may be used now (reads only: a page asks first)."""
    invitation = Invitation.objects.select_related("campaign").filter(token_hash=token_hash(token or "")).first()
    refusal = _refusal(invitation)
    if refusal:
        raise InvitationRefused(refusal)
    return invitation


def invitation_redeem(*, token: str) -> Invitation:
    """Use an invitation link: valid once, before it expires, while its campaign is open.
    Two browsers opening it at once: the row lock lets one through."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",)).select_related("campaign")
            .filter(token_hash=token_hash(token or "")).first()
        )
        refusal = _refusal(invitation)
        if refusal:
            raise InvitationRefused(refusal)
        invitation.redeemed_at = timezone.now()
        invitation.save(update_fields=["redeemed_at"])
        events.record(CampaignEvent.INVITATION_USED, actor=None, subject=invitation.campaign,
                      invitation=invitation.pk)
    return invitation


# --- what an evaluator may reach ----------------------------------------------------------


def evaluator_campaigns(evaluator: Evaluator) -> QuerySet[Campaign]:
    """The campaigns the evaluator is invited to (any state)."""
    if evaluator.invitation is not None:
        return Campaign.objects.filter(pk=evaluator.invitation.campaign_id)
    return Campaign.objects.filter(evaluators=evaluator.user)


def _require_invited(evaluator: Evaluator, campaign: Campaign, department: Department) -> None:
    """Refuse an evaluator not invited to the campaign, a department it does not evaluate,
    a campaign not open, an expired invitation."""
    if not evaluator_campaigns(evaluator).filter(pk=campaign.pk).exists():
        raise PermissionDenied(_("You are not invited to this evaluation."))
    if evaluator.user is not None and not evaluator.user.is_active:
        raise PermissionDenied(_("You are not invited to this evaluation."))
    if evaluator.invitation is not None and evaluator.invitation.expired(timezone.now()):
        raise PermissionDenied(_("Your invitation has expired."))
    if not campaign.departments.filter(pk=department.pk).exists():
        raise PermissionDenied(_("This department is not evaluated in this campaign."))
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("This evaluation is closed: scorecards can no longer be changed."))


def scorecards_of(evaluator: Evaluator) -> QuerySet[Scorecard]:
    """The evaluator's own scorecards — nobody else's, ever."""
    return Scorecard.objects.filter(evaluator.owns())


# --- scorecards ---------------------------------------------------------------------------


def _card(evaluator: Evaluator, campaign: Campaign, department: Department) -> Scorecard:
    """The evaluator's card for the department, started if there is none. Two requests at
    once: the unique constraint lets one insert; the other reads that row."""
    found = Scorecard.objects.filter(evaluator.owns(), campaign=campaign, department=department).first()
    if found is not None:
        return found
    card = Scorecard(campaign=campaign, department=department, **evaluator.card_fields())
    try:
        with transaction.atomic():
            with SCORECARD.step("start", card, actor=evaluator.actor) as step:
                step.payload["invitation"] = evaluator.invitation.pk if evaluator.invitation else None
            return step.obj
    except IntegrityError:
        return Scorecard.objects.get(evaluator.owns(), campaign=campaign, department=department)


def _check_scores(campaign: Campaign, criteria: list[Criterion], scores: Mapping[int, int | None],
                  complete: bool) -> dict[int, int]:
    low, high = campaign.value_range
    kept, missing = {}, []
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None:
            missing.append(criterion.name)
            continue
        if not low <= value <= high:
            raise ValidationError(_("%(criterion)s: a score from %(low)d to %(high)d.")
                                  % {"criterion": criterion.name, "low": low, "high": high})
        kept[criterion.pk] = value
    if complete and missing:
        raise ValidationError(_("Score every criterion before submitting: %(missing)s.")
                              % {"missing": "、".join(missing)})
    return kept


def weighted_total(campaign: Campaign, criteria: list[Criterion], values: Mapping[int, int]) -> Decimal:
    """The card's score out of 100: the criteria's points averaged by their weights."""
    weights = sum(criterion.weight for criterion in criteria)
    points = sum(Decimal(campaign.points(values[criterion.pk])) * criterion.weight for criterion in criteria)
    return (points / weights).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _write_scores(card: Scorecard, values: Mapping[int, int]) -> None:
    card.scores.exclude(criterion_id__in=list(values)).delete()
    for criterion_id, value in values.items():
        Score.objects.update_or_create(scorecard=card, criterion_id=criterion_id, defaults={"value": value})


def scorecard_save(*, evaluator: Evaluator, campaign: Campaign, department: Department,
                   scores: Mapping[int, int | None], comment: str = "") -> Scorecard:
    """Save the evaluator's draft for a department (scores may be incomplete)."""
    return _fill(evaluator, campaign, department, scores, comment, submit=False)


def scorecard_submit(*, evaluator: Evaluator, campaign: Campaign, department: Department,
                     scores: Mapping[int, int | None], comment: str = "") -> Scorecard:
    """Submit the evaluator's card for a department, once: every criterion scored; the card
    and its weighted score are fixed from then on."""
    return _fill(evaluator, campaign, department, scores, comment, submit=True)


def _fill(evaluator, campaign, department, scores, comment, *, submit: bool) -> Scorecard:
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)  # not closed meanwhile
        _require_invited(evaluator, campaign, department)
        criteria = list(campaign.criteria.all())
        values = _check_scores(campaign, criteria, scores, complete=submit)
        comment = (comment or "").strip()
        if len(comment) > 2000:
            raise ValidationError(_("Comments: at most 2000 characters."))
        card = _card(evaluator, campaign, department)
        with SCORECARD.step("submit" if submit else "save", card, actor=evaluator.actor) as step:
            card = step.obj
            _write_scores(card, values)
            card.comment = comment
            if submit:
                card.total = weighted_total(campaign, criteria, values)
                card.submitted_at = timezone.now()
                step.payload["total"] = card.total
            step.payload["invitation"] = evaluator.invitation.pk if evaluator.invitation else None
        return step.obj
