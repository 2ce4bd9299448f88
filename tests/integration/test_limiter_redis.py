"""Flask-Limiter on a real Redis that fails in the middle of a breach."""

from __future__ import annotations

import typing as t

import pytest
import redis
from flask import Flask, jsonify
from flask.testing import FlaskClient
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address

from flask_status_envelope import StatusEnvelope
from flask_status_envelope.testing import assert_envelope

from ..conftest import envelope
from .servers import redis_server

PAGE_429 = "The request limit has been exceeded. Try again later."


def limited_app(
    *, limiter_first: bool = False, **limiter_options: t.Any
) -> tuple[Flask, Limiter]:
    """An app with a Limiter on memory storage and a ``/limited`` route, 1/minute."""
    app = Flask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    limiter_options.setdefault("storage_uri", "memory://")
    limiter = Limiter(get_remote_address, **limiter_options)
    if limiter_first:
        limiter.init_app(app)
        StatusEnvelope(app)
    else:
        StatusEnvelope(app)
        limiter.init_app(app)

    @app.get("/limited")
    @limiter.limit("1 per minute")
    def limited() -> ResponseReturnValue:
        return jsonify(ok=True)

    return app, limiter


def breach(client: FlaskClient, path: str = "/limited") -> t.Any:
    """Use up the limit of ``path`` and return the first refused response."""
    assert client.get(path).status_code == 200
    return client.get(path)


def retry_after_seconds(response: t.Any) -> int:
    """The ``Retry-After`` header, which must be a single delta-seconds value."""
    values = response.headers.getlist("Retry-After")
    assert len(values) == 1, values
    assert values[0].isdigit(), values
    return int(values[0])


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
    assert r.status_code == 429
    assert assert_envelope(r, 429) == envelope(429, "Too Many Requests", PAGE_429)
    assert retry_after_seconds(r) == 60
    assert [record.getMessage() for record in caplog.records] == [
        "flask-status-envelope could not read when the rate limit 1 per 1 minute"
        " resets; sending its window length as Retry-After"
    ]
