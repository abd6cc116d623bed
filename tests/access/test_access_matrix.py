"""Proof of access control (issue 11, item 14).

One generated test walks every admin URL of every registered model admin (changelist, add,
change, history, a historical version and its revert, delete, django-guardian's
object-permission pages, import, export, every action posted to the changelist,
autocomplete) and every public page and API address of the URLconf, for every role, on an
object of the person's own department and of another one, and compares each answer with
the rules declared below (DESIGN §1 and ``portal.permissions``). Every response body is
also searched for secrets planted in the data (``tests/access/world.py``): a sealed
identity, an internal notice, a working copy, a complaint, an applicant's whole ID number;
one found in the answer to a person not entitled to it fails the cell.

Both lists are generated: ``admin.site._registry`` and the URLconf. A model admin, an
admin URL, an action or a public URL without a declared rule fails the test, so nobody
adds one without deciding who may see it.

The matrix is printed at the end of the run (``tests/access/conftest.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.test import Client, RequestFactory, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal import workflow
from portal.models import Event
from tests.access import conftest as matrix
from tests.access import world as county
from tests.access.world import PEOPLE, Person, departments_of

pytestmark = pytest.mark.django_db

# --- Who ------------------------------------------------------------------------------------
# An audience is a set of "<kind or person>@<relation>" entries: the person's kind
# (publisher, reviewer, coordinator, supervisor, evaluator, anonymous, superuser) or key
# (clerk), and the object's relation to them: own (their department's), other, or * (any).

OWN, OTHER = "own", "other"
STAFF_KINDS = ("publisher", "reviewer", "coordinator", "supervisor", "superuser")
ALL_KINDS = (*STAFF_KINDS, "evaluator", "anonymous")


def anywhere(*kinds: str) -> frozenset[str]:
    return frozenset(f"{kind}@*" for kind in kinds)


def own(*kinds: str) -> frozenset[str]:
    """Staff acting for the object's department (django-guardian's grant on it)."""
    return frozenset(f"{kind}@{OWN}" for kind in kinds)


NOBODY: frozenset[str] = frozenset()
ROOT = anywhere("superuser")
COORDINATOR = anywhere("coordinator", "superuser")
SUPERVISOR = anywhere("supervisor", "superuser")
COUNTY = anywhere("coordinator", "supervisor", "superuser")
STAFF = anywhere(*STAFF_KINDS)
EVERYONE = anywhere(*ALL_KINDS)
#: A department's staff and the county-wide roles.
DEPARTMENT = own("publisher", "reviewer") | COUNTY
#: The window clerk (a publisher of the service centre S) handles the applications of
#: items at its hall's windows: department A's item sits at window 7, and A is the
#: clerk's "other" department (DESIGN §3.4, approvals.permissions).
HALL_CLERK = frozenset({f"clerk@{OTHER}"})


def may(audience: frozenset[str], person: Person, relation: str) -> bool:
    return bool({f"{person.kind}@{relation}", f"{person.kind}@*", f"{person.key}@{relation}"} & audience)


def may_some(audience: frozenset[str], person: Person) -> bool:
    return may(audience, person, OWN) or may(audience, person, OTHER)


# --- Answers --------------------------------------------------------------------------------
OK, LOGIN, FORBIDDEN, NOT_FOUND, DONE = "ok", "login", "403", "404", "done"
#: Any refusal: 403, 404, the admin's redirect to its index ("gone": no such object, or
#: django-guardian's refusal), or an action posted that changed nothing ("kept").
NO = "no"
REFUSALS = {"403", "404", "gone", "kept"}


def matches(expected: str, actual: str) -> bool:
    return actual == expected or (expected == NO and actual in REFUSALS)


# --- The rules of the admin -------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    variant: str | None  # the object's variant in the world (its state), None: the main one
    who: frozenset[str]
    data: dict = field(default_factory=dict)  # extra fields of the action form


@dataclass(frozen=True)
class AdminRule:
    """Who may do what with one model in the admin."""

    view: frozenset[str]
    add: frozenset[str] = NOBODY
    change: frozenset[str] = NOBODY
    delete: frozenset[str] = NOBODY
    history: frozenset[str] | None = None  # the history page; default: whoever sees the object
    lists: frozenset[str] | None = None  # who opens the list (and exports); default: whoever sees objects
    actions: dict[str, Action] = field(default_factory=dict)
    #: Extra URLs of this admin: name suffix → who gets the page (object pages answer
    #: 403 to those who see the object, 404 to other departments as the others do).
    extra: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Department-scoped (portal.admin_scoping): another department's object is a 404.
    scoped: bool = True
    #: "department": objects belong to departments; "shared": one object for everyone;
    #: "personal": the person's own object and someone else's (notifications).
    objects: str = "department"
    #: Other objects of the same model with rules of their own (object pages only).
    variants: dict[str, "AdminRule"] = field(default_factory=dict)
    #: Why, when the rule is not obvious from DESIGN §1.
    note: str = ""

    @property
    def sees(self) -> frozenset[str]:
        return self.view | self.change

    @property
    def listers(self) -> frozenset[str]:
        return self.sees if self.lists is None else self.lists


READ_ONLY = dict(add=NOBODY, change=NOBODY, delete=NOBODY)
#: Objects that others point at with PROTECT (a department's staff and records, a hall's
#: windows, a window's items, an account's events): deleting them is refused, whoever asks.
PROTECTED = {"delete_selected": Action(None, NOBODY)}
CELERY_SCHEDULE = AdminRule(view=ROOT, add=ROOT, change=ROOT, delete=ROOT, scoped=False, objects="shared",
                            note="schedules are the superuser's; the coordinator edits the periodic tasks only")

ADMIN_RULES: dict[str, AdminRule] = {
    # --- portal ---
    "portal.Department": AdminRule(view=DEPARTMENT, add=COORDINATOR, change=COORDINATOR, delete=COORDINATOR,
                                   actions=PROTECTED),
    "portal.StaffProfile": AdminRule(view=DEPARTMENT, add=COORDINATOR, change=COORDINATOR, delete=COORDINATOR),
    "portal.CalendarDay": AdminRule(view=COUNTY, add=COORDINATOR, change=COORDINATOR, delete=COORDINATOR,
                                    scoped=False, objects="shared",
                                    extra={"month": COUNTY, "day": COORDINATOR}),
    "portal.CalendarYear": AdminRule(view=COUNTY, add=COORDINATOR, change=COORDINATOR, delete=COORDINATOR,
                                     scoped=False, objects="shared"),
    "portal.ReminderRule": AdminRule(view=COORDINATOR, add=COORDINATOR, change=COORDINATOR, delete=COORDINATOR,
                                     scoped=False, objects="shared"),
    "portal.Reminder": AdminRule(view=COUNTY, scoped=False, objects="shared", **READ_ONLY),
    "portal.Event": AdminRule(view=COUNTY, scoped=False, objects="shared", **READ_ONLY),
    "portal.OutgoingEmail": AdminRule(view=COUNTY, scoped=False, objects="shared", **READ_ONLY,
                                      note="what was sent and when, without addresses or text"),
    "portal.ImportJob": AdminRule(view=own("publisher", "reviewer") | COORDINATOR, lists=STAFF, **READ_ONLY,
                                  note="everyone lists their own imports; department staff also their department's"),
    "portal.Notification": AdminRule(view=own(*STAFF_KINDS),
                                     scoped=False, objects="personal", **READ_ONLY,
                                     note="each person reads their own notifications, nobody else's"),
    "auth.User": AdminRule(
        view=COORDINATOR, add=COORDINATOR, change=COORDINATOR, delete=ROOT, scoped=False,
        extra={"password_change": COORDINATOR}, actions=PROTECTED,
        variants={
            # Issue 11, item 4: only superusers change an account that holds a county-wide role
            # (its password, e-mail, flags, roles); the coordinator may read it.
            "county-wide": AdminRule(view=COORDINATOR, change=ROOT, delete=ROOT, scoped=False, objects="shared",
                                     extra={"password_change": ROOT}),
            "superuser": AdminRule(view=ROOT, change=ROOT, delete=ROOT, scoped=False, objects="shared",
                                   extra={"password_change": ROOT}),
        },
        note="the coordinator manages department staff accounts; roles are granted on staff profiles",
    ),
    "auth.Group": AdminRule(view=ROOT, add=ROOT, change=ROOT, delete=ROOT, scoped=False, objects="shared"),
    # --- celery beat ---
    "django_celery_beat.PeriodicTask": AdminRule(
        view=COORDINATOR, change=COORDINATOR, add=ROOT, delete=ROOT, scoped=False, objects="shared",
        actions={
            "enable_tasks": Action("disabled", COORDINATOR),
            "disable_tasks": Action(None, COORDINATOR),
            "toggle_tasks": Action(None, COORDINATOR),
            "run_tasks": Action(None, NOBODY),  # its task is unknown to the workers: refused, nothing queued
        },
    ),
    "django_celery_beat.ClockedSchedule": CELERY_SCHEDULE,
    "django_celery_beat.CrontabSchedule": CELERY_SCHEDULE,
    "django_celery_beat.SolarSchedule": CELERY_SCHEDULE,
    "django_celery_beat.IntervalSchedule": CELERY_SCHEDULE,
    # --- disclosures ---
    "disclosures.Category": AdminRule(view=STAFF, add=COORDINATOR, change=COORDINATOR, delete=COORDINATOR,
                                      scoped=False, objects="shared"),
    "disclosures.CatalogueEntry": AdminRule(
        view=DEPARTMENT, add=COORDINATOR, change=COORDINATOR, delete=COORDINATOR,
        # The county's standard-catalogue workbook: imported by the coordinator, exported by all staff.
        extra={"standard_import": COORDINATOR, "standard_export": STAFF},
    ),
    "disclosures.Domain": AdminRule(view=STAFF, add=COORDINATOR, change=COORDINATOR, delete=COORDINATOR,
                                    scoped=False, objects="shared"),
    "disclosures.Carrier": AdminRule(view=STAFF, add=COORDINATOR, change=COORDINATOR, delete=COORDINATOR,
                                     scoped=False, objects="shared"),
    "disclosures.Disclosure": AdminRule(
        view=DEPARTMENT,
        add=anywhere("publisher", "coordinator", "superuser"),
        change=own("publisher") | COORDINATOR,  # a working copy; reviewers and supervisors read
        delete=own("publisher") | COORDINATOR,  # a draft never published
        actions={
            "submit": Action(None, own("publisher") | COORDINATOR),
            "approve": Action("in_review", own("reviewer") | COORDINATOR, {"comment": "同意"}),
            "complete_review": Action("in_coordinator_review", COORDINATOR, {"comment": "同意"}),
            "return_to_department": Action("in_review", own("reviewer") | COORDINATOR, {"comment": "請補充"}),
            "publish": Action("approved", own("publisher", "reviewer") | COORDINATOR),
            "amend": Action("public", own("publisher") | COORDINATOR),
            "withdraw": Action("public", own("reviewer") | COORDINATOR, {"comment": "錯誤"}),
        },
    ),
    "disclosures.Revision": AdminRule(view=DEPARTMENT, **READ_ONLY),
    "disclosures.InformationRequest": AdminRule(
        # Filed on the public form, or registered by the department's staff when it came by
        # letter, fax, e-mail or in person; every change is a step.
        view=DEPARTMENT, add=anywhere("publisher", "reviewer", "coordinator", "superuser"),
        extra={"secret": DEPARTMENT},  # the slip: whether the requester holds a secret, never the secret
        actions={
            "request_correction": Action(None, own("publisher", "reviewer") | COORDINATOR, {"text": "請寫明年份"}),
            "correction_received": Action("correction", own("publisher", "reviewer") | COORDINATOR),
            "abandon": Action("correction", own("publisher", "reviewer") | COORDINATOR),
            "consult": Action(None, own("publisher", "reviewer") | COORDINATOR, {"text": "村委會"}),
            "consultation_ended": Action("consulting", own("publisher", "reviewer") | COORDINATOR),
            # The head of the open-government work approves: the department's reviewer, the coordinator.
            "extend": Action(None, own("reviewer") | COORDINATOR, {"days": "5", "text": "需調取檔案"}),
            "reply": Action(None, own("publisher", "reviewer") | COORDINATOR, {"outcome": "disclosed", "text": "見附件"}),
            # It makes a disclosure draft: whoever may add disclosures (not the reviewer).
            "publish_reply": Action("replied", own("publisher") | COORDINATOR),
            # It adds to the catalogue, which is the coordinator's.
            "make_proactive": Action("replied", COORDINATOR, {"text": "徵地補償款發放明細"}),
        },
        note="the requester's name and contact are shown to the department asked, never in public",
    ),
    "disclosures.AnnualReport": AdminRule(
        view=DEPARTMENT, add=anywhere("publisher", "reviewer", "coordinator", "superuser"),
        change=own("publisher", "reviewer") | COORDINATOR,
        extra={"report": DEPARTMENT, "xlsx": DEPARTMENT},
        actions={
            "finalise": Action(None, COORDINATOR),
            "publish": Action("final", COORDINATOR),
        },
        variants={"final": AdminRule(view=DEPARTMENT, extra={"report": DEPARTMENT, "xlsx": DEPARTMENT})},
        note="a department drafts its yearly report; the open-government office finalises and publishes it",
    ),
    # --- approvals ---
    "approvals.ServiceHall": AdminRule(view=DEPARTMENT, add=COORDINATOR, change=COORDINATOR, delete=COORDINATOR,
                                       actions=PROTECTED),
    "approvals.ServiceWindow": AdminRule(view=DEPARTMENT, add=anywhere("publisher", "coordinator", "superuser"),
                                         change=own("publisher") | COORDINATOR, delete=COORDINATOR,
                                         actions=PROTECTED),
    "approvals.ApprovalItem": AdminRule(
        view=DEPARTMENT, add=anywhere("publisher", "coordinator", "superuser"),
        change=own("publisher") | COORDINATOR, delete=NOBODY,  # cancelled, never deleted
        actions={
            "cancel": Action(None, own("publisher") | COORDINATOR, {"document_number": "文2", "text": "取消"}),
            "delegate": Action(None, own("publisher") | COORDINATOR,
                               {"document_number": "文3", "text": "下放", "delegated_to": "鄉鎮"}),
        },
    ),
    "approvals.FeeItem": AdminRule(
        view=DEPARTMENT, add=anywhere("publisher", "coordinator", "superuser"),
        change=own("publisher") | COORDINATOR, delete=NOBODY,
        actions={
            "suspend": Action(None, own("publisher") | COORDINATOR, {"document_number": "文4", "text": "暫停"}),
            "resume": Action("suspended", own("publisher") | COORDINATOR, {"document_number": "文5", "text": "恢復"}),
            "cancel": Action(None, own("publisher") | COORDINATOR, {"document_number": "文6", "text": "取消"}),
        },
    ),
    "approvals.Application": AdminRule(
        view=DEPARTMENT | HALL_CLERK,
        add=anywhere("publisher", "coordinator", "superuser"),
        change=own("publisher", "reviewer") | HALL_CLERK | COORDINATOR,
        delete=ROOT,
        history=own("publisher", "reviewer") | HALL_CLERK | COORDINATOR,  # it holds the applicant whole
        extra={"secret": DEPARTMENT | HALL_CLERK},  # the receipt: whether it has a secret, never the secret
        actions={
            name: Action(variant, own("publisher", "reviewer") | HALL_CLERK | COORDINATOR, data)
            for name, variant, data in (
                ("start_review", None, {}),
                ("request_correction", "under_review", {"text": "缺戶口簿"}),
                ("correction_received", "needs_correction", {}),
                ("decide", "under_review", {"text": "准予許可"}),
                ("reject", "under_review", {"text": "不符合條件"}),
                ("complete", "decided", {}),
            )
        },
        note="supervisors read applications with the applicant masked",
    ),
    "approvals.Rating": AdminRule(view=DEPARTMENT, **READ_ONLY),
    "approvals.RectificationCase": AdminRule(view=DEPARTMENT, change=own("publisher", "reviewer") | COORDINATOR),
    "approvals.RectificationRule": AdminRule(view=DEPARTMENT, add=COORDINATOR, change=COORDINATOR, delete=COORDINATOR),
    # --- supervision ---
    "supervision.Complaint": AdminRule(
        view=DEPARTMENT,  # the assigned department, the supervision office, the coordinator
        extra={"identity": SUPERVISOR, "identity-open": SUPERVISOR, "register": SUPERVISOR,
               "secret": DEPARTMENT,  # whether the filer holds a secret, never the secret
               "attachment": DEPARTMENT},  # whoever handles it opens what was filed with it (logged)
        actions={
            "accept": Action("received", SUPERVISOR),
            "decline": Action("received", SUPERVISOR, {"text": "不屬受理範圍"}),
            "assign": Action("accepted", SUPERVISOR, {"department": "B"}),
            "reply": Action(None, own("publisher", "reviewer") | SUPERVISOR, {"text": "已處理"}),
            "close": Action("replied", SUPERVISOR),
        },
        note="received and accepted complaints are assigned to no department yet: the office's alone",
    ),
    "supervision.IdentityAccess": AdminRule(view=ROOT, scoped=False, **READ_ONLY,
                                            note="the log of who opened a sealed identity: superusers only"),
    "supervision.HandlingTime": AdminRule(view=COUNTY, change=COORDINATOR, add=ROOT, delete=ROOT,
                                          scoped=False, objects="shared"),
    "supervision.ChecklistTemplate": AdminRule(view=COUNTY, add=SUPERVISOR, change=SUPERVISOR, scoped=False,
                                               objects="shared", note="switched off, never deleted"),
    "supervision.Inspection": AdminRule(
        view=DEPARTMENT,  # the department inspected sees the inspection of it
        add=own("publisher", "reviewer") | SUPERVISOR,  # a department: its self-inspection only (the service says)
        change=SUPERVISOR,
        actions={"conclude": Action(None, SUPERVISOR, {"text": "基本合格"})},
        variants={"self": AdminRule(view=DEPARTMENT, change=own("publisher", "reviewer") | SUPERVISOR)},
        note="the supervision office's inspection is its own; a department changes only its self-inspection",
    ),
    "supervision.RectificationOrder": AdminRule(
        view=DEPARTMENT,
        add=own("publisher", "reviewer") | SUPERVISOR,  # a department: after its own self-inspection (the service says)
        extra={"report": own("publisher", "reviewer") | ROOT},
        actions={
            "start": Action(None, own("publisher", "reviewer") | ROOT),
            "report": Action(None, NOBODY),  # leads to the report page (with files); changes nothing itself
            "verify": Action("reported", SUPERVISOR),
            "send_back": Action("reported", SUPERVISOR, {"text": "證據不足"}),
        },
        note="the department reports (with evidence files), the supervision office verifies or sends back",
    ),
    "supervision.AccountabilityMeasure": AdminRule(view=COUNTY, add=SUPERVISOR,
                                                   note="names people: not for the department's staff"),
    "supervision.Campaign": AdminRule(
        view=COUNTY, add=COUNTY, change=COUNTY, scoped=False, objects="shared",
        extra={"results": COUNTY, "invitations": COUNTY},
        actions={"open": Action(None, COUNTY), "close": Action("open", COUNTY)},
        note="evaluation campaigns are the two offices'; evaluators score outside the admin",
    ),
    # --- logins (django-axes): superusers see attempts and unlock by deleting one ---
    "axes.AccessAttempt": AdminRule(view=ROOT, change=ROOT, delete=ROOT, scoped=False, objects="shared",
                                    actions={"cleanup_expired_attempts": Action(None, NOBODY)},  # not expired yet
                                    note="who tried which account from where: superusers only"),
    "axes.AccessLog": AdminRule(view=ROOT, change=ROOT, delete=ROOT, scoped=False, objects="shared"),
    "axes.AccessFailureLog": AdminRule(view=ROOT, change=ROOT, delete=ROOT, scoped=False, objects="shared"),
}

#: Sealed models: if one has an admin, nobody but supervisors and superusers may see it.
SEALED_MODELS = ("supervision.ReporterIdentity", "supervision.IdentityAccess")

#: Admin URLs of the site itself, not of a model: how each is walked, or why it is not.
SITE_URLS = {
    "index": "walked: every staff member",
    "app_list": "walked: per app, whoever holds a permission in it",
    "autocomplete": "walked: per autocomplete field, whoever may view the related model",
    "login": "not walked: the login page, the same for everyone",
    "logout": "not walked: ends the session",
    "password_change": "not walked: changes the person's own password",
    "password_change_done": "not walked: a message",
    "jsi18n": "not walked: the admin's JavaScript translations",
    "view_on_site": "not walked: redirects to the object's public address, whose own rules are walked below",
}

#: Kinds of model admin URL (the URL name's suffix) and what walks them.
GUARDIAN = ("permissions", "permissions_manage_user", "permissions_manage_group")
ADMIN_KINDS = ("changelist", "add", "change", "history", "simple_history", "delete", *GUARDIAN, "import",
               "process_import", "import_template", "export", "steps")
#: Admin URLs about a model, not one object.
#: Model-level pages a model admin adds of its own (declared in its rule's ``extra``).
MODEL_EXTRAS = ("register", "standard_import", "standard_export", "month", "day")
#: The arguments of a model-level page that takes some (the calendar's day page: a date).
MODEL_LEVEL_ARGS = {"day": {"date": "2026-03-05"}}
MODEL_LEVEL = ("changelist", "add", "import", "process_import", "import_template", "export", "autocomplete",
               *MODEL_EXTRAS, "index",
               "app_list")


def admin_expected(rule: AdminRule, kind: str, person: Person, relation: str) -> str:
    """The answer the rules give ``person`` on this kind of admin URL."""
    if not person.staff:
        return LOGIN

    def on_object(granted: frozenset[str]) -> str:
        if may(granted, person, relation):
            return OK
        if may(rule.sees, person, relation):
            return FORBIDDEN  # sees it, may not do this
        if rule.scoped and may_some(rule.sees, person):
            return NOT_FOUND  # another department's: as if it did not exist
        return NO

    if kind in ("changelist", "export"):
        return OK if may_some(rule.listers, person) else FORBIDDEN
    if kind == "add":
        return OK if may_some(rule.add, person) else FORBIDDEN
    if kind in ("import", "process_import", "import_template"):  # the template: for those who may import
        if not (may_some(rule.add, person) and may_some(rule.change, person)):
            return FORBIDDEN
        return "400" if kind == "process_import" else OK  # an empty confirmation (no job's token) is malformed
    if kind in ("change", "simple_history", "steps"):  # steps: the workflow's steps page (each step is an action)
        return on_object(rule.sees)
    if kind == "history":
        return on_object(rule.history if rule.history is not None else rule.sees)
    if kind == "delete":
        return on_object(rule.delete)
    if kind == "revert":
        return on_object(NOBODY)  # the history is a record (SIMPLE_HISTORY_REVERT_DISABLED)
    if kind in GUARDIAN:  # django-guardian's pages: superusers, on what may be changed at all
        return OK if person.kind == "superuser" and may_some(rule.change, person) else NO
    if kind in MODEL_EXTRAS:
        return OK if may_some(rule.extra[kind], person) else FORBIDDEN
    if kind in rule.extra:
        return on_object(rule.extra[kind])
    raise LookupError(kind)


def action_expected(rule: AdminRule, action: Action, person: Person, relation: str) -> str:
    if not person.staff:
        return LOGIN
    if not may_some(rule.listers, person):
        return FORBIDDEN
    return DONE if may(action.who, person, relation) else NO


# --- The rules of the public site and the API ---------------------------------------------------

#: Who reads a published internal notice: its department's staff and the county-wide roles.
INTERNAL_READERS = DEPARTMENT


@dataclass(frozen=True)
class Probe:
    """One way to call a public URL: on which object, with what, and who gets the page."""

    variant: str = ""
    obj: str | None = None  # world object name (department-specific) or None
    kwargs: object = None  # obj → URL kwargs
    query: str = ""
    method: str = "get"
    data: object = None  # obj → POST data
    who: frozenset[str] = EVERYONE
    refused: str = NOT_FOUND  # the answer to everyone else
    note: str = ""
    #: The answer to anonymous visitors where it is not ``refused`` (a staff page: the login).
    anonymous: str | None = None


def _pk(obj):
    return {"pk": obj.pk}


def _code(obj):
    return {"code": obj.code}


DISCLOSURE_PAGES = [
    Probe("public", "disclosures.Disclosure:public", _pk),
    Probe("internal", "disclosures.Disclosure:internal", _pk, who=INTERNAL_READERS),
    # Issue 11, item 1: what the public reads comes from the published revision.
    Probe("internal, amending to public", "disclosures.Disclosure:internal-amended-public", _pk, who=INTERNAL_READERS),
    Probe("public, amending to internal", "disclosures.Disclosure:public-amended-internal", _pk),
]


def _search(kind):
    """A word of department A's notice of that kind, not the secret itself (a search page
    shows the query back)."""
    return f"q={county.search_word(kind, 'A')}"


PUBLIC_RULES: dict[str, list[Probe]] = {
    "portal:home": [Probe()],
    "portal:department-list": [Probe()],
    "portal:department-detail": [Probe("", "portal.Department", _code)],
    "portal:search": [Probe(), Probe("q=internal title", query=_search("internaltitle")),
                      Probe("q=working copy", query=_search("drafttitle"))],
    "healthz": [Probe()],
    "set_language": [Probe("GET", who=NOBODY, refused="302", note="a POST form; GET goes back")],
    "portal:care-mode": [Probe("GET", who=NOBODY, refused="405", note="a POST form: the reader's own choice, a cookie")],
    "disclosures:list": [Probe(), Probe("q=internal title", query=_search("internaltitle"))],
    "disclosures:catalogue": [Probe()],
    "disclosures:catalogue-domain": [Probe("", None, lambda o: {"code": "social-assistance"})],
    "disclosures:catalogue-category": [Probe("", None, lambda o: {"code": "finance"})],
    "disclosures:detail": DISCLOSURE_PAGES,
    "disclosures:history": DISCLOSURE_PAGES,
    "disclosures:poster": DISCLOSURE_PAGES,
    "disclosures:revision": [
        Probe("public r1", "disclosures.Disclosure:public", lambda o: {"pk": o.pk, "number": 1}),
        Probe("internal r1", "disclosures.Disclosure:internal", lambda o: {"pk": o.pk, "number": 1}, who=INTERNAL_READERS),
    ],
    "disclosures:attachment": [
        Probe("internal", "disclosures.Disclosure:internal",
              lambda o: {"pk": o.pk, "attachment_id": o.attachments.get().pk}, who=INTERNAL_READERS),
    ],
    "disclosures:table-csv": [
        Probe("internal", "disclosures.Disclosure:internal", lambda o: {"pk": o.pk, "number": 0}, who=INTERNAL_READERS),
    ],
    "approvals:list": [Probe()],
    "approvals:fees": [Probe()],
    "approvals:results": [Probe()],
    "approvals:results-csv": [Probe()],
    "approvals:reform": [Probe()],
    "approvals:hall": [Probe()],
    "approvals:ratings": [Probe()],
    "approvals:track": [
        Probe(),
        Probe("POST number+digits", "approvals.Application", method="post",
              data=lambda o: {"tracking_number": o.tracking_number, "phone_last_four": o.applicant_phone[-4:]},
              note="the applicant's own view: progress, the applicant masked"),
    ],
    "approvals:rate": [
        Probe("POST number+digits", "approvals.Application:completed", method="post",
              data=lambda o: {"tracking_number": o.tracking_number, "phone_last_four": o.applicant_phone[-4:],
                              "secret": county.RECEIPT_SECRET, "level": "4", "comment": "好"}),
    ],
    "approvals:detail": [Probe("", "approvals.ApprovalItem", _code)],
    "approvals:blank-form": [Probe("", "approvals.Material", lambda o: {"code": o.item.code, "material_id": o.pk})],
    "feeds:disclosures": [Probe()],
    "feeds:department": [Probe("", "portal.Department", _code)],
    "api:api-root": [Probe()],
    # The steps a signed-in user may take now: whoever may view the object in the admin.
    "api-steps": [Probe("", "disclosures.Disclosure:public", lambda o: {"model": "disclosures.disclosure", "pk": o.pk},
                        who=DEPARTMENT)],
    "api-schema": [Probe()],
    "api-docs": [Probe()],
    "api:department-list": [Probe()],
    "api:department-detail": [Probe("", "portal.Department", _code)],
    "api:category-list": [Probe()],
    "api:category-detail": [Probe("", None, lambda o: {"code": "budget"})],
    "api:catalogue-entry-list": [Probe()],
    "api:catalogue-entry-detail": [Probe("", "disclosures.CatalogueEntry", _pk)],
    "api:disclosure-list": [Probe(), Probe("csv", query="format=csv"),
                            Probe("q=internal title", query=_search("internaltitle"))],
    "api:disclosure-detail": [
        Probe("public", "disclosures.Disclosure:public", _pk),
        # The open-data API serves what the public reads, whoever asks (disclosures.api).
        Probe("internal", "disclosures.Disclosure:internal", _pk, who=NOBODY),
        Probe("internal, amending to public", "disclosures.Disclosure:internal-amended-public", _pk, who=NOBODY),
        Probe("public, amending to internal", "disclosures.Disclosure:public-amended-internal", _pk),
    ],
    "api:approval-item-list": [Probe()],
    "api:approval-item-detail": [Probe("", "approvals.ApprovalItem", _code)],
    "api:fee-list": [Probe()],
    "api:fee-detail": [Probe("", "approvals.FeeItem", _code)],
    "api:approval-result-list": [Probe()],
    "api:complaint-statistics-list": [Probe()],
    "disclosures:request-new": [Probe()],
    "disclosures:request-filed": [Probe(who=NOBODY, refused="302", note="nothing filed: back to tracking")],
    "disclosures:request-filed-text": [
        Probe("POST code+secret", "disclosures.InformationRequest", method="post",
              data=lambda o: {"code": o.tracking_code, "secret": county.RECEIPT_SECRET},
              note="gives back as a file what it is sent; looks nothing up"),
    ],
    "disclosures:request-track": [Probe()],
    "disclosures:request-stats": [Probe()],
    "supervision:complaint-new": [Probe()],
    "supervision:complaint-filed": [Probe(who=NOBODY, refused="302", note="nothing filed: back to tracking")],
    "supervision:complaint-filed-text": [
        Probe("POST code+secret", "supervision.Complaint", method="post",
              data=lambda o: {"code": o.tracking_code, "secret": county.RECEIPT_SECRET},
              note="gives back as a file what it is sent; looks nothing up"),
    ],
    "supervision:complaint-track": [Probe()],
    "supervision:stats": [Probe()],
    # Staff who may view rectification orders or bad ratings' cases: each sees their own rows.
    "supervision:rectifications": [Probe(who=STAFF, refused=FORBIDDEN, anonymous=LOGIN,
                                         note="orders and bad ratings' cases, each person their own rows")],
    "supervision:campaign-list": [Probe()],
    "supervision:campaign-results": [
        Probe("closed", None, lambda o: {"pk": _campaign(county.CLOSED_CAMPAIGN)}),
        Probe("open", None, lambda o: {"pk": _campaign(county.OPEN_CAMPAIGN)}, who=NOBODY,
              note="results are public once the campaign is closed; the offices preview them in the admin"),
    ],
    # The evaluators' own pages: whoever signed in (an account not invited finds nothing there).
    "supervision:evaluate": [Probe(who=anywhere(*STAFF_KINDS, "evaluator"), refused="302",
                                   note="anonymous: to the evaluators' sign-in page")],
    "supervision:evaluate-login": [Probe()],
    "supervision:evaluate-logout": [Probe("GET", who=NOBODY, refused="405", note="a POST form")],
    "supervision:evaluate-invitation": [
        Probe("unused link", None, lambda o: {"token": county.INVITATION_TOKEN},
              note="asks to start; the link is used only when that is posted"),
        Probe("unknown link", None, lambda o: {"token": "no-such-link"}, who=NOBODY),
    ],
    "supervision:scorecard": [
        Probe("open campaign, invited", None, lambda o: {"pk": _campaign(county.OPEN_CAMPAIGN), "code": "dept-a"},
              who=anywhere("evaluator"), anonymous="302",
              note="the invited evaluator's own card; nobody else's"),
    ],
    # The compliance dashboard and the annual assessment: the supervision office and the
    # coordinator; other staff and evaluators 403, anonymous visitors to the login page.
    "supervision:dashboard": [Probe(who=COUNTY, refused=FORBIDDEN, anonymous=LOGIN),
                              Probe("xlsx", query="format=xlsx", who=COUNTY, refused=FORBIDDEN, anonymous=LOGIN)],
    "supervision:dashboard-department": [Probe("", "portal.Department", _code, who=COUNTY, refused=FORBIDDEN,
                                               anonymous=LOGIN)],
    "supervision:dashboard-records": [
        Probe("complaints on time, A", query="indicator=supervision.complaints_on_time&department=dept-a",
              who=COUNTY, refused=FORBIDDEN, anonymous=LOGIN)],
    "supervision:dashboard-overdue": [Probe("complaints", query="kind=complaint", who=COUNTY, refused=FORBIDDEN,
                                            anonymous=LOGIN)],
    "supervision:assessment": [Probe(who=COUNTY, refused=FORBIDDEN, anonymous=LOGIN)],
    "supervision:assessment-results": [Probe()],
}


def _campaign(title: str) -> int:
    from supervision.models import Campaign

    return Campaign.objects.get(title=title).pk

# --- Known failures --------------------------------------------------------------------------
# Cells whose answer is wrong today and whose fix belongs in the services or is large (the
# lead's), each with its reason. A listed cell that passes fails the test: remove it here.
# Key: (row id, person key, relation or None).

# None today: issue 11's items 1 (public reads follow the published revision) and 4 (county-
# wide accounts are the superuser's) were listed here until their fixes reached main.
KNOWN_FAILURES: dict[tuple[str, str, str | None], str] = {}

# --- Generating the rows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    id: str
    section: str
    label: str
    order: tuple
    kind: str  # an admin URL kind, "action", "autocomplete", "app_list", "index", or "public"
    model: str | None = None
    url_name: str | None = None
    rule: AdminRule | None = None
    variant: str | None = None  # object variant (admin variants, action states)
    action: str | None = None
    probe: Probe | None = None
    app_label: str | None = None
    field_name: str | None = None


def _label(model) -> str:
    return model._meta.label


def _kind_of(url_name: str, model) -> str:
    prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
    return url_name[len(prefix):] if url_name.startswith(prefix) else url_name


def _actions_of(model_admin) -> list[str]:
    names = [a if isinstance(a, str) else a.__name__ for a in (model_admin.actions or [])]
    if model_admin.actions is not None:
        names += [name for name, _func in admin.site.actions if name not in names]
    return names


def admin_rows() -> tuple[list[Row], list[str]]:
    rows, undeclared = [], []
    for model, model_admin in admin.site._registry.items():
        label = _label(model)
        rule = ADMIN_RULES.get(label)
        if rule is None:
            undeclared.append(f"model admin {label}: no rule in ADMIN_RULES")
            continue
        kinds = []
        for pattern in model_admin.get_urls():
            if pattern.name is None:
                continue  # the bare object address redirects to the change page
            kind = _kind_of(pattern.name, model)
            if kind in ADMIN_KINDS or kind in rule.extra:
                kinds.append((kind, pattern.name))
            else:
                undeclared.append(f"admin URL {pattern.name} of {label}: no rule (add it to the rule's extra)")
        if any(kind == "simple_history" for kind, _name in kinds):
            kinds.append(("revert", f"{model._meta.app_label}_{model._meta.model_name}_simple_history"))
        if any(kind == "identity" for kind, _name in kinds):
            kinds.append(("identity-open", f"{model._meta.app_label}_{model._meta.model_name}_identity"))
        order = {kind: i for i, kind in enumerate((*ADMIN_KINDS[:5], "revert", *ADMIN_KINDS[5:]))}
        for kind, name in kinds:
            rows.append(Row(f"admin {label} {kind}", "admin", f"{label} {kind}", (label, 0, order.get(kind, 99), kind),
                            kind, label, name, rule))
            if kind in ("change", "history", "simple_history", "delete", "revert", *rule.extra) and kind not in MODEL_EXTRAS:
                for variant, variant_rule in rule.variants.items():
                    rows.append(Row(f"admin {label} [{variant}] {kind}", "admin", f"{label} [{variant}] {kind}",
                                    (label, 1, variant, order.get(kind, 99)), kind, label, name, variant_rule, variant))
        for action in _actions_of(model_admin):
            declared = rule.actions.get(action)
            if declared is None and action == "delete_selected":
                declared = Action(None, rule.delete)
            if declared is None:
                undeclared.append(f"admin action {action} of {label}: no rule in its actions")
                continue
            rows.append(Row(f"admin {label} action:{action}", "admin", f"{label} action:{action}",
                            (label, 2, action), "action", label, None, rule, declared.variant, action))
        for field_name in model_admin.autocomplete_fields:
            rows.append(Row(f"admin {label} autocomplete:{field_name}", "admin", f"{label} autocomplete:{field_name}",
                            (label, 3, field_name), "autocomplete", label, None, rule, field_name=field_name))
    for pattern in admin.site.get_urls():
        name = getattr(pattern, "name", None)
        if name is not None and name not in SITE_URLS:
            undeclared.append(f"admin site URL {name}: not in SITE_URLS")
    rows.append(Row("admin index", "admin", "(site) index", ("", 0), "index"))
    for app_label in sorted({model._meta.app_label for model in admin.site._registry}):
        rows.append(Row(f"admin app_list {app_label}", "admin", f"(site) app {app_label}", ("", 1, app_label),
                        "app_list", app_label=app_label))
    return rows, undeclared


def _public_patterns(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or pattern.app_name == "admin":
                continue
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from _public_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def public_rows() -> tuple[list[Row], list[str]]:
    rows, undeclared = [], []
    for position, name in enumerate(dict.fromkeys(_public_patterns())):
        probes = PUBLIC_RULES.get(name)
        if probes is None:
            undeclared.append(f"public URL {name}: no rule in PUBLIC_RULES")
            continue
        for probe in probes:
            suffix = f" [{probe.variant}]" if probe.variant else ""
            rows.append(Row(f"public {name}{suffix}", "public", f"{name}{suffix}", (position, probe.variant),
                            "public", url_name=name, probe=probe))
    return rows, undeclared


ADMIN_ROWS, UNDECLARED_ADMIN = admin_rows()
PUBLIC_ROWS, UNDECLARED_PUBLIC = public_rows()
ROWS = ADMIN_ROWS + PUBLIC_ROWS

# --- Running a row --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The county, built once for the module inside a transaction that is rolled back at
    its end; each cell runs in a savepoint of its own, rolled back too."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            with TestCase.captureOnCommitCallbacks(execute=True):  # the search index, as after a commit
                built = county.build()
            for key, user in built.users.items():
                if user is not None:
                    client = Client()
                    client.force_login(user)
                    built.sessions[key] = client.cookies[settings.SESSION_COOKIE_NAME].value
            built.secrets = re.compile("|".join(re.escape(m) for m in sorted(built.markers, key=len, reverse=True)))
            yield built
            transaction.set_rollback(True)


def _client(world, person: Person) -> Client:
    client = Client(raise_request_exception=False)
    if person.key in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[person.key]
    return client


def _classify(response) -> str:
    status = response.status_code
    if status == 200:
        return OK
    if status in (301, 302):
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return LOGIN
        if location == reverse("admin:index"):
            return "gone"
        return str(status)
    return str(status)


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8", "replace")
    messages = getattr(getattr(response, "wsgi_request", None), "_messages", None)
    queued = getattr(messages, "_queued_messages", [])
    return text + "\n".join(str(message) for message in queued)


def _fingerprint(obj):
    """What an action or a revert would change: the row, its history, the event log."""
    model = type(obj)
    row = list(model._default_manager.filter(pk=obj.pk).values())
    versions = _versions(obj).count() if _tracks_history(model) else 0
    return row, versions, Event.objects.count()


def _form_data(form) -> dict:
    """The data a form was rendered with, as a browser would post it back."""
    data = {}
    for name, bound in ((name, form[name]) for name in form.fields):
        if form.fields[name].disabled:
            continue
        value = bound.value()
        widget = form.fields[name].widget
        if hasattr(widget, "widgets") and hasattr(widget, "decompress") and not isinstance(value, list):
            for index, part in enumerate(widget.decompress(value)):
                if part is not None:
                    data[f"{bound.html_name}_{index}"] = str(part)
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(v) for v in value]
        elif value is not None:
            data[bound.html_name] = str(value)
    return data


def _revert_data(world, row: Row, obj) -> dict:
    """The object's first version as its form would post it back (a valid form: a refusal
    must come from the permission, not from missing fields)."""
    key = ("revert", row.model, obj.pk)
    if key not in world.cache:
        version = _first_version(obj) if _tracks_history(type(obj)) else None
        data = {}
        if version is not None:
            request = RequestFactory().get("/")
            request.user = world.users["root"]
            model_admin = admin.site._registry[type(obj)]
            data = _form_data(model_admin.get_form(request, version.instance)(instance=version.instance))
        world.cache[key] = data
    return world.cache[key]


def _versions(obj):
    model = type(obj)
    history = getattr(model, model._meta.simple_history_manager_attribute)
    return history.filter(**{model._meta.pk.attname: obj.pk})


def _first_version(obj):
    return _versions(obj).order_by("history_id").first()


@dataclass
class Outcome:
    answer: str
    leaks: list[str]


def _object_for(world, row: Row, person: Person, relation: str):
    rule, name = row.rule, row.model
    if row.variant and row.kind != "autocomplete":
        name = f"{row.model}:{row.variant}"
    if rule.objects == "personal":
        if relation == OWN:
            return world.objects[(f"{row.model}:mine", person.key)]
        return world.objects[(row.model, departments_of(person)[1])]
    if rule.objects == "shared" or name in world.shared:
        return world.shared[name]
    own_department, other_department = departments_of(person)
    return world.objects[(name, own_department if relation == OWN else other_department)]


def _admin_url(row: Row, obj, world) -> str:
    pattern = next(p for p in admin.site._registry[_model(row.model)].get_urls() if p.name == row.url_name)
    groups = pattern.pattern.regex.groupindex
    if not groups and pattern.pattern.regex.groups == 2:  # simple-history's ^(id)/history/(history_id)/$
        version = _first_version(obj) if _tracks_history(type(obj)) else None
        return reverse(f"admin:{row.url_name}", args=[obj.pk, version.history_id if version else 0])
    values = {"object_id": obj.pk, "object_pk": obj.pk, "id": obj.pk, "pk": obj.pk,
              "user_id": world.users["publisher_b"].pk, "group_id": world.shared["auth.Group"].pk}
    if "attachment_id" in groups:
        attachment = obj.attachments.order_by("pk").first()
        values["attachment_id"] = attachment.pk if attachment else 0
    return reverse(f"admin:{row.url_name}", kwargs={name: values[name] for name in groups})


def _tracks_history(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def _model(label: str):
    return apps.get_model(label)


def run_admin(world, row: Row, person: Person, relation: str) -> Outcome:
    client = _client(world, person)
    bodies = []

    def send(method, url, data=None):
        response = getattr(client, method)(url, data or {})
        bodies.append(_body(response))
        return response

    obj = None if row.kind in MODEL_LEVEL else _object_for(world, row, person, relation)
    with transaction.atomic():
        before = _fingerprint(obj) if obj is not None and row.kind in ("action", "revert") else None
        if row.kind == "index":
            answer = _classify(send("get", reverse("admin:index")))
        elif row.kind == "app_list":
            answer = _classify(send("get", reverse("admin:app_list", args=[row.app_label])))
        elif row.kind == "autocomplete":
            model = _model(row.model)
            answer = _classify(send("get", reverse("admin:autocomplete"), {
                "app_label": model._meta.app_label, "model_name": model._meta.model_name,
                "field_name": row.field_name, "term": ""}))
        elif row.kind == "action" and _single_step(row):
            # A step each object needs its own words for is taken on the object's steps page only.
            steps = reverse(f"admin:{_changelist(row.model).removesuffix('_changelist')}_steps", args=[obj.pk])
            answer = _classify(send("post", steps, {"step": row.action, **_action_data(world, row)}))
            if answer not in (LOGIN, FORBIDDEN):
                answer = DONE if _fingerprint(obj) != before else "kept"
        elif row.kind == "action":
            data = {"action": row.action, "_selected_action": [str(obj.pk)], "index": "0", "post": "yes",
                    **_action_data(world, row)}
            answer = _classify(send("post", reverse(f"admin:{_changelist(row.model)}"), data))
            if answer not in (LOGIN, FORBIDDEN):  # 302 back to the list, or a page: did it write?
                answer = DONE if _fingerprint(obj) != before else "kept"
        elif row.kind == "revert":
            answer = _classify(send("post", _admin_url(row, obj, world), _revert_data(world, row, obj)))
            if _fingerprint(obj) != before:
                answer = DONE
        elif row.kind == "identity-open":
            answer = _classify(send("post", _admin_url(row, obj, world), {"purpose": "核查舉報"}))
        elif row.kind == "process_import":
            answer = _classify(send("post", reverse(f"admin:{row.url_name}"), {}))
        elif row.kind == "export":
            page = send("get", reverse(f"admin:{row.url_name}"))
            answer = _classify(page)
            if answer == OK:
                form = page.context["form"]
                data = {"resource": "0", "format": "0"}
                data.update({n: "on" for n, f in form.fields.items() if getattr(f, "is_selectable_field", False)})
                exported = send("post", reverse(f"admin:{row.url_name}"), data)
                answer = OK if exported.get("Content-Disposition", "").startswith("attachment") else _classify(exported)
        elif obj is not None:
            answer = _classify(send("get", _admin_url(row, obj, world)))
        else:
            answer = _classify(send("get", reverse(f"admin:{row.url_name}", kwargs=MODEL_LEVEL_ARGS.get(row.kind))))
        transaction.set_rollback(True)
    return Outcome(answer, _leaks(world, person, bodies))


def _single_step(row: Row) -> bool:
    """Whether the action is a workflow step not offered for a batch (``Transition.batch``)."""
    machine = workflow.for_model(_model(row.model))
    transition = machine.transitions.get(row.action) if machine else None
    return transition is not None and not transition.batch


def _changelist(label: str) -> str:
    model = _model(label)
    return f"{model._meta.app_label}_{model._meta.model_name}_changelist"


def _action_data(world, row: Row) -> dict:
    action = row.rule.actions.get(row.action)
    data = dict(action.data) if action else {}
    if "department" in data:
        data["department"] = str(world.departments[data["department"]].pk)
    return data


def run_public(world, row: Row, person: Person, relation: str) -> Outcome:
    probe = row.probe
    client = _client(world, person)
    obj = None
    if probe.obj is not None:
        own_department, other_department = departments_of(person)
        obj = world.objects[(probe.obj, own_department if relation == OWN else other_department)]
    kwargs = probe.kwargs(obj) if probe.kwargs else None
    url = reverse(row.url_name, kwargs=kwargs)
    if probe.query:
        url = f"{url}?{probe.query}"
    with transaction.atomic():
        response = getattr(client, probe.method)(url, probe.data(obj) if probe.data else {})
        body = _body(response)
        transaction.set_rollback(True)
    return Outcome(_classify(response), _leaks(world, person, [body]))


def _leaks(world, person: Person, bodies: list[str]) -> list[str]:
    found = {match for body in bodies for match in world.secrets.findall(body)}
    return sorted(secret for secret in found if person.key not in world.markers[secret])


def expected_for(row: Row, person: Person, relation: str) -> str:
    if row.kind == "public":
        if may(row.probe.who, person, relation):
            return OK
        if person.kind == "anonymous" and row.probe.anonymous is not None:
            return row.probe.anonymous
        return row.probe.refused
    if row.kind == "index":
        return OK if person.staff else LOGIN
    if row.kind == "app_list":
        if not person.staff:
            return LOGIN
        rules = [rule for label, rule in ADMIN_RULES.items() if label.split(".")[0] == row.app_label]
        return OK if any(may_some(rule.sees | rule.add, person) for rule in rules) else NO
    if row.kind == "autocomplete":
        if not person.staff:
            return LOGIN
        model_admin = admin.site._registry[_model(row.model)]
        remote = model_admin.model._meta.get_field(row.field_name).remote_field.model
        return OK if may_some(ADMIN_RULES[_label(remote)].sees, person) else FORBIDDEN
    if row.kind == "action":
        action = row.rule.actions.get(row.action) or Action(None, row.rule.delete)
        return action_expected(row.rule, action, person, relation)
    if row.kind in ("simple_history", "revert") and not _tracks_history(_model(row.model)):
        return NO if person.staff else LOGIN  # no past versions kept: no such page
    return admin_expected(row.rule, row.kind, person, relation)


def relations(row: Row, person: Person) -> tuple[str | None, ...]:
    """Own and other for the staff of a department, on objects that belong to departments;
    one answer (None) otherwise: on department B's object (see ``world.departments_of``)."""
    if row.kind == "public":
        specific = row.probe.obj is not None
    else:
        specific = row.rule is not None and row.kind not in MODEL_LEVEL and row.rule.objects != "shared"
    if not specific:
        return (None,)
    if row.rule is not None and row.rule.objects == "personal":
        return (OWN, OTHER) if person.staff else (None,)
    return (OWN, OTHER) if person.home else (None,)


