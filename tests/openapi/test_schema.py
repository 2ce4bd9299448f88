"""The envelope's JSON Schema and OpenAPI response objects: every body the
extension sends validates, and nothing else does."""

from __future__ import annotations

import re
import typing as t

import pytest
from flask import Flask, Response, abort
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from flask_status_envelope import StatusEnvelope, abort_with, envelope_response
from flask_status_envelope.openapi import (
    ENVELOPE_SCHEMA,
    PROBLEM_SCHEMA,
    PROBLEM_SCHEMA_REF,
    envelope_example,
    envelope_schema,
    error_responses,
    problem_example,
    problem_schema,
)
from flask_status_envelope.testing import assert_envelope

from ..conftest import envelope

VALIDATOR = Draft202012Validator(ENVELOPE_SCHEMA)
PROBLEM_VALIDATOR = Draft202012Validator(
    PROBLEM_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER
)
ALL_CODES = list(range(400, 600))


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(ENVELOPE_SCHEMA)
    assert ENVELOPE_SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_abort_with_response_validates(app: Flask, code: int) -> None:
    @app.get("/fail")
    def fail() -> str:
        abort_with(code, 'Ünïcode "quotes" <b>markup</b>')

    response = app.test_client().get("/fail")
    body = assert_envelope(response, code, 'Ünïcode "quotes" <b>markup</b>')
    VALIDATOR.validate(body)


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_default_message_validates(app: Flask, code: int) -> None:
    with app.app_context():
        response = envelope_response(code)
    # The default message, which the documented example shows.
    body = assert_envelope(response, code)
    assert body == envelope_example(code)
    VALIDATOR.validate(body)


@pytest.mark.parametrize(
    ("path", "method", "code", "text", "message"),
    [
        (
            "/missing",
            "get",
            404,
            "Not Found",
            "The data you requested does not exist or cannot be found.",
        ),
        (
            "/ok",
            "post",
            405,
            "Method Not Allowed",
            "The HTTP method used is not allowed for this endpoint.",
        ),
        (
            "/crash",
            "get",
            500,
            "Internal Server Error",
            "There is an error on the server. Contact support if this keeps happening.",
        ),
        (
            "/flask-abort",
            "get",
            403,
            "Forbidden",
            "The operation is not allowed, permission can't be given.",
        ),
        (
            "/bad-json",
            "post",
            400,
            "Bad Request",
            "The parameter you submitted is not valid. Please recheck request body"
            " before submitting the request.",
        ),
    ],
)
def test_framework_errors_validate(
    app: Flask, path: str, method: str, code: int, text: str, message: str
) -> None:
    @app.get("/ok")
    def ok() -> str:
        return "ok"

    @app.get("/crash")
    def crash() -> str:
        raise RuntimeError("boom")

    @app.get("/flask-abort")
    def flask_abort() -> str:
        abort(403)

    @app.post("/bad-json")
    def bad_json() -> t.Any:
        from flask import request

        return request.get_json()

    response = getattr(app.test_client(), method)(
        path, data="{", content_type="application/json"
    )
    body = assert_envelope(response, code)
    assert body == envelope(code, text, message)
    VALIDATOR.validate(body)


class BrokenResponse(Response):
    """Fails for the envelope only: the test client builds this class too."""

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        if "content_type" in kwargs:
            raise RuntimeError("broken response class")
        super().__init__(*args, **kwargs)


