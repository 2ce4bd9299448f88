"""The examples of the deprecation guide (``docs/examples/deprecation_*.py``)."""

from __future__ import annotations

from datetime import datetime

import pytest

from flask_status_envelope.testing import assert_envelope

from ..conftest import load_example
from ..deprecation.conftest import (
    AFTER,
    BEFORE,
    EXPECTED,
    GONE,
    GONE_ITEMS,
    ITEMS_LINK,
    NO_HEADERS,
    NOT_FOUND,
    SINCE_HEADER,
    SUNSET_HEADER,
    deprecation_headers,
)

announce = load_example("deprecation_announce")
sunset_example = load_example("deprecation_sunset")
retired_example = load_example("deprecation_retired")
blueprint_example = load_example("deprecation_blueprint")
signal_example = load_example("deprecation_signal")
clock_example = load_example("deprecation_clock")
ANNOUNCED = {
    "Deprecation": "@1767225600",
    "Sunset": None,
    "Link": ITEMS_LINK,
    "Retry-After": None,
}


def test_example_announce() -> None:
    client = announce.create_app().test_client()
    r = client.get("/v1/items")
    assert (r.status_code, r.get_json()) == (200, {"items": ["apple"]})
    assert deprecation_headers(r) == ANNOUNCED
    r = client.get("/v2/items")
    assert (r.status_code, deprecation_headers(r)) == (200, NO_HEADERS)


@pytest.mark.parametrize(
    ("now", "status", "body"),
    [
        (datetime(2026, 6, 1), 200, {"items": ["apple"]}),
        (datetime(2026, 12, 1, 10, 30), 410, GONE_ITEMS),
        (datetime(2026, 12, 1, 11), 200, {"items": ["apple"]}),
        (datetime(2026, 12, 31), 410, GONE_ITEMS),
    ],
    ids=["announced", "brownout", "after-brownout", "sunset"],
)
def test_example_sunset(now: datetime, status: int, body: object) -> None:
    app = sunset_example.create_app()
    clock_example.freeze(app, now)
    r = app.test_client().get("/v1/items")
    assert (r.status_code, r.get_json()) == (status, body)
    assert deprecation_headers(r) == EXPECTED


def test_example_roll_back() -> None:
    app = sunset_example.create_app()
    app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] = False
    clock_example.freeze(app, AFTER)
    r = app.test_client().get("/v1/items")
    assert (r.status_code, r.get_json()) == (200, {"items": ["apple"]})
    assert deprecation_headers(r) == EXPECTED


def test_example_retired() -> None:
    r = retired_example.create_app().test_client().get("/v0/report")
    assert assert_envelope(r, 410) == GONE


BLUEPRINT_HEADERS = {
    "Deprecation": SINCE_HEADER,
    "Sunset": SUNSET_HEADER,
    "Link": '</v2>; rel="successor-version"',
    "Retry-After": None,
}


@pytest.mark.parametrize(
    ("now", "path", "status", "body"),
    [
        (BEFORE, "/v1/items", 200, {"items": ["apple"]}),
        (BEFORE, "/v1/orders", 200, {"orders": []}),
        (BEFORE, "/v1/nothing", 404, NOT_FOUND),
        (AFTER, "/v1/items", 410, GONE),
        (AFTER, "/v1/nothing", 410, GONE),
    ],
)
def test_example_blueprint(now: datetime, path: str, status: int, body: object) -> None:
    app = blueprint_example.create_app()
    clock_example.freeze(app, now)
    r = app.test_client().get(path)
    assert (r.status_code, r.get_json()) == (status, body)
    assert deprecation_headers(r) == BLUEPRINT_HEADERS


def test_example_signal() -> None:
    app = announce.create_app()
    # The example counts in a module-level Counter: start from zero.
    signal_example.calls.clear()
    signal_example.count_deprecated_calls(app)
    client = app.test_client()
    client.get("/v1/items", headers={"User-Agent": "legacy-app/1.0"})
    client.get("/v1/items", headers={"User-Agent": "legacy-app/1.0"})
    client.get("/v2/items", headers={"User-Agent": "new-app/2.0"})
    assert signal_example.calls == {("items_v1", "deprecated", "legacy-app/1.0"): 2}


def test_example_clock() -> None:
    clock_example.check_the_sunset(sunset_example.create_app())
