"""Flask-Limiter: a breached limit answers the 429 envelope with ``Retry-After``."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
import typing as t

import pytest
from flask import Flask, Response, jsonify
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter, RateLimitExceeded, RequestLimit
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_date

from flask_status_envelope import StatusEnvelope, abort_with
from flask_status_envelope.testing import assert_envelope

from ..conftest import envelope
from .conftest import PAGE_429, breach, limited_app, retry_after_seconds


@pytest.mark.parametrize("limiter_first", [False, True])
@pytest.mark.parametrize(
    ("strategy", "shortest"),
    [
        ("fixed-window", 55),
        ("moving-window", 55),
        # Its windows are aligned to the clock and the previous one's weight decays.
        ("sliding-window-counter", 1),
    ],
)
def test_a_breach_answers_the_429_envelope_with_the_page_message(
    limiter_first: bool, strategy: str, shortest: int
) -> None:
    app, _ = limited_app(limiter_first=limiter_first, strategy=strategy)
    r = breach(app.test_client())
    assert assert_envelope(r, 429) == envelope(429, "Too Many Requests", PAGE_429)
    assert shortest <= retry_after_seconds(r) <= 60
    assert "X-RateLimit-Limit" not in r.headers


@pytest.mark.parametrize(
    ("error_message", "expected"),
    [
        ("Only one export per minute.", "Only one export per minute."),
        (lambda: "Computed per request.", "Computed per request."),
        ('Ünïcode <b>&</b> "quotes"', 'Ünïcode <b>&</b> "quotes"'),
        (None, PAGE_429),
    ],
)
def test_the_limit_error_message_wins(error_message: t.Any, expected: str) -> None:
    app, limiter = limited_app()

    @app.get("/export")
    @limiter.limit("1 per hour", error_message=error_message)
    def export() -> ResponseReturnValue:
        return jsonify(ok=True)

    r = breach(app.test_client(), "/export")
    assert assert_envelope(r, 429) == envelope(429, "Too Many Requests", expected)
    assert 3590 <= retry_after_seconds(r) <= 3600


def test_the_configured_429_message_replaces_the_page_one() -> None:
    app, _ = limited_app()
    app.config["STATUS_ENVELOPE_MESSAGES"] = {429: "Slow down."}
    r = breach(app.test_client())
    assert assert_envelope(r, 429) == envelope(429, "Too Many Requests", "Slow down.")


def test_retry_after_counts_down_to_the_reset() -> None:
    app, _ = limited_app(strategy="fixed-window")
    client = app.test_client()
    before_first = time.time()
    assert client.get("/limited").status_code == 200
    after_first = time.time()
    # The window (60 s) opened during the first request; let a second of it pass.
    time.sleep(1.1)
    before_refused = time.time()
    r = client.get("/limited")
    after_refused = time.time()
    # Retry-After is the whole seconds, rounded up, from the refusal to the reset.
    earliest = math.ceil(before_first + 60 - after_refused)
    latest = math.ceil(after_first + 60 - before_refused)
    assert assert_envelope(r, 429) == envelope(429, "Too Many Requests", PAGE_429)
    assert earliest <= retry_after_seconds(r) <= latest <= 59


def test_retry_after_is_at_least_one_second() -> None:
    app, limiter = limited_app(strategy="fixed-window")

    @app.get("/cleared")
    @limiter.limit("1 per minute", on_breach=lambda request_limit: limiter.reset())
    def cleared() -> ResponseReturnValue:
        return jsonify(ok=True)

    # The breach clears the storage: the window's reset is now, zero seconds away.
    r = breach(app.test_client(), "/cleared")
    assert assert_envelope(r, 429) == envelope(429, "Too Many Requests", PAGE_429)
    assert retry_after_seconds(r) == 1


@pytest.mark.parametrize("limiter_first", [False, True])
def test_flask_limiter_headers_survive_when_enabled(limiter_first: bool) -> None:
    app, _ = limited_app(limiter_first=limiter_first, headers_enabled=True)
    client = app.test_client()
    ok = client.get("/limited")
    assert ok.headers["X-RateLimit-Limit"] == "1"
    r = client.get("/limited")
    assert assert_envelope(r, 429) == envelope(429, "Too Many Requests", PAGE_429)
    assert r.headers["X-RateLimit-Limit"] == "1"
    assert r.headers["X-RateLimit-Remaining"] == "0"
    reset = int(r.headers["X-RateLimit-Reset"])
    assert 55 <= reset - time.time() <= 61
    assert 55 <= retry_after_seconds(r) <= 60


def test_flask_limiter_http_date_retry_after_survives() -> None:
    app = Flask(__name__)
    app.config["RATELIMIT_HEADER_RETRY_AFTER_VALUE"] = "http-date"
    StatusEnvelope(app)
    limiter = Limiter(
        get_remote_address, app=app, storage_uri="memory://", headers_enabled=True
    )

    @app.get("/limited")
    @limiter.limit("1 per minute")
    def limited() -> ResponseReturnValue:
        return jsonify(ok=True)

    r = breach(app.test_client())
    assert r.status_code == 429
    values = r.headers.getlist("Retry-After")
    assert len(values) == 1
    moment = parse_date(values[0])
    assert moment is not None
    assert 55 <= moment.timestamp() - time.time() <= 61
    assert assert_envelope(r, 429) == envelope(429, "Too Many Requests", PAGE_429)


OnBreach = t.Callable[[RequestLimit], Response]


@pytest.mark.parametrize(
    "options",
    [
        # (Limiter options, limit options) with the callback at one level.
        pytest.param(lambda on_breach: ({"on_breach": on_breach}, {}), id="limiter"),
        pytest.param(lambda on_breach: ({}, {"on_breach": on_breach}), id="limit"),
    ],
)
def test_an_on_breach_response_passes_through(
    options: t.Callable[[OnBreach], tuple[dict[str, t.Any], dict[str, t.Any]]],
) -> None:
    seen: list[RequestLimit] = []

    def on_breach(request_limit: RequestLimit) -> Response:
        seen.append(request_limit)
        return Response("custom", status=418, headers={"X-Custom": "yes"})

    limiter_options, limit_options = options(on_breach)
    app, limiter = limited_app(**limiter_options)

    @app.get("/custom")
    @limiter.limit("1 per minute", **limit_options)
    def custom() -> ResponseReturnValue:
        return jsonify(ok=True)

    r = breach(app.test_client(), "/custom")
    assert (r.status_code, r.get_data(as_text=True)) == (418, "custom")
    assert r.headers["X-Custom"] == "yes"
    assert "Retry-After" not in r.headers
    assert [str(s.limit) for s in seen] == ["1 per 1 minute"]


def test_an_on_breach_callback_without_a_response_gets_the_envelope() -> None:
    seen: list[str] = []
    app, _ = limited_app(on_breach=lambda request_limit: seen.append("called"))
    r = breach(app.test_client())
    assert seen == ["called"]
    assert assert_envelope(r, 429) == envelope(429, "Too Many Requests", PAGE_429)
    assert 55 <= retry_after_seconds(r) <= 60


def test_default_application_and_shared_limits() -> None:
    app = Flask(__name__)
    StatusEnvelope(app)
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri="memory://",
        default_limits=["1 per minute"],
        application_limits=["3 per hour"],
    )
    shared = limiter.shared_limit("1 per day", scope="reports")

    @app.get("/a")
    def a() -> ResponseReturnValue:
        return jsonify(ok=True)

    @app.get("/report")
    @shared
    def report() -> ResponseReturnValue:
        return jsonify(ok=True)

    client = app.test_client()
    assert [client.get(p).status_code for p in ("/a", "/a")] == [200, 429]
    assert 55 <= retry_after_seconds(client.get("/a")) <= 60
    assert [client.get(p).status_code for p in ("/report", "/report")] == [200, 429]
    # Three requests were counted against the application limit of 3 per hour.
    r = client.get("/report")
    assert assert_envelope(r, 429) == envelope(429, "Too Many Requests", PAGE_429)
    assert 3590 <= retry_after_seconds(r) <= 86400


def test_a_meta_limit_answers_with_its_own_reset() -> None:
    app, _ = limited_app(meta_limits=["2 per hour"])
    client = app.test_client()
    statuses = [client.get("/limited").status_code for _ in range(3)]
    # Two breaches of "1 per minute" within the hour: the meta limit now refuses.
    r = client.get("/limited")
    assert statuses == [200, 429, 429]
    assert assert_envelope(r, 429) == envelope(429, "Too Many Requests", PAGE_429)
    assert 3590 <= retry_after_seconds(r) <= 3600


def test_several_limiters_each_answer_with_their_own_reset() -> None:
    app = Flask(__name__)
    per_ip = Limiter(get_remote_address, app=app, storage_uri="memory://")
    StatusEnvelope(app)
    per_key = Limiter(
        lambda: "api-key", app=app, storage_uri="memory://", key_prefix="key"
    )

    @app.get("/minute")
    @per_ip.limit("1 per minute")
    def minute() -> ResponseReturnValue:
        return jsonify(ok=True)

    @app.get("/hour")
    @per_key.limit("1 per hour", error_message="Hourly quota used.")
    def hour() -> ResponseReturnValue:
        return jsonify(ok=True)

    client = app.test_client()
    by_minute = breach(client, "/minute")
    by_hour = breach(client, "/hour")
    assert assert_envelope(by_minute, 429) == envelope(
        429, "Too Many Requests", PAGE_429
    )
    assert 55 <= retry_after_seconds(by_minute) <= 60
    assert assert_envelope(by_hour, 429) == envelope(
        429, "Too Many Requests", "Hourly quota used."
    )
    assert 3590 <= retry_after_seconds(by_hour) <= 3600


@pytest.mark.parametrize(
    "key",
    [pytest.param(429, id="code"), pytest.param(RateLimitExceeded, id="class")],
)
def test_a_user_handler_still_wins(key: int | type[Exception]) -> None:
    app, _ = limited_app()

    @app.errorhandler(key)
    def mine(error: Exception) -> ResponseReturnValue:
        return jsonify(mine=True), 429

    r = breach(app.test_client())
    assert r.status_code == 429
    assert r.get_json() == {"mine": True}


WITHOUT_FLASK_LIMITER = """
import json, sys
# As if the "limiter" extra, and the validation libraries, were not installed.
for name in ("flask_limiter", "marshmallow", "pydantic_core", "flask_pydantic"):
    sys.modules[name] = None
