"""The samples of ``docs/ratelimits.rst``, run as the guide shows them."""

from __future__ import annotations

from pathlib import Path

import pytest

from flask_status_envelope.testing import assert_envelope

from ..conftest import envelope, load_example


@pytest.mark.parametrize(
    ("method", "path", "allowed", "retry_after", "message"),
    [
        (
            "GET",
            "/search",
            2,
            (55, 60),
            "The request limit has been exceeded. Try again later.",
        ),
        ("POST", "/exports", 1, (3590, 3600), "Only one export per hour."),
    ],
)
def test_ratelimit_sample(
    method: str,
    path: str,
    allowed: int,
    retry_after: tuple[int, int],
    message: str,
) -> None:
    client = load_example("ratelimit").create_app().test_client()
    responses = [client.open(path, method=method) for _ in range(allowed + 1)]
    assert [r.status_code < 300 for r in responses] == [True] * allowed + [False]
    refused = responses[-1]
    assert assert_envelope(refused, 429) == envelope(429, "Too Many Requests", message)
    low, high = retry_after
    assert low <= int(refused.headers["Retry-After"]) <= high


def test_maintenance_sample(tmp_path: Path) -> None:
    flag = tmp_path / "maintenance"
    client = load_example("maintenance").create_app(str(flag)).test_client()
    before = client.get("/orders")
    flag.touch()
    during, health = client.get("/orders"), client.get("/health")
    flag.unlink()
    after = client.get("/orders")
    assert [r.status_code for r in (before, during, health, after)] == [
        200,
        503,
        200,
        200,
    ]
    assert during.headers["Retry-After"] == "600"
    assert assert_envelope(during, 503) == envelope(
        503,
        "Service Unavailable",
        "The server is temporarily unavailable, usually due to maintenance or"
        " overload.",
    )
