"""The demo app (``examples/demo.py``): its rate-limited route, maintenance mode
and deprecated routes."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from flask_status_envelope.testing import assert_envelope

from ..conftest import ROOT, envelope, load_module
from ..deprecation.conftest import GONE, ITEMS_LINK, SINCE_HEADER, deprecation_headers

DEMO = ROOT / "examples" / "demo.py"


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    monkeypatch.setenv("DEMO_MAINTENANCE_FILE", str(tmp_path / "maintenance"))
    return load_module(DEMO, "demo_limits")


def test_search_is_rate_limited(demo: types.ModuleType) -> None:
    client = demo.create_app().test_client()
    responses = [client.get("/search") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert 55 <= int(responses[-1].headers["Retry-After"]) <= 60
    assert assert_envelope(responses[-1], 429) == envelope(
        429,
        "Too Many Requests",
        "The request limit has been exceeded. Try again later.",
    )


def test_maintenance_follows_the_file(demo: types.ModuleType, tmp_path: Path) -> None:
    client = demo.create_app().test_client()
    (tmp_path / "maintenance").touch()
    during = client.get("/me")
    health = client.get("/health")
    (tmp_path / "maintenance").unlink()
    after = client.get("/admin")
    assert (during.status_code, during.headers["Retry-After"]) == (503, "600")
    assert assert_envelope(during, 503) == envelope(
        503,
        "Service Unavailable",
        "The server is temporarily unavailable, usually due to maintenance or"
        " overload.",
    )
    assert (health.status_code, health.get_json()) == (200, {"healthy": True})
    assert assert_envelope(after, 403) == envelope(
        403, "Forbidden", "Token is disabled"
    )


def test_demo_retired_and_scheduled() -> None:
    demo = load_module(ROOT / "examples" / "demo.py", "demo_deprecation")
    client = demo.create_app().test_client()

    r = client.get("/v0/report")
    assert assert_envelope(r, 410) == GONE
    r = client.get("/v1/items")
    assert (r.status_code, r.get_json()) == (200, {"items": ["apple"]})
    assert deprecation_headers(r) == {
        "Deprecation": SINCE_HEADER,
        "Sunset": "Thu, 31 Dec 2099 00:00:00 GMT",
        "Link": ITEMS_LINK,
        "Retry-After": None,
    }
