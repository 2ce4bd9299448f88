"""The switches sample and CLI session of ``docs/production.rst``, on a real Redis."""

from __future__ import annotations

import pytest
from flask import Flask

from flask_status_envelope.testing import assert_envelope

from ..conftest import load_example


def create_app(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Flask:
    monkeypatch.setenv("SWITCHES_URL", redis_url)
    app: Flask = load_example("production_switches").create_app()
    return app


def flask(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["status-envelope", *args])
    assert (result.exit_code, result.exception) == (0, None), result.output
    return result.output


def test_retire_then_maintenance_as_the_guide_shows(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fresh process reads Redis on its first request: no TTL to wait for.
    app = create_app(redis_url, monkeypatch)
    assert "answers 410" in flask(app, "retire", "report")
    client = app.test_client()
    assert_envelope(client.get("/reports/1"), 410)
    assert client.get("/health").status_code == 200

    app = create_app(redis_url, monkeypatch)
    assert "Maintenance is on (Retry-After 600)" in flask(
        app, "maintenance", "on", "--retry-after", "600"
    )
    assert flask(app, "status").splitlines() == [
        "maintenance: on, Retry-After 600 (Redis "
        f"{redis_url}, key 'status_envelope:maintenance')",
        "retired: report",
    ]
    client = app.test_client()
    response = client.get("/reports/1")
    assert_envelope(response, 503)
    assert response.headers["Retry-After"] == "600"
    assert client.get("/health").status_code == 200