COLUMNS = [(person.key, person.label) for person in PEOPLE]
matrix.COLUMNS[:] = COLUMNS
matrix.LEGEND[:] = [
    "Rows: URL kind × model (admin) and URL × object (public). Columns: roles; a cell is",
    "own/other — the answer on an object of the person's department and on another department's",
    "(one answer where the object belongs to no department or the person to none: for those, B's).",
    "pub-A/rev-A: department A; pub-B: B; clerk-S: the window clerk of the service centre, whose hall",
    "serves A's item (its 'other' is A). Answers: ok 200 · login redirect to the login page · 403 · 404 ·",
    "gone: redirect to the admin index (no such object / refused) · done: the action or revert changed",
    "the database · kept: posted, nothing changed · other HTTP codes as such.",
    "Flags: ! wrong answer · $ a secret in the body that the person may not see · x known failure",
    "(KNOWN_FAILURES in tests/access/test_access_matrix.py).",
]


def test_every_model_admin_and_url_has_declared_rules():
    """A new model admin, admin URL, action or public URL fails here until its rule is declared."""
    assert UNDECLARED_ADMIN + UNDECLARED_PUBLIC == []


def test_every_known_failure_names_a_row_that_is_walked():
    rows = {row.id for row in ROWS}
    assert [key for key in KNOWN_FAILURES if key[0] not in rows] == []


