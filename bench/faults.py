"""``make bench-faults``: the site under load while its services fail (issue 15 §4;
bench/README.md has what it does and which settings it uses).

Everything runs on this machine's loopback, on the script's own servers: a PostgreSQL 15
cluster made with ``initdb`` in a temporary directory and a ``redis-server``, each on a
free port (the machine's shared PostgreSQL and Redis are never touched). On them: migrate,
``generate_bench_data --scale 0.01``, gunicorn (``bench.wsgi``, ``gunicorn.conf.py``, 2 sync
workers, production settings) and one Celery worker with beat. Then four scenarios, each
under 50 concurrent connections of mixed GET traffic from a threaded load generator:

0. load alone (60 s);
1. Redis shut down for 18 s in the middle: pages, a complaint filed through the public form
   meanwhile, and the reminders recorded once Redis is back;
2. PostgreSQL stopped for 5 s and started again (no restart of gunicorn or the worker): what
   the site answers meanwhile, seconds to the first 200 of a page that needs the database;
3. one gunicorn worker SIGKILLed: requests lost, seconds until gunicorn has two workers again.

A table per scenario is printed and written to ``bench/RESULTS.md`` between the
``faults:begin`` / ``faults:end`` markers. Every process, the cluster and the temporary
directory are removed at the end, on failure and on Ctrl-C too; the whole run is cut off
after ``--limit`` seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import GUNICORN, PYTHON, _env, search_queries  # noqa: E402

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
CELERY = str(ROOT / ".venv" / "bin" / "celery")
DATABASE = "gongkai_bench_faults"
#: A page that always needs the database (search is never cached): the recovery probe.
DB_PAGE = "/search/?q=" + urllib.parse.quote("預算")
SCAN_EVERY = 5  # seconds: the bench's own beat entry for the deadline scan (see setup)


class Timeout(Exception):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(message: str) -> None:
    print(f"[faults {time.strftime('%H:%M:%S', time.gmtime())}] {message}", file=sys.stderr, flush=True)


# --- The servers ----------------------------------------------------------------------------


class Stack:
    """The script's own PostgreSQL, Redis, gunicorn and Celery; ``close()`` stops them all
    and deletes the temporary directory, whatever state they are in."""

    def __init__(self, scale: float):
        self.scale = scale
        self.tmp = Path(tempfile.mkdtemp(prefix="gongkai-faults-"))
        self.processes: dict[str, subprocess.Popen] = {}
        self.pg_port, self.redis_port, self.web_port = free_port(), free_port(), free_port()
        self.pg_data = self.tmp / "pg"
        self.database_url = f"postgres://postgres@127.0.0.1:{self.pg_port}/{DATABASE}"
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.base = f"http://127.0.0.1:{self.web_port}"
        self.logs = ROOT / "var" / "faults"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.pg_started = False

    # PostgreSQL refuses to run as root: its commands run as the postgres user then, in a
    # directory that user owns.
    def _as_postgres(self, command: list[str]) -> list[str]:
        return (["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []) + command

    def env(self, *, web: bool) -> dict:
        env = _env(self.database_url, 300, str(self.tmp / "static"))
        env.update(REDIS_URL=self.redis_url, GUNICORN_BIND=f"127.0.0.1:{self.web_port}", PYTHONUNBUFFERED="1")
        env.pop("GONGKAI_WEB", None)
        if web:
            env["GONGKAI_WEB"] = "1"  # as portal/wsgi.py sets it: the statement timeout
        return env

    def pg_ctl(self, *args: str, check: bool = True) -> None:
        subprocess.run(self._as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.pg_data), *args]),
                       check=check, capture_output=True, timeout=60)

    def start_postgres(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.tmp, "postgres")
        subprocess.run(self._as_postgres([str(PG_BIN / "initdb"), "-D", str(self.pg_data), "-A", "trust", "-U", "postgres",
                                          "-E", "UTF8", "--locale", "C.UTF-8"]), check=True, capture_output=True, timeout=120)
        options = (f"-p {self.pg_port} -k {self.tmp} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off")  # a throwaway cluster; restarts are clean shutdowns
        self.pg_options = options
        self.pg_ctl("-l", str(self.tmp / "postgres.log"), "-w", "-o", options, "start")
        self.pg_started = True
        subprocess.run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres",
                        "-T", "template0", "-E", "UTF8", DATABASE], check=True, capture_output=True, timeout=60)

    def stop_postgres(self) -> None:
        self.pg_ctl("-m", "fast", "-w", "stop")

    def restart_postgres(self) -> None:
        self.pg_ctl("-l", str(self.tmp / "postgres.log"), "-w", "-o", self.pg_options, "start")

    def start_redis(self) -> None:
        self.processes["redis"] = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.tmp)], stdout=open(self.logs / "redis.log", "a"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: subprocess.run(["redis-cli", "-p", str(self.redis_port), "ping"], capture_output=True,
                                        text=True).stdout.strip() == "PONG", 10, "redis-server did not start")

    def stop_redis(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.redis_port), "shutdown", "nosave"], capture_output=True, timeout=10)
        self.processes.pop("redis").wait(timeout=10)

    def manage(self, *args: str) -> str:
        out = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env(web=False), capture_output=True,
                             text=True, timeout=300)
        if out.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{out.stderr[-3000:]}")
        return out.stdout

    def start_site(self) -> None:
        self.processes["gunicorn"] = subprocess.Popen(
            [GUNICORN, "bench.wsgi", "-c", str(ROOT / "gunicorn.conf.py")], cwd=ROOT, env=self.env(web=True),
            stdout=subprocess.DEVNULL, stderr=open(self.logs / "gunicorn.log", "w"), start_new_session=True,
        )
        self.processes["celery"] = subprocess.Popen(
            [CELERY, "-A", "portal", "worker", "--beat", "--loglevel=INFO", "--concurrency=1",
             "--schedule", str(self.tmp / "beat-schedule")], cwd=ROOT, env=self.env(web=False),
            stdout=subprocess.DEVNULL, stderr=open(self.logs / "celery.log", "w"), start_new_session=True,
        )
        wait_for(lambda: status(self.base + "/__bench__/trivial") == 200, 90, "gunicorn did not start: var/faults/gunicorn.log")

    def workers(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.processes["gunicorn"].pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def close(self) -> None:
        for name in ("gunicorn", "celery", "redis"):
            process = self.processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)  # its own session: the process and its children
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        if self.pg_started:
            self.pg_ctl("-m", "immediate", "-w", "stop", check=False)
        if (self.tmp / "postgres.log").exists():
            shutil.copy(self.tmp / "postgres.log", self.logs / "postgres.log")
        shutil.rmtree(self.tmp, ignore_errors=True)


def wait_for(condition, seconds: float, message: str) -> float:
    """Poll ``condition`` until true; the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if condition():
                return time.monotonic() - started
        except Exception:  # noqa: BLE001 - not yet
            pass
        time.sleep(0.1)
    raise RuntimeError(message)


