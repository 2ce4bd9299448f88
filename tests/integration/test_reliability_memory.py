"""Nothing kept per request: the Python heap does not grow with error responses.

The gunicorn load test measures worker RSS; this measures the Python heap with
:mod:`tracemalloc` in-process, where a leak of a few bytes per request shows.
"""

from __future__ import annotations

import gc
import logging
import tracemalloc

from flask import Flask

from ..conftest import ROOT, load_module

_DEMO = ROOT / "examples" / "demo.py"
REQUESTS = [
    ("GET", "/admin", b""),
    ("GET", "/me", b""),
    ("GET", "/users/7", b""),
    ("GET", "/crash", b""),
    ("GET", "/upstream/slow", b""),
    ("GET", "/upstream/down", b""),
    ("GET", "/nope/%zz", b""),
    ("POST", "/orders", b"{bad json"),
    ("POST", "/orders", b'{"amount": 500}'),
    ("DELETE", "/admin", b""),
    ("HEAD", "/crash", b""),
]


def _demo_app() -> Flask:
    demo = load_module(_DEMO, "demo_for_memory")
    app: Flask = demo.create_app()
    # Logged to a handler that keeps nothing, so that the logging path runs too.
    app.logger.handlers[:] = [logging.NullHandler()]
    app.logger.propagate = False
    return app


def _burst(app: Flask, rounds: int) -> set[int]:
    client = app.test_client()
    codes = set()
    for _ in range(rounds):
        for method, path, body in REQUESTS:
            response = client.open(
                path, method=method, data=body, content_type="application/json"
            )
            codes.add(response.status_code)
            response.close()
    return codes


def test_error_responses_keep_nothing() -> None:
    app = _demo_app()
    _burst(app, 100)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        codes = _burst(app, 200)
        gc.collect()
        growth = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert codes == {400, 401, 403, 404, 405, 500, 502, 504}
    # 2,200 error responses: a leak of 4 bytes each would pass 8 KiB (it is 0).
    assert growth < 8 * 1024, growth
