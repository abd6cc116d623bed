"""Render each benchmarked page in-process, uncached, and report its time, its SQL
queries and their time (part of ``make bench``; bench/README.md).

    DATABASE_URL=postgres://…/gongkai_bench_scale .venv/bin/python bench/pages.py [--repeat 15] [--warm 3] [--json out.json]

``make bench`` runs it with the gunicorn workers' settings (DEBUG off, ``bench.run._env``).
Each page: ``--warm`` renders first (the first of a process builds its URL resolver and
templates; the next ones fill the database's and the process's caches), then the median of
``--repeat``. On this shared 2-core machine five renders were not enough: one run's median
of 5 was 54 ms where 15 renders of the same page gave 42.5 (session 8).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")  # the test client's host; queries are captured whatever DEBUG is
os.environ["GONGKAI_PAGE_CACHE_SECONDS"] = "0"  # every page rendered


def pages() -> list[tuple[str, str]]:
    """(label, address) of every measured page, found in the data (ids, codes)."""
    from approvals.models import ApprovalItem
    from disclosures.models import Disclosure, PublicTotal
    from portal import search

    total = PublicTotal.objects.filter(name="public").values_list("count", flat=True).first() or 0
    last = max(1, -(-total // 20))
    detail = Disclosure.objects.filter(current_public=True).order_by("pk").values_list("pk", flat=True)[total // 2]
    item = ApprovalItem.objects.order_by("pk").values_list("code", flat=True).first()
    found = [
        ("home", "/"),
        ("disclosures p1", "/disclosures/"),
        ("disclosures p2500", f"/disclosures/?page={min(2500, last)}"),
        ("disclosures last", f"/disclosures/?page={last}"),
        ("disclosures ?category=finance", "/disclosures/?category=finance"),
        ("disclosures ?department=finance&year", "/disclosures/?department=finance&year=2020"),
        ("disclosures ?q=預算", "/disclosures/?q=預算"),
        ("disclosures ?q=救助", "/disclosures/?q=救助"),
        ("disclosures ?q=救助&sort=relevance", "/disclosures/?q=救助&sort=relevance"),
        ("catalogue", "/disclosures/catalogue/"),
        ("detail", f"/disclosures/{detail}/"),
        ("supervision stats", "/supervision/stats/"),
        ("approvals list", "/approvals/"),
        ("approvals results", "/approvals/results/"),
        ("service guide", f"/approvals/{item}/"),
        ("search 救助", "/search/?q=救助"),
        ("search 政務公開", "/search/?q=政務公開"),
        ("api disclosures p1", "/api/v1/disclosures/"),
        ("api disclosures p1000", f"/api/v1/disclosures/?page={min(1000, max(1, -(-total // 50)))}"),
        ("api ?q=預算", "/api/v1/disclosures/?q=預算"),
        ("feed", "/feeds/disclosures/"),
    ]
    del search
    return found


#: Staff pages measured too, with their own targets (issue 15): the compliance dashboard,
#: its figures computed for the request (the figures' cache emptied before each render).
def staff_pages() -> list[tuple[str, str, int]]:
    from portal.models import Department

    code = Department.objects.order_by("code").values_list("code", flat=True).first()
    return [
        ("dashboard overview (supervisor)", "/supervision/dashboard/", 300),
        ("dashboard drill-down (supervisor)", f"/supervision/dashboard/departments/{code}/", 200),
    ]


def supervisor():
    """The bench's supervisor (created in the bench database the first time)."""
    from django.contrib.auth import get_user_model

    from portal import services
    from portal.models import Department
    from portal.roles import Role

    user = get_user_model().objects.filter(username="bench-supervisor").first()
    if user is None:
        user = get_user_model().objects.create_user("bench-supervisor", password=None)
        office = Department.objects.order_by("code").first()
        services.staff_profile_save(actor=None, user=user, department=office, role=Role.SUPERVISOR)
    return user


def measure(client, address: str, repeat: int, *, cold: bool = False) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, sql = [], []
    for _ in range(repeat):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(address)
            elapsed = time.perf_counter() - started
        times.append(elapsed * 1000)
        sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    return {
        "status": response.status_code, "bytes": len(response.content), "queries": len(captured.captured_queries),
        "ms_min": min(times), "ms_median": statistics.median(times), "sql_ms_median": statistics.median(sql),
        "slowest": sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[0]["sql"][:300] if captured.captured_queries else "",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--warm", type=int, default=3, help="Renders of each page before it is measured.")
    parser.add_argument("--json")
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--slowest", action="store_true", help="Print each page's slowest query.")
    args = parser.parse_args()
    import django

    django.setup()
    from django.test import Client

    import portal.wsgi  # noqa: F401 - the web process's start-up: jieba loaded, what it loaded frozen (gc)
    client = Client(HTTP_HOST="localhost")
    results = {}
    for label, address in pages():
        if args.only and not any(word in label for word in args.only):
            continue
        for _ in range(args.warm):
            client.get(address)
        result = measure(client, address, args.repeat)
        results[label] = {"address": address, **result}
        print(f"{label:<38} {result['status']} {result['ms_median']:8.1f} ms (min {result['ms_min']:.1f})  "
              f"{result['queries']:3d} queries {result['sql_ms_median']:7.1f} ms SQL  {result['bytes'] / 1024:6.1f} KB")
        if args.slowest:
            print("      ", result["slowest"])
    staff = Client(HTTP_HOST="localhost")
    staff.force_login(supervisor())
    for label, address, target in staff_pages():
        if args.only and not any(word in label for word in args.only):
            continue
        for _ in range(args.warm):
            staff.get(address)
        result = measure(staff, address, args.repeat, cold=True)
        results[label] = {"address": address, "target_ms": target, **result}
        print(f"{label:<38} {result['status']} {result['ms_median']:8.1f} ms (min {result['ms_min']:.1f})  "
              f"{result['queries']:3d} queries {result['sql_ms_median']:7.1f} ms SQL  (target {target} ms)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
