#!/usr/bin/env python
"""Benchmark of the deadline engine (portal.reminders) on PostgreSQL.

Not a test: a standalone script that fills a *bench* database with N open deadlines
and times ``reminders.plan(today)`` and ``reminders.scan(today)``, counts their SQL
queries and prints the query plan of the heaviest query. See bench/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench \
        .venv/bin/python bench/reminder_scan.py --rows 10000 1000000

Two deadline kinds are scanned ("mixed kinds"):

* ``catalogue_obligation`` — the real kind registered by the disclosures app
  (``CatalogueEntry.next_due_on``, indexed);
* ``bench_request`` (default, ``--second-kind table``) — a bench-only kind over its own
  table ``bench_request`` (a model declared in this script, its table created with the
  schema editor in the bench database only: no migration, nothing in the project
  changes). Its ``due_on`` is indexed like ``next_due_on``. It stands for the kinds to
  come (requests for disclosure, complaints) that live in their own tables.
  ``--second-kind subset`` registers instead a kind over the SAME table, the monthly
  obligations only; ``--second-kind none`` scans the built-in kind alone.

``--rows`` is the number of open deadlines in all: with ``--second-kind table`` half are
catalogue obligations and half bench requests (plus 10 % answered, i.e. closed,
requests on top, which no scan may look at); otherwise all are catalogue obligations.
Due dates are spread uniformly over the year around TODAY (2026-12-07, a Monday):
from TODAY - 182 to TODAY + 182 days, in no correlation with the physical row order.

The script TRUNCATEs the deadline and reminder tables of the database it is given, so
it refuses to run unless the database name contains "bench" (or --force).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
if not os.environ.get("SECRET_KEY") and not os.environ.get("DEBUG"):
    os.environ["DEBUG"] = "1"  # the settings refuse to start without a key otherwise

TODAY = dt.date(2026, 12, 7)  # a Monday
HALF_YEAR = 182
DEPARTMENTS = 20


# --- database ---------------------------------------------------------------------


def database_settings() -> dict:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        sys.exit(
            f"refusing to run on {db['ENGINE']}: this benchmark needs PostgreSQL. Set DATABASE_URL, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai_bench"
        )
    return db


def server_connection(db: dict):
    """A psycopg2 connection to the server's ``postgres`` database (autocommit)."""
    import psycopg2

    conn = psycopg2.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )
    conn.autocommit = True
    return conn


def ensure_database(db: dict) -> None:
    from psycopg2 import sql

    conn = server_connection(db)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
            if cur.fetchone() is None:
                print(f"creating database {db['NAME']}")
                cur.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                        sql.Identifier(db["NAME"])
                    )
                )
    finally:
        conn.close()


def drop_database(db: dict) -> None:
    from django.db import connections
    from psycopg2 import sql

    connections.close_all()
    conn = server_connection(db)
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db["NAME"])))
    finally:
        conn.close()
    print(f"dropped database {db['NAME']}")


