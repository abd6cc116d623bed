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
        "**Uncached, one request, in-process** (median of 5 renders; SQL from Django's query log):",
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


def write(results: dict, *, started: str, load, args: dict) -> None:
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