def fetch(url: str, timeout: float = 30) -> tuple[int | None, bytes]:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", parts.path + ("?" + parts.query if parts.query else ""),
                           headers={"Accept-Language": "zh-Hant"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def status(url: str) -> int | None:
    try:
        return fetch(url, timeout=5)[0]
    except OSError:
        return None


# --- Load ------------------------------------------------------------------------------------


class Load:
    """``connections`` threads, each sending one GET after another over a new connection
    (gunicorn's sync workers close every connection), cycling through ``paths``."""

    def __init__(self, base: str, paths: list[str], connections: int = 50, timeout: float = 30):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.paths = itertools.cycle(paths)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.records: list[tuple[float, float, int | None, str | None]] = []
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(connections)]

    def __enter__(self):
        self.started = time.monotonic()
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=self.timeout + 5)
        self.stopped = time.monotonic()

    def _run(self):
        while not self.stopping.is_set():
            with self.lock:
                path = next(self.paths)
            began, code, error = time.monotonic(), None, None
            connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                connection.request("GET", path, headers={"Accept-Language": "zh-Hant"})
                response = connection.getresponse()
                response.read()
                code = response.status
            except (OSError, http.client.HTTPException) as failure:
                error = type(failure).__name__
            finally:
                connection.close()
            self.records.append((began, time.monotonic(), code, error))

    def summary(self, since: float | None = None, until: float | None = None) -> dict:
        rows = [r for r in self.records if (since is None or r[1] >= since) and (until is None or r[0] <= until)]
        latencies = sorted((end - began) * 1000 for began, end, _, _ in rows)
        seconds = (self.stopped - self.started) if since is None else ((until or self.stopped) - since)
        return {
            "requests": len(rows),
            "rps": len(rows) / seconds if seconds else 0,
            "p50": statistics.median(latencies) if latencies else 0,
            "p95": latencies[int(len(latencies) * 0.95) - 1] if latencies else 0,
            "non_2xx": dict(Counter(code for _, _, code, _ in rows if code is not None and not 200 <= code < 300)),
            "socket_errors": dict(Counter(error for _, _, _, error in rows if error)),
        }


