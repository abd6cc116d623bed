"""``make bench``: the site under load, as deployed, against a trivial view in the same
run (issue 15; bench/README.md has how to run it and what it measures).

For each database given (scale 0.1, scale 1): gunicorn (2 sync workers, production
settings: DEBUG off, PostgreSQL, Redis) serving ``bench.wsgi``; wrk (a separate process)
loads each endpoint for a few seconds, endpoints interleaved with the trivial view and a
static file, over several rounds, with the page cache warm and then off; the in-process
render of every page (``bench/pages.py``, first, on a quiet machine) gives queries and SQL
time; then the workers' memory. After the scales, on the last database:
``rebuild_search_index`` timed, and the largest import (``bench/import_speed.py``). A CPU
yardstick (a pure-Python loop) makes runs on different machines comparable. Results go to
``bench/RESULTS.md`` (the sections this script owns) and ``bench/results-<scale>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PORT = int(os.environ.get("BENCH_PORT", "8615"))
BASE = f"http://127.0.0.1:{PORT}"


def _env(database_url: str, cache_seconds: int, static_root: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings", DEBUG="0", SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost", DATABASE_URL=database_url,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
        GONGKAI_PAGE_CACHE_SECONDS=str(cache_seconds), STATIC_ROOT=static_root, WEB_CONCURRENCY="2",
        GUNICORN_BIND=f"127.0.0.1:{PORT}", SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0",
    )
    return env


class Server:
    def __init__(self, env: dict):
        self.env = env

    def __enter__(self):
        self.process = subprocess.Popen(
            [GUNICORN, "bench.wsgi", "-c", str(ROOT / "gunicorn.conf.py")], cwd=ROOT, env=self.env,
            stdout=subprocess.DEVNULL, stderr=open(ROOT / "var" / "bench-gunicorn.log", "a"),
        )
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{BASE}/__bench__/trivial", timeout=2).read()
                return self
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.5)
        raise RuntimeError("gunicorn did not start: see var/bench-gunicorn.log")

    def worker_rss_mb(self) -> list[float]:
        children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout.split()
        sizes = []
        for pid in children:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def wrk(path: str, seconds: int, connections: int, paths_file: str | None = None) -> dict:
    env = dict(os.environ)
    if paths_file:
        env["WRK_PATHS"] = paths_file
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(ROOT / "bench" / "wrk_report.lua"),
         BASE + path], capture_output=True, text=True, env=env,
    ).stdout
    line = next((l for l in out.splitlines() if l.startswith("JSON ")), None)
    return json.loads(line[5:]) if line else {"rps": 0, "p50": 0, "p95": 0, "max": 0, "requests": 0, "errors": -1, "status_errors": -1}


def endpoints(database_url: str) -> dict[str, str]:
    """The measured addresses, found in the data by bench/pages.py."""
    out = subprocess.run(
        [PYTHON, "-c", "import bench.pages as p, django, json; django.setup(); print('JSON', json.dumps(p.pages()))"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "DATABASE_URL": database_url, "DEBUG": "1"},
    ).stdout
    line = next(l for l in out.splitlines() if l.startswith("JSON "))
    return dict(json.loads(line[5:]))


def search_queries(count: int = 100) -> list[str]:
    """``count`` distinct queries: the corpus' commonest words first, then rarer ones,
    two-word queries among them (deterministic)."""
    import re
    from collections import Counter

    text = (ROOT / "portal" / "bench_corpus.txt").read_text(encoding="utf-8")
    grams = Counter(g for run in re.findall(r"[\u4e00-\u9fff]+", text) for g in (run[i:i + 2] for i in range(len(run) - 1)))
    common = [g for g, _ in grams.most_common(60)]
    rare = [g for g, n in grams.items() if n == 2][:25]
    pairs = [f"{a} {b}" for a, b in zip(common[::4], common[1::4])][:15]
    return (common + rare + pairs + ["救助", "預算", "政務公開"])[:count]


def static_path() -> str:
    root = Path(os.environ["BENCH_STATIC_ROOT"])
    css = sorted(root.rglob("*.css"), key=lambda p: (len(p.parts), str(p)))[0]
    return "/static/" + css.relative_to(root).as_posix()


def cpu_yardstick() -> float:
    """Seconds for ten million additions in pure Python (the best of three): what the
    in-process ms figures scale with from one machine to another."""
    best = float("inf")
    for _ in range(3):
        started, total = time.perf_counter(), 0
        for number in range(10_000_000):
            total += number
        best = min(best, time.perf_counter() - started)
    return best


def in_process(database_url: str, queries: list[str]) -> dict:
    """The pages rendered in-process and each search timed, on a machine not yet loaded by
    the wrk rounds (after them, the same renders came out 30–80% slower)."""
    env = _env(database_url, 0, os.environ["BENCH_STATIC_ROOT"])  # the workers' settings, DEBUG off
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    subprocess.run([PYTHON, "bench/pages.py", "--repeat", "15", "--warm", "3", "--json", str(out)], cwd=ROOT, env=env,
                   capture_output=True)
    search_times = subprocess.run([PYTHON, "bench/search_latency.py", *queries], cwd=ROOT, env=env,
                                  capture_output=True, text=True).stdout
    line = next((l for l in search_times.splitlines() if l.startswith("JSON ")), None)
    return {"inprocess": json.loads(out.read_text()) if out.stat().st_size else {},
            "search_latency": json.loads(line[5:]) if line else {}}


def rebuild_search_index(database_url: str) -> dict:
    """``rebuild_search_index --jobs <CPUs>`` timed, with the peak RSS of its largest process
    (``wait4``: the command and the processes it forked and waited for)."""
    started = time.perf_counter()
    process = subprocess.Popen([PYTHON, "manage.py", "rebuild_search_index", "--jobs", str(os.cpu_count() or 1),
                                "--no-progress"], cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url, "DEBUG": "1"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": time.perf_counter() - started, "peak_rss_mb": usage.ru_maxrss / 1024,
            "jobs": os.cpu_count() or 1, "ok": process.returncode == 0}


def checkpoint(database_url: str) -> None:
    """Write out the pages the rebuild and the import left dirty, so that the renders measured
    next do not pay for them (``CHECKPOINT``; skipped where the user may not)."""
    subprocess.run(["psql", database_url, "-c", "CHECKPOINT"], capture_output=True)


def largest_import(database_url: str) -> dict:
    """``bench/import_speed.py`` (5,000 rows through a real Celery worker) into a database of
    its own beside the bench's, on a Redis database of its own (``BENCH_IMPORTS_REDIS_URL``)."""
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    database = database_url.rsplit("/", 1)[0] + "/gongkai_bench_imports"
    env = {**os.environ, "DATABASE_URL": database,
           "REDIS_URL": os.environ.get("BENCH_IMPORTS_REDIS_URL", "redis://127.0.0.1:6379/13")}
    subprocess.run([PYTHON, "bench/import_speed.py", "--json", str(out)], cwd=ROOT, env=env, capture_output=True)
    return json.loads(out.read_text()) if out.stat().st_size else {}


