#!/usr/bin/env python
"""Benchmark of the compliance dashboard and the annual assessment on PostgreSQL.

Not a test: a standalone script that fills a *bench* database with a county of generated
data — 50 departments, 100,000 disclosures, 200,000 complaints, 200,000 applications (with
ratings and bad-rating rectification cases) over 2025–2026 — and times, signed in as a
supervisor, the county overview (``/supervision/dashboard/``), a department drill-down, the
records behind a figure, the overdue list and the annual assessment, counting their SQL
queries. See bench/DASHBOARD.md for the figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench_dash \\
        .venv/bin/python bench/dashboard.py

The script TRUNCATEs the tables it fills, so it refuses to run unless the database name
contains "bench".
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
if not os.environ.get("SECRET_KEY") and not os.environ.get("DEBUG"):
    os.environ["DEBUG"] = "1"

from bench.reminder_scan import database_settings, ensure_database, sql_exec  # noqa: E402

DEPARTMENTS = 50
TABLES = ["approvals_rectificationcase", "approvals_rating", "approvals_application", "approvals_approvalitem",
          "supervision_complaint", "disclosures_disclosure", "disclosures_catalogueentry"]


def fill(disclosures: int, complaints: int, applications: int) -> None:
    from disclosures.models import Category
    from disclosures.totals import count_public_totals
    from portal.models import Department

    sql_exec(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    departments = [
        Department.objects.get_or_create(code=f"bench-{i:02d}", defaults={"name": f"測試局{i:02d}"})[0].pk
        for i in range(1, DEPARTMENTS + 1)
    ]
    category = Category.objects.get_or_create(code="bench", defaults={"name": "Bench category"})[0].pk
    n = len(departments)
    # Each department has its own quality: hashint4(department) decides how often it is late.
    params = {"departments": departments, "category": category}
    dept = f"(%(departments)s::bigint[])[1 + g %% {n}]"
    started = time.perf_counter()
    sql_exec(f"""
        INSERT INTO disclosures_catalogueentry (department_id, category_id, title, legal_basis, scope, channels, cadence,
            days_allowed, active, due_provisional, created_at, updated_at, item, sub_item, elements, time_limit,
            time_limit_rule, responsible_body, audience_all, audience_specific, proactive, on_request, position)
        SELECT {dept}, %(category)s, 'bench obligation ' || g, '', 'public', '[]'::jsonb,
               (ARRAY['standing', 'monthly', 'quarterly', 'yearly', 'ad_hoc'])[1 + g %% 5], 20, true, false,
               '2024-01-01', now(), 'bench obligation ' || g, '', '', '', 'entered', '', true, false, true, false, g
        FROM generate_series(0, {n * 20 - 1}) AS g""", params)
    # The public totals' trigger would update the same rows once per disclosure in one
    # transaction: counted once at the end instead (as disclosures.bench_data does).
    sql_exec("ALTER TABLE disclosures_disclosure DISABLE TRIGGER disclosures_public_total")
    sql_exec(f"""
        INSERT INTO disclosures_disclosure (department_id, category_id, catalogue_entry_id, title, summary, body,
            document_number, index_number, formed_on, scope, channels, status, first_published_on, publication_due_on,
            withdrawn_reason, created_at, updated_at, issuing_body, normative, validity, current_public)
        SELECT {dept}, %(category)s, CASE WHEN g %% 10 < 3 THEN 1 + (g %% {n * 20}) END, 'bench disclosure ' || g, '',
               '', '', 'bench-' || g, day - 10, 'public', '[]'::jsonb, 'published', day,
               day + (abs(hashint4(g)) %% 20) - 5 + (abs(hashint4(g %% {n})) %% 6), '', now(), now(), '', false, 'valid',
               true
        FROM generate_series(0, %(rows)s - 1) AS g,
             LATERAL (SELECT '2025-01-01'::date + (abs(hashint4(g + 1)) %% 699) AS day) AS d""",
             {**params, "rows": disclosures})
    sql_exec("ALTER TABLE disclosures_disclosure ENABLE TRIGGER disclosures_public_total")
    count_public_totals()
    sql_exec(f"""
        INSERT INTO supervision_complaint (tracking_code, secret_hash, kind, channel, department_id,
            assigned_department_id, approval_item_code, fee_item_code, summary, details, anonymous, status,
            received_on, due_on, due_provisional, decline_reason, satisfaction, reopen_count, closed_on_time,
            created_at, updated_at)
        SELECT 'BENCH' || g, '', 'complaint', 'web', {dept}, {dept}, '', '', 'bench complaint', '', true,
               CASE WHEN g %% 7 = 0 THEN 'assigned' ELSE 'closed' END, day, day + 30, false, '',
               CASE WHEN g %% 7 <> 0 AND g %% 2 = 0 THEN
                    (ARRAY['very_satisfied', 'satisfied', 'satisfied', 'dissatisfied'])[1 + abs(hashint4(g)) %% 4]
                    ELSE '' END,
               0, CASE WHEN g %% 7 <> 0 THEN abs(hashint4(g)) %% 100 >= 5 + abs(hashint4(g %% {n})) %% 30 END,
               now(), now()
        FROM generate_series(0, %(rows)s - 1) AS g,
             LATERAL (SELECT '2025-01-01'::date + (abs(hashint4(g + 2)) %% 699) AS day) AS d""",
             {**params, "rows": complaints})
    sql_exec(f"""
        INSERT INTO approvals_approvalitem (code, name, department_id, kind, basis_law, basis_article, basis_document,
            conditions, statutory_limit, promised_limit, location, consultation_phone, complaint_phone, online_url,
            status, created_at, updated_at)
        SELECT 'BENCH-' || g, 'bench item ' || g, {dept}, 'licensing', '', '', '', '', 20, 10, '', '', '', '',
               'in_force', now(), now()
        FROM generate_series(0, {n * 4 - 1}) AS g""", params)
    sql_exec(f"""
        INSERT INTO approvals_application (tracking_number, item_id, applicant_kind, applicant_name, applicant_id_number,
            applicant_phone, received_on, status, due_on, due_provisional, decision, rejection_reason, decided_on,
            completed_on, rating_secret_hash, created_at, updated_at)
        SELECT 'B' || g, 1 + abs(hashint4(g + 4)) %% {n * 4}, 'person', '', '', '', day,
               CASE WHEN g %% 10 = 0 THEN 'under_review' ELSE 'completed' END, day + 14, false, '', '',
               CASE WHEN g %% 10 <> 0 THEN day + 14 + (abs(hashint4(g)) %% 10) - 8 END,
               CASE WHEN g %% 10 <> 0 THEN day + 14 + (abs(hashint4(g)) %% 10) - 8 END, '', now(), now()
        FROM generate_series(0, %(rows)s - 1) AS g,
             LATERAL (SELECT '2025-01-01'::date + (abs(hashint4(g + 3)) %% 699) AS day) AS d""",
             {**params, "rows": applications})
    sql_exec("""
        INSERT INTO approvals_rating (application_id, department_id, level, comment, created_at)
        SELECT a.id, i.department_id, 1 + abs(hashint4(a.id::int)) % 5, '', a.completed_on + 1
        FROM approvals_application a JOIN approvals_approvalitem i ON i.id = a.item_id
        WHERE a.status = 'completed' AND a.id % 2 = 0""")
    sql_exec("""
        INSERT INTO approvals_rectificationcase (rating_id, department_id, item_id, opened_on, working_days, due_on,
            due_provisional, status, outcome, closed_on, created_at, updated_at)
        SELECT r.id, i.department_id, i.id, r.created_at::date, 10, r.created_at::date + 14, false,
               CASE WHEN r.id % 5 = 0 THEN 'open' ELSE 'closed' END,
               CASE WHEN r.id % 5 = 0 THEN '' ELSE '已整改' END,
               CASE WHEN r.id % 5 <> 0 THEN r.created_at::date + (abs(hashint4(r.id::int)) % 20) END, now(), now()
        FROM approvals_rating r JOIN approvals_application a ON a.id = r.application_id
             JOIN approvals_approvalitem i ON i.id = a.item_id
        WHERE r.level <= 2""")
    filled = time.perf_counter() - started
    for table in TABLES:
        sql_exec(f"VACUUM (ANALYZE) {table}")
    counts = {table: sql_exec(f"SELECT count(*) FROM {table}")[0][0] for table in TABLES}
    print(f"filled in {filled:.1f} s: " + ", ".join(f"{t} {c:,}" for t, c in counts.items()))


def measure(label: str, fn, repeat: int, *, cold: bool = False) -> dict:
    """``cold``: the figures are computed every time (the cache emptied before each run), as
    on the first visit after they expired; otherwise read from the cache where they are kept."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm: plans, the first connection
    times = []
    for _ in range(repeat):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
    status = getattr(result, "status_code", "")
    print(f"{label:48} min {min(times) * 1000:7.1f} ms  median {statistics.median(times) * 1000:7.1f} ms"
          f"  queries {len(queries):3}  {status}")
    return {"label": label, "min": min(times), "median": statistics.median(times), "queries": len(queries)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--disclosures", type=int, default=100_000)
    parser.add_argument("--complaints", type=int, default=200_000)
    parser.add_argument("--applications", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-fill", dest="fill", action="store_false", help="time the data already there")
    parser.add_argument("--force", action="store_true", help="run even if the database name lacks 'bench'")
    args = parser.parse_args()

    import django

    db = database_settings()
    if "bench" not in db["NAME"] and not args.force:
        sys.exit(f"refusing to TRUNCATE tables of {db['NAME']!r}: use a database named *bench* (or --force)")
    ensure_database(db)
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from portal.models import Department
    from portal.roles import Role
    from portal import services

    call_command("migrate", interactive=False, verbosity=0)
    print(f"CPUs: {os.cpu_count()}; work_mem = {sql_exec('SHOW work_mem')[0][0]}; "
          f"{sql_exec('SELECT version()')[0][0].split(',')[0]}")
    if args.fill:
        fill(args.disclosures, args.complaints, args.applications)
    settings.ALLOWED_HOSTS = ["*"]
    user = get_user_model().objects.filter(username="bench-supervisor").first()
    if user is None:
        user = get_user_model().objects.create_user("bench-supervisor", password="bench-password")
        office, _ = Department.objects.get_or_create(code="bench-office", defaults={"name": "測試監察室"})
        services.staff_profile_save(actor=None, user=user, department=office, role=Role.SUPERVISOR)
    client = Client()
    client.force_login(user)
    year = 2026
    pages = [
        ("county overview /supervision/dashboard/", f"/supervision/dashboard/?year={year}"),
        ("overview sorted by an indicator", f"/supervision/dashboard/?year={year}&sort=supervision.complaints_on_time&dir=desc"),
        ("department drill-down", f"/supervision/dashboard/departments/bench-07/?year={year}"),
        ("records behind a figure", f"/supervision/dashboard/records/?indicator=supervision.complaints_on_time&department=bench-07&year={year}&counted=0"),
        ("overdue complaints of a department", "/supervision/dashboard/overdue/?kind=complaint&department=bench-07"),
        ("annual assessment", f"/supervision/assessment/?year={year}"),
        ("table export XLSX", f"/supervision/dashboard/?year={year}&format=xlsx"),
    ]
    from supervision import assessment, dashboard

    print("-- figures computed on every request (cold) --")
    results = [measure(label, lambda url=url: client.get(url), args.repeat, cold=True) for label, url in pages]
    results.append(measure("dashboard.build (no rendering)", lambda: dashboard.build(year), args.repeat, cold=True))
    results.append(measure("assessment.compute (no rendering)", lambda: assessment.compute(year), args.repeat, cold=True))
    print("-- figures read from the cache, as kept by supervision.refresh_figures (warm) --")
    results += [measure(label, lambda url=url: client.get(url), args.repeat) for label, url in pages]
    return results


if __name__ == "__main__":
    main()