def sql_exec(statement: str, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


# --- the second deadline kind -------------------------------------------------------

BenchRequest = None


def declare_bench_model():
    """A bench-only model (app label "bench", not installed: no migration, no admin)."""
    global BenchRequest
    from django.db import models

    class BenchRequest(models.Model):  # declared once, after django.setup()
        department = models.ForeignKey("portal.Department", on_delete=models.DO_NOTHING, related_name="+")
        subject = models.CharField(max_length=200)
        received_on = models.DateField()
        answered_on = models.DateField(null=True, blank=True)
        due_on = models.DateField(db_index=True)

        class Meta:
            app_label = "bench"
            db_table = "bench_request"

        def __str__(self):
            return self.subject

    return BenchRequest


def create_bench_table():
    from django.db import connection

    sql_exec("DROP TABLE IF EXISTS bench_request")
    with connection.schema_editor() as editor:
        editor.create_model(BenchRequest)


def register_second_kind(mode: str) -> list[str]:
    from disclosures.models import CatalogueEntry
    from portal import deadlines

    deadlines.unregister("bench_request")
    deadlines.unregister("catalogue_monthly")
    if mode == "table":
        deadlines.register(
            deadlines.DeadlineKind(
                name="bench_request",
                label="request for disclosure (bench)",
                open_items=lambda: BenchRequest.objects.filter(answered_on__isnull=True),
                department=lambda item: item.department,
                due_field="due_on",
            )
        )
    elif mode == "subset":
        deadlines.register(
            deadlines.DeadlineKind(
                name="catalogue_monthly",
                label="monthly catalogue obligation (bench)",
                open_items=lambda: CatalogueEntry.objects.active().filter(
                    next_due_on__isnull=False, cadence="monthly"
                ),
                department=lambda entry: entry.department,
                due_field="next_due_on",
            )
        )
    return [kind.name for kind in deadlines.kinds()]


# --- data ---------------------------------------------------------------------------


def setup_reference_data():
    from disclosures.models import Category
    from portal.models import Department

    departments = [
        Department.objects.get_or_create(
            code=f"bench-{i:02d}", defaults={"name": f"Bench department {i:02d}", "kind": Department.Kind.BUREAU}
        )[0].pk
        for i in range(1, DEPARTMENTS + 1)
    ]
    category = Category.objects.get_or_create(code="bench", defaults={"name": "Bench category"})[0].pk
    return departments, category


HISTORY_OBJECTS = 1_000_000_000  # object ids of the history rows: far above any open item


def fill_history(count: int, kinds: list[str]) -> int:
    """Reminders recorded and sent in earlier months, for items closed since (``count`` rows,
    five stages per item). Returns the highest id: rows above it are this run's own."""
    sql_exec(
        """
        INSERT INTO portal_reminder
            (kind, object_id, stage, audience, due_on, state, attempts, last_error, created_at, sent_at)
        SELECT (%(kinds)s::varchar[])[1 + (g / 5) %% cardinality(%(kinds)s::varchar[])],
               %(base)s + g / 5,
               (ARRAY['before-3', 'before-1', 'due', 'overdue-1', 'overdue-5'])[1 + g %% 5],
               'responsible', %(today)s::date - 40 - (g / 5) %% 700, 'sent', 1, '',
               now() - interval '40 days', now() - interval '40 days'
        FROM generate_series(0, %(n)s - 1) AS g
        """,
        {"kinds": kinds, "base": HISTORY_OBJECTS, "today": TODAY, "n": count},
    )
    sql_exec("VACUUM (ANALYZE) portal_reminder")
    return sql_exec("SELECT coalesce(max(id), 0) FROM portal_reminder")[0][0]


def fill(rows: int, mode: str, departments: list[int], category: int) -> dict:
    """TRUNCATE and refill the deadline tables with set-based SQL; VACUUM ANALYZE them."""
    tables = ["portal_reminder", "disclosures_catalogueentry"] + (["bench_request"] if mode == "table" else [])
    sql_exec(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    catalogue_rows = rows - rows // 2 if mode == "table" else rows
    request_rows = rows // 2 if mode == "table" else 0
    # Pseudo-random but reproducible: hashint4(g) scatters due dates over the year,
    # uncorrelated with the physical order of the rows (the realistic, unkind case).
    due = "(%(today)s::date - %(half)s + (((hashint4(g)::bigint %% 365) + 365) %% 365)::int)"
    params = {"today": TODAY, "half": HALF_YEAR, "departments": departments, "category": category}
    started = time.perf_counter()
    sql_exec(
        f"""
        INSERT INTO disclosures_catalogueentry
            (department_id, category_id, title, legal_basis, scope, channels, cadence, days_allowed,
             active, next_due_on, due_provisional, created_at, updated_at)
        SELECT (%(departments)s::bigint[])[1 + g %% {len(departments)}], %(category)s,
               'bench obligation ' || g, 'bench', 'public', '["website"]'::jsonb,
               (ARRAY['standing', 'monthly', 'quarterly', 'yearly'])[1 + (hashint4(g + 7)::bigint & 3)],
               20, true, {due}, false, now(), now()
        FROM generate_series(1, %(n)s) AS g
        """,
        {**params, "n": catalogue_rows},
    )
    if request_rows:
        closed = request_rows // 10
        sql_exec(
            f"""
            INSERT INTO bench_request (department_id, subject, received_on, answered_on, due_on)
            SELECT (%(departments)s::bigint[])[1 + g %% {len(departments)}], 'bench request ' || g,
                   {due} - 28,
                   CASE WHEN g > %(open)s THEN {due} - 3 END,
                   {due}
            FROM generate_series(1, %(n)s) AS g
            """,
            {**params, "n": request_rows + closed, "open": request_rows},
        )
    fill_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for table in tables:
        sql_exec(f"VACUUM (ANALYZE) {table}")
    counts = {"catalogue_obligation (open)": catalogue_rows}
    if request_rows:
        counts["bench_request (open)"] = request_rows
        counts["bench_request (answered)"] = request_rows // 10
    if mode == "subset":
        counts["catalogue_monthly (open)"] = sql_exec(
            "SELECT count(*) FROM disclosures_catalogueentry WHERE cadence = 'monthly'"
        )[0][0]
    size = sql_exec(
        "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c WHERE c.relname = ANY(%s)",
        [tables],
    )[0][0]
    print(
        f"  filled {rows:,} open deadlines in {fill_seconds:.1f} s, VACUUM ANALYZE {time.perf_counter() - started:.1f} s;"
        f" tables {size}"
    )
    for name, count in counts.items():
        print(f"    {name:32} {count:>10,}")
    return counts


# --- measuring ----------------------------------------------------------------------


def timed(fn, repeat: int, before=None) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        if before is not None:
            before()
        gc.collect()
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result


def fmt(times: list[float]) -> str:
    return f"min {min(times):7.3f} s   median {statistics.median(times):7.3f} s   (n={len(times)})"


def captured(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return list(ctx.captured_queries), result


def summarize(queries: list[dict]) -> str:
    kinds: dict[str, int] = {}
    for q in queries:
        verb = q["sql"].lstrip().split(None, 1)[0].upper()
        kinds[verb] = kinds.get(verb, 0) + 1
    return ", ".join(f"{verb} {n}" for verb, n in sorted(kinds.items()))


def stage_queries(queries: list[dict]) -> list[dict]:
    """The per-kind, per-stage SELECTs of plan() (the ones with the reminder anti-join)."""
    return [q for q in queries if q["sql"].lstrip().upper().startswith("SELECT") and '"portal_reminder" U0' in q["sql"]]


def heaviest_select(queries: list[dict], table: str = "disclosures_catalogueentry") -> dict:
    return max((q for q in stage_queries(queries) if f'FROM "{table}"' in q["sql"]), key=lambda q: float(q["time"]))


def check_all_stage_plans(queries: list[dict]) -> bool:
    """EXPLAIN every per-stage query; True if none reads a deadline table sequentially."""
    ok = True
    print("\n  scan nodes of every per-stage query (EXPLAIN):")
    for q in stage_queries(queries):
        kind = re.search(r'U0\."kind" = \'([^\']*)\'', q["sql"]).group(1)
        stage = re.search(r'U0\."stage" = \'([^\']*)\'', q["sql"]).group(1)
        table = re.search(r'FROM "([^"]+)"', q["sql"]).group(1)
        nodes = scans_in(explain_only(q["sql"]))
        on_table = [n for n in nodes if f" {table}" in n or n.endswith(table)]
        rows = sql_exec("SELECT count(*) FROM (SELECT 1 FROM %s LIMIT 10000) t" % connection_quote(table))[0][0]
        seq = any(n.startswith("Seq Scan") for n in on_table)
        note = ""
        if seq and rows < 10000:
            note = f"   (table of {rows} rows: a sequential scan is right)"
        elif seq:
            ok, note = False, "   <-- SEQ SCAN over a large table"
        print(f"    {kind:22} {stage:10} {float(q['time']) * 1000:6.0f} ms  {'; '.join(on_table) or '(no scan node)'}"
              + note)
    return ok


def explain(sql: str) -> list[str]:
    return [row[0] for row in sql_exec("EXPLAIN (ANALYZE, BUFFERS) " + sql)]


def connection_quote(name: str) -> str:
    from django.db import connection

    return connection.ops.quote_name(name)


def explain_only(sql: str) -> list[str]:
    return [row[0] for row in sql_exec("EXPLAIN " + sql)]


def scans_in(plan: list[str]) -> list[str]:
    found = []
    for line in plan:
        match = re.search(r"(Seq Scan on \S+|Index Only Scan using \S+ on \S+|Index Scan using \S+ on \S+|"
                          r"Bitmap Index Scan on \S+)", line)
        if match:
            found.append(match.group(1))
    return found


def by_stage(planned) -> str:
    counts: dict[tuple[str, str], int] = {}
    for p in planned:
        counts[(p.kind, p.stage)] = counts.get((p.kind, p.stage), 0) + 1
    return "\n".join(f"    {kind:22} {stage:11} {n:>9,}" for (kind, stage), n in sorted(counts.items()))


def not_in_variant(sql: str) -> str | None:
    """The same query written the old way, ``NOT IN`` instead of ``NOT EXISTS``: the
    ``(object_id, due_on)`` pairs recorded for the kind and stage (the unique key has had
    the due date; Django writes the conditions in keyword order)."""
    match = re.search(r'NOT EXISTS\(SELECT 1 AS "a" FROM "portal_reminder" U0 WHERE \((.*?)\) LIMIT 1\)', sql)
    if not match:
        return None
    conditions = dict(re.findall(r'U0\."(\w+)" = (\([^)]*\)|\'[^\']*\')', match.group(1)))
    if not {"kind", "stage", "object_id"} <= set(conditions):
        return None
    outer = [conditions["object_id"].strip("()")]
    inner = ['U0."object_id"']
    if "due_on" in conditions:
        outer.append(conditions["due_on"].strip("()"))
        inner.append('U0."due_on"')
    replacement = (f'NOT (({", ".join(outer)}) IN (SELECT {", ".join(inner)} FROM "portal_reminder" U0 '
                   f'WHERE U0."kind" = {conditions["kind"]} AND U0."stage" = {conditions["stage"]}))')
    return sql[:match.start()] + replacement + sql[match.end():]


def compare_not_in(query: dict, timeout_s: int) -> None:
    variant = not_in_variant(query["sql"])
    if variant is None:
        print("    (no NOT EXISTS found to compare)")
        return
    plan = [row[0] for row in sql_exec("EXPLAIN " + variant)]
    subplans = [line.strip() for line in plan if "SubPlan" in line and "Filter" in line]
    cost = re.search(r"cost=[0-9.]+\.\.([0-9.]+)", plan[0]).group(1)
    print(f"\n  the same query written as before, NOT (id IN (SELECT object_id …)): estimated cost {cost}; "
          + ("; ".join(subplans) or plan[0]))
    from django.db import OperationalError, connection, transaction

    started = time.perf_counter()
    try:
        with transaction.atomic():
            sql_exec(f"SET LOCAL statement_timeout = '{timeout_s}s'")
            with connection.cursor() as cursor:
                cursor.execute(variant)
                rows = len(cursor.fetchall())
        print(f"    ran in {time.perf_counter() - started:.3f} s ({rows:,} rows)")
    except OperationalError as error:
        print(f"    cancelled after {time.perf_counter() - started:.0f} s: {str(error).strip().splitlines()[0]}")


def short(sql: str, limit: int = 900) -> str:
    sql = " ".join(sql.split())
    sql = re.sub(r"'\d{4}-\d{2}-\d{2}'::date(, '\d{4}-\d{2}-\d{2}'::date)+", "<dates>", sql)
    return sql if len(sql) <= limit else sql[:limit] + " …"


def show_plan(title: str, query: dict) -> list[str]:
    plan = explain(query["sql"])
    print(f"\n  {title} ({float(query['time']) * 1000:.0f} ms when captured):")
    print("    SQL: " + short(query["sql"]))
    for line in plan:
        print("    | " + line)
    used = scans_in(plan)
    print("    scans: " + "; ".join(used))
    return used


def run_size(rows: int, args, departments, category) -> dict:
    from portal import reminders
    from portal.models import Reminder

    print(f"\n=== {rows:,} open deadlines ===")
    fill(rows, args.second_kind, departments, category)
    if args.history:
        started = time.perf_counter()
        filled = {"table": ["bench_request"], "subset": ["catalogue_monthly"], "none": []}[args.second_kind]
        history_top = fill_history(args.history, ["catalogue_obligation", *filled])
        print(f"  history: {args.history:,} sent reminders of closed items in portal_reminder"
              f" ({time.perf_counter() - started:.1f} s)")

        def truncate_reminders():  # keep the history, drop this run's rows
            sql_exec("DELETE FROM portal_reminder WHERE id > %s", [history_top])
            sql_exec("VACUUM (ANALYZE) portal_reminder")
    else:
        def truncate_reminders():
            sql_exec("TRUNCATE portal_reminder RESTART IDENTITY")
    result = {"rows": rows}

    # Warm-up: creates the ReminderRule rows, loads the calendar package and caches.
    reminders.plan(TODAY)

    # plan(): reads only.
    times, planned = timed(lambda: reminders.plan(TODAY), args.repeat)
    result["planned"] = len(planned)
    result["plan"] = times
    plan_queries, _ = captured(lambda: reminders.plan(TODAY))
    result["plan_queries"] = len(plan_queries)
    print(f"  plan(today)               {fmt(times)}   -> {len(planned):,} reminders due, {len(plan_queries)} queries")
    print(by_stage(planned))

    # scan(): the first scan of the day records every planned reminder.
    times, recorded = timed(lambda: reminders.scan(TODAY), args.repeat, before=truncate_reminders)
    result["scan1"] = times
    stored = Reminder.objects.count() - args.history
    assert stored == len(recorded) == len(planned), (stored, len(recorded), len(planned))
    truncate_reminders()
    scan1_queries, _ = captured(lambda: reminders.scan(TODAY))
    result["scan1_queries"] = len(scan1_queries)
    print(
        f"  scan(today), first run    {fmt(times)}   -> {len(recorded):,} Reminder rows written, "
        f"{len(scan1_queries)} queries ({summarize(scan1_queries)})"
    )

    for q in sorted(scan1_queries, key=lambda q: -float(q["time"]))[:3]:
        print(f"      slowest: {float(q['time']) * 1000:6.0f} ms  {short(q['sql'], 110)}")

    # scan() again, the same day: finds every reminder recorded and writes nothing.
    times, again = timed(lambda: reminders.scan(TODAY), args.repeat)
    result["scan2"] = times
    scan2_queries, again_captured = captured(lambda: reminders.scan(TODAY))
    result["scan2_queries"] = len(scan2_queries)
    assert again == again_captured == [] and Reminder.objects.count() - args.history == stored
    print(
        f"  scan(today), second run   {fmt(times)}   -> {len(again)} recorded (Reminder rows still {stored:,}), "
        f"{len(scan2_queries)} queries ({summarize(scan2_queries)})"
    )

    # As the Celery beat task runs it: with enqueue (also reads the pending ids).
    ids_seen = []
    times, _ = timed(
        lambda: reminders.scan(TODAY, enqueue=ids_seen.append), min(args.repeat, 3), before=truncate_reminders
    )
    result["scan_enqueue"] = times
    print(
        f"  scan(today, enqueue=…)    {fmt(times)}   -> {len(ids_seen[-1]) if ids_seen else 0:,} ids handed to"
        " enqueue"
    )

    if args.explain:
        # The heaviest query of plan() with nothing recorded yet, and with everything
        # recorded (the second scan: the anti-join against portal_reminder matters there).
        truncate_reminders()
        sql_exec("ANALYZE portal_reminder")
        result["scans_empty"] = show_plan(
            "heaviest catalogue_obligation query of plan(), no reminders recorded yet", heaviest_select(plan_queries)
        )
        reminders.scan(TODAY)
        sql_exec("ANALYZE portal_reminder")
        second, _ = captured(lambda: reminders.plan(TODAY))
        heaviest = heaviest_select(second)
        result["scans_recorded"] = show_plan(
            "heaviest catalogue_obligation query of plan(), every reminder recorded (second scan)", heaviest
        )
        result["index_only"] = check_all_stage_plans(second)
        compare_not_in(heaviest, args.not_in_timeout)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 1_000_000],
                        help="open deadlines in all; several sizes are run one after the other")
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions of each measurement")
    parser.add_argument("--history", type=int, default=0, metavar="N",
                        help="N earlier reminders (sent, items since closed) in portal_reminder while timing")
    parser.add_argument("--not-in-timeout", type=int, default=60, metavar="S",
                        help="statement_timeout for running the former NOT IN form of the heaviest query")
    parser.add_argument("--second-kind", choices=["table", "subset", "none"], default="table")
    parser.add_argument("--no-explain", dest="explain", action="store_false", help="skip EXPLAIN ANALYZE")
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    parser.add_argument("--force", action="store_true", help="run even if the database name lacks 'bench'")
    args = parser.parse_args()

    import django

    db = database_settings()
    if "bench" not in db["NAME"] and not args.force:
        sys.exit(f"refusing to TRUNCATE tables of {db['NAME']!r}: use a database named *bench* (or --force)")
    ensure_database(db)
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"database {db['NAME']} on {db.get('HOST') or 'local socket'}:{db.get('PORT') or 5432}"
          f" migrated in {time.perf_counter() - started:.1f} s; {connection.cursor().connection.server_version}")
    print(f"today = {TODAY} ({TODAY:%A}); CPUs: {os.cpu_count()}; work_mem = {sql_exec('SHOW work_mem')[0][0]}")

    declare_bench_model()
    if args.second_kind == "table":
        create_bench_table()
    print("kinds scanned: " + ", ".join(register_second_kind(args.second_kind)))
    departments, category = setup_reference_data()

    results = [run_size(rows, args, departments, category) for rows in args.rows]

    print("\n=== summary ===")
    print(f"{'rows':>10} {'due':>8} {'plan min/med s':>16} {'scan#1 min/med s':>17} {'scan#2 min/med s':>17}"
          f" {'queries plan/scan#1/scan#2':>27}")
    for r in results:
        mm = lambda t: f"{min(t):.3f}/{statistics.median(t):.3f}"  # noqa: E731
        print(f"{r['rows']:>10,} {r['planned']:>8,} {mm(r['plan']):>16} {mm(r['scan1']):>17} {mm(r['scan2']):>17}"
              f" {r['plan_queries']:>9}/{r['scan1_queries']}/{r['scan2_queries']}")
    if len(results) > 1:
        same = len({(r["plan_queries"], r["scan1_queries"], r["scan2_queries"]) for r in results}) == 1
        print(f"plan() and scan() query counts equal at every size: {same}")
    if args.explain:
        print("no sequential scan over a large deadline table in any per-stage query: "
              + str(all(r["index_only"] for r in results)))
    if args.drop:
        drop_database(db)


if __name__ == "__main__":
    main()
