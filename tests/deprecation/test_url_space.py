"""Deprecation that knows the URL space: the prefix a blueprint was registered with,
its subdomain or host, and the routes that are not its own.

Regression tests for issue 13, section 3.
"""

from __future__ import annotations

import typing as t
from datetime import datetime, timezone

import pytest
from flask import Blueprint, Flask, abort
from werkzeug.test import TestResponse

from flask_status_envelope import StatusEnvelope, deprecated
from flask_status_envelope.codes import PAGE_MESSAGES

from ..conftest import envelope
from .conftest import content_of

UTC = timezone.utc
SCHEDULE: dict[str, t.Any] = {"since": "2026-01-01", "sunset": "2026-06-01"}
BEFORE = datetime(2026, 3, 1, tzinfo=UTC)
AFTER = datetime(2027, 1, 1, tzinfo=UTC)
HEADERS = {"Deprecation": "@1767225600", "Sunset": "Mon, 01 Jun 2026 00:00:00 GMT"}
NO_HEADERS = {"Deprecation": None, "Sunset": None}
GONE = envelope(410, "Gone", PAGE_MESSAGES[410])
NOT_FOUND = envelope(404, "Not Found", PAGE_MESSAGES[404])
NOT_ALLOWED = envelope(405, "Method Not Allowed", PAGE_MESSAGES[405])
READ_ONLY = "GET, HEAD, OPTIONS"


def base_app(now: datetime, extension: bool = True, **options: t.Any) -> Flask:
    app = Flask(__name__, **options)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config["STATUS_ENVELOPE_DEPRECATION_CLOCK"] = lambda: now
    if extension:
        StatusEnvelope(app)
    return app


def answer(r: TestResponse) -> tuple[int, t.Any, dict[str, str | None]]:
    """Status, body (the envelope's JSON, else the text) and deprecation headers."""
    return (
        r.status_code,
        content_of(r),
        {name: r.headers.get(name) for name in ("Deprecation", "Sunset")},
    )


def allowed(r: TestResponse) -> str | None:
    allow = r.headers.get("Allow")
    return None if allow is None else ", ".join(sorted(allow.split(", ")))


# -- 1. A nested prefix given only at register_blueprint ----------------------------


def nested_app(
    parent_prefix_on: str, child_prefix_on: str, extension_first: bool
) -> Flask:
    app = base_app(AFTER, extension=extension_first)
    on_parent: dict[str, t.Any] = {"url_prefix": "/api"}
    on_child: dict[str, t.Any] = {"url_prefix": "/v1"}
    api = Blueprint("api", __name__, **(on_parent if parent_prefix_on == "bp" else {}))
    api.get("/status")(lambda: "status")
    v1 = Blueprint("v1", __name__, **(on_child if child_prefix_on == "bp" else {}))
    v1.get("/items")(lambda: "items")
    deprecated(v1, **SCHEDULE)
    api.register_blueprint(v1, **(on_child if child_prefix_on == "register" else {}))
    app.register_blueprint(api, **(on_parent if parent_prefix_on == "register" else {}))
    if not extension_first:
        StatusEnvelope(app)
    return app


@pytest.mark.parametrize("extension_first", [True, False])
@pytest.mark.parametrize("parent_prefix_on", ["bp", "register"])
@pytest.mark.parametrize("child_prefix_on", ["bp", "register"])
@pytest.mark.parametrize(
    ("url", "status", "body", "headers"),
    [
        ("/api/v1/items", 410, GONE, HEADERS),
        ("/api/v1/nope", 410, GONE, HEADERS),
        ("/api/v1", 410, GONE, HEADERS),
        ("/api/nope", 404, NOT_FOUND, NO_HEADERS),
        ("/api/status", 200, "status", NO_HEADERS),
    ],
)
def test_nested_prefix_from_any_source_after_the_sunset(
    parent_prefix_on: str,
    child_prefix_on: str,
    extension_first: bool,
    url: str,
    status: int,
    body: t.Any,
    headers: dict[str, str | None],
) -> None:
    app = nested_app(parent_prefix_on, child_prefix_on, extension_first)
    assert answer(app.test_client().get(url)) == (status, body, headers)


# -- 2. A deprecated blueprint on a subdomain or a host --------------------------------


def subdomain_app(subdomain_on: str) -> Flask:
    app = base_app(AFTER, subdomain_matching=True)
    app.config["SERVER_NAME"] = "example.test"
    on: dict[str, t.Any] = {"subdomain": "api"}
    v1 = Blueprint(
        "v1", __name__, url_prefix="/v1", **(on if subdomain_on == "bp" else {})
    )
    v1.get("/items")(lambda: "items")
    deprecated(v1, **SCHEDULE)
    app.register_blueprint(v1, **(on if subdomain_on == "register" else {}))
    app.get("/v1/status")(lambda: "status")
    return app


