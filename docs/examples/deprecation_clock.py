"""Testing a schedule without waiting: inject the clock."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask


class FixedClock:
    """A clock that tells the time the test sets."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def freeze(app: Flask, now: datetime) -> FixedClock:
    clock = FixedClock(now)
    app.config["STATUS_ENVELOPE_DEPRECATION_CLOCK"] = clock
    return clock


def check_the_sunset(app: Flask) -> None:
    """What a test of your own app could look like."""
    clock = freeze(app, datetime(2026, 6, 1, tzinfo=timezone.utc))
    client = app.test_client()
    assert client.get("/v1/items").status_code == 200

    clock.now = datetime(2026, 12, 31, tzinfo=timezone.utc)
    response = client.get("/v1/items")
    assert response.status_code == 410
    assert response.json == {
        "status": {"code": 410, "text": "Gone", "message": "Use /v2/items instead."}
    }
