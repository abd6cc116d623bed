"""The county the access matrix walks: every role, and for each of three departments the
same set of real objects (built with the factories and the services, as in real use), in
the states the admin actions need. Built once per module (``build``).

Departments: A and B (bureaus) and S, the service centre that runs the county hall; the
window clerk is a publisher of S, and department A's approval item sits at window 7 of the
centre's hall (so the clerk handles A's applications, DESIGN §3.4).

Secrets are planted as *markers*: strings that must appear in no response body of a role
not entitled to them (``MARKERS``).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from approvals import services as approvals_services
from approvals.models import ApplicationStatus, Material, RectificationRule
from disclosures import services as disclosures_services
from disclosures.models import Attachment, Carrier, DataTable, Disclosure, Domain, Scope
from disclosures.requests import services as request_services
from disclosures.tables import read_and_mask
from portal import citizen_secrets
from portal import services as portal_services
from portal.models import (
    CalendarDay,
    CalendarYear,
    Department,
    ImportJob,
    Notification,
    OutgoingEmail,
    Reminder,
    ReminderRule,
)
from portal.roles import Role
from portal.uploads import CheckedFile
from supervision import services as supervision_services
from supervision.models import HandlingTime, IdentityAccess
from tests.approvals.factories import (
    ApplicationFactory,
    FeeItemFactory,
    ServiceHallFactory,
    ServiceWindowFactory,
    establish,
)
from tests.factories import CatalogueEntryFactory, DisclosureFactory, category, standard_lists

DEPARTMENTS = ("A", "B", "S")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def marker(kind: str, dept: str) -> str:
    """A string no page holds by chance; ASCII, so that no escaping changes it."""
    return f"SEALED{kind.upper()}x{dept}"


def search_word(kind: str, dept: str) -> str:
    """A word in the same title as the marker, to search for it by."""
    return f"FIND{kind.upper()}{dept}"


#: What is secret, per department: (marker kind, what it is).
MARKER_KINDS = {
    "internaltitle": "title of a published internal disclosure",
    "internalbody": "body of a published internal disclosure",
    "internalfile": "content of an internal disclosure's attachment and data table",
    "drafttitle": "title of an unpublished working copy",
    "identname": "sealed name of a complainant",
    "identphone": "sealed phone of a complainant",
    "complaintdetails": "what a complaint says (for the supervision office and the assigned department)",
    "accountableperson": "the person an accountability measure names (the supervision office and the coordinator)",
    "scorecomment": "an evaluator's comment in a campaign still open (the evaluator, the offices)",
}


@dataclass(frozen=True)
class Person:
    key: str
    label: str
    kind: str  # publisher, reviewer, coordinator, supervisor, evaluator, anonymous, superuser
    home: str | None  # A, B or S: the department the person acts for
    staff: bool


PEOPLE = [
    Person("anon", "anon", "anonymous", None, False),
    Person("publisher_a", "pub-A", "publisher", "A", True),
    Person("publisher_b", "pub-B", "publisher", "B", True),
    Person("reviewer_a", "rev-A", "reviewer", "A", True),
    Person("clerk", "clerk-S", "publisher", "S", True),
    Person("coordinator", "coord", "coordinator", None, True),
    Person("supervisor", "superv", "supervisor", None, True),
    Person("evaluator", "eval", "evaluator", None, False),
    Person("root", "root", "superuser", None, True),
]
PERSON = {person.key: person for person in PEOPLE}


def departments_of(person: Person) -> tuple[str, str]:
    """(own, other): the department whose objects are the person's own, and another one.
    Roles without a department (county-wide, outside, anonymous) are walked on B's
    objects, "other" to them as to department A's staff."""
    return {"A": ("A", "B"), "B": ("B", "A"), "S": ("S", "A")}.get(person.home, ("A", "B"))


