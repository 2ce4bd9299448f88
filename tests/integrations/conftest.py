"""Apps and checks shared by the tests of other libraries' integrations."""

from __future__ import annotations

import typing as t

from flask import Flask, jsonify
from flask.testing import FlaskClient
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from flask_status_envelope import StatusEnvelope

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