def measure_scale(label: str, database_url: str, args) -> dict:
    pages = endpoints(database_url)
    queries = search_queries()
    result = {"pages": pages, "modes": {}, **in_process(database_url, queries)}
    paths_file = Path(tempfile.mkstemp(suffix=".paths")[1])
    paths_file.write_text("\n".join("/search/?q=" + urllib.parse.quote(q) for q in queries))
    list_queries = Path(tempfile.mkstemp(suffix=".paths")[1])
    list_queries.write_text("\n".join("/disclosures/?q=" + urllib.parse.quote(q) for q in queries))
    pages = {name: urllib.parse.quote(address, safe="/?=&") for name, address in pages.items()}  # wrk wants ASCII
    targets = {"trivial view": "/__bench__/trivial", "static file": static_path(), **pages}
    for mode, seconds in (("cached", 300), ("uncached", 0)):
        env = _env(database_url, seconds, os.environ["BENCH_STATIC_ROOT"])
        rounds = {name: [] for name in [*targets, "search ×100 queries", "list ?q= ×100 queries"]}
        with Server(env) as server:
            for address in targets.values():  # warm: caches, connections, imports
                wrk(address, 1, 2)
            for _ in range(args.rounds):
                for name, address in targets.items():
                    rounds[name].append(wrk(address, args.seconds, args.connections))
                rounds["search ×100 queries"].append(wrk("/search/", args.seconds, args.connections, str(paths_file)))
                rounds["list ?q= ×100 queries"].append(wrk("/disclosures/", args.seconds, args.connections, str(list_queries)))
                print(f"[{label} {mode}] round done", file=sys.stderr)
            rss = server.worker_rss_mb()
        result["modes"][mode] = {"rounds": rounds, "worker_rss_mb": rss}
    if args.mixed:
        env = _env(database_url, 300, os.environ["BENCH_STATIC_ROOT"])
        mixed = Path(tempfile.mkstemp(suffix=".paths")[1])
        mixed.write_text("\n".join([*targets.values(), *("/search/?q=" + urllib.parse.quote(q) for q in queries[:20])]))
        with Server(env) as server:
            result["mixed"] = wrk("/", args.mixed, 50, str(mixed))
            result["mixed"]["worker_rss_mb"] = server.worker_rss_mb()
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", action="append", nargs=2, metavar=("LABEL", "DATABASE_URL"), required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--mixed", type=int, default=60, help="Seconds of mixed traffic at 50 connections (0: none).")
    parser.add_argument("--no-rebuild", action="store_true", help="Skip timing rebuild_search_index on the last database.")
    parser.add_argument("--no-import", action="store_true", help="Skip the largest import (bench/import_speed.py).")
    args = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    os.environ["BENCH_STATIC_ROOT"] = static_root
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, capture_output=True,
                   env=_env(args.scale[0][1], 0, static_root), check=True)  # production storage: the manifest
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = os.getloadavg()
    machine = {"cpu_yardstick_s": cpu_yardstick(), "cpus": os.cpu_count()}
    # The rebuild and the import first, like the in-process renders: after half an hour of
    # wrk rounds this machine runs slower (the yardstick 0.40 → 0.45 s; the rebuild 122 s
    # there, 80 s on its own; the import 61 s there, 36 s on its own).
    last = args.scale[-1][1]
    if not args.no_rebuild:
        machine["rebuild"] = rebuild_search_index(last)
    if not args.no_import:
        machine["import"] = largest_import(last)
    checkpoint(last)
    results = {}
    for label, url in args.scale:
        results[label] = measure_scale(label, url, args)
        (ROOT / "bench" / f"results-{label}.json").write_text(json.dumps(results[label], ensure_ascii=False, indent=1))
    machine["cpu_yardstick_end_s"] = cpu_yardstick()
    (ROOT / "bench" / "results-machine.json").write_text(json.dumps(machine, indent=1))
    from bench.report import write

    write(results, started=started, load=load, args=vars(args), machine=machine)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