@dataclass
class World:
    users: dict = field(default_factory=dict)  # person key → user (None for anon)
    departments: dict = field(default_factory=dict)  # A/B/S/office → Department
    #: (name, department) → object; name is a model label or "<label>:<variant>".
    objects: dict = field(default_factory=dict)
    #: Objects that belong to no department: name → object.
    shared: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)  # person key → session cookie value
    #: marker → frozenset of person keys entitled to see it.
    markers: dict = field(default_factory=dict)
    secrets: object = None  # a regular expression finding any marker
    cache: dict = field(default_factory=dict)  # what the rows compute once


def _user(username: str, **extra):
    return get_user_model().objects.create_user(username=username, password=f"pw-{username}", **extra)


def _staff(username: str, role: Role, department: Department):
    user = _user(username, email=f"{username}@gongkai.example")
    portal_services.staff_profile_save(actor=None, user=user, department=department, role=role)
    user.refresh_from_db()
    return user


def _people(world: World) -> None:
    d = world.departments
    world.users = {
        "anon": None,
        "publisher_a": _staff("publisher_a", Role.PUBLISHER, d["A"]),
        "publisher_b": _staff("publisher_b", Role.PUBLISHER, d["B"]),
        "reviewer_a": _staff("reviewer_a", Role.REVIEWER, d["A"]),
        "clerk": _staff("clerk", Role.PUBLISHER, d["S"]),
        "coordinator": _staff("coordinator", Role.COORDINATOR, d["office"]),
        "supervisor": _staff("supervisor", Role.SUPERVISOR, d["office"]),
        "root": get_user_model().objects.create_superuser("root", password="pw-root"),
    }
    # Outside evaluators hold the role but no department and no admin (as seed_demo makes them).
    evaluator = _user("evaluator")
    evaluator.groups.add(Group.objects.get(name=Role.EVALUATOR.value))
    world.users["evaluator"] = evaluator


def _entitled(*keys: str) -> frozenset[str]:
    return frozenset(keys)


#: Who acts for each department (its own staff), and who sees every department.
DEPARTMENT_STAFF = {"A": ("publisher_a", "reviewer_a"), "B": ("publisher_b",), "S": ("clerk",)}
COUNTY_WIDE = ("coordinator", "supervisor", "root")


