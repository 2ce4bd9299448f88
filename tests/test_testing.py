"""``flask_status_envelope.testing``: ``assert_envelope`` and ``propagation_off``."""

from __future__ import annotations

import json
import re
import typing as t

import pytest
from flask import Flask, Response
from werkzeug.datastructures import Headers
from werkzeug.test import EnvironBuilder, TestResponse
from werkzeug.wrappers import Request

from flask_status_envelope import StatusEnvelope, abort_with
from flask_status_envelope.testing import assert_envelope, propagation_off

from .conftest import envelope


@pytest.fixture
def testing_app() -> Flask:
    app = Flask(__name__)
    app.config["TESTING"] = True
    StatusEnvelope(app)

    @app.get("/forbidden")
    def forbidden() -> str:
        abort_with(403, "Token is disabled")

    @app.get("/crash")
    def crash() -> str:
        raise RuntimeError("secret: hunter2")

    return app


def test_assert_envelope_returns_the_body(testing_app: Flask) -> None:
    response = testing_app.test_client().get("/forbidden")
    assert assert_envelope(response, 403, "Token is disabled") == envelope(
        403, "Forbidden", "Token is disabled"
    )
    assert assert_envelope(response, 403) == envelope(
        403, "Forbidden", "Token is disabled"
    )


def test_assert_envelope_checks_a_head_response_by_its_headers(
    testing_app: Flask,
) -> None:
    response = testing_app.test_client().head("/forbidden")
    assert (response.data, response.headers["Content-Length"]) == (b"", "73")
    assert assert_envelope(response, 403, "Not checked: there is no body") == {}


def raw(
    body: str,
    status: int = 404,
    mimetype: str = "application/json",
    length: str | None = None,
) -> Response:
    response = Response(body, status=status, mimetype=mimetype)
    if length is not None:
        response.headers["Content-Length"] = length
    return response


def head(
    body: bytes = b"",
    status: int = 404,
    mimetype: str = "application/json",
    length: str | None = "72",
) -> TestResponse:
    """A response to a ``HEAD`` request, as the test client returns it."""
    headers = Headers({"Content-Type": mimetype})
    if length is not None:
        headers["Content-Length"] = length
    request = Request(EnvironBuilder(method="HEAD").get_environ())
    return TestResponse([body], str(status), headers, request)


NOT_FOUND = '{"status": {"code": 404, "text": "Not Found", "message": "Gone away"}}'