def test_sealed_models_are_for_supervisors_and_superusers_only():
    allowed = SUPERVISOR
    for label in SEALED_MODELS:
        model = _model(label)
        if model in admin.site._registry:
            rule = ADMIN_RULES[label]
            for audience in (rule.view, rule.add, rule.change, rule.delete, *rule.extra.values()):
                assert audience <= allowed, f"{label} opened to {sorted(audience - allowed)}"


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_access(world, row: Row):
    """Every role, on its own department's object and another's: the declared answer, and no
    secret the person may not see in any body."""
    run = run_public if row.kind == "public" else run_admin
    unexpected, known, fixed = [], [], []
    for person in PEOPLE:
        answers, flags = {}, ""
        for relation in relations(row, person):
            outcome = run(world, row, person, relation)
            expected = expected_for(row, person, relation or OTHER)
            problems = []
            if not matches(expected, outcome.answer):
                problems.append(f"expected {expected}, got {outcome.answer}")
                flags = flags or "!"
            if outcome.leaks:
                problems.append(f"secrets in the body: {', '.join(outcome.leaks)}")
                flags = "$"
            answers[relation] = outcome.answer
            reason = KNOWN_FAILURES.get((row.id, person.key, relation))
            where = f"{person.label}" + (f" ({relation})" if relation else "")
            if problems and reason:
                known.append(f"{where}: {'; '.join(problems)} — {reason}")
                flags = "x"
            elif problems:
                unexpected.append(f"{where}: {'; '.join(problems)}")
            elif reason:
                fixed.append(f"{where}: passes now — remove it from KNOWN_FAILURES ({reason})")
        own_answer = answers.get(OWN, answers.get(None))
        cell = matrix.Cell(own_answer, answers.get(OTHER), flags)
        matrix.record(row.section, row.order, row.label, person.key, cell)
    if unexpected or fixed:
        pytest.fail("\n".join(unexpected + fixed), pytrace=False)
    if known:
        pytest.xfail("\n".join(known))


