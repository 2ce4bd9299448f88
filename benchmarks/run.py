"""Benchmark the error path of flask-status-envelope against Flask and its peers.

Run from the repository root, after ``pip install -e '.[bench]'`` (and
``apt-get install valgrind`` for the instruction counts)::

    python benchmarks/run.py

It prints tables of ratios to the floor (Flask returning a 200 JSON dict) and
writes ``benchmarks/results/latest.json``. Steps:

1. instructions per request under callgrind (deterministic);
2. wall-clock microseconds per request, interleaved rounds, median and spread;
3. requests per second under gunicorn (2 workers, 127.0.0.1), error vs 200;
4. resident set size growth over 100,000 error responses.

``--quick`` runs a short smoke version of every step; ``--skip`` leaves steps out.
"""

from __future__ import annotations

import argparse
import datetime
import glob
import http.client
import importlib.metadata
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import typing as t

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from systems import FLOOR, PATHS, systems  # noqa: E402

MEASURE = os.path.join(HERE, "measure.py")
DEFAULT_OUT = os.path.join(HERE, "results", "latest.json")


def _env() -> dict[str, str]:
    # A fixed hash seed makes the instruction counts repeatable run to run.
    return {**os.environ, "PYTHONHASHSEED": "0"}


def run_callgrind(
    n: int, warmup: int, only: list[str] | None
) -> tuple[dict[tuple[str, str], int], dict[str, str]]:
    """Return instructions per request for every cell."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("valgrind not found: instructions skipped (apt-get install valgrind)")
        return {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        labels_file = os.path.join(tmp, "labels.json")
        out = os.path.join(tmp, "cg.out")
        cmd = [
            valgrind,
            "--tool=callgrind",
            "--dump-before=getppid",
            f"--callgrind-out-file={out}",
            "-q",
            sys.executable,
            MEASURE,
            "callgrind",
            f"--n={n}",
            f"--warmup={warmup}",
            f"--out={labels_file}",
        ]
        if only:
            cmd += ["--systems", *only]
        print(f"callgrind: {n} requests per cell (takes a few minutes)...", flush=True)
        subprocess.run(cmd, check=True, env=_env())
        with open(labels_file) as f:
            data = json.load(f)
        if len(glob.glob(out + ".*")) < len(data["labels"]):
            raise RuntimeError(
                "callgrind wrote fewer parts than the benchmark marked: its"
                " --dump-before=getppid did not match libc's getppid here. Run with"
                " --skip callgrind."
            )
        counts: dict[tuple[str, str], int] = {}
        for i, label in enumerate(data["labels"], start=1):
            if label is None:
                continue
            part = f"{out}.{i}"
            with open(part) as f:
                total = next(
                    int(line.split()[1]) for line in f if line.startswith("summary:")
                )
            system, path = label.split("\t")
            counts[(system, path)] = round(total / data["n"])
        return counts, data["skipped"]


def run_wall(
    rounds: int, batch: int, only: list[str] | None
) -> tuple[dict[tuple[str, str], list[float]], dict[str, str]]:
    """Return the µs/request samples of every cell."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "wall.json")
        cmd = [
            sys.executable,
            MEASURE,
            "wall",
            f"--rounds={rounds}",
            f"--batch={batch}",
            f"--out={out}",
        ]
        if only:
            cmd += ["--systems", *only]
        print(f"wall clock: {rounds} interleaved rounds of {batch}...", flush=True)
        subprocess.run(cmd, check=True, env=_env())
        with open(out) as f:
            data = json.load(f)
    samples = {tuple(k.split("\t")): v for k, v in data["samples"].items()}
    return samples, data["skipped"]  # type: ignore[return-value]


def run_memory(count: int) -> dict[str, t.Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "memory.json")
        print(f"memory: {count} error responses...", flush=True)
        subprocess.run(
            [
                sys.executable,
                MEASURE,
                "memory",
                f"--count={count}",
                "--warmup=5000",
                f"--out={out}",
            ],
            check=True,
            env=_env(),
        )
        with open(out) as f:
            return t.cast("dict[str, t.Any]", json.load(f))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, url: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", url)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _load(port: int, url: str, threads: int, seconds: float) -> float:
    """Send requests from ``threads`` threads for ``seconds``; return requests/s."""
    stop = time.perf_counter() + seconds
    counts = [0] * threads
    errors: list[str] = []

    def worker(i: int) -> None:
        while time.perf_counter() < stop:
            try:
                status = _get(port, url)
            except OSError as e:
                errors.append(f"{url}: {e!r}")
                return
            if status not in (200, 403, 404):
                errors.append(f"{url}: {status}")
                return
            counts[i] += 1

    start = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"unexpected answers: {errors[:3]}")
    return sum(counts) / elapsed