from flask import Flask
from werkzeug.exceptions import TooManyRequests
from flask_status_envelope import StatusEnvelope, abort_with

app = Flask(__name__)
StatusEnvelope(app)

@app.get("/")
def index():
    abort_with(429, retry_after=5)

r = app.test_client().get("/")
print(json.dumps({
    "handlers": sorted(
        cls.__name__ for cls in app.error_handler_spec[None][None]
    ),
    "loaded": sorted(
        name for name, module in sys.modules.items()
        if module is not None and name.startswith(("flask_limiter", "limits"))
    ),
    "status": r.status_code,
    "retry_after": r.headers["Retry-After"],
    "body": r.get_json(),
}))
"""


def test_without_flask_limiter_nothing_is_imported_or_registered() -> None:
    out = subprocess.run(
        [sys.executable, "-c", WITHOUT_FLASK_LIMITER],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert json.loads(out) == {
        "handlers": ["HTTPException"],
        "loaded": [],
        "status": 429,
        "retry_after": "5",
        "body": envelope(429, "Too Many Requests", PAGE_429),
    }


def test_with_flask_limiter_no_error_handler_is_its_own(app: Flask) -> None:
    # RateLimitExceeded is answered by the handler for HTTPException: a user's
    # handler for it, or for 429, wins (test_a_user_handler_still_wins).
    handlers = app.error_handler_spec[None][None]
    assert HTTPException in handlers
    assert not [cls for cls in handlers if issubclass(cls, HTTPException)][1:]


PAGE_503 = (
    "The server is temporarily unavailable, usually due to maintenance or overload."
)
MAINTENANCE = envelope(503, "Service Unavailable", PAGE_503)


def test_it_runs_before_the_apps_other_hooks_and_rate_limits() -> None:
    app = Flask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://")

    @app.before_request
    def authenticate() -> None:
        abort_with(401, "Invalid token.")

    StatusEnvelope(app)

    @app.get("/orders")
    @limiter.limit("1 per minute")
    def orders() -> ResponseReturnValue:
        return jsonify(orders=[])

    app.config["STATUS_ENVELOPE_MAINTENANCE"] = True
    client = app.test_client()
    during = [client.get("/orders") for _ in range(3)]
    app.config["STATUS_ENVELOPE_MAINTENANCE"] = False
    after = client.get("/orders")
    assert [assert_envelope(r, 503) for r in during] == [MAINTENANCE] * 3
    # Not counted against the limit while in maintenance: the next one is a 401.
    assert assert_envelope(after, 401) == envelope(
        401, "Unauthorized", "Invalid token."
    )
