"""Measurements run inside one process; ``run.py`` starts this module.

Each request calls the WSGI app directly with a copy of an environ built once, and
reads the whole body, so neither a server nor the test client is measured.

Modes (``python benchmarks/measure.py MODE ...``):

``callgrind``
    Run under ``valgrind --tool=callgrind --dump-before=getppid``. Every call of
    :func:`os.getppid` (which nothing else in the process calls) makes callgrind
    write the instructions counted since the previous call to a new part file, so
    each cell's ``n`` requests land in a part of their own, after a warm-up that
    lands in another. The labels of the parts are written to ``--labels``.
``wall``
    Time ``--batch`` requests per cell, for ``--rounds`` rounds; the cells are
    interleaved (each round visits every cell, starting at a different one), so a
    slow moment of the machine hits every cell alike.
``memory``
    Send ``--count`` error responses through one envelope app after a warm-up and
    report the growth of the resident set size.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
import typing as t

from werkzeug.test import EnvironBuilder

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from systems import PATHS, systems  # noqa: E402

WSGIApp = t.Callable[[dict[str, t.Any], t.Callable[..., t.Any]], t.Iterable[bytes]]

EXPECTED = {
    "200 JSON": 200,
    "abort 403": 403,
    "unknown URL 404": 404,
    "405": 405,
    "unhandled 500": 500,
    "deprecated 410": 410,
    "429 retry_after": 429,
}


class Cell(t.NamedTuple):
    system: str
    path: str
    app: WSGIApp
    environ: dict[str, t.Any]


def _start_response(
    status: str, headers: list[tuple[str, str]], exc_info: t.Any = None
) -> None:
    _start_response.status = status  # type: ignore[attr-defined]


def request(app: WSGIApp, environ: dict[str, t.Any]) -> None:
    """One request: call the app with a fresh copy of ``environ``, read the body."""
    body = app(environ.copy(), _start_response)
    for _chunk in body:
        pass
    close = getattr(body, "close", None)
    if close is not None:
        close()


def cells(names: list[str] | None = None) -> tuple[list[Cell], dict[str, str]]:
    """Build every available cell, and a note per system that was skipped."""
    out: list[Cell] = []
    skipped: dict[str, str] = {}
    built: dict[t.Callable[[], t.Any], t.Any] = {}
    for system in systems():
        if names and system.name not in names:
            continue
        missing = system.missing()
        if missing:
            skipped[system.name] = f"not installed: {', '.join(missing)}"
            continue
        app = built.get(system.build)
        if app is None:
            app = built[system.build] = system.build()
        for path in system.paths:
            method, url = PATHS[path]
            full_url = system.prefix + url
            environ = EnvironBuilder(path=full_url, method=method).get_environ()
            out.append(Cell(system.name, path, app, environ))
    return out, skipped


def check(cell_list: list[Cell]) -> None:
    """Fail loudly when a cell does not answer its path's status."""
    for cell in cell_list:
        request(cell.app, cell.environ)
        status = int(_start_response.status.split()[0])  # type: ignore[attr-defined]
        if status != EXPECTED[cell.path]:
            raise SystemExit(
                f"{cell.system} / {cell.path}: expected {EXPECTED[cell.path]},"
                f" got {status}"
            )


def run_callgrind(cell_list: list[Cell], n: int, warmup: int) -> list[str | None]:
    labels: list[str | None] = []
    for cell in cell_list:
        for _ in range(warmup):
            request(cell.app, cell.environ)
        gc.collect()
        os.getppid()  # part: warm-up
        labels.append(None)
        app, environ = cell.app, cell.environ
        for _ in range(n):
            request(app, environ)
        os.getppid()  # part: the n measured requests
        labels.append(f"{cell.system}\t{cell.path}")
    return labels


def run_wall(cell_list: list[Cell], rounds: int, batch: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {f"{c.system}\t{c.path}": [] for c in cell_list}
    for cell in cell_list:
        for _ in range(batch // 4 or 1):
            request(cell.app, cell.environ)
    clock = time.perf_counter_ns
    for r in range(rounds):
        shift = r % len(cell_list)
        for cell in cell_list[shift:] + cell_list[:shift]:
            app, environ = cell.app, cell.environ
            start = clock()
            for _ in range(batch):
                request(app, environ)
            elapsed = clock() - start
            samples[f"{cell.system}\t{cell.path}"].append(elapsed / batch / 1000)
    return samples


def rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def run_memory(count: int, warmup: int) -> dict[str, t.Any]:
    error_cells = [
        c for c in cells(["flask-status-envelope"])[0] if c.path != "200 JSON"
    ]
    for i in range(warmup):
        cell = error_cells[i % len(error_cells)]
        request(cell.app, cell.environ)
    gc.collect()
    before = rss_kib()
    for i in range(count):
        cell = error_cells[i % len(error_cells)]
        request(cell.app, cell.environ)
    gc.collect()
    after = rss_kib()
    return {
        "requests": count,
        "warmup": warmup,
        "paths": [c.path for c in error_cells],
        "rss_before_kib": before,
        "rss_after_kib": after,
        "rss_growth_kib": after - before,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["callgrind", "wall", "memory"])
    parser.add_argument("--systems", nargs="*")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.mode == "memory":
        result: t.Any = run_memory(args.count, args.warmup)
    else:
        cell_list, skipped = cells(args.systems)
        check(cell_list)
        if args.mode == "callgrind":
            result = {
                "labels": run_callgrind(cell_list, args.n, args.warmup),
                "n": args.n,
                "skipped": skipped,
            }
        else:
            result = {
                "samples": run_wall(cell_list, args.rounds, args.batch),
                "skipped": skipped,
            }
    with open(args.out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
