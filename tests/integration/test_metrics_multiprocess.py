"""The error counters under real gunicorn with 2 workers, in multiprocess mode."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector

from .servers import gunicorn, wait_until

APPS = Path(__file__).resolve().parent
N = 60


def get(url: str) -> tuple[int, str]:
    """GET ``url``; return the status and the worker that answered."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.headers["X-Worker-Pid"]
    except urllib.error.HTTPError as e:
        return e.code, e.headers["X-Worker-Pid"]


def counts(directory: Path) -> dict[tuple[str, str], float]:
    """Sum the error counter over every worker's file, per label set."""
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(directory))  # type: ignore[no-untyped-call]
    return {
        (s.labels["code"], s.labels["endpoint"]): s.value
        for metric in registry.collect()
        for s in metric.samples
        if s.name == "status_envelope_errors_total"
    }


@pytest.mark.slow
def test_the_workers_counts_sum_to_exactly_the_requests(tmp_path: Path) -> None:
    directory = tmp_path / "prometheus"
    directory.mkdir()
    paths = {"/forbidden": ("403", "forbidden"), "/crash": ("500", "crash"),
             "/no/such/url": ("404", "<unmatched>")}  # fmt: skip
    with (
        gunicorn(
            "apps.metrics_app:app",
            APPS,
            workers=2,
            env={"PROMETHEUS_MULTIPROC_DIR": str(directory)},
        ) as base,
        ThreadPoolExecutor(max_workers=8) as pool,
    ):
        wait_until(
            lambda: len({pid for _, pid in pool.map(get, [f"{base}/pid"] * 8)}) == 2,
            "the second gunicorn worker",
        )
        urls = [f"{base}{path}" for path in paths for _ in range(N)]
        results = list(pool.map(get, urls))
        found = counts(directory)

    workers = Counter(pid for _, pid in results)
    print(
        f"\ngunicorn 2 workers, multiprocess mode: {len(results)} error requests,"
        f" {sorted(workers.values())} per worker, counted {found}"
    )
    assert len(workers) == 2
    assert sorted(status for status, _ in results) == sorted(
        int(code) for code, _ in paths.values() for _ in range(N)
    )
    assert found == {labels: N for labels in paths.values()}
    assert len(list(directory.glob("counter_*.db"))) == 2
