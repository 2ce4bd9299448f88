"""Fleet switches in a real Redis: maintenance and retired endpoints, cached per TTL."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import threading
import time
import typing as t
from pathlib import Path

import pytest
import redis
from flask import Flask

from flask_status_envelope import StatusEnvelope, deprecated
from flask_status_envelope.testing import assert_envelope

from .servers import free_port, redis_process

TTL = 0.3
MAINTENANCE = "status_envelope:maintenance"
RETIRED = "status_envelope:retired"


class Redis(t.NamedTuple):
    url: str
    process: subprocess.Popen[bytes]
    client: redis.Redis


@pytest.fixture
def server(tmp_path: Path) -> t.Iterator[Redis]:
    with redis_process(tmp_path) as (url, process):
        client = redis.Redis.from_url(url, socket_timeout=2)
        try:
            yield Redis(url, process, client)
        finally:
            client.close()


def create_app(url: str, **config: t.Any) -> Flask:
    app = Flask(__name__)
    app.config.update(
        {
            "PROPAGATE_EXCEPTIONS": False,
            "STATUS_ENVELOPE_SWITCHES_URL": url,
            "STATUS_ENVELOPE_SWITCHES_TTL": TTL,
            "STATUS_ENVELOPE_MAINTENANCE_EXEMPT": {"health"},
            **config,
        }
    )
    StatusEnvelope(app)

    @app.get("/items")
    def items() -> t.Any:
        return {"items": []}

    @app.get("/report")
    def report() -> t.Any:
        return {"report": "ok"}

    @app.get("/health")
    def health() -> str:
        return "ok"

    return app


def calls(client: redis.Redis, command: str) -> int:
    stats = t.cast("dict[str, dict[str, int]]", client.info("commandstats"))
    return stats.get(f"cmdstat_{command}", {}).get("calls", 0)


def status_after_ttl(app: Flask, path: str) -> int:
    time.sleep(TTL + 0.05)
    return app.test_client().get(path).status_code


def test_maintenance_from_redis_with_its_retry_after(server: Redis) -> None:
    app = create_app(server.url)
    client = app.test_client()
    assert client.get("/items").status_code == 200
    server.client.set(MAINTENANCE, "120")
    time.sleep(TTL + 0.05)
    response = client.get("/items")
    assert_envelope(response, 503)
    assert response.headers.getlist("Retry-After") == ["120"]
    assert client.get("/health").status_code == 200
    server.client.delete(MAINTENANCE)
    assert status_after_ttl(app, "/items") == 200


def test_maintenance_without_a_value_sends_the_configured_retry_after(
    server: Redis,
) -> None:
    app = create_app(server.url, STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER=77)
    server.client.set(MAINTENANCE, "")
    response = app.test_client().get("/items")
    assert_envelope(response, 503)
    assert response.headers.getlist("Retry-After") == ["77"]


def test_a_retired_endpoint_answers_410_until_restored(server: Redis) -> None:
    app = create_app(server.url)
    client = app.test_client()
    server.client.sadd(RETIRED, "report")
    assert_envelope(client.get("/report"), 410)
    assert client.get("/items").status_code == 200
    server.client.srem(RETIRED, "report")
    assert status_after_ttl(app, "/report") == 200


@pytest.mark.parametrize(
    ("strings", "code", "message"),
    [({}, 410, "Use /v2/report."), ({MAINTENANCE: ""}, 503, None)],
    ids=["retired", "retired-and-maintenance"],
)
def test_a_deprecated_endpoint_past_its_sunset_keeps_its_410(
    server: Redis, strings: dict[str, str], code: int, message: str | None
) -> None:
    app = create_app(server.url)

    @app.get("/v1/report")
    @deprecated(sunset="2020-01-01", message="Use /v2/report.")
    def old_report() -> str:
        return "never"

    server.client.sadd(RETIRED, "old_report")
    for key, value in strings.items():
        server.client.set(key, value)
    # The deprecation's own message, not the switch's default; maintenance first.
    assert_envelope(app.test_client().get("/v1/report"), code, message)


def test_redis_is_asked_once_per_ttl_not_per_request(server: Redis) -> None:
    app = create_app(server.url, STATUS_ENVELOPE_SWITCHES_TTL=5)
    client = app.test_client()
    server.client.config_resetstat()
    for _ in range(50):
        assert client.get("/items").status_code == 200
    assert (calls(server.client, "get"), calls(server.client, "smembers")) == (1, 1)
    # Within the TTL a flip is not seen yet: the state is the cached one.
    server.client.set(MAINTENANCE, "")
    assert client.get("/items").status_code == 200


def test_after_the_ttl_no_thread_serves_the_old_state(server: Redis) -> None:
    app = create_app(server.url)
    assert app.test_client().get("/items").status_code == 200
    server.client.set(MAINTENANCE, "")
    time.sleep(TTL + 0.05)
    server.client.config_resetstat()
    barrier = threading.Barrier(16)
    statuses: list[int] = []

    def request() -> None:
        client = app.test_client()
        barrier.wait()
        statuses.append(client.get("/items").status_code)

    threads = [threading.Thread(target=request) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert statuses == [503] * 16
    assert calls(server.client, "get") == 1


def timed_statuses(app: Flask, path: str, seconds: float) -> list[tuple[int, float]]:
    """GET ``path`` for ``seconds``; return status and duration of each request."""
    client = app.test_client()
    results = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        start = time.monotonic()
        status = client.get(path).status_code
        results.append((status, time.monotonic() - start))
        time.sleep(0.02)
    return results


def outage_records(caplog: pytest.LogCaptureFixture) -> tuple[list[str], list[str]]:
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    infos = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    return warnings, infos


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fail", "during", "retry_after"),
    [("open", 200, None), ("closed", 503, "77")],
)
def test_a_redis_that_drops_packets_never_stalls_requests(
    server: Redis,
    caplog: pytest.LogCaptureFixture,
    fail: str,
    during: int,
    retry_after: str | None,
) -> None:
    caplog.set_level(logging.INFO)
    app = create_app(
        server.url,
        STATUS_ENVELOPE_SWITCHES_FAIL=fail,
        STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER=77,
    )
    server.client.sadd(RETIRED, "report")
    assert app.test_client().get("/report").status_code == 410
    os.kill(server.process.pid, signal.SIGSTOP)
    try:
        time.sleep(TTL)
        results = timed_statuses(app, "/report", 5 * TTL)
        response = app.test_client().get("/report")
        health = app.test_client().get("/health").status_code
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
    durations = [d for _, d in results]
    slow = [d for d in durations if d > 0.1]
    print(
        f"\nRedis paused, fail={fail}: {len(results)} requests, slowest"
        f" {max(durations):.3f} s, {len(slow)} slower than 0.1 s"
    )
    # Only the request that asks Redis waits, for about one socket timeout.
    assert max(durations) < 0.6
    assert len(slow) <= 5 * TTL / TTL + 1
    statuses = [s for s, _ in results]
    # The last known state (410) first, then, one TTL without an answer, the
    # fallback, and only the fallback from then on.
    assert statuses[0] == 410
    first = statuses.index(during)
    assert set(statuses[first:]) == {during}
    assert response.status_code == during
    assert response.headers.get("Retry-After") == retry_after
    assert health == 200
    # Redis answers again: the switches come back within a TTL.
    time.sleep(TTL + 0.05)
    assert app.test_client().get("/report").status_code == 410
    warnings, infos = outage_records(caplog)
    assert len(warnings) == 1, warnings
    assert "does not answer" in warnings[0]
    assert len(infos) == 1, infos
    assert "answers again" in infos[0]


@pytest.mark.slow
def test_a_stopped_redis_then_started_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    port = free_port()
    with redis_process(tmp_path, port) as (url, _):
        app = create_app(url)
        redis.Redis.from_url(url).sadd(RETIRED, "report")
        assert app.test_client().get("/report").status_code == 410
    # Refused connections: nothing waits at all.
    results = timed_statuses(app, "/report", 4 * TTL)
    assert max(d for _, d in results) < 0.1
    assert results[-1][0] == 200
    with redis_process(tmp_path, port) as (url, _):
        redis.Redis.from_url(url).sadd(RETIRED, "report")
        assert status_after_ttl(app, "/report") == 410
    warnings, infos = outage_records(caplog)
    assert (len(warnings), len(infos)) == (1, 1), (warnings, infos)


@pytest.mark.parametrize(("fail", "status"), [("open", 200), ("closed", 503)])
def test_a_redis_never_reached_gives_the_fallback_at_once(
    fail: str, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(
        f"redis://127.0.0.1:{free_port()}/0", STATUS_ENVELOPE_SWITCHES_FAIL=fail
    )
    client = app.test_client()
    assert [client.get("/items").status_code for _ in range(5)] == [status] * 5
    assert client.get("/health").status_code == 200
    assert len(outage_records(caplog)[0]) == 1


def test_the_password_is_never_logged(
    server: Redis, caplog: pytest.LogCaptureFixture
) -> None:
    # This server has no password, so AUTH fails: an unanswered read.
    url = server.url.replace("redis://", "redis://:s3cr3t-pw@")
    app = create_app(url)
    assert app.test_client().get("/items").status_code == 200
    [warning] = outage_records(caplog)[0]
    assert "s3cr3t-pw" not in caplog.text
    assert ":***@127.0.0.1" in warning


def test_a_prefix_of_its_own_keeps_apps_apart(server: Redis) -> None:
    shop = create_app(server.url, STATUS_ENVELOPE_SWITCHES_PREFIX="shop:")
    blog = create_app(server.url, STATUS_ENVELOPE_SWITCHES_PREFIX="blog:")
    server.client.set("shop:maintenance", "")
    assert shop.test_client().get("/items").status_code == 503
    assert blog.test_client().get("/items").status_code == 200


def test_without_a_url_redis_is_never_asked(server: Redis) -> None:
    app = Flask(__name__)
    StatusEnvelope(app)

    @app.get("/items")
    def items() -> str:
        return "ok"

    server.client.set(MAINTENANCE, "")
    server.client.config_resetstat()
    assert app.test_client().get("/items").status_code == 200
    assert calls(server.client, "get") == 0


@pytest.mark.parametrize(
    ("config", "error", "match"),
    [
        ({"STATUS_ENVELOPE_SWITCHES_URL": 6379}, TypeError, "a Redis URL or None"),
        (
            {"STATUS_ENVELOPE_SWITCHES_URL": "http://127.0.0.1:6379"},
            ValueError,
            "'http://127.0.0.1:6379' is not a Redis URL",
        ),
        (
            {"STATUS_ENVELOPE_SWITCHES_URL": "127.0.0.1:6379"},
            ValueError,
            "'127.0.0.1:6379' is not a Redis URL, which starts with redis://",
        ),
        (
            {"STATUS_ENVELOPE_SWITCHES_URL": "http://u:pw@127.0.0.1:6379"},
            ValueError,
            r"'http://u:\*\*\*@127.0.0.1:6379' is not a Redis URL",
        ),
        ({"STATUS_ENVELOPE_SWITCHES_TTL": 0}, ValueError, "more than 0 seconds"),
        ({"STATUS_ENVELOPE_SWITCHES_TTL": "2"}, TypeError, "a number of seconds"),
        ({"STATUS_ENVELOPE_SWITCHES_TTL": True}, TypeError, "a number of seconds"),
        (
            {"STATUS_ENVELOPE_SWITCHES_FAIL": "close"},
            ValueError,
            "got 'close'. Did you mean 'closed'?",
        ),
        ({"STATUS_ENVELOPE_SWITCHES_PREFIX": ""}, TypeError, "a non-empty str"),
    ],
)
def test_bad_settings_are_refused_at_init_app(
    config: dict[str, t.Any], error: type[Exception], match: str
) -> None:
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_SWITCHES_URL"] = "redis://127.0.0.1:6379/0"
    app.config.update(config)
    with pytest.raises(error, match=match):
        StatusEnvelope(app)
