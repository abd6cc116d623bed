"""Evaluation campaigns (民主評議, DESIGN §3.5): departments scored by invited evaluators
on weighted criteria, results published when the campaign closes.

An evaluator is either an account holding the evaluator role (``Campaign.evaluators``) or
an outside deputy or citizen representative holding a single-use, expiring invitation link
(``Invitation``: only a hash of the link's token is kept). Each fills one ``Scorecard`` per
department evaluated: drafts while the campaign is open, then submitted once — a submitted
card is never changed, and its weighted total (0–100, whatever the scale) is kept on it.
"""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Scale(models.TextChoices):
    HUNDRED = "hundred", _("100 points")
    FIVE_LEVELS = "five_levels", _("Five levels")


#: The five levels and the points each stands for, best first.
LEVELS = [
    (5, pgettext_lazy("evaluation level", "Excellent"), 100),
    (4, pgettext_lazy("evaluation level", "Good"), 80),
    (3, pgettext_lazy("evaluation level", "Fair"), 60),
    (2, pgettext_lazy("evaluation level", "Poor"), 40),
    (1, pgettext_lazy("evaluation level", "Very poor"), 20),
]

#: The criteria a new campaign starts with (the seed's four qualities of disclosure, and
#: service), equal weights; the coordinator may change them while the campaign is a draft.
DEFAULT_CRITERIA = [
    (_("Truthfulness (真實性)"), 20),
    (_("Completeness (全面性)"), 20),
    (_("Timeliness (時效性)"), 20),
    (_("Openness (公開性)"), 20),
    (_("Service"), 20),
]


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("campaign", "Being prepared")
    OPEN = "open", pgettext_lazy("campaign", "Open for scoring")
    CLOSED = "closed", pgettext_lazy("campaign", "Closed, results published")


class Campaign(models.Model):
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period evaluated from"))
    period_end = models.DateField(_("period evaluated to"))
    scale = models.CharField(_("scale"), max_length=20, choices=Scale.choices, default=Scale.HUNDRED)
    status = models.CharField(_("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    departments = models.ManyToManyField(
        "portal.Department", related_name="evaluation_campaigns", verbose_name=_("departments evaluated"))
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="evaluation_campaigns", blank=True,
        verbose_name=_("evaluators with an account"),
        help_text=_("Accounts holding the evaluator role. Outside evaluators without an account get invitation links."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("evaluation campaign")
        verbose_name_plural = _("evaluation campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="campaign_period_in_order"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("supervision:campaign-results", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN

    def points(self, value: int) -> int:
        """What a score entered on the campaign's scale is worth out of 100."""
        if self.scale == Scale.FIVE_LEVELS:
            return dict((level, points) for level, _label, points in LEVELS)[value]
        return value

    @property
    def value_range(self) -> tuple[int, int]:
        return (1, 5) if self.scale == Scale.FIVE_LEVELS else (0, 100)


class Criterion(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria",
                                 verbose_name=_("evaluation campaign"))
    name = models.CharField(_("criterion"), max_length=100)
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Relative weight; a department's score is the weighted average of its criteria."))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["campaign", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="criterion_unique_per_campaign"),
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_in_range"),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight})"


class EvaluatorKind(models.TextChoices):
    DEPUTY = "deputy", _("People's congress deputy")
    CPPCC = "cppcc", _("CPPCC member")
    CITIZEN = "citizen", _("Citizen representative")
    SUPERVISOR = "supervisor", _("Invited supervisor")


class Invitation(models.Model):
    """A single-use link for an outside evaluator: opened once, it ties that browser's
    session to the invitation; it expires at ``expires_at`` whether used or not."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations",
                                 verbose_name=_("evaluation campaign"))
    name = models.CharField(_("evaluator"), max_length=100)
    kind = models.CharField(_("capacity"), max_length=20, choices=EvaluatorKind.choices, default=EvaluatorKind.CITIZEN)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    redeemed_at = models.DateTimeField(_("link used at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("issued by"))
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["campaign", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    def expired(self, now: dt.datetime) -> bool:
        return self.expires_at <= now


class ScorecardStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("scorecard", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("scorecard", "Submitted")


class Scorecard(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="scorecards",
                                 verbose_name=_("evaluation campaign"))
    department = models.ForeignKey("portal.Department", on_delete=models.PROTECT, related_name="scorecards",
                                   verbose_name=_("department"))
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="scorecards", verbose_name=_("evaluator"))
    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="scorecards", verbose_name=_("invitation"))
    status = models.CharField(_("status"), max_length=20, choices=ScorecardStatus.choices, default=ScorecardStatus.DRAFT)
    comment = models.TextField(_("comments"), max_length=2000, blank=True)
    #: The weighted score out of 100, kept when the card is submitted.
    total = models.DecimalField(_("weighted score"), max_digits=5, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["campaign", "department", "pk"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "department", "evaluator"], condition=Q(evaluator__isnull=False),
                                    name="scorecard_one_per_account"),
            models.UniqueConstraint(fields=["campaign", "department", "invitation"],
                                    condition=Q(invitation__isnull=False), name="scorecard_one_per_invitation"),
            models.CheckConstraint(
                condition=Q(evaluator__isnull=False, invitation__isnull=True)
                | Q(evaluator__isnull=True, invitation__isnull=False),
                name="scorecard_one_evaluator"),
            models.CheckConstraint(
                condition=Q(status="submitted", total__isnull=False, submitted_at__isnull=False)
                | Q(status="draft", total__isnull=True),
                name="scorecard_total_when_submitted"),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.department}"


class Score(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores",
                                  verbose_name=_("scorecard"))
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores",
                                  verbose_name=_("criterion"))
    #: As entered, on the campaign's scale (0–100, or a level 1–5).
    value = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])

    class Meta:
        ordering = ["scorecard", "criterion"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "criterion"], name="score_one_per_criterion"),
            models.CheckConstraint(condition=Q(value__lte=100), name="score_at_most_100"),
        ]

    def __str__(self):
        return f"{self.criterion.name}: {self.value}"