def run_throughput(rounds: int, seconds: float, threads: int) -> dict[str, t.Any]:
    """Requests/s of the envelope app under gunicorn: 200 vs 403 vs unknown URL."""
    gunicorn = shutil.which("gunicorn") or os.path.join(
        os.path.dirname(sys.executable), "gunicorn"
    )
    if not os.path.exists(gunicorn):
        print("gunicorn not found: throughput skipped (pip install -e '.[bench]')")
        return {}
    port = _free_port()
    proc = subprocess.Popen(
        [
            gunicorn,
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            f"--chdir={HERE}",
            "--log-level=warning",
            "systems:envelope_app()",
        ],
        env=_env(),
    )
    urls = {"200 JSON": "/ok", "abort 403": "/forbidden", "unknown URL 404": "/nope"}
    rates: dict[str, list[float]] = {name: [] for name in urls}
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(port, "/ok")
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        print(
            f"throughput: gunicorn 2 workers, {threads} client threads,"
            f" {rounds} rounds of {seconds:g} s per path...",
            flush=True,
        )
        for _ in range(rounds):
            for name, url in urls.items():
                rates[name].append(_load(port, url, threads, seconds))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    medians = {name: statistics.median(v) for name, v in rates.items()}
    floor = medians["200 JSON"]
    return {
        "server": "gunicorn --workers=2 (sync), 127.0.0.1",
        "client": f"{threads} Python threads, one connection per request",
        "rounds": rounds,
        "seconds_per_round": seconds,
        "requests_per_s_median": {k: round(v, 1) for k, v in medians.items()},
        "requests_per_s_spread": {
            k: [round(min(v), 1), round(max(v), 1)] for k, v in rates.items()
        },
        "ratio_to_200": {k: round(v / floor, 3) for k, v in medians.items()},
    }


def _version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} CPUs"


def _ratio(value: float | None, floor: float | None) -> float | None:
    if value is None or not floor:
        return None
    return round(value / floor, 3)


def collect(
    counts: dict[tuple[str, str], int],
    samples: dict[tuple[str, str], list[float]],
) -> list[dict[str, t.Any]]:
    floor_instr = counts.get(FLOOR)
    floor_wall = statistics.median(samples[FLOOR]) if FLOOR in samples else None
    results = []
    for system in systems():
        # Every error path, n/a (null) where the system has none; a 200 row only
        # for the floor and for this extension.
        rows = [p for p in PATHS if p in system.paths or p != "200 JSON"]
        if system.name == FLOOR[0]:
            rows = list(system.paths)
        for path in rows:
            key = (system.name, path)
            instr = counts.get(key)
            wall = samples.get(key)
            median = round(statistics.median(wall), 2) if wall else None
            results.append(
                {
                    "system": system.name,
                    "path": path,
                    "instructions": instr,
                    "instructions_ratio": _ratio(instr, floor_instr),
                    "wall_us_median": median,
                    "wall_ratio": _ratio(median, floor_wall),
                    "wall_spread_us": [round(min(wall), 2), round(max(wall), 2)]
                    if wall
                    else None,
                }
            )
    return results


def table(results: list[dict[str, t.Any]], key: str) -> str:
    names = list(dict.fromkeys(r["system"] for r in results))
    paths = [p for p in PATHS if any(r["path"] == p for r in results)]
    cell = {(r["system"], r["path"]): r[key] for r in results}
    width = max(len(n) for n in names) + 2
    lines = [
        "".ljust(width) + "".join(p.rjust(17) for p in paths),
    ]
    for name in names:
        row = name.ljust(width)
        for path in paths:
            value = cell.get((name, path))
            row += ("n/a" if value is None else f"{value:.2f}x").rjust(17)
        lines.append(row)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=["callgrind", "wall", "throughput", "memory"],
    )
    parser.add_argument("--systems", nargs="*", help="only these systems")
    parser.add_argument("--out", default=DEFAULT_OUT, help="the results file")
    args = parser.parse_args()
    quick = args.quick
    only = args.systems
    if only and "flask" not in only:
        only = ["flask", *only]  # the floor

    counts: dict[tuple[str, str], int] = {}
    samples: dict[tuple[str, str], list[float]] = {}
    skipped: dict[str, str] = {}
    if "callgrind" not in args.skip:
        counts, skipped = run_callgrind(20 if quick else 200, 10 if quick else 50, only)
    if "wall" not in args.skip:
        samples, skipped = run_wall(3 if quick else 21, 50 if quick else 200, only)
    throughput = {}
    if "throughput" not in args.skip:
        throughput = run_throughput(1 if quick else 5, 0.5 if quick else 3.0, 4)
    memory = {}
    if "memory" not in args.skip:
        memory = run_memory(2_000 if quick else 100_000)

    results = collect(counts, samples)
    if only:
        results = [r for r in results if r["system"] in only]
    shown = {r["system"] for r in results}
    notes = {s.name: s.note for s in systems() if s.note and s.name in shown}
    notes.update(skipped)
    report = {
        "meta": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "flask": _version("flask"),
            "werkzeug": _version("werkzeug"),
            "flask_status_envelope": _version("flask-status-envelope"),
            "apiflask": _version("apiflask"),
            "flask_smorest": _version("flask-smorest"),
            "flask_restx": _version("flask-restx"),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
            "machine": _machine(),
            "floor": f"{FLOOR[0]} / {FLOOR[1]}",
            "quick": quick,
            "notes": notes,
        },
        "results": results,
        "throughput": throughput,
        "memory": memory,
    }
    print()
    if counts:
        print(
            "Instructions per request, ratio to the floor"
            f" ({counts.get(FLOOR)} instructions):"
        )
        print(table(results, "instructions_ratio"))
        print()
    if samples:
        print("Wall clock per request (median of interleaved rounds), ratio to floor:")
        print(table(results, "wall_ratio"))
        print()
    if throughput:
        print("gunicorn requests/s:", throughput["requests_per_s_median"])
        print("ratio to 200:", throughput["ratio_to_200"])
    if memory:
        print(
            f"RSS growth over {memory['requests']} error responses:"
            f" {memory['rss_growth_kib']} KiB"
        )
    for name, note in notes.items():
        print(f"note: {name}: {note}")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
