from __future__ import annotations

import json
import re
import types
import typing as t

import marshmallow
import pytest
from apispec import APISpec
from flask import Flask, abort
from flask.views import MethodView
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from flask_status_envelope import (
    StatusEnvelope,
    abort_with,
    deprecated,
    envelope_response,
)
from flask_status_envelope.codes import default_message, status_text
from flask_status_envelope.openapi import (
    ENVELOPE_SCHEMA,
    apispec_plugin,
    envelope_example,
    envelope_schema,
    error_responses,
    init_apiflask,
    is_deprecated,
    mark_deprecated,
    marshmallow_schema,
    openapi_path,
    validation_message,
)

from .conftest import body_of, envelope, load_example

VALIDATOR = Draft202012Validator(ENVELOPE_SCHEMA)
ALL_CODES = list(range(400, 600))


deprecate = deprecated(since="2026-01-01", sunset="2099-01-01")


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(ENVELOPE_SCHEMA)
    assert ENVELOPE_SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_abort_with_response_validates(app: Flask, code: int) -> None:
    @app.get("/fail")
    def fail() -> str:
        abort_with(code, 'Ünïcode "quotes" <b>markup</b>')

    response = app.test_client().get("/fail")
    assert (response.status_code, body_of(response)) == (
        code,
        envelope(code, status_text(code), 'Ünïcode "quotes" <b>markup</b>'),
    )
    VALIDATOR.validate(body_of(response))


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_default_message_validates(app: Flask, code: int) -> None:
    with app.app_context():
        response = envelope_response(code)
    body = json.loads(response.get_data())
    assert (response.status_code, body) == (
        code,
        envelope(code, status_text(code), default_message(code)),
    )
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
    assert (response.status_code, body_of(response)) == (
        code,
        envelope(code, text, message),
    )
    VALIDATOR.validate(body_of(response))


def test_last_resort_body_validates() -> None:
    from flask_status_envelope.extension import _LAST_RESORT_BODY

    VALIDATOR.validate(json.loads(_LAST_RESORT_BODY))


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


@pytest.mark.parametrize(
    ("rule", "path"),
    [
        ("/", "/"),
        ("/users", "/users"),
        ("/users/<int:user_id>", "/users/{user_id}"),
        ("/a/<name>/b/<path:rest>", "/a/{name}/b/{rest}"),
        ("/n/<int(min=1):n>.json", "/n/{n}.json"),
        ("/re/<regex('a:b'):x>/<y>", "/re/{x}/{y}"),
    ],
)
def test_openapi_path(rule: str, path: str) -> None:
    assert openapi_path(rule) == path


@pytest.mark.parametrize(
    ("detail", "message"),
    [
        ({}, None),
        (None, None),
        ({"json": {"name": ["Missing data."]}}, "json.name: Missing data."),
        (
            {"json": {"a": ["x", "y"], "b": {"0": ["z"]}}, "query": {"q": ["w"]}},
            "json.a: x; json.a: y; json.b.0: z; query.q: w",
        ),
        (["plain"], "plain"),
    ],
)
def test_validation_message(detail: object, message: str | None) -> None:
    assert validation_message(detail) == message


def make_deprecated_app() -> Flask:
    app = Flask(__name__)
    StatusEnvelope(app)

    @app.get("/v1/users/<int:user_id>")
    @deprecate
    def old_user(user_id: int) -> str:
        return "old"

    @app.get("/v2/users/<int:user_id>")
    def new_user(user_id: int) -> str:
        return "new"

    class Items(MethodView):
        def get(self) -> str:
            return "items"

        @deprecate
        def delete(self) -> str:
            return "gone soon"

    app.add_url_rule("/items", view_func=Items.as_view("items"))
    return app


def test_is_deprecated() -> None:
    app = make_deprecated_app()
    assert is_deprecated(app.view_functions["old_user"]) is True
    assert is_deprecated(app.view_functions["new_user"]) is False