# --- The data the scenarios look at (in this process, through the ORM) -----------------------


def orm(function):
    """Run ``function`` with a fresh database connection (the cluster restarts under us)."""
    from django.db import connections

    connections.close_all()
    try:
        return function()
    finally:
        connections.close_all()


def setup_django(stack: Stack) -> None:
    os.environ.update(stack.env(web=False))
    import django

    django.setup()


def scan_every_few_seconds() -> None:
    """A beat entry of the bench's own: the deadline scan every few seconds instead of
    every 15 minutes (portal.schedule), so a catch-up shows within the run."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every, _ = IntervalSchedule.objects.get_or_create(every=SCAN_EVERY, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.update_or_create(name="bench-faults: deadline scan", defaults={
        "task": "portal.scan_deadlines", "interval": every, "enabled": True})


def make_due_today() -> tuple[str, int]:
    """One running approval application becomes due today, with no reminder recorded yet:
    the next deadline scan owes it the due-day reminder."""
    from django.utils import timezone

    from approvals.models import Application
    from portal.deadlines import kinds
    from portal.models import Reminder

    kind = next(k for k in kinds() if k.name == "approval_application")
    application = kind.open_items().filter(received_on__lte=timezone.localdate()).order_by("pk").first()
    Reminder.objects.filter(kind=kind.name, object_id=application.pk).delete()
    Application.objects.filter(pk=application.pk).update(due_on=timezone.localdate())
    return kind.name, application.pk


def reminder_recorded_at(kind: str, object_id: int):
    from portal.models import Reminder

    return Reminder.objects.filter(kind=kind, object_id=object_id).values_list("created_at", flat=True).first()


def last_scan_completed():
    from portal.models import ScanProgress
    from portal.reminders import PROGRESS

    return ScanProgress.objects.filter(name=PROGRESS).values_list("completed_at", flat=True).first()


def complaint_count() -> int:
    from supervision.models import Complaint

    return Complaint.objects.count()


def _request(base: str, method: str, path: str, cookies: dict, body: bytes | None = None) -> tuple[int, dict, str]:
    """One request with the cookies a browser would send back (by hand: under production
    settings the CSRF cookie is ``Secure``, which the stdlib's cookie jar never sends over
    the plain HTTP a reverse proxy speaks to gunicorn)."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Accept-Language": "zh-Hant", "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            cookies[name.strip()] = value.strip()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def file_complaint(base: str) -> tuple[bool, str]:
    """File an anonymous complaint through the public form as a browser would: the form,
    the POST (CSRF token and cookie), then the page that shows the tracking code."""
    cookies: dict[str, str] = {}
    path = "/supervision/complaints/new/"
    began = time.monotonic()
    code, _, form = _request(base, "GET", path, cookies)
    took = [time.monotonic() - began]
    if code != 200:
        return False, f"form {code}"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    kind = re.search(r'name="kind" value="([^"]+)"', form).group(1)
    department = re.search(r'<select name="department"[^>]*>.*?<option value="(\d+)"', form, re.S).group(1)
    data = urllib.parse.urlencode({
        "csrfmiddlewaretoken": token, "kind": kind, "department": department, "anonymous": "on",
        "summary": "故障演練：Redis 停止時的投訴", "details": "在 Redis 停止期間經公開表單提交的投訴，應照常保存。",
    }).encode()
    code, headers, _ = _request(base, "POST", path, cookies, data)
    took.append(time.monotonic() - began - sum(took))
    if code != 302:
        return False, f"POST {code}"
    shown, _, _ = _request(base, "GET", headers["Location"], cookies)
    took.append(time.monotonic() - began - sum(took))
    return shown == 200, (f"form 200, POST 302, then {shown} on {headers['Location']}; "
                          f"{' / '.join(f'{t:.1f}' for t in took)} s under the load")


# --- Scenarios -------------------------------------------------------------------------------


def mixed_paths() -> list[str]:
    """The bench's pages (bench/pages.py), the trivial view, and 20 distinct searches."""
    from bench.pages import pages

    found = [urllib.parse.quote(address, safe="/?=&") for _, address in pages()]
    return [*found, "/__bench__/trivial", *("/search/?q=" + urllib.parse.quote(q) for q in search_queries()[:20])]


def scenario_load(stack: Stack, paths: list[str], seconds: int) -> dict:
    with Load(stack.base, paths) as load:
        time.sleep(seconds)
    return {"name": f"0. mixed load, {seconds} s", "total": load.summary(), "notes": []}