def host_app(subdomain_on: str) -> Flask:
    app = base_app(AFTER, host_matching=True, static_host="example.test")
    v1 = Blueprint("v1", __name__, url_prefix="/v1")
    v1.get("/items", host="api.example.test")(lambda: "items")
    deprecated(v1, **SCHEDULE)
    app.register_blueprint(v1)
    app.get("/v1/status", host="example.test")(lambda: "status")
    return app


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: subdomain_app("bp"), id="subdomain-on-blueprint"),
        pytest.param(lambda: subdomain_app("register"), id="subdomain-at-register"),
        pytest.param(lambda: host_app("route"), id="host-matching"),
    ],
)
@pytest.mark.parametrize(
    ("method", "url", "status", "body", "headers", "allow"),
    [
        ("GET", "http://api.example.test/v1/items", 410, GONE, HEADERS, None),
        ("GET", "http://api.example.test/v1/nope", 410, GONE, HEADERS, None),
        ("POST", "http://api.example.test/v1/items", 410, GONE, HEADERS, None),
        ("GET", "http://example.test/v1/nope", 404, NOT_FOUND, NO_HEADERS, None),
        ("GET", "http://example.test/v1/status", 200, "status", NO_HEADERS, None),
        (
            "POST",
            "http://example.test/v1/status",
            405,
            NOT_ALLOWED,
            NO_HEADERS,
            READ_ONLY,
        ),
    ],
)
def test_only_its_own_site_after_the_sunset(
    make: t.Callable[[], Flask],
    method: str,
    url: str,
    status: int,
    body: t.Any,
    headers: dict[str, str | None],
    allow: str | None,
) -> None:
    r = make().test_client().open(url, method=method)
    assert (answer(r), allowed(r)) == ((status, body, headers), allow)


# -- 3. 405s: whose route it is -------------------------------------------------------


def routes_app(now: datetime) -> Flask:
    app = base_app(now)
    v1 = Blueprint("v1", __name__, url_prefix="/v1")
    v1.get("/items")(lambda: "items")
    deprecated(v1, **SCHEDULE)
    app.register_blueprint(v1)
    app.get("/v1/health")(lambda: "ok")  # the app's own, under the prefix

    @app.get("/old")
    @deprecated(**SCHEDULE)
    def old() -> str:
        return "old"

    @app.get("/mixed")
    @deprecated(**SCHEDULE)
    def mixed_read() -> str:
        return "read"

    @app.post("/mixed")
    def mixed_write() -> str:  # the URL lives on
        return "written"

    return app


@pytest.mark.parametrize(
    ("now", "method", "url", "status", "body", "headers", "allow"),
    [
        # A live app route under a deprecated blueprint's prefix: its own 405.
        (BEFORE, "POST", "/v1/health", 405, NOT_ALLOWED, NO_HEADERS, READ_ONLY),
        (AFTER, "POST", "/v1/health", 405, NOT_ALLOWED, NO_HEADERS, READ_ONLY),
        (AFTER, "GET", "/v1/health", 200, "ok", NO_HEADERS, None),
        # A deprecated route: its 405 announces it, and is gone after the sunset.
        (BEFORE, "POST", "/old", 405, NOT_ALLOWED, HEADERS, READ_ONLY),
        (AFTER, "POST", "/old", 410, GONE, HEADERS, None),
        (BEFORE, "POST", "/v1/items", 405, NOT_ALLOWED, HEADERS, READ_ONLY),
        (AFTER, "POST", "/v1/items", 410, GONE, HEADERS, None),
        # A URL with a live route for another method is not gone.
        (
            AFTER,
            "DELETE",
            "/mixed",
            405,
            NOT_ALLOWED,
            NO_HEADERS,
            "GET, HEAD, OPTIONS, POST",
        ),
        (AFTER, "POST", "/mixed", 200, "written", NO_HEADERS, None),
    ],
)
def test_405_is_the_routes_own(
    now: datetime,
    method: str,
    url: str,
    status: int,
    body: t.Any,
    headers: dict[str, str | None],
    allow: str | None,
) -> None:
    r = routes_app(now).test_client().open(url, method=method)
    assert (answer(r), allowed(r)) == ((status, body, headers), allow)


# -- 4. Before the app's URL value preprocessors --------------------------------------


def preprocessed_app() -> Flask:
    app = base_app(BEFORE)

    @app.url_value_preprocessor
    def load_item(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        if app.config.get("DATABASE_DOWN"):
            raise ConnectionError("upstream-db.internal refused the connection")
        if values and values.get("item_id") == 0:
            abort(404)

    @app.get("/items/<int:item_id>")
    @deprecated(**SCHEDULE)
    def item(item_id: int) -> str:
        return f"item {item_id}"

    return app


def test_maintenance_answers_before_a_preprocessor_reaches_the_database() -> None:
    app = preprocessed_app()
    app.config.update(DATABASE_DOWN=True, STATUS_ENVELOPE_MAINTENANCE=True)
    r = app.test_client().get("/items/1")
    assert (r.status_code, content_of(r), r.headers.get("Retry-After")) == (
        503,
        envelope(503, "Service Unavailable", PAGE_MESSAGES[503]),
        "300",
    )


def test_a_preprocessors_error_on_a_deprecated_endpoint_has_the_headers() -> None:
    r = preprocessed_app().test_client().get("/items/0")
    assert answer(r) == (404, NOT_FOUND, HEADERS)
