"""A day-by-day simulation of the deadline engine against an independent expectation
(issue 16; results in bench/RESULTS.md, run by tests/portal/test_deadline_simulation.py).

The demo county (``seed_demo``) supplies open items of every registered deadline kind;
a kind without any fails the run (a new kind needs demo data). Periodic catalogue
obligations keep their own cadence; every other item gets a clock start spread over the
window and a count of working days, and is written, on its start day, with its due date
counted by *this module's* calendar (chinesecalendar and the overrides the simulation
entered — never ``portal.calendar``). Information requests count from their own day
(``CLOCKS``); yearly reports have fixed due dates, which no calendar change moves. The clock steps one day at a time; twice a day the
"beat" dispatches ``portal.scan_deadlines`` to a real Celery worker (a separate process,
killed for real) through a private Redis on a free port, and waits until every reminder
is delivered. Faults are injected on given days (``Faults``). At the end each recorded
reminder is compared with the expected ones: the stage an item reaches on a day, counted
in working days from the due date then in force, once per stage and due date.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import chinese_calendar
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F

from disclosures import compliance
from disclosures.models import CatalogueEntry, Disclosure
from portal import deadlines, services
from portal.models import Notification, Reminder, ReminderRule, ScanProgress
from portal.roles import Role
from tests.broker import use_broker, wait_for

ROOT = Path(__file__).resolve().parent.parent
FAR = dt.date(2099, 1, 1)  # before its start an item's clock has not started: nothing is due
LEADS, ESCALATIONS, WINDOW = (3, 1), ((1, "department_head"), (5, "supervision")), 20
PERIODIC_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
#: Kinds whose due date the app recomputes (``recompute``) from a day of its own rather than
#: a ``start_field``: that day. Their clock is then a plain count of working days from it.
CLOCKS = {"information_request": "counted_from"}
#: What else is reset so that the plain count holds (a request's third-party consultation).
CLEARED = {"information_request": {"consultation_started_on": None, "consultation_ended_on": None}}


# --- the independent calendar -----------------------------------------------------


class Calendar:
    """Working days from chinesecalendar and the overrides entered so far."""

    def __init__(self):
        self.overrides: dict[dt.date, bool] = {}

    def working(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return chinese_calendar.is_workday(day)

    def add(self, start: dt.date, n: int) -> dt.date:
        day = start
        while n:
            day += dt.timedelta(days=1)
            n -= self.working(day)
        return day

    def subtract(self, end: dt.date, n: int) -> dt.date:
        day = end
        while n:
            day -= dt.timedelta(days=1)
            n -= self.working(day)
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        sign, (a, b) = (1, (start, end)) if start <= end else (-1, (end, start))
        return sign * sum(self.working(a + dt.timedelta(days=k)) for k in range(1, (b - a).days + 1))


def stages(wd: int) -> list[str]:
    """The stages reached with ``wd`` working days to the due date (docs/deadlines.md)."""
    if wd > 0:
        leads = [lead for lead in sorted(LEADS) if wd <= lead]
        return [f"before-{leads[0]}"] if leads else []
    found = ["due"] if wd == 0 else []
    return found + [f"overdue-{after}" for after, _to in ESCALATIONS if after <= -wd <= after + WINDOW]


def period_end(cadence: str, day: dt.date) -> dt.date:
    """The end of the last period completed before ``day``."""
    months = PERIODIC_MONTHS[cadence]
    index = (day.year * 12 + day.month - 1) // months * months  # first month of the current period
    return dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)


# --- faults -------------------------------------------------------------------------


@dataclass
class Faults:
    broker_down: dt.date | None = None  #: Redis stopped for the whole day
    worker_killed_queued: dt.date | None = None  #: worker SIGKILLed right after the scan, deliveries queued
    worker_killed_delivering: dt.date | None = None  #: worker SIGKILLed in the middle of the deliveries
    two_scans: dt.date | None = None  #: two scans dispatched at once
    rule_change: dt.date | None = None  #: complaint handling time 15 → 10 working days
    year_confirmed: dt.date | None = None  #: 2027 confirmed
    override: tuple[dt.date, dt.date, bool] | None = None  #: (entered on, day, working)
    nobody: tuple[dt.date, dt.date] | None = None  #: coordinators inactive in [from, to)


# --- processes ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Redis:
    def __init__(self, directory: Path):
        self.port, self.directory, self.process = free_port(), directory, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)], stdout=subprocess.DEVNULL)
        assert wait_for(self._open, 10), "redis-server did not start"

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def _open(self):
        with socket.socket() as sock:
            sock.settimeout(0.2)
            return sock.connect_ex(("127.0.0.1", self.port)) == 0


class Worker:
    """``celery worker`` in its own process group, on the test database and the private Redis."""

    def __init__(self, broker: str, log: Path):
        db = settings.DATABASES["default"]
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.test_settings",
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": broker,
        }
        self.log, self.process = log, None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=prefork", "--concurrency=2",
             "--loglevel=WARNING", "--without-mingle", "--without-gossip", "--without-heartbeat"],
            cwd=ROOT, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


# --- the simulation -------------------------------------------------------------------


@dataclass
class Item:
    kind: str
    pk: int
    start: dt.date
    days: int | None = None  #: working days of its count (None: a periodic obligation)
    cadence: str = ""
    days_allowed: int = 0
    timeline: list = field(default_factory=list)  #: (from day, due) as the expectation sees it
    #: A fixed due date (yearly reports: 31 January, 31 March): no calendar change moves it.
    fixed: bool = False


@dataclass
class Table:
    expected: int = 0
    recorded: int = 0
    delivered: int = 0
    late: int = 0
    fallen_back: int = 0
    undeliverable: int = 0
    missed: int = 0
    duplicated: int = 0
    wrong_day: int = 0
    unexpected: int = 0
    silent_sent: int = 0
    not_delivered: int = 0
    late_unmarked: int = 0
    by_kind: dict = field(default_factory=dict)
    faults: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def rows(self):
        return [(name, getattr(self, name)) for name in (
            "expected", "recorded", "delivered", "late", "fallen_back", "undeliverable", "missed", "duplicated",
            "wrong_day", "unexpected", "silent_sent", "not_delivered", "late_unmarked")]

    def markdown(self) -> str:
        lines = ["| figure | count |", "|---|---|", *(f"| {name.replace('_', ' ')} | {value} |" for name, value in self.rows())]
        lines += ["", "| kind | expected | recorded |", "|---|---|---|"]
        lines += [f"| `{kind}` | {e} | {r} |" for kind, (e, r) in sorted(self.by_kind.items())]
        return "\n".join(lines)


class Simulation:
    def __init__(self, first: dt.date, last: dt.date, faults: Faults, workdir: Path):
        self.first, self.last, self.faults, self.workdir = first, last, faults, workdir
        self.calendar = Calendar()
        self.items: list[Item] = []
        self.scanned_days: set[dt.date] = set()
        self.redis = Redis(workdir)
        self.worker = Worker(self.redis.url, workdir / "worker.log")
        self.log: list[str] = []

    # setup
    def build(self):
        started = time.monotonic()
        call_command("seed_demo", password="simulation-pw-1", stdout=open(os.devnull, "w"))
        ReminderRule.objects.all().delete()  # the defaults, which the expectation assumes
        ScanProgress.objects.all().delete()
        names = {kind.name for kind in deadlines.kinds()}
        for offset, kind in enumerate(deadlines.kinds()):
            if kind.roll_forward is not None:
                self._periodic(kind)
                continue
            clock = CLOCKS.get(kind.name, kind.start_field)
            fixed = clock is None and kind.recompute is None
            if clock is None and not fixed:
                raise AssertionError(f"{kind.name}: the simulation needs its clock's start (CLOCKS) or roll_forward")
            pks = list(kind.open_items().order_by("pk").values_list("pk", flat=True))
            span = (self.last - self.first).days - 10
            for n, pk in enumerate(pks):
                start = self.first + dt.timedelta(days=(7 * n + 3 * offset) % max(span, 1))
                self.items.append(Item(kind.name, pk, start, fixed=fixed))
            if self.faults.broker_down and pks:
                # The kind's first item is 3 working days from its due date on the day without
                # the broker (its clock may have started before the window).
                first = self.items[-len(pks)]
                due = self.calendar.add(self.faults.broker_down, 3)
                first.start = self.calendar.subtract(due, self._handling_days(first))
            kind.open_items().model.objects.filter(pk__in=pks).update(
                **{kind.due_field: FAR, **({clock: FAR} if clock else {}), **CLEARED.get(kind.name, {})})
        found = {item.kind for item in self.items}
        missing = names - found
        assert not missing, f"the demo county has no open items of {sorted(missing)}: add demo data"
        self.log.append(f"built in {time.monotonic() - started:.0f} s: " + ", ".join(
            f"{kind} {count}" for kind, count in sorted(Counter(item.kind for item in self.items).items())))

    def _periodic(self, kind):
        entries = list(CatalogueEntry.objects.active().filter(cadence__in=PERIODIC_MONTHS).order_by("pk"))
        # Nothing is published in the window: the demo's disclosures are detached, so that
        # every period's due date is watched (the expectation knows no publications).
        Disclosure.objects.filter(catalogue_entry__in=entries).update(catalogue_entry=None)
        for entry in entries:
            self.items.append(Item(kind.name, entry.pk, self.first, cadence=entry.cadence, days_allowed=entry.days_allowed))
        # Stored as the scan found them before the window: the last period's due date then.
        compliance.refresh(entries, today=self.first - dt.timedelta(days=1))

    def _start_items(self, day: dt.date):
        """Start the clocks starting by ``day`` (on the first day, also those started before)."""
        for item in self.items:
            if item.cadence or item.start > day or item.days is not None:
                continue
            kind = deadlines.get(item.kind)
            item.days = self._handling_days(item)
            due = self.calendar.add(item.start, item.days)
            item.timeline.append((item.start, due))
            clock = CLOCKS.get(kind.name, kind.start_field)
            written = {kind.due_field: due, **({clock: item.start} if clock else {}),
                       **({kind.provisional_field: False} if kind.provisional_field else {})}
            kind.open_items().model.objects.filter(pk=item.pk).update(**written)

    def _handling_days(self, item: Item) -> int:
        if item.kind == "complaint":
            from supervision.services import handling_days

            return handling_days(deadlines.get("complaint").open_items().get(pk=item.pk).kind)
        if item.kind == "information_request":
            from disclosures.models import InformationRequest
            from disclosures.requests.clock import REPLY_DAYS

            return REPLY_DAYS + InformationRequest.objects.get(pk=item.pk).extension_days
        return 5 + item.pk % 11

    # faults that change rules and the calendar
    def _events(self, day: dt.date):
        f = self.faults
        if f.rule_change == day:
            from supervision.models import HandlingTime

            HandlingTime.objects.update_or_create(kind="complaint", defaults={"working_days": 10})
            self.log.append(f"{day}: complaint handling time 15 → 10 working days")
        if f.year_confirmed == day:
            services.calendar_year_confirm(actor=None, year=2027, source="simulation")
            self.log.append(f"{day}: 2027 confirmed")
        if f.override and f.override[0] == day:
            _entered, date, working = f.override
            services.calendar_day_save(actor=None, date=date, is_working_day=working, name="simulation")
            self.calendar.overrides[date] = working
            for item in self.items:  # the expectation recounts from day 0 with the new calendar
                if not item.fixed and item.timeline and item.timeline[-1][1] >= date > item.start:
                    item.timeline.append((day, self.calendar.add(item.start, item.days)))
            self.log.append(f"{day}: {date} made {'a working day' if working else 'a day off'}")
        if f.nobody and day in f.nobody:
            active = day == f.nobody[1]
            get_user_model().objects.filter(staff_profile__role=Role.COORDINATOR).update(is_active=active)
            self.log.append(f"{day}: coordinators {'back' if active else 'inactive'}")

    # the beat
    def _beat(self, day: dt.date, *, twice=False):
        from portal.tasks import scan_deadlines

        # Half a day passes between beats: rows left pending are old enough to be queued again.
        Reminder.objects.filter(state=Reminder.State.PENDING).update(created_at=F("created_at") - dt.timedelta(hours=12))
        before = ScanProgress.objects.filter(completed_at__isnull=False).values_list("completed_at", flat=True).first()
        try:
            for _n in range(2 if twice else 1):
                scan_deadlines.apply_async(args=[day.isoformat()], retry=False)
        except Exception as error:  # the beat cannot reach the broker: this scan never runs
            self.log.append(f"{day}: beat failed ({type(error).__name__})")
            return False
        done = wait_for(lambda: self._scanned(day, before), 120)
        assert done, f"{day}: the scan did not complete"
        return True

    def _scanned(self, day, before):
        progress = ScanProgress.objects.first()
        return progress is not None and progress.last_day is not None and progress.last_day >= day and progress.completed_at != before

    def _settle(self, timeout=120):
        return wait_for(lambda: not Reminder.objects.filter(state=Reminder.State.PENDING).exists(), timeout)

    def run(self):
        started = time.monotonic()
        self.redis.start()
        use_broker(self.redis.url)
        self.worker.start()
        try:
            day = self.first
            while day <= self.last:
                self._day(day)
                day += dt.timedelta(days=1)
            self._beat(self.last + dt.timedelta(days=1)) or None  # a last beat after the window
            assert self._settle(), "reminders left pending at the end"
            self.log.append(f"ran {(self.last - self.first).days + 1} days in {time.monotonic() - started:.0f} s")
        finally:
            self.worker.stop()
            self.redis.stop()

    def _day(self, day: dt.date):
        f = self.faults
        self._start_items(day)
        self._events(day)
        if f.broker_down == day:
            self.redis.stop()
            self._beat(day)
            self._beat(day)
            self.redis.start()
            use_broker(self.redis.url)
            self.worker.kill()  # it lost its broker; a supervisor starts it again
            self.worker.start()
            return
        if f.worker_killed_queued == day:
            self._beat(day)
            self.worker.kill()
            self.log.append(f"{day}: worker killed with deliveries queued")
            self.worker.start()
        elif f.worker_killed_delivering == day:
            self._beat(day)
            wait_for(lambda: Reminder.objects.filter(for_day=day, state=Reminder.State.SENT).exists(), 30)
            self.worker.kill()
            self.log.append(f"{day}: worker killed during delivery "
                            f"({Reminder.objects.filter(state=Reminder.State.PENDING).count()} pending)")
            self.worker.start()
        else:
            self._beat(day, twice=f.two_scans == day)
            self._settle(60)
        self._beat(day)
        self.scanned_days.add(day)
        assert self._settle(), f"{day}: reminders left pending"

    # the expectation
    def expected(self) -> dict[tuple, dt.date]:
        """(kind, pk, stage, due date) → the day the stage is first reached. A due date moved
        by a calendar change keeps its stages (they are keyed by its last due date); a
        periodic obligation's next period starts afresh."""
        found: dict[tuple, dt.date] = {}
        for item in self.items:
            first_reached: dict[tuple, dt.date] = {}
            last_due: dict = {}
            day = max(item.start, self.first)
            while day <= self.last + dt.timedelta(days=1):
                cycle, due = self._due_on(item, day)
                if due is not None:
                    last_due[cycle] = due
                    for stage in stages(self.calendar.between(day, due)):
                        first_reached.setdefault((cycle, stage), day)
                day += dt.timedelta(days=1)
            for (cycle, stage), day in first_reached.items():
                found[(item.kind, item.pk, stage, last_due[cycle])] = day
        return found

    def _due_on(self, item: Item, day: dt.date):
        if item.cadence:
            return self._periodic_due(item, day)
        current = None
        for since, due in item.timeline:
            if since <= day:
                current = due
        return ("item", current) if current else (None, None)

    def _periodic_due(self, item: Item, day: dt.date):
        """The period the scan watches on ``day``: the last completed one, kept while its
        due date has not passed (the roll-forward moves only passed due dates)."""
        held = item.__dict__.setdefault("_held", {})
        if day in held:
            return held[day]
        yesterday = day - dt.timedelta(days=1)
        previous = held.get(yesterday)
        if previous is None:  # as stored before the window
            end = period_end(item.cadence, yesterday)
            previous = (end, self.calendar.add(end, item.days_allowed))
        if previous[1] >= day:
            result = (previous[0], self.calendar.add(previous[0], item.days_allowed))  # an override may move it
        else:
            end = period_end(item.cadence, day)
            result = (end, self.calendar.add(end, item.days_allowed))
        held[day] = result
        return result

    # the comparison
    def compare(self) -> Table:
        table = Table(faults=self.log)
        expected = self.expected()
        rows = list(Reminder.objects.values(
            "pk", "kind", "object_id", "stage", "due_on", "for_day", "late", "state", "recipients", "delivered_to",
            "audience", "kind", "created_at"))
        notified = Counter(Notification.objects.values_list("key", flat=True))
        seen: Counter = Counter()
        by_kind: dict = defaultdict(lambda: [0, 0])
        for key in expected:
            by_kind[key[0]][0] += 1
        for row in rows:
            key = (row["kind"], row["object_id"], row["stage"], row["due_on"])
            by_kind[row["kind"]][1] += 1
            seen[key] += 1
            reminder_key = f"{row['kind']}:{row['object_id']}:{row['due_on']:%Y%m%d}:{row['stage']}"
            if row["state"] == Reminder.State.SENT:
                table.delivered += 1
                if notified[reminder_key] == 0 or row["recipients"] == 0:
                    table.silent_sent += 1
                if row["delivered_to"] != row["audience"]:
                    table.fallen_back += 1
            elif row["state"] == Reminder.State.UNDELIVERABLE:
                table.undeliverable += 1
                if notified[reminder_key]:
                    table.silent_sent += 1
            else:
                table.not_delivered += 1
            table.late += row["late"]
            if key not in expected:
                table.unexpected += 1
                table.problems.append(("unexpected", key, row["for_day"]))
                continue
            if row["for_day"] != expected[key]:
                table.wrong_day += 1
                table.problems.append(("wrong day", key, row["for_day"], expected[key]))
            should_be_late = expected[key] not in self.scanned_days and expected[key] <= self.last
            if should_be_late and not row["late"]:
                table.late_unmarked += 1
        table.recorded = len(rows)
        table.expected = len(expected)
        # The same stage twice for one item's deadline (periodic obligations: per due date).
        periodic = {(i.kind, i.pk) for i in self.items if i.cadence}
        per_stage = Counter(key if key[:2] in periodic else key[:3] for key in seen.elements())
        table.duplicated = sum(count - 1 for count in per_stage.values() if count > 1)
        for key in expected:
            if key not in seen:
                table.missed += 1
                table.problems.append(("missed", key, expected[key]))
        table.by_kind = {kind: tuple(counts) for kind, counts in by_kind.items()}
        return table
