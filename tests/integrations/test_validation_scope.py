"""marshmallow's ValidationError raised in a view, in and out of
STATUS_ENVELOPE_SCOPE: the 422 envelope in scope, as without the extension outside."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from marshmallow import Schema, fields

from flask_status_envelope import StatusEnvelope

from ..conftest import envelope


class User(Schema):
    name = fields.String(required=True)


def make_app(extension: bool) -> Flask:
    app = Flask(__name__)
    app.config.update(PROPAGATE_EXCEPTIONS=False, STATUS_ENVELOPE_SCOPE=["/api"])
    if extension:
        StatusEnvelope(app)
    for url in ("/api/users", "/users"):
        app.post(url, endpoint=url)(lambda: User().load({}))
    return app


def test_in_scope_the_422_envelope() -> None:
    r = make_app(True).test_client().post("/api/users")
    assert (r.status_code, r.get_json()) == (
        422,
        envelope(
            422,
            "Unprocessable Entity",
            "name: Missing data for required field.",
            [{"field": "name", "message": "Missing data for required field."}],
        ),
    )


def test_out_of_scope_raised_again_as_without_the_extension(
    caplog: pytest.LogCaptureFixture,
) -> None:
    answers = []
    for extension in (True, False):
        caplog.clear()
        with caplog.at_level(logging.ERROR):
            r = make_app(extension).test_client().post("/users")
        logs = [
            (rec.getMessage(), rec.exc_info and rec.exc_info[0])
            for rec in caplog.records
        ]
        answers.append((r.status, r.headers.to_wsgi_list(), r.get_data(), logs))
    assert answers[0] == answers[1]
    assert answers[0][0] == "500 INTERNAL SERVER ERROR"
