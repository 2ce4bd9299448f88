from __future__ import annotations

import json
import typing as t
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from flask_status_envelope import StatusEnvelope

from .servers import redis_server


@pytest.fixture
def app(request: pytest.FixtureRequest) -> Flask:
    """A production-like app with the extension: errors are not propagated.

    pytest-flask's ``client`` fixture uses it.
    """
    app = Flask(request.module.__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    StatusEnvelope(app)
    return app


def envelope(code: int, text: str, message: str) -> dict[str, t.Any]:
    """The exact body the contract promises."""
    return {"status": {"code": code, "text": text, "message": message}}


def body_of(response: TestResponse) -> t.Any:
    """Parse the body as JSON after checking that it is sent as JSON."""
    assert response.mimetype == "application/json", response.data
    return json.loads(response.get_data(as_text=True))


@pytest.fixture
def redis_url(tmp_path: Path) -> t.Iterator[str]:
    """The URL of a real ``redis-server``, started for the test and stopped after."""
    with redis_server(tmp_path) as url:
        yield url
