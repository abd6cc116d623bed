#!/usr/bin/env python
"""Benchmark of a large import (issue 15: "imports of the maximum file size — 5,000 rows —
finishing in a Celery task in under 60 s, with progress"). See bench/README.md.

Not a test: a standalone script that

1. builds a county once (``manage.py generate_bench_data --scale S`` into ``<db>_seed``,
   kept for later runs) and copies it afresh into the bench database for every run
   (``CREATE DATABASE … TEMPLATE``), so that every run imports into the same county;
2. writes a disclosure workbook (XLSX) of ``--rows`` new drafts (default 5,000, the most a
   file may hold) for the department with the most disclosures, within every import limit;
3. starts a real ``celery worker`` (prefork, one child, as deployed) on the bench database
   and the Redis of ``REDIS_URL``;
4. uploads the file as a publisher of that department through the admin (the Django test
   client), lets the worker check it, confirms it, lets the worker import it — polling the
   job and its progress as the import's page does;
5. prints the wall time of the check and of the import, rows/s, the progress seen while each
   ran, and the worker's peak resident memory; then stops the worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_imports_bench \\
    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/import_speed.py

It empties the Redis database of ``REDIS_URL`` (the worker's queue) and replaces the bench
database, so it refuses a database without "bench" in its name.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
if not os.environ.get("SECRET_KEY") and not os.environ.get("DEBUG"):
    os.environ["DEBUG"] = "1"  # the settings refuse to start without a key otherwise
PYTHON = str(ROOT / ".venv" / "bin" / "python")
CELERY = str(ROOT / ".venv" / "bin" / "celery")


# --- databases ----------------------------------------------------------------------
def _server(db: dict):
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", user=db.get("USER") or None, password=db.get("PASSWORD") or None,
                            host=db.get("HOST") or None, port=db.get("PORT") or None)
    conn.autocommit = True
    return conn


def _url(db: dict, name: str) -> str:
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"


def prepare_databases(db: dict, *, scale: float, fresh: bool) -> None:
    """The seed county (built once; again with ``--fresh``), copied into the bench database."""
    from psycopg2 import sql

    seed = f"{db['NAME']}_seed"
    conn = _server(db)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [seed])
            exists = cur.fetchone() is not None
            if exists and fresh:
                cur.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(seed)))
                exists = False
            if not exists:
                print(f"building the county in {seed} (scale {scale}) …", flush=True)
                cur.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(sql.Identifier(seed)))
                env = {**os.environ, "DATABASE_URL": _url(db, seed)}
                began = time.perf_counter()
                subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
                subprocess.run([PYTHON, "manage.py", "generate_bench_data", "--scale", str(scale), "--no-index"],
                               cwd=ROOT, env=env, check=True)
                print(f"county built in {time.perf_counter() - began:.0f} s", flush=True)
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db["NAME"])))
            cur.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(db["NAME"]), sql.Identifier(seed)))
    finally:
        conn.close()
    # A migration added since the seed was built.
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=dict(os.environ), check=True)


# --- the file -------------------------------------------------------------------------
def disclosure_workbook(department, rows: int, seed: int) -> bytes:
    """New drafts as a clerk would fill the template: codes in English headers, bodies of
    300–1,500 characters (a third in Simplified), half of them under a catalogue entry."""
    from disclosures.models import CatalogueEntry, Category
    from portal.bench_data import County
    from portal.resources import XLSX

    import tablib

    county = County(scale=0.1, seed=seed)
    pick = random.Random(seed)
    entries = list(CatalogueEntry.objects.filter(department=department).values_list("category__code", "title"))
    categories = list(Category.objects.filter(scope="public").values_list("code", flat=True))
    headers = ["index_number", "department", "category", "catalogue_entry", "title", "summary", "body",
               "document_number", "formed_on", "scope", "channels"]
    data = tablib.Dataset(headers=headers)
    today = dt.date.today()
    for n in range(rows):
        if entries and n % 2 == 0:
            category, entry = pick.choice(entries)
        else:
            category, entry = pick.choice(categories), ""
        formed = today - dt.timedelta(days=pick.randint(0, 2 * 365))
        body = "".join(f"<p>{p}</p>" for p in county.paragraphs(300, 1500))
        data.append([
            "", department.code, category, entry, f"{county.phrase(10, 30)}（{n + 1}）", county.phrase(20, 60), body,
            f"{department.code}發〔{formed.year}〕{n + 1}號", formed.isoformat(), "public", "website,notice_board",
        ])
    return XLSX().export_data(data)


# --- the worker -----------------------------------------------------------------------
class Worker:
    """A real ``celery worker`` in its own process group, killed at the end."""

    def __init__(self, log: Path):
        self.log = log
        self.process = None

    def start(self, timeout: float = 60) -> None:
        self.process = subprocess.Popen(
            [CELERY, "-A", "portal", "worker", "--loglevel=INFO", "--concurrency=1", "--without-gossip",
             "--without-mingle", "--without-heartbeat"],
            # As deployed: DEBUG off (which also keeps no list of every query).
            cwd=ROOT, env={**os.environ, "DEBUG": "0", "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-not-secret"},
            stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                sys.exit(f"the worker stopped at its start; see {self.log}")
            time.sleep(0.2)
        sys.exit(f"the worker did not start within {timeout:.0f} s; see {self.log}")

    def pids(self) -> list[int]:
        """The worker and its pool's children."""
        found = [self.process.pid]
        for pid in found:
            for task in Path(f"/proc/{pid}/task").glob("*"):
                found += [int(child) for child in (task / "children").read_text().split()]
        return found

    def peak_rss_mb(self) -> dict[int, float]:
        peaks = {}
        for pid in self.pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[pid] = int(line.split()[1]) / 1024
        return peaks

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# --- one run --------------------------------------------------------------------------
def wait_while(job, status, *, timeout: float, every: float = 0.25):
    """Poll the job as its page does until it leaves ``status``: (seconds, [(s, row)…])."""
    from portal import import_jobs
    from portal.models import ImportJob

    began, seen = time.perf_counter(), []
    while time.perf_counter() - began < timeout:
        job.refresh_from_db()
        if job.status != status:
            return time.perf_counter() - began, seen
        progress = import_jobs.progress_of(job)
        if progress is not None and (not seen or seen[-1][1] != progress):
            seen.append((round(time.perf_counter() - began, 2), progress))
        time.sleep(every)
    sys.exit(f"job {job.pk} still {ImportJob.Status(status).label} after {timeout:.0f} s")