def test_the_secrets_are_found_where_they_belong(world):
    """The search for secrets is not vacuous: each kind of marker is found in the answer to
    someone entitled to it (and so would be found in anyone else's)."""
    seen = {}

    def fetch(person_key, url, method="get", data=None):
        client = _client(world, county.PERSON[person_key])
        with transaction.atomic():
            response = getattr(client, method)(url, data or {})
            body = _body(response)
            transaction.set_rollback(True)
        assert response.status_code == 200, url
        for secret in world.secrets.findall(body):
            seen.setdefault(secret, set()).add(person_key)

    complaint = world.objects[("supervision.Complaint", "A")]
    internal = world.objects[("disclosures.Disclosure:internal", "A")]
    fetch("supervisor", reverse("admin:supervision_complaint_identity", args=[complaint.pk]), "post", {"purpose": "核查"})
    fetch("publisher_a", reverse("admin:supervision_complaint_change", args=[complaint.pk]))
    fetch("publisher_a", internal.get_absolute_url())
    fetch("publisher_a", reverse("disclosures:table-csv", kwargs={"pk": internal.pk, "number": 0}))
    fetch("publisher_a", reverse("admin:disclosures_disclosure_change", args=[world.objects[("disclosures.Disclosure", "A")].pk]))
    fetch("clerk", reverse("admin:approvals_application_change", args=[world.objects[("approvals.Application", "A")].pk]))
    fetch("coordinator", reverse("admin:supervision_accountabilitymeasure_change",
                                 args=[world.objects[("supervision.AccountabilityMeasure", "A")].pk]))
    fetch("evaluator", reverse("supervision:scorecard", args=[_campaign(county.OPEN_CAMPAIGN), "dept-a"]))

    expected = {county.marker(kind, "A") for kind in county.MARKER_KINDS} | {county.ID_NUMBERS["A"], county.PHONES["A"]}
    assert set(seen) >= expected, sorted(expected - set(seen))
    assert all(person in world.markers[secret] for secret, people in seen.items() for person in people)
