"""Write the county-scale sections of bench/RESULTS.md from ``bench/run.py``'s results.
Only the text between the ``scale:begin`` / ``scale:end`` markers is replaced, so the
other sections of the file (the deadline scan, the deadline simulation) stay as written."""

from __future__ import annotations

import os
import statistics
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BEGIN, END = "<!-- scale:begin (written by bench/run.py) -->", "<!-- scale:end -->"

UNCACHED_TARGET_MS = 50
SEARCH_P95_TARGET_MS = 100
CACHED_RATIO_TARGET = 0.5
SEARCH_RATIO_TARGET = 0.10
RSS_TARGET_MB = 250
REBUILD_TARGET_S, REBUILD_RSS_TARGET_MB = 120, 300
IMPORT_TARGET_S = 60
#: Load rows that are not pages (the yardsticks and the searches' own rows).
NOT_PAGES = ("trivial view", "static file", "search ×100 queries", "list ?q= ×100 queries")

SKELETON = f"""# Benchmark results

{BEGIN}
{END}

## Deadline scan at 1,000,000 open deadlines (`bench/reminder_scan.py`)

First scan of the day 2.2–2.7 s at 1,000,000 open deadlines (before issue 15); how to
run it and the plans in bench/README.md. The deadline simulation (issue 16) is added
below by its own script.
"""


BEFORE = [
    "### Before (the figures of issue 15, scale 1, measured before these changes)",
    "",
    "| page | cached | uncached | uncached, one request |",
    "|---|---|---|---|",
    "| `/disclosures/` page 1 | 30% | 0.07% | 552 ms (5 queries, 536 ms of SQL) |",
    "| `/disclosures/` page 2,500 / last page | 29% | 0.04% | 844 / 1,113 ms |",
    "| `/disclosures/?q=預算` | never cached | — | 11.7 s (救助: 53 s) |",
    "| `/` home | 35% | 0.15% | 196 ms |",
    "| `/disclosures/catalogue/` | 22% | 0.09% | 536 ms, 195 KB |",
    "| `/supervision/stats/` | 30% | 0.2% | 146 ms |",
    "| `/approvals/results/` | — | — | 216 ms |",
    "| `/search/?q=` over 62 queries | never cached | 0.6% | median 63 ms, p90 190 ms, worst 489 ms |",
    "| `/api/v1/disclosures/` (page 1 / page 1,000) | never cached | 0.15% | 200 / 369 ms (`?q=預算` 10 s) |",
    "| `/feeds/disclosures/` | never cached | 0.19% | 176 ms |",
    "| detail page | 9% | — | 4 ms |",
    "| approvals list / a service guide | 35% / 29% | 4.6% / 4.6% | 11 / 14 ms |",
    "",
    "Ratios are throughput as a share of the trivial view's in the same round.",
    "",
]


def _ratios(rounds: dict, name: str) -> list[float]:
    return [r["rps"] / t["rps"] for r, t in zip(rounds[name], rounds["trivial view"]) if t["rps"]]


def _mmm(values, fmt="{:.0%}") -> str:
    if not values:
        return "—"
    return " / ".join(fmt.format(v) for v in (min(values), statistics.median(values), max(values)))


def _ms(us) -> str:
    return f"{us / 1000:.0f}"