@pytest.mark.parametrize(
    ("response", "code", "message", "expected"),
    [
        (
            raw("<h1>Hello</h1>", 200, "text/html"),
            404,
            None,
            "not the envelope for 404:\n"
            "  - status is 200, expected 404\n"
            "  - content type is 'text/html', expected 'application/json'\n"
            "  - body is not JSON (Expecting value: line 1 column 1 (char 0))\n"
            "body: '<h1>Hello</h1>'",
        ),
        (
            raw(NOT_FOUND),
            404,
            "Other",
            "not the envelope for 404:\n"
            "  - status.message is 'Gone away', expected 'Other'\n"
            f"body: {NOT_FOUND!r}",
        ),
        (
            raw(NOT_FOUND),
            410,
            None,
            "not the envelope for 410:\n"
            "  - status is 404, expected 410\n"
            "  - status.code is 404, expected 410\n"
            "  - status.text is 'Not Found', expected 'Gone'\n"
            f"body: {NOT_FOUND!r}",
        ),
        (
            raw('{"code": 404, "message": "x"}'),
            404,
            None,
            "not the envelope for 404:\n"
            "  - body is not an object with exactly the key 'status'\n"
            'body: \'{"code": 404, "message": "x"}\'',
        ),
        (
            raw('{"status": {"code": 404, "text": "Not Found"}}'),
            404,
            None,
            "not the envelope for 404:\n"
            "  - 'status' is not an object with exactly 'code', 'text', 'message'"
            " (and, optionally, 'errors')\n"
            'body: \'{"status": {"code": 404, "text": "Not Found"}}\'',
        ),
        (
            raw('{"status": {"code": 404, "text": "Not Found", "message": 7}}'),
            404,
            None,
            "not the envelope for 404:\n"
            "  - status.message is 7, not a string\n"
            'body: \'{"status": {"code": 404, "text": "Not Found", "message":'
            " 7}}'",
        ),
        (
            raw("x" * 2500, 404, "text/plain"),
            404,
            None,
            "not the envelope for 404:\n"
            "  - content type is 'text/plain', expected 'application/json'\n"
            "  - body is not JSON (Expecting value: line 1 column 1 (char 0))\n"
            f"body: '{'x' * 2000}...'",
        ),
        (
            raw(NOT_FOUND, length="10"),
            404,
            None,
            "not the envelope for 404:\n"
            f"  - Content-Length is '10', but the body has {len(NOT_FOUND)} bytes\n"
            f"body: {NOT_FOUND!r}",
        ),
        (
            head(length=None),
            404,
            None,
            "not the envelope for 404:\n  - Content-Length is missing\nbody: ''",
        ),
        (
            head(length="0"),
            404,
            None,
            "not the envelope for 404:\n"
            "  - Content-Length is '0', expected more than 0\n"
            "body: ''",
        ),
        (
            head(b"<h1>Not Found</h1>", 200, "text/html", "18"),
            404,
            None,
            "not the envelope for 404:\n"
            "  - status is 200, expected 404\n"
            "  - content type is 'text/html', expected 'application/json'\n"
            "  - the body of a HEAD response has 18 bytes\n"
            "body: '<h1>Not Found</h1>'",
        ),
    ],
)
def test_assert_envelope_failure_message(
    response: Response, code: int, message: str | None, expected: str
) -> None:
    with pytest.raises(AssertionError, match=re.escape(expected) + "$"):
        assert_envelope(response, code, message)


def test_testing_propagates_without_the_helper(testing_app: Flask) -> None:
    with pytest.raises(RuntimeError, match="hunter2"):
        testing_app.test_client().get("/crash")


def test_propagation_off_answers_500_for_one_block(testing_app: Flask) -> None:
    client = testing_app.test_client()
    with propagation_off(testing_app):
        response = client.get("/crash")
    assert_envelope(
        response,
        500,
        "There is an error on the server. Contact support if this keeps happening.",
    )
    assert testing_app.config["PROPAGATE_EXCEPTIONS"] is None
    with pytest.raises(RuntimeError, match="hunter2"):
        client.get("/crash")


def test_propagation_off_restores_after_an_error(testing_app: Flask) -> None:
    testing_app.config["PROPAGATE_EXCEPTIONS"] = True
    with pytest.raises(KeyError, match="in the block"), propagation_off(testing_app):
        raise KeyError("in the block")
    assert testing_app.config["PROPAGATE_EXCEPTIONS"] is True


def _with_errors(errors: object) -> tuple[Response, dict[str, t.Any]]:
    status = {"code": 422, "text": "Unprocessable Entity", "message": "m"}
    body = {"status": {**status, "errors": errors}}
    return raw(json.dumps(body), status=422), body


def test_assert_envelope_accepts_the_errors_member() -> None:
    response, body = _with_errors([{"field": "json.name", "message": "Missing."}])
    assert assert_envelope(response, 422) == body


@pytest.mark.parametrize(
    "errors",
    [[{"field": "json.name"}], "json.name: Missing.", [{"field": 1, "message": "x"}]],
)
def test_assert_envelope_refuses_a_malformed_errors_member(errors: object) -> None:
    response, _ = _with_errors(errors)
    problem = (
        f"status.errors is not a list of {{'field', 'message'}} strings: {errors!r}"
    )
    with pytest.raises(AssertionError, match=re.escape(problem)):
        assert_envelope(response, 422)
