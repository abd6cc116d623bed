"""Generate a county's ten years of data for the benchmarks (issue 15; bench/README.md)."""

import os
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from portal import bench_data
from portal.demo import DEPARTMENTS
from portal.models import Department

TOWNSHIPS = "東西南北中上下新老大小"
PLACES = "河山莊林橋溝坪灣壩嶺"


class Command(BaseCommand):
    help = (
        "Fill an empty database with a county's ten years of data: at --scale 1, 50 departments, 100,000 "
        "disclosures, 3,000 approval items, 10,000 fee items, 200,000 applications, 200,000 complaints; then "
        "build the search index. Deterministic (--seed). For benchmarks only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=15)
        parser.add_argument("--no-index", action="store_true", help="Leave the search index out.")
        parser.add_argument("--force", action="store_true", help="Even if the database name has no 'bench' in it.")

    def handle(self, *args, scale, seed, no_index, force, **options):
        if "bench" not in connection.settings_dict["NAME"] and not force:
            raise CommandError("This fills the database with invented data: use a database named *bench* (or --force).")
        if scale <= 0 or scale > 10:
            raise CommandError("--scale must be in (0, 10].")
        county = bench_data.County(scale=scale, seed=seed)
        started = time.perf_counter()
        with transaction.atomic():
            county.shared["departments"] = self._departments(county)
            for name, generate in bench_data.generators():
                began = time.perf_counter()
                rows = generate(county)
                self.stdout.write(f"{name}: {rows:,} rows in {time.perf_counter() - began:.1f} s")
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                # VACUUM sets the visibility map (index-only scans from the start). Not in a
                # transaction (a test's): ANALYZE's row counts would outlive its rollback.
                cursor.execute("VACUUM ANALYZE")
        if not no_index:
            began = time.perf_counter()
            # A process per CPU, unless in a transaction (a test's), which other processes cannot read.
            jobs = 1 if connection.in_atomic_block else min(4, os.cpu_count() or 1)
            call_command("rebuild_search_index", stdout=self.stdout, jobs=jobs)
            self.stdout.write(f"search index in {time.perf_counter() - began:.1f} s")
        self.stdout.write(self.style.SUCCESS(f"Bench county at scale {scale} in {time.perf_counter() - started:.1f} s."))

    def _departments(self, county) -> list[Department]:
        """The demo county's departments, then townships up to 50 at scale 1."""
        for code, name, kind, parent, duties, address, phone, window in DEPARTMENTS:
            Department.objects.get_or_create(code=code, defaults={
                "name": name, "kind": kind, "duties": duties, "address": address, "phone": phone,
                "parent": Department.objects.filter(code=parent).first() if parent else None,
            })
        wanted, n = county.count(50, minimum=len(DEPARTMENTS) + 1), 0
        while Department.objects.count() < wanted:
            name = f"{TOWNSHIPS[n % len(TOWNSHIPS)]}{PLACES[n // len(TOWNSHIPS) % len(PLACES)]}鄉人民政府"
            Department.objects.get_or_create(code=f"township-{n:02d}", defaults={"name": name, "kind": Department.Kind.TOWNSHIP})
            n += 1
        return list(Department.objects.order_by("pk"))
