"""ENVELOPE_SCHEMA describes the envelope with the request id in its body."""

from __future__ import annotations

import typing as t

import pytest
from flask import Flask
from jsonschema import Draft202012Validator

from flask_status_envelope import StatusEnvelope, abort_with
from flask_status_envelope.openapi import ENVELOPE_SCHEMA

VALIDATOR = Draft202012Validator(ENVELOPE_SCHEMA)


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        PROPAGATE_EXCEPTIONS=False, STATUS_ENVELOPE_REQUEST_ID_IN_BODY=True
    )
    StatusEnvelope(app)

    @app.get("/forbidden")
    def forbidden() -> t.NoReturn:
        abort_with(403)

    @app.get("/crash")
    def crash() -> t.NoReturn:
        raise RuntimeError("boom")

    return app


@pytest.mark.parametrize("path", ["/forbidden", "/crash", "/no/such/url"])
@pytest.mark.parametrize("incoming", [{}, {"X-Request-ID": "lb:42.a_b-c"}])
def test_an_envelope_with_its_id_is_valid(path: str, incoming: dict[str, str]) -> None:
    response = create_app().test_client().get(path, headers=incoming)
    body = response.get_json()
    assert body["status"]["request_id"] == response.headers["X-Request-ID"]
    assert list(VALIDATOR.iter_errors(body)) == []


@pytest.mark.parametrize("bad", ["", "x" * 129, "has space", 42])
def test_a_request_id_the_extension_never_sends_is_invalid(bad: object) -> None:
    body = {
        "status": {
            "code": 403,
            "text": "Forbidden",
            "message": "No.",
            "request_id": bad,
        }
    }
    assert not VALIDATOR.is_valid(body)