def test_mark_deprecated() -> None:
    app = make_deprecated_app()
    ok = {"responses": {"200": {"description": "OK"}}}
    spec: dict[str, t.Any] = {
        "paths": {
            "/v1/users/{user_id}": {"get": dict(ok)},
            "/v2/users/{user_id}": {"get": dict(ok)},
            "/items": {"get": dict(ok), "delete": dict(ok)},
            "/undocumented": {"get": dict(ok)},
        }
    }
    assert mark_deprecated(spec, app) is spec
    assert spec["paths"] == {
        "/v1/users/{user_id}": {"get": {**ok, "deprecated": True}},
        "/v2/users/{user_id}": {"get": ok},
        "/items": {"get": ok, "delete": {**ok, "deprecated": True}},
        "/undocumented": {"get": ok},
    }


def test_apispec_example() -> None:
    example = load_example("openapi_apispec")
    spec = example.spec.to_dict()
    assert spec["components"]["schemas"]["StatusEnvelope"] == ENVELOPE_SCHEMA
    assert spec["paths"]["/users/{user_id}"]["get"]["responses"] == {
        "200": {"description": "The user."},
        **error_responses(401, 404),
    }
    response = example.app.test_client().get("/users/7")
    assert body_of(response) == envelope(404, "Not Found", "User 7 does not exist")


@pytest.mark.parametrize(
    ("openapi_version", "expected"),
    [("3.1.0", ENVELOPE_SCHEMA), ("3.0.3", envelope_schema(openapi_version="3.0.3"))],
)
def test_apispec_plugin(openapi_version: str, expected: dict[str, t.Any]) -> None:
    app = make_deprecated_app()
    spec = APISpec("API", "1", openapi_version, plugins=[apispec_plugin()])
    ok = {"responses": {"200": {"description": "OK"}}}
    spec.path("/v1/users/{user_id}", operations={"get": dict(ok)}, view=old_user(app))
    spec.path("/v2/users/{user_id}", operations={"get": dict(ok)})
    result = spec.to_dict()
    assert result["components"]["schemas"]["StatusEnvelope"] == expected
    assert result["paths"] == {
        "/v1/users/{user_id}": {"get": {**ok, "deprecated": True}},
        "/v2/users/{user_id}": {"get": ok},
    }


def old_user(app: Flask) -> t.Any:
    return app.view_functions["old_user"]


@pytest.fixture(scope="module")
def apiflask_example() -> types.ModuleType:
    return load_example("openapi_apiflask")


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "code", "text", "message", "allow"),
    [
        ("get", "/pets/3", {}, 404, "Not Found", "Pet 3 does not exist", set()),
        (
            "post",
            "/pets",
            {"json": {}},
            422,
            "Unprocessable Entity",
            "json.name: Missing data for required field.",
            set(),
        ),
        (
            "get",
            "/nowhere",
            {},
            404,
            "Not Found",
            "The data you requested does not exist or cannot be found.",
            set(),
        ),
        (
            "delete",
            "/pets",
            {},
            405,
            "Method Not Allowed",
            "The HTTP method used is not allowed for this endpoint.",
            {"OPTIONS", "POST"},
        ),
    ],
)
def test_apiflask_answers_the_envelope(
    apiflask_example: types.ModuleType,
    method: str,
    path: str,
    kwargs: dict[str, t.Any],
    code: int,
    text: str,
    message: str,
    allow: set[str],
) -> None:
    response = getattr(apiflask_example.app.test_client(), method)(path, **kwargs)
    assert response.status_code == code
    assert body_of(response) == envelope(code, text, message)
    assert set(filter(None, response.headers.get("Allow", "").split(", "))) == allow