def _scale_section(label: str, result: dict) -> list[str]:
    lines = [f"### Scale {label}", ""]
    inproc = result.get("inprocess", {})
    lines += [
        "**Uncached, one request, in-process** (DEBUG off; the median of 15 renders after 3; SQL from Django's query log):",
        "",
        "| page | ms | target | queries | SQL ms | KB |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for name, row in inproc.items():
        target = row.get("target_ms", UNCACHED_TARGET_MS)
        ok = "✓" if row["ms_median"] < target else "**✗**"
        lines.append(f"| {name} `{row['address']}` | {row['ms_median']:.0f} | < {target} {ok} | {row['queries']} "
                     f"| {row['sql_ms_median']:.0f} | {row['bytes'] / 1024:.0f} |")
    lines += ["", "**Throughput as a ratio to the trivial view in the same round** (min / median / max over the rounds), "
              "and latency under load (p50 / p95 ms, median round); with the cache on, a search (`?q=`) is served "
              "from the worker's own copy once that worker has rendered it (never from Redis):", "",
              "| endpoint | cached: ratio | cached p50/p95 | uncached: ratio | uncached p50/p95 | errors |",
              "|---|---|---|---|---|---:|"]
    cached, uncached = result["modes"].get("cached", {}), result["modes"].get("uncached", {})
    for name in cached.get("rounds", {}):
        row = [name]
        for mode in (cached, uncached):
            rounds = mode.get("rounds", {})
            if name not in rounds:
                row += ["—", "—"]
                continue
            if name == "trivial view":
                rps = [r["rps"] for r in rounds[name]]
                row.append(f"{statistics.median(rps):.0f} req/s")
            else:
                row.append(_mmm(_ratios(rounds, name)))
            p50 = statistics.median(r["p50"] for r in rounds[name])
            p95 = statistics.median(r["p95"] for r in rounds[name])
            row.append(f"{_ms(p50)} / {_ms(p95)}")
        errors = sum(r["errors"] + r["status_errors"] for m in (cached, uncached) for r in m.get("rounds", {}).get(name, []))
        row.append(str(errors))
        lines.append("| " + " | ".join(row) + " |")
    search = result.get("search_latency", {})
    if search:
        lines += ["", f"**Search latency over {search['/search/']['queries']} distinct queries** (in-process, uncached; target p95 < {SEARCH_P95_TARGET_MS} ms):", "",
                  "| page | median ms | p95 ms | worst ms (query) |", "|---|---:|---:|---|"]
        for page, row in search.items():
            ok = "✓" if row["p95_ms"] < SEARCH_P95_TARGET_MS else "**✗**"
            lines.append(f"| `{page}?q=` | {row['median_ms']:.0f} | {row['p95_ms']:.0f} {ok} | {row['worst_ms']:.0f} ({row['worst_query']}) |")
    rss = [*cached.get("worker_rss_mb", []), *uncached.get("worker_rss_mb", [])]
    if rss:
        lines += ["", f"**gunicorn worker RSS after the run**: {', '.join(f'{v:.0f}' for v in rss)} MB "
                      f"(target < {RSS_TARGET_MB} MB {'✓' if max(rss) < RSS_TARGET_MB else '✗'})."]
    mixed = result.get("mixed")
    if mixed:
        lines += ["", f"**Mixed traffic, 50 connections, cache on**: {mixed['requests']} requests, {mixed['rps']:.0f} req/s, "
                      f"p50 {_ms(mixed['p50'])} ms, p95 {_ms(mixed['p95'])} ms, max {_ms(mixed['max'])} ms, "
                      f"socket errors {mixed['errors']}, non-2xx/3xx {mixed['status_errors']}; worker RSS after "
                      f"{', '.join(f'{v:.0f}' for v in mixed.get('worker_rss_mb', []))} MB."]
    return lines + [""]


def _movement(results: dict) -> list[str]:
    labels = list(results)
    if len(labels) < 2:
        return []
    first, last = labels[0], labels[-1]
    lines = [f"### From scale {first} to scale {last} (uncached, in-process ms; queries)", "",
             f"| page | scale {first} | scale {last} | queries {first} → {last} |", "|---|---:|---:|---|"]
    for name, row in results[last].get("inprocess", {}).items():
        before = results[first].get("inprocess", {}).get(name)
        if before:
            lines.append(f"| {name} | {before['ms_median']:.0f} | {row['ms_median']:.0f} | {before['queries']} → {row['queries']} |")
    return lines + [""]


def _mark(ok: bool) -> str:
    return "✓" if ok else "**✗**"


def _median_ratio(rounds: dict, name: str) -> float | None:
    ratios = _ratios(rounds, name) if name in rounds else []
    return statistics.median(ratios) if ratios else None


def _targets(results: dict, machine: dict) -> list[str]:
    """Issue 15's targets beside the figures of the largest scale, each marked met or not."""
    label = list(results)[-1]
    result = results[label]
    inproc = result.get("inprocess", {})
    public = {name: row for name, row in inproc.items() if "target_ms" not in row}
    staff = {name: row for name, row in inproc.items() if "target_ms" in row}
    rows = []
    if public:
        slowest = sorted(public.items(), key=lambda item: -item[1]["ms_median"])[:3]
        rows.append(("every public page and API list uncached < 50 ms",
                     "slowest: " + ", ".join(f"{name} {row['ms_median']:.0f} ms" for name, row in slowest),
                     slowest[0][1]["ms_median"] < UNCACHED_TARGET_MS))
    first = results[list(results)[0]].get("inprocess", {})
    if len(results) > 1 and public:
        moved = [name for name, row in inproc.items() if name in first and first[name]["queries"] != row["queries"]]
        rows.append(("a constant number of queries", f"from scale {list(results)[0]} to {label}: "
                     + (", ".join(moved) + " changed" if moved else "the same on every page"), not moved))
    search = result.get("search_latency", {})
    if search:
        rows.append((f"search p95 < {SEARCH_P95_TARGET_MS} ms over {next(iter(search.values()))['queries']} queries",
                     "; ".join(f"`{page}?q=` median {row['median_ms']:.0f}, p95 {row['p95_ms']:.0f} ms"
                               for page, row in search.items()),
                     all(row["p95_ms"] < SEARCH_P95_TARGET_MS for row in search.values())))
    cached = result["modes"].get("cached", {}).get("rounds", {})
    uncached = result["modes"].get("uncached", {}).get("rounds", {})
    for name in ("search ×100 queries", "list ?q= ×100 queries"):
        warm, cold = _median_ratio(cached, name), _median_ratio(uncached, name)
        if warm is not None:
            rows.append((f"{name}: ≥ {SEARCH_RATIO_TARGET:.0%} of the trivial view",
                         f"cache on (as deployed: each worker keeps the searches it rendered) {warm:.0%}; "
                         f"cache off {cold:.0%}" if cold is not None else f"cache on {warm:.0%}",
                         warm >= SEARCH_RATIO_TARGET))
    pages = {name: _median_ratio(cached, name) for name in cached if name not in NOT_PAGES}
    pages = {name: ratio for name, ratio in pages.items() if ratio is not None}
    if pages:
        lowest = sorted(pages.items(), key=lambda item: item[1])[:3]
        rows.append((f"cached pages ≥ {CACHED_RATIO_TARGET:.0%} of the trivial view (median of the rounds)",
                     "lowest: " + ", ".join(f"{name} {ratio:.0%}" for name, ratio in lowest),
                     lowest[0][1] >= CACHED_RATIO_TARGET))
    for name, row in staff.items():
        rows.append((f"{name} < {row['target_ms']} ms uncached", f"{row['ms_median']:.0f} ms",
                     row["ms_median"] < row["target_ms"]))
    rss = [*result["modes"].get("cached", {}).get("worker_rss_mb", []),
           *result["modes"].get("uncached", {}).get("worker_rss_mb", [])]
    if rss:
        rows.append((f"gunicorn worker RSS < {RSS_TARGET_MB} MB", f"at most {max(rss):.0f} MB", max(rss) < RSS_TARGET_MB))
    mixed = result.get("mixed")
    if mixed:
        errors = mixed["errors"] + mixed["status_errors"]
        rows.append(("mixed traffic at 50 connections, no error", f"{mixed['requests']:,} requests, {errors} errors",
                     errors == 0))
    rebuild = machine.get("rebuild")
    if rebuild:
        rows.append((f"`rebuild_search_index` < {REBUILD_TARGET_S} s, < {REBUILD_RSS_TARGET_MB} MB",
                     f"{rebuild['seconds']:.0f} s with `--jobs {rebuild['jobs']}`, largest process {rebuild['peak_rss_mb']:.0f} MB"
                     + ("" if rebuild["ok"] else " (the command failed)"),
                     rebuild["ok"] and rebuild["seconds"] < REBUILD_TARGET_S and rebuild["peak_rss_mb"] < REBUILD_RSS_TARGET_MB))
    imported = machine.get("import")
    if imported:
        rows.append((f"an import of 5,000 rows in a Celery task < {IMPORT_TARGET_S} s, with progress",
                     f"check {imported['check_s']:.0f} s, import {imported['import_s']:.0f} s "
                     f"({len(imported['import_progress'])} progress readings), worker peak "
                     f"{max(imported['worker_peak_rss_mb'].values())} MB",
                     imported["check_s"] < IMPORT_TARGET_S and imported["import_s"] < IMPORT_TARGET_S))
    elif "import" in machine:
        rows.append(("an import of 5,000 rows in a Celery task < 60 s", "`bench/import_speed.py` gave no figures", False))
    lines = [f"### Issue 15's targets at scale {label}", "", "| target | figure | |", "|---|---|---|"]
    lines += [f"| {target} | {figure} | {_mark(ok)} |" for target, figure, ok in rows]
    return lines + [""]


def write(results: dict, *, started: str, load, args: dict, machine: dict | None = None) -> None:
    machine = machine or {}
    body = [
        BEGIN, "",
        "## County scale (issue 15): pages and API under load, cached and uncached",
        "",
        f"Run {started} by `make bench` (`bench/run.py`): gunicorn with 2 sync workers and production settings "
        f"(DEBUG off, PostgreSQL, Redis), wrk from a separate process, {args['connections']} connections, "
        f"{args['seconds']} s per endpoint, {args['rounds']} rounds, endpoints interleaved with the trivial view and "
        f"a static file; load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} CPUs at the start"
        + (" — **the machine was shared with other runs**: absolute figures are noisy; the ratios to the trivial view "
           "measured in the same round are the figures to compare." if load[0] > 1.5 else " (nothing else running)."),
        "",
    ]
    if "cpu_yardstick_s" in machine:
        end = (f", {machine['cpu_yardstick_end_s']:.2f} s at the end" if "cpu_yardstick_end_s" in machine else "")
        body += [f"CPU yardstick: ten million additions in pure Python took {machine['cpu_yardstick_s']:.2f} s at the "
                 f"start{end} (the in-process ms figures scale with it from one machine to another).", ""]
    body += _targets(results, machine)
    body += BEFORE
    for label, result in results.items():
        body += _scale_section(label, result)
    body += _movement(results)
    body.append(END)
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else SKELETON
    if BEGIN not in text:
        text = SKELETON.split(BEGIN)[0] + BEGIN + "\n" + END + "\n\n" + text
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    RESULTS.write_text(head + "\n".join(body) + tail, encoding="utf-8")
