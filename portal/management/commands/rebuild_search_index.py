"""Rebuild the search index from every registered source (or the named ones)."""

from django.core.management.base import BaseCommand

from portal import search


class Command(BaseCommand):
    help = "Rebuild the search index from the rows each search source offers (portal.search)."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="*", help="Source names (default: all).")

    def handle(self, *args, sources=None, **options):
        counts = search.rebuild(sources or None)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} indexed")