def progress_summary(seen: list[tuple[float, int]], total: int) -> str:
    if not seen:
        return "none seen"
    gaps = [b[1] - a[1] for a, b in zip(seen, seen[1:])]
    first = ", ".join(f"{row}@{s:.1f}s" for s, row in seen[:4])
    return (f"{len(seen)} values, first seen at {seen[0][0]:.1f} s, last {seen[-1][1]} of {total} at {seen[-1][0]:.1f} s, "
            f"largest step {max(gaps, default=0)} rows ({first}, …)")


def run(args) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from disclosures.models import Disclosure
    from portal import services
    from portal.models import Department, ImportJob
    from portal.roles import Role

    department = Department.objects.annotate(n=Count("disclosures")).order_by("-n", "pk").first()
    existing = Disclosure.objects.filter(department=department).count()
    user = get_user_model().objects.create_user(username="bench-importer", password="-")
    services.staff_profile_save(actor=None, user=user, department=department, role=Role.PUBLISHER)

    began = time.perf_counter()
    content = disclosure_workbook(department, args.rows, args.seed)
    print(f"file: {args.rows:,} disclosure rows, XLSX {len(content) / 1e6:.1f} MB, written in "
          f"{time.perf_counter() - began:.1f} s; department {department.code} has {existing:,} disclosures", flush=True)

    worker = Worker(Path(args.worker_log))
    worker.start()
    child = worker.pids()[-1]
    spy = None
    if args.py_spy:
        spy = subprocess.Popen([str(ROOT / ".venv" / "bin" / "py-spy"), "record", "--nonblocking", "-r", "50",
                                "-o", args.py_spy, "--pid", str(child),
                                *(["--format", "raw"] if args.py_spy.endswith(".txt") else [])],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        client = Client(HTTP_HOST="localhost")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
        client.force_login(user)

        began = time.perf_counter()
        response = client.post(reverse("admin:disclosures_disclosure_import"), {
            "resource": "0", "format": "1", "import_file": SimpleUploadedFile("公開資料.xlsx", content)})
        upload = time.perf_counter() - began
        job = ImportJob.objects.filter(user=user).order_by("-pk").first()
        if response.status_code != 302 or job is None:
            sys.exit(f"the upload was not handed to a worker: HTTP {response.status_code}")
        check, check_seen = wait_while(job, ImportJob.Status.CHECKING, timeout=args.timeout)
        if job.status != ImportJob.Status.READY:
            sys.exit(f"the check refused the file: {job.errors[:5]}")

        began = time.perf_counter()
        response = client.post(reverse("admin:disclosures_disclosure_process_import"), {"import_file_name": job.token})
        confirm = time.perf_counter() - began
        imported, import_seen = wait_while(job, ImportJob.Status.IMPORTING, timeout=args.timeout)
        if job.status != ImportJob.Status.IMPORTED:
            sys.exit(f"the import failed: {job.errors[:5]}")
        peaks = worker.peak_rss_mb()
    finally:
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=60)
        worker.stop()

    added = Disclosure.objects.filter(department=department).count() - existing
    assert added == args.rows == job.new_rows, (added, args.rows, job.new_rows)
    return {
        "rows": args.rows, "department_disclosures": existing, "file_mb": round(len(content) / 1e6, 2),
        "upload_s": round(upload, 2), "check_s": round(check, 1), "confirm_s": round(confirm, 2),
        "import_s": round(imported, 1), "check_rows_per_s": round(args.rows / check), "import_rows_per_s": round(args.rows / imported),
        "check_progress": check_seen, "import_progress": import_seen,
        "worker_peak_rss_mb": {str(pid): round(mb) for pid, mb in peaks.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--scale", type=float, default=0.1, help="of the county built once (generate_bench_data)")
    parser.add_argument("--fresh", action="store_true", help="build the county again")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--timeout", type=float, default=900, help="per step, seconds")
    parser.add_argument("--worker-log", default="/tmp/import_speed_worker.log")
    parser.add_argument("--py-spy", metavar="SVG", help="profile the worker's pool process into this flame graph (collapsed stacks if it ends in .txt)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures here")
    args = parser.parse_args()

    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql" or "bench" not in db["NAME"]:
        sys.exit("refusing: set DATABASE_URL to a PostgreSQL database with 'bench' in its name, e.g.\n"
                 "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_imports_bench")
    if not os.environ.get("REDIS_URL"):
        sys.exit("refusing: set REDIS_URL to a Redis database of your own (the worker's broker; it is emptied)")
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    prepare_databases(db, scale=args.scale, fresh=args.fresh)

    figures = run(args)
    peak = max(figures["worker_peak_rss_mb"].values())
    print(f"upload (the request)      {figures['upload_s']:.2f} s")
    print(f"check  (worker, dry run)  {figures['check_s']:.1f} s   {figures['check_rows_per_s']} rows/s")
    print(f"   progress: {progress_summary(figures['check_progress'], args.rows)}")
    print(f"confirm (the request)     {figures['confirm_s']:.2f} s")
    print(f"import (worker)           {figures['import_s']:.1f} s   {figures['import_rows_per_s']} rows/s")
    print(f"   progress: {progress_summary(figures['import_progress'], args.rows)}")
    print(f"worker peak RSS           {peak} MB (per process: {figures['worker_peak_rss_mb']})")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
