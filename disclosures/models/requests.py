"""Information requests (依申請公開, DESIGN §3.3) and the yearly open-government report.

Who asked is kept apart from what was asked: ``Requester`` is a separate row that the
department answering reads in the admin (it needs the name and address to reply) and that
nothing public touches — not the tracking page, not the public statistics, not a reply
published as a disclosure.

The figures of the Regulations on Open Government Information (2019) are held by the
request's clock (``disclosures.requests.clock``): the due date is computed from the day
the clock counts from, the pause while a third party is consulted and the extension.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class RequesterType(models.TextChoices):
    """The columns of the yearly report's requests table."""

    PERSON = "person", _("Natural person")
    COMPANY = "company", _("Commercial enterprise")
    RESEARCH = "research", _("Research institution")
    NGO = "ngo", _("Social welfare organisation")
    LAW_FIRM = "law_firm", _("Legal service organisation")
    OTHER = "other", pgettext_lazy("requester type", "Other")


class RequestChannel(models.TextChoices):
    WEB = "web", _("Website")
    LETTER = "letter", _("Letter")
    IN_PERSON = "in_person", _("In person")
    FAX = "fax", _("Fax")
    EMAIL = "email", _("E-mail")


class ReplyForm(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic")
    PAPER = "paper", _("Paper")
    INSPECTION = "inspection", _("Inspection on site")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Being handled")
    CORRECTION = "correction", _("Waiting for the requester's correction")
    CONSULTING = "consulting", _("Third party consulted")
    REPLIED = "replied", _("Replied")
    ABANDONED = "abandoned", _("Closed: not corrected in time")


#: Statuses in which the department owes a reply and the clock runs (or is paused by a consultation).
RUNNING = (RequestStatus.RECEIVED, RequestStatus.CONSULTING)
#: Not yet closed.
OPEN = (*RUNNING, RequestStatus.CORRECTION)
CLOSED = (RequestStatus.REPLIED, RequestStatus.ABANDONED)


class Outcome(models.TextChoices):
    """How a request was answered: the rows of the yearly report (DESIGN §3.3)."""

    ALREADY_PUBLIC = "already_public", _("Already public (told where)")
    DISCLOSED = "disclosed", _("Disclosed")
    PARTLY = "partly", _("Partly disclosed")
    NOT_DISCLOSED = "not_disclosed", _("Not disclosed")
    CANNOT_PROVIDE = "cannot_provide", _("Cannot be provided")
    NOT_PROCESSED = "not_processed", _("Not processed")
    OTHER = "other", pgettext_lazy("outcome", "Other handling")


class SubReason(models.TextChoices):
    """The sub-rows of the yearly report under an outcome."""

    # not disclosed (Regulations arts. 14–16)
    STATE_SECRET = "state_secret", _("State secret")
    FORBIDDEN_BY_LAW = "forbidden_by_law", _("Disclosure forbidden by laws or administrative regulations")
    ENDANGERS_SECURITY = "endangers_security", _("Endangers national, public, economic security or social stability")
    THIRD_PARTY = "third_party", _("Protects third parties' lawful interests")
    INTERNAL_AFFAIRS = "internal_affairs", _("Internal affairs information")
    PROCESS_INFORMATION = "process_information", _("Process information")
    ENFORCEMENT_FILES = "enforcement_files", _("Administrative enforcement files")
    QUERY_MATTERS = "query_matters", _("Administrative query matters")
    # cannot be provided (art. 36 (4)–(5), art. 38)
    NOT_HELD = "not_held", _("This authority does not hold the information")
    NEEDS_CREATING = "needs_creating", _("No existing information: it would have to be created")
    STILL_UNCLEAR = "still_unclear", _("Still unclear after correction")
    # not processed (art. 36 (6)–(7), art. 35, art. 39)
    COMPLAINT = "complaint", _("Petition, report or complaint in the form of a request")
    REPEAT = "repeat", _("Repeat request")
    PUBLICATION = "publication", _("Asks for a publication")
    EXCESSIVE = "excessive", _("Large numbers of repeated requests without good reason")
    CONFIRM_OR_REISSUE = "confirm_or_reissue", _("Asks to confirm or reissue information already obtained")
    # other handling
    NOT_CORRECTED = "not_corrected", _("Not corrected in time without good reason: no longer processed")
    FEE_UNPAID = "fee_unpaid", _("Fee not paid in time: no longer processed")
    OTHER = "other", pgettext_lazy("sub-reason", "Other")


S = SubReason
#: The sub-reasons each outcome takes; an outcome not listed takes none.
SUB_REASONS: dict[str, tuple[str, ...]] = {
    Outcome.NOT_DISCLOSED: (S.STATE_SECRET, S.FORBIDDEN_BY_LAW, S.ENDANGERS_SECURITY, S.THIRD_PARTY,
                            S.INTERNAL_AFFAIRS, S.PROCESS_INFORMATION, S.ENFORCEMENT_FILES, S.QUERY_MATTERS),
    Outcome.CANNOT_PROVIDE: (S.NOT_HELD, S.NEEDS_CREATING, S.STILL_UNCLEAR),
    Outcome.NOT_PROCESSED: (S.COMPLAINT, S.REPEAT, S.PUBLICATION, S.EXCESSIVE, S.CONFIRM_OR_REISSUE),
    Outcome.OTHER: (S.NOT_CORRECTED, S.FEE_UNPAID, S.OTHER),
}
#: Outcomes whose reply gives information (and may be published as a disclosure).
GIVES_INFORMATION = (Outcome.ALREADY_PUBLIC, Outcome.DISCLOSED, Outcome.PARTLY)


def _outcome_matches_sub_reason() -> Q:
    """The database's statement of ``SUB_REASONS``: a closed request has an outcome, and a
    sub-reason exactly when its outcome has sub-rows, one of that outcome's."""
    allowed = Q(outcome="", sub_reason="")
    for outcome in Outcome:
        reasons = SUB_REASONS.get(outcome)
        allowed |= Q(outcome=outcome, sub_reason__in=reasons) if reasons else Q(outcome=outcome, sub_reason="")
    return allowed


class InformationRequestQuerySet(models.QuerySet):
    def running(self):
        return self.filter(status__in=RUNNING)

    def overdue(self, on):
        return self.running().filter(due_on__lt=on)

    def for_department(self, department):
        return self.filter(department=department)


class InformationRequest(models.Model):
    tracking_code = models.CharField(_("tracking code"), max_length=32, unique=True, editable=False)
    secret_hash = models.CharField(max_length=128, editable=False)
    department = models.ForeignKey(
        "portal.Department", verbose_name=_("department asked"), on_delete=models.PROTECT,
        related_name="information_requests",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=RequestChannel.choices, default=RequestChannel.WEB)
    requester_type = models.CharField(_("requester type"), max_length=10, choices=RequesterType.choices)
    description = models.TextField(_("information wanted"), max_length=5000)
    purpose = models.CharField(_("purpose"), max_length=1000, blank=True)
    reply_form = models.CharField(_("preferred form"), max_length=12, choices=ReplyForm.choices,
                                  default=ReplyForm.ELECTRONIC)
    status = models.CharField(_("status"), max_length=12, choices=RequestStatus.choices,
                              default=RequestStatus.RECEIVED)
    # --- the clock (disclosures.requests.clock) ---
    received_on = models.DateField(_("received on"))
    counted_from = models.DateField(
        _("counted from"), help_text=_("The day the 20 working days count from: the day of receipt, the next working "
                                       "day if it was not one, or the day the corrected request arrived."))
    due_on = models.DateField(_("reply due on"), db_index=True)
    due_provisional = models.BooleanField(_("due date provisional"), default=False)
    correction_notice = models.TextField(_("correction notice"), max_length=5000, blank=True)
    correction_requested_on = models.DateField(_("correction requested on"), null=True, blank=True)
    correction_due_on = models.DateField(_("correction due by"), null=True, blank=True)
    corrected_on = models.DateField(_("corrected request received on"), null=True, blank=True)
    consultation_started_on = models.DateField(_("third party consulted on"), null=True, blank=True)
    consultation_ended_on = models.DateField(_("third party's answer (or time) on"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(
        _("extension (working days)"), default=0, validators=[MaxValueValidator(20)])
    extension_reason = models.TextField(_("reason for the extension"), max_length=2000, blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("extension approved by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    extended_on = models.DateField(_("extended on"), null=True, blank=True)
    # --- the answer ---
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    sub_reason = models.CharField(_("reason"), max_length=20, choices=SubReason.choices, blank=True)
    reply_text = models.TextField(_("reply"), max_length=20000, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("replied by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True, db_index=True)
    on_time = models.BooleanField(_("replied on time"), null=True, blank=True)
    disclosure = models.ForeignKey(
        "disclosures.Disclosure", verbose_name=_("published as"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["secret_hash"])

    objects = InformationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        permissions = [
            ("handle_informationrequest", _("Can handle information requests")),
            ("extend_informationrequest", _("Can approve the extension of an information request")),
        ]
        constraints = [
            models.CheckConstraint(condition=_outcome_matches_sub_reason(), name="request_sub_reason_of_outcome"),
            models.CheckConstraint(
                condition=(Q(status__in=["replied", "abandoned"]) & Q(closed_on__isnull=False) & ~Q(outcome=""))
                | (~Q(status__in=["replied", "abandoned"]) & Q(closed_on__isnull=True) & Q(outcome="")),
                name="request_closed_has_outcome",
            ),
            models.CheckConstraint(condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("received_on")),
                                   name="request_closed_after_received"),
            models.CheckConstraint(condition=Q(extension_days__lte=20), name="request_extension_at_most_20"),
        ]
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["department", "received_on"])]

    def __str__(self):
        return f"{self.tracking_code[:8]}… {self.department}"

    def get_absolute_url(self):
        return reverse("admin:disclosures_informationrequest_change", args=[self.pk])


class Requester(models.Model):
    """Who asked: read by the department answering, never shown in public."""

    request = models.OneToOneField(InformationRequest, on_delete=models.PROTECT, related_name="requester")
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("requester")
        verbose_name_plural = _("requesters")

    def __str__(self):
        return self.name


def request_file_path(instance, filename):
    return f"requests/{secrets.token_hex(16)}"


class RequestFile(models.Model):
    """A file the requester sent, or one sent with the reply."""

    request = models.ForeignKey(InformationRequest, on_delete=models.PROTECT, related_name="files")
    with_reply = models.BooleanField(_("sent with the reply"), default=False)
    file = models.FileField(_("file"), upload_to=request_file_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("request file")
        verbose_name_plural = _("request files")

    def __str__(self):
        return self.name


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class AnnualReport(models.Model):
    """The yearly open-government report (政府信息公開工作年度報告) of a department, or of
    the county (no department). Its figures are computed from the records
    (``disclosures.requests.report``) and frozen in ``figures`` when it is finalised; what the
    portal does not hold — review and litigation counts, fee income, the free text — is entered."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    department = models.ForeignKey(
        "portal.Department", verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="annual_reports", help_text=_("Empty: the county's report."),
    )
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    due_on = models.DateField(_("due on"), db_index=True, editable=False)
    overview = models.TextField(_("overview"), blank=True)
    proactive_notes = models.TextField(_("proactive disclosure: notes"), blank=True)
    problems = models.TextField(_("problems and improvements"), blank=True)
    other_matters = models.TextField(_("other matters"), blank=True)
    fee_income = models.DecimalField(
        _("fee income (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True,
        help_text=_("Fees charged for providing information in the year. Entered by hand: the portal keeps no fee "
                    "income register."))
    review_upheld = _count(_("review: upheld"))
    review_corrected = _count(_("review: corrected"))
    review_other = _count(_("review: other result"))
    review_pending = _count(_("review: not concluded"))
    suit_upheld = _count(_("litigation without review: upheld"))
    suit_corrected = _count(_("litigation without review: corrected"))
    suit_other = _count(_("litigation without review: other result"))
    suit_pending = _count(_("litigation without review: not concluded"))
    suit_after_review_upheld = _count(_("litigation after review: upheld"))
    suit_after_review_corrected = _count(_("litigation after review: corrected"))
    suit_after_review_other = _count(_("litigation after review: other result"))
    suit_after_review_pending = _count(_("litigation after review: not concluded"))
    figures = models.JSONField(_("figures as finalised"), null=True, blank=True, editable=False)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True, editable=False)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("finalised by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )
    disclosure = models.ForeignKey(
        "disclosures.Disclosure", verbose_name=_("published as"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "department__code"]
        verbose_name = _("yearly open-government report")
        verbose_name_plural = _("yearly open-government reports")
        permissions = [("finalise_annualreport", _("Can finalise and publish yearly reports"))]
        constraints = [
            models.UniqueConstraint(fields=["year", "department"], name="annual_report_one_per_department"),
            models.UniqueConstraint(fields=["year"], condition=Q(department__isnull=True),
                                    name="annual_report_one_for_the_county"),
            models.CheckConstraint(condition=Q(status="draft") | Q(figures__isnull=False),
                                   name="annual_report_final_has_figures"),
        ]

    def __str__(self):
        return _("%(year)s yearly report of %(body)s") % {
            "year": self.year, "body": self.department or _("the county")}

    def get_absolute_url(self):
        return reverse("admin:disclosures_annualreport_change", args=[self.pk])