def test_last_resort_body_validates(caplog: pytest.LogCaptureFixture) -> None:
    # Sent when building the envelope fails.
    app = Flask(__name__)
    app.response_class = BrokenResponse
    StatusEnvelope(app)
    response = app.test_client().get("/missing", headers={"X-Request-ID": "req-7"})
    VALIDATOR.validate(assert_envelope(response, 500))
    assert [r.getMessage() for r in caplog.records] == [
        "flask-status-envelope could not build an envelope [request_id=req-7]"
    ]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({}, "'status' is a required property"),
        (
            {"status": {"code": 404, "text": "Not Found"}},
            "'message' is a required property",
        ),
        (
            {"status": {"code": 404, "text": "Not Found", "message": "x", "extra": 1}},
            "Additional properties are not allowed ('extra' was unexpected)",
        ),
        (
            {"status": {"code": 200, "text": "OK", "message": "x"}},
            "200 is less than the minimum of 400",
        ),
        (
            {"status": {"code": "404", "text": "Not Found", "message": "x"}},
            "'404' is not of type 'integer'",
        ),
        (
            {"status": {"code": 404, "text": "", "message": "x"}},
            "'' should be non-empty",
        ),
        (
            {"status": {"code": 404, "text": "Not Found", "message": None}},
            "None is not of type 'string'",
        ),
        (
            {"status": {"code": 404, "text": "Not Found", "message": "x"}, "data": {}},
            "Additional properties are not allowed ('data' was unexpected)",
        ),
        ({"code": 404, "message": "x"}, "'status' is a required property"),
        (
            {"status": {"code": 404, "text": "x", "message": "x", "request_id": 7}},
            "7 is not of type 'string'",
        ),
    ],
)
def test_schema_refuses_other_bodies(body: object, reason: str) -> None:
    with pytest.raises(ValidationError, match=f"^{re.escape(reason)}\n") as info:
        VALIDATOR.validate(body)
    assert info.value.message == reason


def test_envelope_schema_for_one_code_31() -> None:
    schema = envelope_schema(404)
    status = schema["properties"]["status"]["properties"]
    assert status["code"]["const"] == 404
    assert status["text"]["const"] == "Not Found"
    assert schema["examples"] == [
        envelope(
            404,
            "Not Found",
            "The data you requested does not exist or cannot be found.",
        )
    ]
    Draft202012Validator(schema).validate(schema["examples"][0])
    with pytest.raises(ValidationError, match="^404 was expected\n") as info:
        Draft202012Validator(schema).validate(envelope(410, "Gone", "x"))
    assert info.value.message == "404 was expected"


def test_envelope_schema_for_openapi_30() -> None:
    schema = envelope_schema(401, openapi_version="3.0.3")
    assert "$schema" not in schema
    assert "examples" not in schema
    assert schema["example"] == envelope_example(401)
    status = schema["properties"]["status"]["properties"]
    assert status["code"]["enum"] == [401]
    assert status["text"]["enum"] == ["Unauthorized"]


def test_envelope_schema_is_a_copy() -> None:
    envelope_schema()["properties"]["status"]["x"] = 1
    assert "x" not in ENVELOPE_SCHEMA["properties"]["status"]


@pytest.mark.parametrize("version", ["2.0", "3", 3.1, "4.0.0"])
def test_envelope_schema_refuses_other_versions(version: t.Any) -> None:
    with pytest.raises(ValueError, match="must be an OpenAPI 3 version"):
        envelope_schema(openapi_version=version)


def test_error_responses() -> None:
    assert error_responses(410, 429, messages={410: "Use /v2/users."}) == {
        "410": {
            "description": "Gone",
            "content": {
                "application/json": {
                    "schema": {"$ref": "#/components/schemas/StatusEnvelope"},
                    "example": envelope(410, "Gone", "Use /v2/users."),
                }
            },
        },
        "429": {
            "description": "Too Many Requests",
            "content": {
                "application/json": {
                    "schema": {"$ref": "#/components/schemas/StatusEnvelope"},
                    "example": envelope(
                        429,
                        "Too Many Requests",
                        "The request limit has been exceeded. Try again later.",
                    ),
                }
            },
        },
    }


@pytest.mark.parametrize("code", [200, 600, "404", True])
def test_error_responses_refuses_bad_codes(code: t.Any) -> None:
    with pytest.raises(ValueError, match="status code must be"):
        error_responses(code)


def test_request_id_is_an_optional_member() -> None:
    body = envelope(404, "Not Found", "x")
    body["status"]["request_id"] = "4bf92f3577b34da6"
    VALIDATOR.validate(body)


