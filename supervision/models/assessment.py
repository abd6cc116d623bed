"""The annual assessment (年度考核, DESIGN §3.5): the weights given to each registered
indicator, and the frozen years. The figures themselves are never stored here while a year
is open — they are computed (``supervision.assessment``); freezing a year keeps a snapshot
that later changes to the data do not move."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The weight an indicator has until someone sets one (a newly registered indicator counts).
DEFAULT_WEIGHT = 10


class AssessmentWeight(models.Model):
    indicator = models.CharField(_("indicator"), max_length=80, unique=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=DEFAULT_WEIGHT)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["indicator"]
        verbose_name = _("assessment weight")
        verbose_name_plural = _("assessment weights")
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__lte=100), name="assessment_weight_at_most_100"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.weight}"


class AssessmentSnapshot(models.Model):
    """A frozen year: the weights, every department's figures, scores and ranks as they stood."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    columns = models.JSONField(_("indicators and weights"), default=list)
    rows = models.JSONField(_("departments, figures and ranks"), default=list)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    frozen_at = models.DateTimeField(_("frozen at"), auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("frozen annual assessment")
        verbose_name_plural = _("frozen annual assessments")

    def __str__(self):
        return str(self.year)
