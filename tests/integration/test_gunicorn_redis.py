"""Flask-Limiter on a shared real Redis, under real gunicorn with 2 workers."""

from __future__ import annotations

import json
import math
import time
import typing as t
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ..conftest import envelope
from .servers import gunicorn, wait_until

LIMIT = 10
REQUESTS = 40
PAGE_429 = "The request limit has been exceeded. Try again later."


def get(url: str) -> tuple[int, dict[str, str], bytes, float]:
    """GET ``url``; return status, headers, body and when the answer came."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, dict(r.headers), r.read(), time.time()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read(), time.time()


@pytest.mark.slow
def test_the_limit_is_shared_by_both_workers(
    redis_url: str, record_property: t.Callable[[str, object], None]
) -> None:
    with (
        gunicorn(
            "apps.limited_app:app",
            Path(__file__).parent,
            workers=2,
            env={"RATELIMIT_STORAGE_URI": redis_url, "LIMIT": f"{LIMIT} per minute"},
        ) as base,
        ThreadPoolExecutor(max_workers=8) as pool,
    ):
        # gunicorn listens before its workers have booted: wait for both.
        wait_until(
            lambda: len({b for _, _, b, _ in pool.map(get, [f"{base}/pid"] * 8)}) == 2,
            "the second gunicorn worker",
        )
        start = time.time()
        results = list(pool.map(get, [f"{base}/limited"] * REQUESTS))

    successes = [r for r in results if r[0] == 200]
    refused = [r for r in results if r[0] == 429]
    workers = {headers["X-Worker-Pid"] for _, headers, _, _ in results}
    success_pids = [json.loads(body)["pid"] for _, _, body, _ in successes]
    success_workers = set(success_pids)
    for name, value in [
        ("requests", REQUESTS),
        ("successes", len(successes)),
        ("too_many_requests", len(refused)),
    ]:
        record_property(name, value)
    print(
        f"\ngunicorn 2 workers + redis: {REQUESTS} requests, {len(successes)}"
        f" succeeded ({sorted(Counter(success_pids).values())} per worker),"
        f" {len(refused)} got 429, workers {sorted(workers)},"
        f" Retry-After {sorted({h['Retry-After'] for _, h, _, _ in refused})}"
    )
    assert (len(successes), len(refused)) == (LIMIT, REQUESTS - LIMIT)
    assert len(workers) == 2
    assert {str(pid) for pid in success_workers} == workers
    for _, headers, body, answered in refused:
        assert headers["Content-Type"] == "application/json"
        assert json.loads(body) == envelope(429, "Too Many Requests", PAGE_429)
        # The window opened after `start` and closes 60 s after it opened; Redis
        # rounds the key's TTL to the nearest second, so allow one second of it.
        lowest = math.ceil(60 - (answered - start)) - 1
        assert lowest <= int(headers["Retry-After"]) <= 60
