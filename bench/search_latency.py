"""Time each given query on ``/search/`` and on the disclosures list's ``?q=``, rendered
in-process and uncached: median, p95 and worst over the queries (part of ``make bench``)."""

import json
import os
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["GONGKAI_PAGE_CACHE_SECONDS"] = "0"


def main(queries):
    import django

    django.setup()
    from django.test import Client

    import portal.wsgi  # noqa: F401 - the web process's start-up: jieba loaded, what it loaded frozen (gc)
    client = Client(HTTP_HOST="localhost")
    result = {}
    for page in ("/search/", "/disclosures/"):
        client.get(page + "?q=" + urllib.parse.quote(queries[0]))
        times = {}
        for query in queries:
            started = time.perf_counter()
            client.get(page + "?q=" + urllib.parse.quote(query))
            times[query] = (time.perf_counter() - started) * 1000
        ordered = sorted(times.values())
        worst = max(times, key=times.get)
        result[page] = {
            "queries": len(times), "median_ms": statistics.median(ordered),
            "p95_ms": ordered[max(0, round(0.95 * len(ordered)) - 1)], "worst_ms": times[worst], "worst_query": worst,
        }
    print("JSON " + json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