@pytest.mark.parametrize(
    ("code", "message", "expected"),
    [
        (
            414,
            None,
            "The length of the requested URL exceeds the capacity limit"
            " for this server. The request cannot be processed.",
        ),
        (403, "Token is disabled", "Token is disabled"),
        (
            409,
            "Conflict",
            "A conflict happened while processing the request. The"
            " resource might have been modified while the request was being"
            " processed.",
        ),
    ],
)
def test_apiflask_abort_messages(code: int, message: str | None, expected: str) -> None:
    from apiflask import APIFlask
    from apiflask import abort as apiflask_abort

    app = APIFlask(__name__)
    StatusEnvelope(app)
    init_apiflask(app)

    @app.get("/fail")
    def fail() -> None:
        apiflask_abort(code, message)

    response = app.test_client().get("/fail")
    assert (response.status_code, body_of(response)) == (
        code,
        envelope(code, status_text(code), expected),
    )


def test_apiflask_http_error_with_headers(apiflask_example: types.ModuleType) -> None:
    from apiflask import APIFlask, HTTPError

    app = APIFlask(__name__)
    StatusEnvelope(app)
    init_apiflask(app)

    @app.get("/me")
    def me() -> None:
        raise HTTPError(401, headers={"WWW-Authenticate": "Bearer"})

    response = app.test_client().get("/me")
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert (response.status_code, body_of(response)) == (
        401,
        envelope(
            401,
            "Unauthorized",
            "The credentials are not valid. You don't have authorization to access"
            " the resource.",
        ),
    )


def test_apiflask_unhandled_exception() -> None:
    from apiflask import APIFlask

    app = APIFlask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    StatusEnvelope(app)
    init_apiflask(app)

    @app.get("/crash")
    def crash() -> None:
        raise RuntimeError("secret")

    response = app.test_client().get("/crash")
    assert (response.status_code, body_of(response)) == (
        500,
        envelope(
            500,
            "Internal Server Error",
            "There is an error on the server. Contact support if this keeps happening.",
        ),
    )


def test_apiflask_documents_the_envelope(apiflask_example: types.ModuleType) -> None:
    spec = apiflask_example.app.spec
    assert spec["components"]["schemas"]["HTTPError"] == ENVELOPE_SCHEMA
    assert spec["components"]["schemas"]["ValidationError"] == ENVELOPE_SCHEMA
    assert spec["components"]["schemas"]["StatusEnvelope"] == ENVELOPE_SCHEMA
    get_pet = spec["paths"]["/pets/{pet_id}"]["get"]
    assert get_pet["responses"]["404"] == {
        "description": "Not Found",
        **error_responses(404)["404"],
    }
    assert "deprecated" not in get_pet


def test_apiflask_marks_deprecated_views() -> None:
    from apiflask import APIFlask

    app = APIFlask(__name__)
    StatusEnvelope(app)

    @app.spec_processor
    def retitle(spec: dict[str, t.Any]) -> dict[str, t.Any]:
        spec["info"]["title"] = "Kept"
        return spec

    init_apiflask(app)

    @app.get("/old")
    @deprecate
    def old() -> str:
        return "old"

    @app.get("/new")
    def new() -> str:
        return "new"

    spec = app.spec
    assert spec["info"]["title"] == "Kept"
    assert spec["paths"]["/old"]["get"]["deprecated"] is True
    assert "deprecated" not in spec["paths"]["/new"]["get"]


def test_init_apiflask_needs_the_extension() -> None:
    from apiflask import APIFlask

    with pytest.raises(RuntimeError, match=r"needs StatusEnvelope on the app"):
        init_apiflask(APIFlask(__name__))


@pytest.fixture(scope="module")
def smorest_example() -> types.ModuleType:
    return load_example("openapi_smorest")


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "code", "text", "message", "allow"),
    [
        ("get", "/pets/3", {}, 404, "Not Found", "Pet 3 does not exist", set()),
        (
            "post",
            "/pets/",
            {"json": {}},
            422,
            "Unprocessable Entity",
            "json.name: Missing data for required field.",
            set(),
        ),
        (
            "get",
            "/nowhere",
            {},
            404,
            "Not Found",
            "The data you requested does not exist or cannot be found.",
            set(),
        ),
        (
            "put",
            "/pets/",
            {},
            405,
            "Method Not Allowed",
            "The HTTP method used is not allowed for this endpoint.",
            {"OPTIONS", "POST"},
        ),
    ],
)
def test_smorest_answers_the_envelope(
    smorest_example: types.ModuleType,
    method: str,
    path: str,
    kwargs: dict[str, t.Any],
    code: int,
    text: str,
    message: str,
    allow: set[str],
) -> None:
    response = getattr(smorest_example.app.test_client(), method)(path, **kwargs)
    assert response.status_code == code
    assert body_of(response) == envelope(code, text, message)
    assert set(filter(None, response.headers.get("Allow", "").split(", "))) == allow


