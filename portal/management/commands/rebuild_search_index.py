"""Rebuild the search index from every registered source (or the named ones)."""

import sys
import time

from django.core.management.base import BaseCommand

from portal import search


class Command(BaseCommand):
    help = "Rebuild the search index from the rows each search source offers (portal.search)."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="*", help="Source names (default: all).")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--no-progress", action="store_true", help="No progress bar on standard error.")
        parser.add_argument("--jobs", type=int, default=1,
                            help="Processes indexing at once (one per CPU the database server can spare).")

    def handle(self, *args, sources=None, batch_size=500, no_progress=False, jobs=1, **options):
        started = time.perf_counter()
        counts = search.rebuild(sources or None, batch_size=batch_size, progress=None if no_progress else self._progress,
                                jobs=max(1, jobs))
        if not no_progress:
            sys.stderr.write("\n")
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} indexed")
        self.stdout.write(f"in {time.perf_counter() - started:.1f} s")

    def _progress(self, source: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        sys.stderr.write(f"\r{source:<28} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}")
        sys.stderr.flush()
