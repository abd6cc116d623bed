"""Applications (辦件), their correction notices (補正), ratings (好差評) and the rectification
cases a bad rating opens."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from approvals.models.items import ApprovalItem, ServiceWindow


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    NEEDS_CORRECTION = "needs_correction", _("Correction needed")
    UNDER_REVIEW = "under_review", _("Under review")
    DECIDED = "decided", _("Decided")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")


#: The department is working on these; their clock runs.
RUNNING = frozenset({ApplicationStatus.RECEIVED, ApplicationStatus.UNDER_REVIEW})
#: A decision was taken; it is published in the results list.
DECIDED = frozenset({ApplicationStatus.DECIDED, ApplicationStatus.COMPLETED, ApplicationStatus.REJECTED})
#: The applicant may rate the service.
FINISHED = frozenset({ApplicationStatus.COMPLETED, ApplicationStatus.REJECTED})


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Company or organisation")


class ApplicationQuerySet(models.QuerySet):
    def running(self):
        """Applications whose clock runs (not paused for correction, not decided)."""
        return self.filter(status__in=RUNNING, due_on__isnull=False)

    def overdue(self, *, on):
        return self.running().filter(due_on__lt=on)

    def decided(self):
        return self.filter(status__in=DECIDED, decided_on__isnull=False)


class Application(models.Model):
    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True, editable=False)
    item = models.ForeignKey(ApprovalItem, verbose_name=_("approval item"), on_delete=models.PROTECT, related_name="applications")
    window = models.ForeignKey(
        ServiceWindow, verbose_name=_("received at window"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="applications", editable=False,
    )
    applicant_kind = models.CharField(_("applicant is a"), max_length=20, choices=ApplicantKind.choices, default=ApplicantKind.PERSON)
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_id_number = models.CharField(
        _("ID number"), max_length=30, help_text=_("Resident ID number, or an organisation's unified social credit code.")
    )
    applicant_phone = models.CharField(_("phone"), max_length=30)
    received_on = models.DateField(_("received on"))
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.RECEIVED, editable=False,
        db_index=True,
    )
    due_on = models.DateField(
        _("due on"), null=True, blank=True, editable=False, db_index=True,
        help_text=_("Empty while the clock is paused for correction."),
    )
    due_provisional = models.BooleanField(_("due date provisional"), default=False, editable=False)
    decision = models.TextField(_("decision"), blank=True, editable=False)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True, editable=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )
    # The hash of the secret on the applicant's receipt, which rating needs (``approvals.
    # services.receipts``). Empty for applications registered before receipts carried one.
    rating_secret_hash = models.CharField(max_length=128, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["rating_secret_hash"])

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__isnull=True) | models.Q(due_on__gte=models.F("received_on")),
                name="approvals_application_due_after_received",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="approvals_application_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["decided", "completed", "rejected"]) | models.Q(decided_on__isnull=False),
                name="approvals_application_decision_dated",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="completed") | models.Q(completed_on__isnull=False),
                name="approvals_application_completion_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "decided_on"]),
            # The published results (審批結果公示), newest decision first: read in order.
            models.Index(
                models.F("decided_on").desc(), models.F("id").desc(), name="application_decided_newest",
                condition=models.Q(status__in=["decided", "completed", "rejected"], decided_on__isnull=False),
            ),
            # The on-time indicator's year of decisions, read from the index alone.
            models.Index(
                fields=["decided_on"], include=["item", "due_on"], name="application_decided_cover",
                condition=models.Q(status__in=["decided", "completed", "rejected"], decided_on__isnull=False),
            ),
            # Running applications by due date: the overdue ones per department (from the index
            # alone), and one department's oldest first (the dashboard's drill-down).
            models.Index(
                fields=["due_on", "item"], name="application_running_due",
                condition=models.Q(status__in=["received", "under_review"], due_on__isnull=False),
            ),
        ]

    def __str__(self):
        return self.tracking_number or str(_("new application"))

    @property
    def is_paused(self) -> bool:
        return self.status == ApplicationStatus.NEEDS_CORRECTION

    @property
    def kept_on_time(self) -> bool | None:
        """True if decided by the due date, None while undecided."""
        if self.decided_on is None or self.due_on is None:
            return None
        return self.decided_on <= self.due_on


class DecisionTotal(models.Model):
    """How many published decisions (``Application.objects.decided()``) a department has per
    year decided and outcome, kept by database triggers (migration 0010) as applications are
    decided, changed or removed and as items change department — so that the public results
    list never counts the applications (issue 15). ``approvals.totals`` counts afresh."""

    department = models.ForeignKey(
        "portal.Department", verbose_name=_("department"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rejected = models.BooleanField(_("rejected"))
    count = models.BigIntegerField(_("count"), default=0)

    class Meta:
        ordering = ["department", "year", "rejected"]
        verbose_name = _("decision total")
        verbose_name_plural = _("decision totals")
        constraints = [models.UniqueConstraint(fields=["department", "year", "rejected"], name="decision_total_unique")]

    def __str__(self):
        return f"{self.department_id} {self.year} {'rejected' if self.rejected else 'granted'}: {self.count}"


class CorrectionRequest(models.Model):
    """A correction notice (補正告知): what is missing. The clock pauses from the day after the
    notice until the day the corrected materials arrive (see ``approvals.clock``)."""

    application = models.ForeignKey(Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="corrections")
    requested_on = models.DateField(_("notice given on"))
    missing = models.TextField(_("what is missing"))
    resumed_on = models.DateField(_("corrected materials received on"), null=True, blank=True)
    from_status = models.CharField(_("status before"), max_length=20, choices=ApplicationStatus.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["requested_on", "pk"]
        verbose_name = _("correction notice")
        verbose_name_plural = _("correction notices")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resumed_on__isnull=True) | models.Q(resumed_on__gte=models.F("requested_on")),
                name="approvals_correction_resumed_after_requested",
            ),
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(resumed_on__isnull=True), name="approvals_one_open_correction"
            ),
        ]

    def __str__(self):
        return f"{self.application} · {self.requested_on}"


class RatingLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    FAIRLY_SATISFIED = 3, _("Fairly satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


#: Ratings at or below this are bad reviews (差評) and open a rectification case.
BAD_RATING = RatingLevel.DISSATISFIED


class Rating(models.Model):
    """A service rating (好差評). Its comment is for the department, not published."""

    application = models.OneToOneField(Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="rating")
    # The department that ran the item when the service was rated, kept on the rating (as a
    # rectification case keeps it): the ratings indicator counts a year of ratings by it
    # without joining every application. Set on saving; an item moved later leaves it.
    department = models.ForeignKey("portal.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    level = models.PositiveSmallIntegerField(_("rating"), choices=RatingLevel.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        constraints = [models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="approvals_rating_level_range")]
        # The ratings indicator's year of ratings, read from the index alone.
        indexes = [models.Index(fields=["created_at"], include=["department", "level"], name="rating_created_cover")]

    def __str__(self):
        return f"{self.application} · {self.get_level_display()}"

    def save(self, *args, **kwargs):
        if self.department_id is None:
            self.department_id = self.application.item.department_id
        super().save(*args, **kwargs)

    @property
    def is_bad(self) -> bool:
        return self.level <= BAD_RATING


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Rectified")


class RectificationCaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=RectificationStatus.OPEN)

    def published(self):
        """Closed cases: their outcome is public."""
        return self.filter(status=RectificationStatus.CLOSED)


class RectificationCase(models.Model):
    """What a department does about a bad rating, by a deadline in working days."""

    rating = models.OneToOneField(Rating, verbose_name=_("rating"), on_delete=models.PROTECT, related_name="rectification")
    department = models.ForeignKey(
        "portal.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="rectification_cases"
    )
    item = models.ForeignKey(ApprovalItem, verbose_name=_("approval item"), on_delete=models.PROTECT, related_name="rectifications")
    opened_on = models.DateField(_("opened on"))
    working_days = models.PositiveSmallIntegerField(_("working days to rectify"))
    due_on = models.DateField(_("due on"), db_index=True)
    due_provisional = models.BooleanField(_("due date provisional"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=RectificationStatus.choices, default=RectificationStatus.OPEN, editable=False)
    outcome = models.TextField(_("outcome (published)"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = RectificationCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("rectification case")
        verbose_name_plural = _("rectification cases")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | (~models.Q(outcome="") & models.Q(closed_on__isnull=False)),
                name="approvals_rectification_closed_with_outcome",
            ),
            models.CheckConstraint(condition=models.Q(due_on__gte=models.F("opened_on")), name="approvals_rectification_due_after_opened"),
        ]
        indexes = [
            # Open cases by department and due date: the overdue ones per department, and one
            # department's oldest first.
            models.Index(fields=["department", "due_on"], condition=models.Q(status="open"), name="rectification_open_due"),
            # The on-time indicator's year of cases, read from the index alone.
            models.Index(fields=["opened_on"], include=["department", "status", "due_on", "closed_on"],
                         name="rectification_opened_cover"),
        ]

    def __str__(self):
        return f"{self.department} · {self.rating.application}"


class RectificationRule(models.Model):
    """A department's deadline for rectifying a bad rating (local rules: 5 to 15 working days).
    Departments without one use ``GONGKAI_RECTIFICATION_WORKING_DAYS`` (default 5)."""

    MIN_DAYS, MAX_DAYS = 5, 15

    department = models.OneToOneField(
        "portal.Department", verbose_name=_("department"), on_delete=models.CASCADE, related_name="rectification_rule"
    )
    working_days = models.PositiveSmallIntegerField(
        _("working days to rectify"), validators=[MinValueValidator(MIN_DAYS), MaxValueValidator(MAX_DAYS)]
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["department__code"]
        verbose_name = _("rectification deadline")
        verbose_name_plural = _("rectification deadlines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(working_days__gte=5, working_days__lte=15), name="approvals_rectification_days_range"
            ),
        ]

    def __str__(self):
        return f"{self.department}: {self.working_days}"
