"""flask-smorest: its errors answer the envelope, and its document shows it."""

from __future__ import annotations

import types
import typing as t

import marshmallow
import pytest
from flask import Flask

from flask_status_envelope import StatusEnvelope
from flask_status_envelope.openapi import ENVELOPE_SCHEMA, marshmallow_schema
from flask_status_envelope.testing import assert_envelope

from ..conftest import envelope, load_example
from .conftest import deprecate


def abort_that_raises() -> t.Callable[..., t.NoReturn]:
    """flask-smorest's ``abort``, which always raises (the library has no types)."""
    from flask_smorest import abort  # type: ignore[import-untyped]

    return t.cast("t.Callable[..., t.NoReturn]", abort)


@pytest.fixture(scope="module")
def smorest_example() -> types.ModuleType:
    return load_example("openapi_smorest")


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "code", "text", "message", "allow", "errors"),
    [
        ("get", "/pets/3", {}, 404, "Not Found", "Pet 3 does not exist", set(), None),
        (
            "post",
            "/pets/",
            {"json": {}},
            422,
            "Unprocessable Entity",
            "json.name: Missing data for required field.",
            set(),
            [{"field": "json.name", "message": "Missing data for required field."}],
        ),
        (
            "get",
            "/nowhere",
            {},
            404,
            "Not Found",
            "The data you requested does not exist or cannot be found.",
            set(),
            None,
        ),
        (
            "put",
            "/pets/",
            {},
            405,
            "Method Not Allowed",
            "The HTTP method used is not allowed for this endpoint.",
            {"OPTIONS", "POST"},
            None,
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
    errors: list[dict[str, str]] | None,
) -> None:
    response = getattr(smorest_example.app.test_client(), method)(path, **kwargs)
    assert assert_envelope(response, code) == envelope(code, text, message, errors)
    assert set(filter(None, response.headers.get("Allow", "").split(", "))) == allow


def test_smorest_abort_headers_and_crash() -> None:
    smorest_abort = abort_that_raises()

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
    def me() -> t.NoReturn:
        smorest_abort(401, headers={"WWW-Authenticate": "Bearer"})

    @app.get("/crash")
    def crash() -> t.NoReturn:
        raise RuntimeError("secret")

    client = app.test_client()
    response = client.get("/me")
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert assert_envelope(response, 401) == envelope(
        401,
        "Unauthorized",
        "The credentials are not valid. You don't have authorization to access the"
        " resource.",
    )
    assert assert_envelope(client.get("/crash"), 500) == envelope(
        500,
        "Internal Server Error",
        "There is an error on the server. Contact support if this keeps happening.",
    )


def test_smorest_abort_with_a_structured_message() -> None:
    smorest_abort = abort_that_raises()

    app = Flask(__name__)
    app.config.update(API_TITLE="T", API_VERSION="1", OPENAPI_VERSION="3.1.0")
    StatusEnvelope(app)
    load_example("openapi_smorest").Api(app)

    @app.get("/pets")
    def pets() -> t.NoReturn:
        smorest_abort(400, message={"query": {"page": ["Not a valid integer."]}})

    assert assert_envelope(app.test_client().get("/pets"), 400) == envelope(
        400,
        "Bad Request",
        "query.page: Not a valid integer.",
        [{"field": "query.page", "message": "Not a valid integer."}],
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

    @blp.route("/old")  # type: ignore[untyped-decorator]
    @deprecate
    def old() -> str:
        return "old"

    @blp.route("/new")  # type: ignore[untyped-decorator]
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