def _disclosures(world: World, dept: str, colleague, reviewer) -> None:
    department = world.departments[dept]
    objects = world.objects

    def draft(**fields):
        return DisclosureFactory(department=department, created_by=colleague, **fields)

    def submitted(**fields):
        disclosure = draft(**fields)
        return disclosures_services.disclosure_submit(actor=colleague, disclosure=disclosure)

    def approved(**fields):
        return disclosures_services.disclosure_approve(actor=reviewer, disclosure=submitted(**fields))

    def published(**fields):
        disclosure = approved(**fields)
        disclosures_services.disclosure_publish(actor=reviewer, disclosure=disclosure)
        disclosure.refresh_from_db()
        return disclosure

    objects[("disclosures.Disclosure", dept)] = draft(title=f"工作稿 {marker('drafttitle', dept)} {search_word('drafttitle', dept)}")
    objects[("disclosures.Disclosure:in_review", dept)] = submitted()
    objects[("disclosures.Disclosure:approved", dept)] = approved()
    # Where the department's notices also need the coordinator's review, its reviewer's
    # approval forwards them to the coordinator.
    department.requires_coordinator_review = True
    department.save(update_fields=["requires_coordinator_review"])
    objects[("disclosures.Disclosure:in_coordinator_review", dept)] = approved()
    department.requires_coordinator_review = False
    department.save(update_fields=["requires_coordinator_review"])
    public = published()
    objects[("disclosures.Disclosure:public", dept)] = public
    objects[("disclosures.Revision", dept)] = public.current_revision

    # The internal notice carries an attachment and a data table, each holding a marker.
    internal = approved(
        scope=Scope.INTERNAL,
        title=f"內部通知 {marker('internaltitle', dept)} {search_word('internaltitle', dept)}",
        body=f"<p>招待費明細 {marker('internalbody', dept)}</p>",
    )
    Attachment.objects.create(
        disclosure=internal,
        file=ContentFile(PDF + marker("internalfile", dept).encode(), name="x.pdf"),
        name="招待費.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    source = f"項目,金額\n{marker('internalfile', dept)},100\n".encode()
    table = DataTable(disclosure=internal, title="明細", source=ContentFile(source, name="t.csv"), source_name="t.csv",
                      source_sha256="0" * 64)
    table.set_content(read_and_mask(io.BytesIO(source), "csv"))
    table.masking_confirmed_by, table.masking_confirmed_at = colleague, timezone.now()
    table.save()
    disclosures_services.disclosure_publish(actor=reviewer, disclosure=internal)
    internal.refresh_from_db()
    objects[("disclosures.Disclosure:internal", dept)] = internal

    # Issue 11, item 1: a published notice opened for amendment whose working copy changes
    # the scope. The public must keep reading what was reviewed and published.
    AMENDED_TITLES = {"internal-amended-public": "內部改公開", "public-amended-internal": "公開改內部"}
    for variant, published_scope, draft_scope in (("internal-amended-public", Scope.INTERNAL, Scope.PUBLIC),
                                                   ("public-amended-internal", Scope.PUBLIC, Scope.INTERNAL)):
        amended = published(scope=published_scope, title=f"修訂中 {AMENDED_TITLES[variant]} {dept}")
        disclosures_services.disclosure_amend(actor=colleague, disclosure=amended)
        amended.refresh_from_db()
        amended.scope = draft_scope
        amended.save()
        objects[(f"disclosures.Disclosure:{variant}", dept)] = amended

    standard_lists()  # the standard catalogue's domains and carriers (a flush removes the seed)
    objects[("disclosures.CatalogueEntry", dept)] = CatalogueEntryFactory(department=department)


def _approvals(world: World, dept: str, colleague, window) -> None:
    department = world.departments[dept]
    objects = world.objects
    today = timezone.localdate()
    hall = ServiceHallFactory(department=department, name=f"服務大廳 {dept}")
    own_window = ServiceWindowFactory(hall=hall, number="1", name=f"大廳{dept}1號窗口", departments=[department])
    objects[("approvals.ServiceHall", dept)] = hall
    objects[("approvals.ServiceWindow", dept)] = own_window

    item = establish(department=department, code=f"ITEM-{dept}", name=f"許可事項{dept}", window=window or own_window,
                     on=dt.date(2020, 1, 1))
    objects[("approvals.ApprovalItem", dept)] = item
    material = Material.objects.create(item=item, name="申請表", blank_form=ContentFile(PDF, name="form.pdf"))
    objects[("approvals.Material", dept)] = material

    def fee(code):
        return approvals_services.fee_item_establish(
            actor=colleague, fee=FeeItemFactory.build(department=department, code=code, approval_item=item),
            effective_on=dt.date(2020, 1, 1),
        )

    objects[("approvals.FeeItem", dept)] = fee(f"FEE-{dept}")
    suspended = fee(f"FEE-{dept}-S")
    approvals_services.fee_item_suspend(actor=colleague, fee=suspended, effective_on=dt.date(2021, 1, 1),
                                        document_number="文1", reason="暫停")
    objects[("approvals.FeeItem:suspended", dept)] = suspended

    def application(status=ApplicationStatus.RECEIVED, **fields):
        return ApplicationFactory(
            item=item, window=item.window, status=status, received_on=today - dt.timedelta(days=10),
            due_on=today + dt.timedelta(days=10), applicant_id_number=ID_NUMBERS[dept],
            applicant_phone=PHONES[dept], **fields,
        )

    received = application()
    objects[("approvals.Application", dept)] = received
    objects[("approvals.Application:under_review", dept)] = application(ApplicationStatus.UNDER_REVIEW)
    paused = application(ApplicationStatus.UNDER_REVIEW)
    approvals_services.application_request_correction(actor=colleague,
                                                      application=paused, missing="缺身份證", on=today - dt.timedelta(days=5))
    objects[("approvals.Application:needs_correction", dept)] = paused
    objects[("approvals.Application:decided", dept)] = application(
        ApplicationStatus.DECIDED, decided_on=today - dt.timedelta(days=2), decision="准予許可")
    completed = application(ApplicationStatus.COMPLETED, decided_on=today - dt.timedelta(days=3),
                            completed_on=today - dt.timedelta(days=2), decision="准予許可",
                            rating_secret_hash=citizen_secrets.hashed(RECEIPT_SECRET))
    objects[("approvals.Application:completed", dept)] = application(
        ApplicationStatus.COMPLETED, decided_on=today - dt.timedelta(days=3), completed_on=today - dt.timedelta(days=2),
        decision="准予許可", rating_secret_hash=citizen_secrets.hashed(RECEIPT_SECRET))
    rating = approvals_services.rating_submit(application=completed, secret=RECEIPT_SECRET, level=1, comment="很差")
    objects[("approvals.Rating", dept)] = rating
    objects[("approvals.RectificationCase", dept)] = rating.rectification
    objects[("approvals.RectificationRule", dept)] = RectificationRule.objects.create(department=department, working_days=7)


#: The secret on the applicant's receipt of the completed applications (rating needs it).
RECEIPT_SECRET = "K7Q2-M9XD-4HTW"
#: Whole applicant numbers: only the staff who handle the application see them whole.
ID_NUMBERS = {"A": "110105194912310021", "B": "310101198001011234", "S": "440103199003030345"}
PHONES = {"A": "13800000001", "B": "13800000002", "S": "13800000003"}


def _complaints(world: World, dept: str) -> None:
    department = world.departments[dept]
    supervisor = world.users["supervisor"]
    objects = world.objects

    def filed(summary, *, identity=True, attachments=()):
        identity = supervision_services.Identity(
            name=f"舉報人 {marker('identname', dept)}", phone=marker("identphone", dept)
        ) if identity else None
        return supervision_services.complaint_file(
            kind="report", department=department, summary=summary, identity=identity,
            details=f"窗口違規收費 {marker('complaintdetails', dept)}", attachments=attachments,
        ).complaint

    def accepted(summary, **kwargs):
        return supervision_services.complaint_accept(actor=supervisor, complaint=filed(summary, **kwargs))

    def assigned(summary, **kwargs):
        return supervision_services.complaint_assign(
            actor=supervisor, complaint=accepted(summary, **kwargs), department=department)

    receipt = b"%PDF-1.4 receipt"
    main = assigned(f"投訴 {dept}", attachments=[(ContentFile(receipt, name="收據.pdf"), CheckedFile(
        content_type="application/pdf", extension="pdf", size=len(receipt), sha256="0" * 64))])

    objects[("supervision.Complaint", dept)] = main
    objects[("supervision.Complaint:received", dept)] = filed(f"新投訴 {dept}")
    objects[("supervision.Complaint:accepted", dept)] = accepted(f"已受理 {dept}")
    replied = assigned(f"已答覆 {dept}")
    supervision_services.complaint_reply(actor=supervisor, complaint=replied, body="已退還。")
    # Long enough ago that the complainant's time to rate it is over: the office may close it.
    type(replied).objects.filter(pk=replied.pk).update(replied_at=timezone.now() - dt.timedelta(days=40))
    replied.refresh_from_db()
    objects[("supervision.Complaint:replied", dept)] = replied
    objects[("supervision.IdentityAccess", dept)] = IdentityAccess.objects.create(
        complaint=main, user=supervisor, purpose="核查")


def _oversight(world: World, dept: str) -> None:
    """An inspection by the supervision office, a department's self-inspection, rectification
    orders issued and reported, and an accountability measure naming a person."""
    from supervision.services import inspections as oversight

    department = world.departments[dept]
    supervisor = world.users["supervisor"]
    objects = world.objects
    inspection = oversight.inspection_open(actor=supervisor, department=department, kind="discipline",
                                           title=f"監督檢查 {dept}")
    finding = oversight.finding_record(actor=supervisor, inspection=inspection, description="收費未公示")
    objects[("supervision.Inspection", dept)] = inspection
    objects[("supervision.Inspection:self", dept)] = oversight.inspection_open(
        actor=supervisor, department=department, kind="self", title=f"自查 {dept}")

    def order():
        return oversight.rectification_order_issue(actor=supervisor, department=department, finding=finding,
                                                   requirement="公示收費標準", working_days=10)

    objects[("supervision.RectificationOrder", dept)] = order()
    reported = order()
    colleague = objects[("auth.User", dept)]
    oversight.rectification_order_report(actor=colleague, order=reported, response="已公示")
    objects[("supervision.RectificationOrder:reported", dept)] = reported
    objects[("supervision.AccountabilityMeasure", dept)] = oversight.accountability_record(
        actor=supervisor, measure="criticism", department=department, finding=finding, reason="未公示收費",
        person=f"某股長 {marker('accountableperson', dept)}")


def _requests(world: World, dept: str, colleague) -> None:
    """An information request in each state, and the department's yearly reports (draft, final)."""
    department = world.departments[dept]
    objects = world.objects
    today = timezone.localdate()

    def filed(received=None):
        return request_services.request_file(
            department=department, requester_type="person", received_on=received,
            identity=request_services.Identity(name=f"申請人 {marker('requester', dept)}", phone=marker("requesterphone", dept)),
            description=f"徵地補償明細 {marker('requestdetails', dept)}",
        ).request

    objects[("disclosures.InformationRequest", dept)] = filed()
    # Asked to correct 40 days ago, by a notice that gave 5 working days: overdue, may be closed.
    waiting = filed(today - dt.timedelta(days=40))
    objects[("disclosures.InformationRequest:correction", dept)] = request_services.request_ask_correction(
        actor=colleague, request=waiting, notice="請補正", on=waiting.counted_from, days=5)
    objects[("disclosures.InformationRequest:consulting", dept)] = request_services.request_consult(
        actor=colleague, request=filed(), third_party="村委會")
    objects[("disclosures.InformationRequest:replied", dept)] = request_services.request_reply(
        actor=colleague, request=filed(), outcome="disclosed", text="見附件")
    coordinator = world.users["coordinator"]
    objects[("disclosures.AnnualReport", dept)] = request_services.annual_report_open(
        actor=coordinator, year=2025, department=department)
    final = request_services.annual_report_open(actor=coordinator, year=2024, department=department)
    objects[("disclosures.AnnualReport:final", dept)] = request_services.annual_report_finalise(
        actor=coordinator, report=final)


def _shared(world: World) -> None:
    shared = world.shared
    shared["disclosures.Category"] = category("matrix")
    shared["disclosures.Domain"] = Domain.objects.create(code="matrix-domain", name="矩陣領域")
    shared["disclosures.Carrier"] = Carrier.objects.create(code="matrix-carrier", name="矩陣載體")
    shared["portal.CalendarDay"] = CalendarDay.objects.create(date=dt.date(2027, 2, 1), is_working_day=False, name="春節")
    shared["portal.CalendarYear"] = CalendarYear.objects.create(year=2027, source="國辦發明電〔2026〕1號",
                                                                confirmed_by=world.users["coordinator"])
    shared["portal.ReminderRule"] = ReminderRule.objects.first() or ReminderRule.objects.create(kind="matrix", lead_days=[3])
    shared["portal.Reminder"] = Reminder.objects.create(kind="complaint", object_id=1, stage="due", audience="responsible",
                                                        due_on=dt.date(2026, 12, 10))
    from portal.models import Event

    shared["portal.Event"] = Event.objects.order_by("pk").first()
    handling = HandlingTime.objects.order_by("pk").first()  # seeded by a migration: no past version yet
    handling.save()
    shared["supervision.HandlingTime"] = handling
    from supervision.models import ChecklistTemplate

    template = ChecklistTemplate.objects.order_by("pk").first()  # seeded by a migration: no past version yet
    template.save()
    shared["supervision.ChecklistTemplate"] = template
    interval = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    shared["django_celery_beat.IntervalSchedule"] = interval
    shared["django_celery_beat.CrontabSchedule"] = CrontabSchedule.objects.create(minute="0", hour="3")
    shared["django_celery_beat.SolarSchedule"] = SolarSchedule.objects.create(event="sunrise", latitude=30, longitude=120)
    shared["django_celery_beat.ClockedSchedule"] = ClockedSchedule.objects.create(clocked_time=timezone.now())
    # A task no worker knows: "run now" is refused with a message, nothing is queued.
    shared["django_celery_beat.PeriodicTask"] = PeriodicTask.objects.create(
        name="matrix", task="tests.access.no_such_task", interval=interval, enabled=True)
    shared["django_celery_beat.PeriodicTask:disabled"] = PeriodicTask.objects.create(
        name="matrix 停用", task="tests.access.no_such_task", interval=interval, enabled=False)
    shared["auth.Group"] = Group.objects.get(name=Role.PUBLISHER.value)
    attempt = {"user_agent": "matrix", "ip_address": "192.0.2.7", "username": "publisher_a", "http_accept": "*/*",
               "path_info": "/admin/login/"}
    shared["axes.AccessAttempt"] = AccessAttempt.objects.create(**attempt, get_data="", post_data="",
                                                                failures_since_start=3)
    shared["axes.AccessLog"] = AccessLog.objects.create(**attempt)
    shared["axes.AccessFailureLog"] = AccessFailureLog.objects.create(**attempt)
    # Accounts: a colleague per department; the county-wide and superuser accounts as variants.
    shared["auth.User:county-wide"] = world.users["supervisor"]
    shared["auth.User:superuser"] = world.users["root"]


#: Evaluation campaigns: the link of an outside evaluator (not used yet), and the titles.
INVITATION_TOKEN = "matrix-invitation-link"
OPEN_CAMPAIGN, CLOSED_CAMPAIGN = "評議(進行中)", "評議(已公布)"


def _campaigns(world: World) -> None:
    """A campaign being prepared (the admin's main object), one open (the evaluator account
    invited, a draft with a comment nobody else may read) and one closed (published)."""
    from supervision.models import Invitation
    from supervision.services import campaigns

    coordinator, evaluator = world.users["coordinator"], world.users["evaluator"]
    departments = [world.departments["A"], world.departments["B"]]

    def campaign(title):
        return campaigns.campaign_create(
            actor=coordinator, title=title, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
            scale="hundred", departments=departments, evaluators=[evaluator])

    world.shared["supervision.Campaign"] = campaign("評議(籌備中)")
    opened = campaigns.campaign_open(actor=coordinator, campaign=campaign(OPEN_CAMPAIGN))
    world.shared["supervision.Campaign:open"] = opened
    me = campaigns.Evaluator(user=evaluator)
    values = dict.fromkeys(opened.criteria.values_list("pk", flat=True), 80)
    campaigns.scorecard_save(evaluator=me, campaign=opened, department=departments[0], scores=values,
                             comment=marker("scorecomment", "A"))
    Invitation.objects.create(campaign=opened, name="群眾代表", token_hash=campaigns.token_hash(INVITATION_TOKEN),
                              expires_at=timezone.now() + dt.timedelta(days=7), created_by=coordinator)
    closed = campaigns.campaign_open(actor=coordinator, campaign=campaign(CLOSED_CAMPAIGN))
    campaigns.scorecard_submit(evaluator=me, campaign=closed, department=departments[0], comment="好",
                               scores=dict.fromkeys(closed.criteria.values_list("pk", flat=True), 90))
    world.shared["supervision.Campaign:closed"] = campaigns.campaign_close(actor=coordinator, campaign=closed)
    # An open campaign's comments: its evaluator, and the offices' preview of the results.
    world.markers[marker("scorecomment", "A")] = _entitled("evaluator", *COUNTY_WIDE)


def build() -> World:
    world = World()
    world.departments = {
        "A": Department.objects.create(code="dept-a", name="甲局", kind=Department.Kind.BUREAU),
        "B": Department.objects.create(code="dept-b", name="乙局", kind=Department.Kind.BUREAU),
        "S": Department.objects.create(code="service-centre", name="行政服務中心", kind=Department.Kind.SERVICE_CENTRE),
        "office": Department.objects.create(code="office", name="政務公開辦公室", kind=Department.Kind.OFFICE),
    }
    _people(world)
    colleagues = {dept: _staff(f"colleague_{dept.lower()}", Role.PUBLISHER, world.departments[dept]) for dept in DEPARTMENTS}
    reviewers = {"A": world.users["reviewer_a"], "B": _staff("reviewer_b", Role.REVIEWER, world.departments["B"]),
                 "S": _staff("reviewer_s", Role.REVIEWER, world.departments["S"])}
    _shared(world)
    for dept in ("S", "A", "B"):  # S first: its hall's window 7 serves department A
        department = world.departments[dept]
        world.objects[("portal.Department", dept)] = department
        world.objects[("portal.StaffProfile", dept)] = colleagues[dept].staff_profile
        world.objects[("auth.User", dept)] = colleagues[dept]
        _disclosures(world, dept, colleagues[dept], reviewers[dept])
        window = None
        if dept == "A":
            window = ServiceWindowFactory(hall=world.objects[("approvals.ServiceHall", "S")], number="7",
                                          name="政務大廳7號窗口", departments=[department])
        _approvals(world, dept, colleagues[dept], window)
        _complaints(world, dept)
        _oversight(world, dept)
        _requests(world, dept, colleagues[dept])
    for dept in DEPARTMENTS:  # a colleague's finished import into the department's disclosures
        world.objects[("portal.ImportJob", dept)] = ImportJob.objects.create(
            token=f"matrix-{dept}", user=colleagues[dept], department=world.departments[dept],
            content_type=ContentType.objects.get_for_model(Disclosure), resource="disclosures.resources.DisclosureResource",
            file_name=f"公開-{dept}.csv", file_format="csv", language="zh-hant", status=ImportJob.Status.IMPORTED,
            total_rows=1, new_rows=1, finished_at=timezone.now())
    world.shared["portal.OutgoingEmail"] = OutgoingEmail.objects.create(kind="complaint_replied", object_id=1)
    _campaigns(world)
    # Each person's own notification, and a colleague's (someone else's) per department.
    for key, user in world.users.items():
        if user is not None:
            world.objects[("portal.Notification:mine", key)] = Notification.objects.create(
                recipient=user, key=f"matrix-{key}", subject="提醒", body="請處理")
    for dept in DEPARTMENTS:
        world.objects[("portal.Notification", dept)] = Notification.objects.create(
            recipient=colleagues[dept], key=f"matrix-{dept}", subject="提醒", body="請處理")

    for dept in DEPARTMENTS:
        readers = _entitled(*DEPARTMENT_STAFF[dept], *COUNTY_WIDE)
        world.markers[marker("internaltitle", dept)] = readers
        world.markers[marker("internalbody", dept)] = readers
        world.markers[marker("internalfile", dept)] = readers
        world.markers[marker("drafttitle", dept)] = readers
        world.markers[marker("complaintdetails", dept)] = readers
        # Who asked for information and what: the department asked and the county-wide roles, never the public.
        world.markers[marker("requester", dept)] = readers
        world.markers[marker("requesterphone", dept)] = readers
        world.markers[marker("requestdetails", dept)] = readers
        # Sealed: the supervision office alone (and superusers), and each view is logged.
        world.markers[marker("identname", dept)] = _entitled("supervisor", "root")
        world.markers[marker("identphone", dept)] = _entitled("supervisor", "root")
        world.markers[marker("accountableperson", dept)] = _entitled("supervisor", "coordinator", "root")
        # The applicant whole: the staff who handle the application (its department, the
        # hall's clerks for items at the hall, the coordinator) — masked for everyone else.
        handlers = {"A": ("publisher_a", "reviewer_a", "clerk"), "B": ("publisher_b",), "S": ("clerk",)}[dept]
        world.markers[ID_NUMBERS[dept]] = _entitled(*handlers, "coordinator", "root")
        world.markers[PHONES[dept]] = _entitled(*handlers, "coordinator", "root")
    return world