def test_smorest_abort_headers_and_crash() -> None:
    from flask_smorest import abort as smorest_abort

    app = Flask(__name__)
    app.config.update(
        API_TITLE="T",
        API_VERSION="1",
        OPENAPI_VERSION="3.1.0",
        PROPAGATE_EXCEPTIONS=False,
    )
    StatusEnvelope(app)
    load_example("openapi_smorest").Api(app)

    @app.get("/me")
    def me() -> None:
        smorest_abort(401, headers={"WWW-Authenticate": "Bearer"})

    @app.get("/crash")
    def crash() -> None:
        raise RuntimeError("secret")

    client = app.test_client()
    response = client.get("/me")
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert body_of(response) == envelope(
        401,
        "Unauthorized",
        "The credentials are not valid. You don't have authorization to access the"
        " resource.",
    )
    assert body_of(client.get("/crash")) == envelope(
        500,
        "Internal Server Error",
        "There is an error on the server. Contact support if this keeps happening.",
    )


def test_smorest_abort_with_a_structured_message() -> None:
    from flask_smorest import abort as smorest_abort

    app = Flask(__name__)
    app.config.update(API_TITLE="T", API_VERSION="1", OPENAPI_VERSION="3.1.0")
    StatusEnvelope(app)
    load_example("openapi_smorest").Api(app)

    @app.get("/pets")
    def pets() -> None:
        smorest_abort(400, message={"query": {"page": ["Not a valid integer."]}})

    assert body_of(app.test_client().get("/pets")) == envelope(
        400, "Bad Request", "query.page: Not a valid integer."
    )


def test_smorest_documents_the_envelope(smorest_example: types.ModuleType) -> None:
    spec = smorest_example.api.spec.to_dict()
    assert spec["components"]["schemas"]["StatusEnvelope"] == ENVELOPE_SCHEMA
    ref = {"$ref": "#/components/schemas/StatusEnvelope"}
    for name in ("NOT_FOUND", "UNPROCESSABLE_ENTITY", "DEFAULT_ERROR"):
        assert spec["components"]["responses"][name]["content"] == {
            "application/json": {"schema": ref}
        }
    assert spec["paths"]["/pets/{pet_id}"]["get"]["responses"]["404"] == {
        "$ref": "#/components/responses/NOT_FOUND"
    }


def test_smorest_marks_deprecated_views() -> None:
    from flask_smorest import Blueprint

    app = Flask(__name__)
    app.config.update(API_TITLE="T", API_VERSION="1", OPENAPI_VERSION="3.1.0")
    StatusEnvelope(app)
    api = load_example("openapi_smorest").Api(app)
    blp = Blueprint("b", __name__)

    @blp.route("/old")
    @deprecate
    def old() -> str:
        return "old"

    @blp.route("/new")
    def new() -> str:
        return "new"

    api.register_blueprint(blp)
    paths = api.spec.to_dict()["paths"]
    assert paths["/old"]["get"]["deprecated"] is True
    assert "deprecated" not in paths["/new"]["get"]


def test_marshmallow_schema() -> None:
    schema = marshmallow_schema()()
    body = envelope(404, "Not Found", "x")
    assert schema.load(body) == body
    assert marshmallow_schema() is type(schema)
    with pytest.raises(
        marshmallow.ValidationError, match="Must be greater than or equal to 400"
    ) as info:
        schema.load(envelope(200, "OK", "x"))
    assert info.value.messages == {
        "status": {
            "code": [
                "Must be greater than or equal to 400 and less than or equal to 599."
            ]
        }
    }
