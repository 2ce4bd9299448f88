"""APIFlask: its errors answer the envelope, and its document shows it."""

from __future__ import annotations

import re
import types
import typing as t

import pytest

from flask_status_envelope import StatusEnvelope
from flask_status_envelope.openapi import (
    ENVELOPE_SCHEMA,
    error_responses,
    init_apiflask,
)
from flask_status_envelope.testing import assert_envelope

from ..conftest import envelope, load_example
from .conftest import deprecate


@pytest.fixture(scope="module")
def apiflask_example() -> types.ModuleType:
    return load_example("openapi_apiflask")


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "code", "text", "message", "allow", "errors"),
    [
        ("get", "/pets/3", {}, 404, "Not Found", "Pet 3 does not exist", set(), None),
        (
            "post",
            "/pets",
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
            "delete",
            "/pets",
            {},
            405,
            "Method Not Allowed",
            "The HTTP method used is not allowed for this endpoint.",
            {"OPTIONS", "POST"},
            None,
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
    errors: list[dict[str, str]] | None,
) -> None:
    response = getattr(apiflask_example.app.test_client(), method)(path, **kwargs)
    assert assert_envelope(response, code) == envelope(code, text, message, errors)
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
    # The whole body: the status, the code's text and this message.
    assert_envelope(response, code, expected)


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
    assert assert_envelope(response, 401) == envelope(
        401,
        "Unauthorized",
        "The credentials are not valid. You don't have authorization to access"
        " the resource.",
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
    assert assert_envelope(response, 500) == envelope(
        500,
        "Internal Server Error",
        "There is an error on the server. Contact support if this keeps happening.",
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
    def retitle(spec: t.Any) -> t.Any:
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
    assert isinstance(spec, dict)
    assert spec["info"]["title"] == "Kept"
    assert spec["paths"]["/old"]["get"]["deprecated"] is True
    assert "deprecated" not in spec["paths"]["/new"]["get"]


def test_init_apiflask_needs_the_extension() -> None:
    from apiflask import APIFlask

    with pytest.raises(
        RuntimeError,
        match=re.escape(
            f"The app {__name__!r} has no StatusEnvelope. Call StatusEnvelope(app) or"
            " status_envelope.init_app(app) when you create the app."
        ),
    ):
        init_apiflask(APIFlask(__name__))
