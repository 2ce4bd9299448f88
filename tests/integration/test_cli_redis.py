"""``flask status-envelope`` with a real Redis: the fleet switches from a shell."""

from __future__ import annotations

import pytest
import redis
from flask import Flask

from flask_status_envelope.testing import assert_envelope

from ..test_cli import create_app, later, refused, run, succeeded
from .servers import free_port


@pytest.fixture
def redis_app(redis_url: str) -> Flask:
    return create_app(STATUS_ENVELOPE_SWITCHES_URL=redis_url)


def test_the_group_is_on_the_apps_cli(redis_app: Flask) -> None:
    output = succeeded(redis_app.test_cli_runner().invoke(args=["--help"]))
    assert "status-envelope" in output
    output = succeeded(run(redis_app, "--help"))
    for command in ["maintenance", "retire", "restore", "status"]:
        assert command in output


def test_maintenance_on_and_off_through_redis(redis_app: Flask, redis_url: str) -> None:
    output = succeeded(run(redis_app, "maintenance", "on", "--retry-after", "120"))
    assert "Maintenance is on (Retry-After 120)" in output
    assert redis.Redis.from_url(redis_url).get("status_envelope:maintenance") == b"120"
    response = later(redis_app, "/items")
    assert_envelope(response, 503)
    assert response.headers["Retry-After"] == "120"
    assert "on, Retry-After 120" in succeeded(run(redis_app, "maintenance", "status"))
    succeeded(run(redis_app, "maintenance", "off"))
    assert later(redis_app, "/items").status_code == 200
    assert "maintenance: off" in succeeded(run(redis_app, "maintenance", "status"))


def test_maintenance_on_without_retry_after_uses_the_configured_one(
    redis_url: str,
) -> None:
    app = create_app(
        STATUS_ENVELOPE_SWITCHES_URL=redis_url,
        STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER=45,
    )
    assert "Retry-After 45" in succeeded(run(app, "maintenance", "on"))
    assert later(app, "/items").headers["Retry-After"] == "45"


def test_a_negative_retry_after_is_refused(redis_app: Flask) -> None:
    assert "-5" in refused(
        run(redis_app, "maintenance", "on", "--retry-after", "-5"), 2
    )


def test_retire_and_restore(redis_app: Flask) -> None:
    assert "'report' answers 410" in succeeded(run(redis_app, "retire", "report"))
    assert_envelope(later(redis_app, "/report"), 410)
    assert redis_app.test_client().get("/items").status_code == 200
    assert "retired: report" in succeeded(run(redis_app, "status"))
    succeeded(run(redis_app, "restore", "report"))
    assert later(redis_app, "/report").status_code == 200
    assert "retired: none" in succeeded(run(redis_app, "status"))


@pytest.mark.parametrize("command", ["retire", "restore"])
def test_an_unknown_endpoint_is_refused_with_the_apps_names(
    redis_app: Flask, command: str
) -> None:
    output = refused(run(redis_app, command, "reprot"), 2)
    assert "'reprot' is not an endpoint" in output
    assert "Did you mean 'report'?" in output
    assert "items, report, static" in output


def test_a_retired_name_the_app_no_longer_has_can_be_restored(
    redis_app: Flask, redis_url: str
) -> None:
    redis.Redis.from_url(redis_url).sadd("status_envelope:retired", "old.view")
    succeeded(run(redis_app, "restore", "old.view"))
    assert "retired: none" in succeeded(run(redis_app, "status"))


def test_an_unreachable_redis_is_a_clear_error() -> None:
    url = f"redis://:s3cr3t-pw@127.0.0.1:{free_port()}/0"
    app = create_app(STATUS_ENVELOPE_SWITCHES_URL=url)
    for command in [("maintenance", "on"), ("retire", "report"), ("status",)]:
        output = refused(run(app, *command), 1)
        assert "Cannot reach Redis at redis://:***@127.0.0.1" in output
        assert "s3cr3t-pw" not in output
