"""apispec: the schema component and ``deprecated: true`` on deprecated views."""

from __future__ import annotations

import typing as t

import pytest
from apispec import APISpec
from flask import Flask
from flask.views import MethodView

from flask_status_envelope import StatusEnvelope
from flask_status_envelope.openapi import (
    ENVELOPE_SCHEMA,
    apispec_plugin,
    envelope_schema,
    error_responses,
    is_deprecated,
    mark_deprecated,
    openapi_path,
)
from flask_status_envelope.testing import assert_envelope

from ..conftest import envelope, load_example
from .conftest import deprecate


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
    assert assert_envelope(response, 404) == envelope(
        404, "Not Found", "User 7 does not exist"
    )


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