LEAD = 8  # seconds of load before a fault


def fault(action, what: str) -> float:
    """After the lead time, do ``action``; the moment it was done."""
    time.sleep(LEAD)
    action()
    log(what)
    return time.monotonic()


def answers_meanwhile(stack: Stack, pages: tuple[str, ...], what: str) -> list[str]:
    """What the site answers for ``pages`` during a fault (a traceback in the page is flagged)."""
    notes = []
    for page in pages:
        try:
            code, body = fetch(stack.base + page)
        except OSError as error:
            code, body = type(error).__name__, b""
        notes.append(f"`{urllib.parse.unquote(page)}` while {what}: {code}{' (with a traceback!)' if b'Traceback' in body else ''}")
    return notes


def scenario_redis(stack: Stack, paths: list[str]) -> dict:
    with Load(stack.base, paths) as load:
        down = fault(stack.stop_redis, "redis stopped")
        time.sleep(2)
        kind, object_id = orm(make_due_today)
        notes = answers_meanwhile(stack, ("/", "/disclosures/", DB_PAGE), "Redis is down")
        before = orm(complaint_count)
        filed, answer = file_complaint(stack.base)
        saved = orm(complaint_count) - before
        notes.append(f"complaint filed through the public form while Redis is down: "
                     f"{'saved' if filed and saved == 1 else 'NOT saved'} ({saved} new row; {answer})")
        time.sleep(max(0, 18 - (time.monotonic() - down)))
        stack.start_redis()
        up, up_wall = time.monotonic(), time.time()
        log("redis started")
        time.sleep(7)
    try:
        wait_for(lambda: orm(lambda: reminder_recorded_at(kind, object_id)) is not None, 60, "no reminder")
        recorded = orm(lambda: reminder_recorded_at(kind, object_id))
        catch_up = recorded.timestamp() - up_wall
        notes.append(f"reminder due today (made due while Redis was down) recorded "
                     f"{'after' if catch_up >= 0 else 'BEFORE'} Redis returned: {catch_up:+.1f} s")
    except RuntimeError:
        catch_up = None
        notes.append("reminder due today NOT recorded within 60 s of Redis returning")
    return {
        "name": f"1. Redis stopped for {up - down:.0f} s", "total": load.summary(), "outage": load.summary(down, up),
        "recovery": catch_up, "recovery_label": "reminder recorded after Redis returned", "notes": notes,
    }


def scenario_postgres(stack: Stack, paths: list[str]) -> dict:
    with Load(stack.base, paths) as load:
        down = fault(stack.stop_postgres, "postgres stopped")
        notes = answers_meanwhile(stack, (DB_PAGE, "/api/v1/disclosures/", "/"), "PostgreSQL is down")
        time.sleep(max(0, 5 - (time.monotonic() - down)))
        stack.restart_postgres()
        up, up_wall = time.monotonic(), time.time()
        log("postgres started")
        recovery = wait_for(lambda: status(stack.base + DB_PAGE) == 200, 60, "no 200 after PostgreSQL returned")
        scanned = None  # the first deadline scan the worker completes after the start
        while time.monotonic() - up < 12 or (scanned is None and time.monotonic() - up < 30):
            completed = orm(last_scan_completed)
            if scanned is None and completed and completed.timestamp() > up_wall:
                scanned = completed.timestamp() - up_wall
            time.sleep(0.3)
    notes.append(f"the Celery worker (not restarted) completed a deadline scan {scanned:.1f} s after PostgreSQL returned"
                 if scanned is not None else "the Celery worker completed NO deadline scan within 30 s of PostgreSQL returning")
    return {
        "name": f"2. PostgreSQL stopped for {up - down:.0f} s and started", "total": load.summary(),
        "outage": load.summary(down, up),
        "recovery": recovery, "recovery_label": f"first 200 of `{urllib.parse.unquote(DB_PAGE)}` after the start",
        "notes": notes,
    }


def scenario_worker(stack: Stack, paths: list[str]) -> dict:
    victim = None

    def kill():
        nonlocal victim
        victim = stack.workers()[0]
        os.kill(victim, signal.SIGKILL)

    with Load(stack.base, paths) as load:
        fault(kill, "one gunicorn worker killed")
        respawn = wait_for(lambda: len(stack.workers()) == 2 and victim not in stack.workers(), 30, "no new worker")
        time.sleep(12)
    return {
        "name": "3. one gunicorn worker SIGKILLed", "total": load.summary(), "recovery": respawn,
        "recovery_label": "gunicorn had two workers again", "notes": [],
    }