def test_problem_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(PROBLEM_SCHEMA)
    assert (list(PROBLEM_SCHEMA["properties"]), PROBLEM_SCHEMA["required"]) == (
        ["type", "title", "status", "detail", "errors", "request_id"],
        ["type", "title", "status", "detail"],
    )


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_problem_response_validates(code: int) -> None:
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_PROBLEM_TYPES"] = {code: "https://example.com/p"}
    StatusEnvelope(app)

    @app.get("/fail")
    def fail() -> str:
        abort_with(code, 'Ünïcode "quotes" <b>markup</b>')

    r = app.test_client().get("/fail", headers={"Accept": "application/problem+json"})
    body = r.get_json()
    assert (r.status_code, r.mimetype, body) == (
        code,
        "application/problem+json",
        problem_example(
            code, 'Ünïcode "quotes" <b>markup</b>', "https://example.com/p"
        ),
    )
    PROBLEM_VALIDATOR.validate(body)


def test_a_problem_with_field_errors_validates(app: Flask) -> None:
    @app.post("/users")
    def create_user() -> str:
        abort(400, {"name": ["Missing data for required field."]})

    r = app.test_client().post("/users", headers={"Accept": "application/problem+json"})
    body = r.get_json()
    assert body["errors"] == [
        {"field": "name", "message": "Missing data for required field."}
    ]
    PROBLEM_VALIDATOR.validate(body)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"status": 200}, "200 is less than the minimum of 400"),
        ({"title": ""}, "'' should be non-empty"),
        ({"type": ""}, "'' should be non-empty"),
        ({"detail": None}, "None is not of type 'string'"),
        ({"errors": [{"field": "x"}]}, "'message' is a required property"),
        ({"request_id": 7}, "7 is not of type 'string'"),
        ({"instance": "/x"}, "Additional properties are not allowed"),
    ],
)
def test_problem_schema_refuses_other_bodies(
    change: dict[str, t.Any], reason: str
) -> None:
    body = {**problem_example(404), **change}
    with pytest.raises(ValidationError, match=f"^{re.escape(reason)}"):
        PROBLEM_VALIDATOR.validate(body)


@pytest.mark.parametrize(
    ("version", "pins", "dialect"),
    [
        ("3.1.0", ({"const": 404}, {"const": "Not Found"}), {"$schema", "examples"}),
        ("3.0.3", ({"enum": [404]}, {"enum": ["Not Found"]}), {"example"}),
    ],
)
def test_problem_schema_for_one_code(
    version: str, pins: tuple[dict[str, t.Any], ...], dialect: set[str]
) -> None:
    schema = problem_schema(404, openapi_version=version)
    props = schema["properties"]
    assert (
        {k: props["status"][k] for k in pins[0]},
        {k: props["title"][k] for k in pins[1]},
        {"$schema", "examples", "example"} & set(schema),
    ) == (*pins, dialect)


def test_problem_schema_is_a_copy() -> None:
    problem_schema()["properties"]["x"] = 1
    assert "x" not in PROBLEM_SCHEMA["properties"]


ENVELOPE_410 = {
    "schema": {"$ref": "#/components/schemas/StatusEnvelope"},
    "example": envelope(410, "Gone", "Use /v2/users."),
}
PROBLEM_410 = {
    "schema": {"$ref": PROBLEM_SCHEMA_REF},
    "example": problem_example(410, "Use /v2/users."),
}


@pytest.mark.parametrize(
    ("problem_details", "content"),
    [
        (False, {"application/json": ENVELOPE_410}),
        ("never", {"application/json": ENVELOPE_410}),
        (
            True,
            {"application/json": ENVELOPE_410, "application/problem+json": PROBLEM_410},
        ),
        (
            "negotiate",
            {"application/json": ENVELOPE_410, "application/problem+json": PROBLEM_410},
        ),
        ("always", {"application/problem+json": PROBLEM_410}),
    ],
)
def test_error_responses_with_problem_details(
    problem_details: bool | str, content: dict[str, t.Any]
) -> None:
    assert error_responses(
        410, messages={410: "Use /v2/users."}, problem_details=problem_details
    ) == {"410": {"description": "Gone", "content": content}}


def test_error_responses_refuses_another_mode() -> None:
    with pytest.raises(ValueError, match="problem_details must be True, False or"):
        error_responses(404, problem_details="sometimes")
