"""Schedules, clocks and apps shared by the deprecation tests."""

from __future__ import annotations

import time
import typing as t
from datetime import datetime, timezone
from email.utils import formatdate

import pytest
from flask import Blueprint, Flask, Response, jsonify

from flask_status_envelope import abort_with, deprecated

from ..conftest import envelope

UTC = timezone.utc
GONE = envelope(
    410,
    "Gone",
    "The requested endpoint has been deprecated and is no longer available.",
)
SINCE = datetime(2026, 1, 1, tzinfo=UTC)
SUNSET = datetime(2026, 12, 31, tzinfo=UTC)
BEFORE = datetime(2026, 6, 1, 12, tzinfo=UTC)
AFTER = datetime(2027, 1, 1, tzinfo=UTC)
# Deprecation: @<unix seconds> of SINCE, Sunset: IMF-fixdate of SUNSET.
SINCE_HEADER = "@1767225600"
SUNSET_HEADER = "Thu, 31 Dec 2026 00:00:00 GMT"
GONE_ITEMS = envelope(410, "Gone", "Use /v2/items instead.")
#: The arguments of ``@deprecated`` for the items endpoints.
ITEMS: dict[str, t.Any] = {
    "since": "2026-01-01",
    "sunset": "2026-12-31",
    "successor": "/v2/items",
    "info": "https://example.com/changelog#v1-items",
    "message": "Use /v2/items instead.",
}
ITEMS_LINK = (
    '</v2/items>; rel="successor-version",'
    ' <https://example.com/changelog#v1-items>; rel="deprecation"'
)
EXPECTED = {
    "Deprecation": SINCE_HEADER,
    "Sunset": SUNSET_HEADER,
    "Link": ITEMS_LINK,
    "Retry-After": None,
}
NO_HEADERS: dict[str, str | None] = dict.fromkeys(EXPECTED)
NOT_FOUND = envelope(
    404, "Not Found", "The data you requested does not exist or cannot be found."
)


class Clock:
    """The injected clock: tests move it instead of sleeping."""

    def __init__(self) -> None:
        self.now = BEFORE

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(app: Flask) -> Clock:
    clock = Clock()
    app.config["STATUS_ENVELOPE_DEPRECATION_CLOCK"] = clock
    return clock


@pytest.fixture
def calls() -> list[str]:
    return []


def deprecation_headers(response: t.Any) -> dict[str, str | None]:
    return {
        name: response.headers.get(name)
        for name in ("Deprecation", "Sunset", "Link", "Retry-After")
    }


def content_of(response: t.Any) -> object:
    """The JSON body of a JSON response, else the body as text."""
    json_body = response.mimetype == "application/json"
    return response.get_json() if json_body else response.get_data(as_text=True)


def retired_headers(before: float, after: float) -> list[dict[str, str | None]]:
    """The possible headers of a bare ``@deprecated`` applied between two clock reads.

    It is deprecated and sunset at the whole second it was applied, read from the
    wall clock: any second from ``before`` to ``after``.
    """
    return [
        {
            "Deprecation": f"@{second}",
            "Sunset": formatdate(second, usegmt=True),
            "Link": None,
            "Retry-After": None,
        }
        for second in range(int(before), int(after) + 1)
    ]


@pytest.fixture
def wall_clock_at_start() -> float:
    """The wall clock read before the other fixtures decorate views."""
    return time.time()


@pytest.fixture
def items_app(app: Flask, clock: Clock, calls: list[str]) -> Flask:
    @app.get("/v1/items")
    @deprecated(**ITEMS)
    def items() -> Response:
        calls.append("items")
        return jsonify(items=[])

    @deprecated(**ITEMS)
    @app.get("/v1/items/<int:item_id>")
    def item(item_id: int) -> Response:
        calls.append("item")
        abort_with(404, f"Item {item_id} does not exist")

    @app.get("/v1/crash")
    @deprecated(**ITEMS)
    def crash() -> Response:
        raise RuntimeError("boom")

    @app.get("/v1/linked")
    @deprecated(**ITEMS)
    def linked() -> Response:
        response = jsonify(items=[])
        response.headers["Link"] = '</v1/linked?page=2>; rel="next"'
        return response

    return app


@pytest.fixture
def bp_app(wall_clock_at_start: float, app: Flask, clock: Clock) -> Flask:
    v1 = Blueprint("v1", __name__, url_prefix="/v1")

    @v1.get("/items")
    def items() -> str:
        return "items"

    @v1.get("/report")
    @deprecated
    def report() -> str:
        return "report"

    @v1.get("/broken")
    def broken() -> str:
        abort_with(403, "Token is disabled")

    nested = Blueprint("admin", __name__, url_prefix="/admin")

    @nested.get("/users")
    def users() -> str:
        return "users"

    v1.register_blueprint(nested)
    deprecated(v1, **ITEMS)
    app.register_blueprint(v1)

    v2 = Blueprint("v2", __name__, url_prefix="/v2")

    @v2.get("/items")
    def new_items() -> str:
        return "new items"

    app.register_blueprint(v2)

    @app.get("/v1items")
    def lookalike() -> str:
        return "not under /v1/"

    return app
