"""Several apps in one process, one extension object, concurrent requests: no mixing."""

from __future__ import annotations

import random
import typing as t
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flask import Flask

from flask_status_envelope import StatusEnvelope, abort_with
from flask_status_envelope.testing import assert_envelope

from ..conftest import envelope

EXTENSION = StatusEnvelope()
EXTENSION.register_exception(TimeoutError, 504)
NAMES = ["alpha", "beta", "gamma", "delta"]


def _create_app(name: str) -> Flask:
    # root_path given: Flask < 2.3.3 raises ImportError looking for the root path of
    # an import name below a module ("tests.test_reliability_threads.alpha").
    app = Flask(f"{__name__}.{name}", root_path=str(Path(__file__).parent))
    app.config.update(
        PROPAGATE_EXCEPTIONS=False,
        STATUS_ENVELOPE_MESSAGES={
            404: f"{name}: nothing here.",
            500: f"{name}: server error.",
            504: f"{name}: upstream timeout.",
        },
    )
    EXTENSION.init_app(app)

    @app.get("/own")
    def own() -> t.NoReturn:
        abort_with(403, f"{name}: forbidden.")

    @app.get("/crash")
    def crash() -> t.NoReturn:
        raise RuntimeError(name)

    @app.get("/slow")
    def slow() -> t.NoReturn:
        raise TimeoutError(name)

    return app


APPS = {name: _create_app(name) for name in NAMES}
CASES = [
    ("/missing", 404, "Not Found", "{}: nothing here."),
    ("/own", 403, "Forbidden", "{}: forbidden."),
    ("/crash", 500, "Internal Server Error", "{}: server error."),
    ("/slow", 504, "Gateway Timeout", "{}: upstream timeout."),
]


def _request(name: str, case: int) -> tuple[t.Any, t.Any]:
    path, code, text, message = CASES[case]
    with APPS[name].test_client() as client:
        response = client.get(path)
    return assert_envelope(response, code), envelope(code, text, message.format(name))


def test_concurrent_requests_to_several_apps_never_mix() -> None:
    rng = random.Random(7)
    jobs = [(rng.choice(NAMES), rng.randrange(len(CASES))) for _ in range(800)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda job: _request(*job), jobs))
    wrong = [(got, expected) for got, expected in results if got != expected]
    assert wrong == []
    assert len(results) == 800


def test_the_extension_holds_no_request_state() -> None:
    before = {name: repr(value) for name, value in vars(EXTENSION).items()}
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda job: _request(*job), [(n, 0) for n in NAMES * 10]))
    assert {name: repr(value) for name, value in vars(EXTENSION).items()} == before
