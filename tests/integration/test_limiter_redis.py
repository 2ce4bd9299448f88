"""Flask-Limiter on a real Redis that fails in the middle of a breach."""

from __future__ import annotations

import typing as t

import pytest
import redis
from flask_limiter import RequestLimit

from flask_status_envelope.testing import assert_envelope

from ..conftest import envelope
from ..integrations.conftest import PAGE_429, breach, limited_app, retry_after_seconds
from .servers import redis_server


def test_a_failing_storage_sends_the_window_length(
    tmp_path: t.Any, caplog: pytest.LogCaptureFixture
) -> None:
    with redis_server(tmp_path) as url:
        server = {"url": url}

        def storage_dies(request_limit: RequestLimit) -> None:
            # The storage goes away between the check and the 429 response.
            redis.Redis.from_url(server["url"]).shutdown(nosave=True)

        app, _ = limited_app(storage_uri=url, on_breach=storage_dies)
        r = breach(app.test_client())
    assert assert_envelope(r, 429) == envelope(429, "Too Many Requests", PAGE_429)
    assert retry_after_seconds(r) == 60
    assert [record.getMessage() for record in caplog.records] == [
        "flask-status-envelope could not read when the rate limit 1 per 1 minute"
        " resets; sending its window length as Retry-After"
    ]