# --- Report ----------------------------------------------------------------------------------


def _counts(counts: dict) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=str)) or "0"


def table(results: list[dict]) -> str:
    lines = ["| scenario | window | requests | req/s | p50 / p95 ms | non-2xx by status | socket errors | recovery |",
             "|---|---|---:|---:|---:|---|---|---|"]
    for result in results:
        recovery = "—" if "recovery_label" not in result else (
            f"{result['recovery']:.1f} s ({result['recovery_label']})" if result["recovery"] is not None else "none")
        for window in ("total", "outage"):
            if window not in result:
                continue
            s = result[window]
            lines.append(f"| {result['name'] if window == 'total' else ''} | {'whole run' if window == 'total' else 'outage'} "
                         f"| {s['requests']:,} | {s['rps']:.1f} | {s['p50']:.0f} / {s['p95']:.0f} | {_counts(s['non_2xx'])} "
                         f"| {_counts(s['socket_errors'])} | {recovery if window == 'total' else ''} |")
    notes = [f"* {result['name'][:2]} {note}" for result in results for note in result["notes"]]
    return "\n".join(lines + [""] + notes)


def write_results(text: str) -> None:
    path = ROOT / "bench" / "RESULTS.md"
    content = path.read_text(encoding="utf-8")
    section = f"<!-- faults:begin (written by bench/faults.py) -->\n{text}\n<!-- faults:end -->"
    pattern = re.compile(r"<!-- faults:begin.*?<!-- faults:end -->", re.S)
    content = pattern.sub(lambda _: section, content) if pattern.search(content) else content.rstrip() + "\n\n" + section + "\n"
    path.write_text(content, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="Seconds of load in scenario 0.")
    parser.add_argument("--scale", type=float, default=0.01, help="generate_bench_data --scale.")
    parser.add_argument("--limit", type=int, default=420, help="Stop everything after this many seconds.")
    parser.add_argument("--no-write", action="store_true", help="Print the tables, leave bench/RESULTS.md alone.")
    args = parser.parse_args()

    def stop(signum, frame):
        raise Timeout(f"signal {signum}") if signum == signal.SIGALRM else KeyboardInterrupt

    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGALRM):
        signal.signal(signum, stop)
    signal.alarm(args.limit)
    started_wall, began = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), time.monotonic()
    stack = Stack(args.scale)
    try:
        log(f"own PostgreSQL on :{stack.pg_port}, Redis on :{stack.redis_port}, site on :{stack.web_port}; {stack.tmp}")
        stack.start_postgres()
        stack.start_redis()
        stack.manage("migrate", "--noinput")
        setup = time.monotonic()
        stack.manage("generate_bench_data", "--scale", str(args.scale))
        generated = time.monotonic() - setup
        stack.manage("collectstatic", "--noinput")
        setup_django(stack)
        orm(scan_every_few_seconds)
        paths = orm(mixed_paths)
        stack.start_site()
        log(f"ready after {time.monotonic() - began:.0f} s (data in {generated:.0f} s); {len(paths)} paths")
        results = []
        for scenario in (lambda: scenario_load(stack, paths, args.seconds), lambda: scenario_redis(stack, paths),
                         lambda: scenario_postgres(stack, paths), lambda: scenario_worker(stack, paths)):
            results.append(scenario())
            log(results[-1]["name"] + " done")
        rss = []
        for pid in stack.workers():
            rss += [int(line.split()[1]) // 1024 for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                    if line.startswith("VmRSS:")]
    finally:
        signal.alarm(0)
        stack.close()
    load = os.getloadavg()
    text = (
        "## Load and faults (issue 15 §4)\n\n"
        f"`make bench-faults` (bench/faults.py), {started_wall}, {time.monotonic() - began:.0f} s in all; own PostgreSQL 15 "
        f"cluster and redis-server on loopback, `generate_bench_data --scale {args.scale}`, gunicorn `bench.wsgi` (2 sync "
        "workers, DEBUG off, page cache 300 s), one Celery worker with beat (deadline scan every "
        f"{SCAN_EVERY} s); 50 concurrent connections of mixed GETs ({len(paths)} addresses: bench/pages.py's pages, "
        f"the trivial view, 20 searches); load average after {load[0]:.1f} on {os.cpu_count()} CPUs; "
        f"worker RSS after {', '.join(map(str, rss))} MB.\n\n" + table(results)
    )
    print(text)
    if not args.no_write:
        write_results(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
