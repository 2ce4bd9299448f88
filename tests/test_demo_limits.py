"""The demo's rate-limited route and maintenance mode."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from .conftest import body_of, envelope, load_module

DEMO = Path(__file__).parent.parent / "examples" / "demo.py"


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    monkeypatch.setenv("DEMO_MAINTENANCE_FILE", str(tmp_path / "maintenance"))
    return load_module(DEMO, "demo_limits")


def test_search_is_rate_limited(demo: types.ModuleType) -> None:
    client = demo.create_app().test_client()
    responses = [client.get("/search") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert 55 <= int(responses[-1].headers["Retry-After"]) <= 60
    assert body_of(responses[-1]) == envelope(
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
    assert body_of(during) == envelope(
        503,
        "Service Unavailable",
        "The server is temporarily unavailable, usually due to maintenance or"
        " overload.",
    )
    assert (health.status_code, health.get_json()) == (200, {"healthy": True})
    assert body_of(after) == envelope(403, "Forbidden", "Token is disabled")
