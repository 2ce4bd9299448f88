"""What the extension answers, written into the OpenAPI document: responses and
headers added per operation, for any document, APIFlask's and flask-smorest's."""

from __future__ import annotations

import copy
import json
import typing as t
from datetime import datetime, timezone

import marshmallow
import pytest
from flask import Flask
from flask_babel import Babel  # type: ignore[import-untyped]
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from jsonschema import Draft202012Validator

from flask_status_envelope import StatusEnvelope, deprecated
from flask_status_envelope.openapi import (
    ENVELOPE_SCHEMA,
    SCHEMA_REF,
    document_extension,
    envelope_example,
    envelope_schema,
    error_responses,
    init_apiflask,
    marshmallow_schema,
    smorest_api_class,
)
from flask_status_envelope.openapi.document import BAD_JSON_EXAMPLE, HEADERS

from ..conftest import load_example

# -- the expected objects, built from the public pieces ----------------------------

OK = {"description": "OK"}
CREATED = {"description": "Created"}
INVALID_JSON = [{"field": "json._schema", "message": "Invalid JSON body."}]


def header(name: str, required: bool = False) -> dict[str, t.Any]:
    declared = copy.deepcopy(HEADERS[name])
    if required:
        declared["required"] = True
    return declared


def with_headers(response: dict[str, t.Any], *names: str, **required: bool) -> t.Any:
    """``response`` declaring ``names``; a keyword ``Name=True`` (``-`` as ``_``)
    declares a required header."""
    headers = {name: header(name) for name in names}
    headers.update(
        {
            name.replace("_", "-"): header(name.replace("_", "-"), on)
            for name, on in required.items()
        }
    )
    return {**copy.deepcopy(response), "headers": headers}


def added(code: int) -> dict[str, t.Any]:
    """A response the extension adds: the envelope, with its default example."""
    return error_responses(code)[str(code)]


DEPRECATED = {"Deprecation": True}
ANNOUNCED = {"Deprecation": True, "Sunset": True, "Link": True}
RETIRED = {"Deprecation": True, "Sunset": True}


def make_app(**config: t.Any) -> Flask:
    app = Flask(__name__)
    app.config.update(config)
    StatusEnvelope(app)

    @app.get("/items")
    def items() -> str:
        return "items"

    @app.post("/items")
    def create_item() -> str:
        return "created"

    @app.get("/old")
    @deprecated
    def old() -> str:
        return "never"

    @app.get("/announced")
    @deprecated(
        since="2026-01-01",
        sunset="2099-01-01",
        successor="/items",
        info="https://example.com/deprecations/announced",
    )
    def announced() -> str:
        return "announced"

    @app.get("/no-sunset")
    @deprecated(since="2026-01-01")
    def no_sunset() -> str:
        return "no sunset"

    @app.get("/brownouts")
    @deprecated(since="2026-01-01", brownouts=[("2098-01-01", "2098-01-02")])
    def brownouts() -> str:
        return "brownouts"

    return app


def document(
    responses: dict[str, t.Any] | None = None, openapi: str = "3.1.0"
) -> dict[str, t.Any]:
    """A document with one operation per view of :func:`make_app`, each answering
    200 (201 with a request body) and what ``responses`` adds."""
    extra = copy.deepcopy(responses or {})

    def operation(ok: dict[str, t.Any]) -> dict[str, t.Any]:
        return {"responses": {"200": copy.deepcopy(ok), **copy.deepcopy(extra)}}

    return {
        "openapi": openapi,
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/items": {
                "get": operation(OK),
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": {}}}},
                    "responses": {"201": dict(CREATED), **copy.deepcopy(extra)},
                },
            },
            "/old": {"get": operation(OK)},
            "/announced": {"get": operation(OK)},
            "/no-sunset": {"get": operation(OK)},
            "/brownouts": {"get": operation(OK)},
        },
    }


def responses_of(spec: dict[str, t.Any], path: str, method: str = "get") -> t.Any:
    return spec["paths"][path][method]["responses"]


# -- any document -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "path", "method", "expected"),
    [
        # Without any feature configured: nothing on plain operations.
        ({}, "/items", "get", {"200": OK}),
        # A request body may not be JSON.
        (
            {},
            "/items",
            "post",
            {
                "201": CREATED,
                "400": {
                    **added(400),
                    "content": {
                        "application/json": {
                            "schema": {"$ref": SCHEMA_REF},
                            "example": envelope_example(400, errors=INVALID_JSON),
                        }
                    },
                },
            },
        ),
        # A bare @deprecated is gone: only 410 is true.
        ({}, "/old", "get", {"410": with_headers(added(410), **RETIRED)}),
        # An announced one: the headers on every response, and its future 410.
        (
            {},
            "/announced",
            "get",
            {
                "200": with_headers(OK, **ANNOUNCED),
                "410": with_headers(added(410), **ANNOUNCED),
            },
        ),
        ({}, "/no-sunset", "get", {"200": with_headers(OK, **DEPRECATED)}),
        (
            {},
            "/brownouts",
            "get",
            {
                "200": with_headers(OK, **DEPRECATED),
                "410": with_headers(added(410), **DEPRECATED),
            },
        ),
        # Sunsets not enforced: served, with the headers, never 410.
        (
            {"STATUS_ENVELOPE_ENFORCE_SUNSET": False},
            "/old",
            "get",
            {"200": with_headers(OK, **RETIRED)},
        ),
        (
            {"STATUS_ENVELOPE_ENFORCE_SUNSET": False},
            "/announced",
            "get",
            {"200": with_headers(OK, **ANNOUNCED)},
        ),
        # After the sunset, by the app's clock: gone.
        (
            {
                "STATUS_ENVELOPE_DEPRECATION_CLOCK": lambda: datetime(
                    2100, 1, 1, tzinfo=timezone.utc
                )
            },
            "/announced",
            "get",
            {"410": with_headers(added(410), **ANNOUNCED)},
        ),
        # Maintenance that can be switched on: 503 everywhere not exempt...
        (
            {"STATUS_ENVELOPE_MAINTENANCE": True},
            "/items",
            "get",
            {"200": OK, "503": with_headers(added(503), Retry_After=True)},
        ),
        (
            {"STATUS_ENVELOPE_MAINTENANCE_FILE": "/nonexistent/maintenance"},
            "/items",
            "get",
            {"200": OK, "503": with_headers(added(503), Retry_After=True)},
        ),
        (
            {
                "STATUS_ENVELOPE_MAINTENANCE": True,
                "STATUS_ENVELOPE_MAINTENANCE_EXEMPT": ["items"],
            },
            "/items",
            "get",
            {"200": OK},
        ),
        # ... also before a retired endpoint's 410, with its headers.
        (
            {"STATUS_ENVELOPE_MAINTENANCE": True},
            "/old",
            "get",
            {
                "410": with_headers(added(410), **RETIRED),
                "503": with_headers(added(503), Retry_After=True, **RETIRED),
            },
        ),
        # No default Retry-After: a 503 of a view may come without one.
        (
            {
                "STATUS_ENVELOPE_MAINTENANCE": True,
                "STATUS_ENVELOPE_DEFAULT_RETRY_AFTER": None,
            },
            "/items",
            "get",
            {"200": OK, "503": with_headers(added(503), "Retry-After")},
        ),
    ],
)
def test_operations(
    config: dict[str, t.Any], path: str, method: str, expected: dict[str, t.Any]
) -> None:
    app = make_app(**config)
    spec = document_extension(document(), app)
    assert responses_of(spec, path, method) == expected


@pytest.mark.parametrize(("retry_after", "required"), [(60, True), (None, False)])
def test_flask_limiter_on_the_app(retry_after: int | None, required: bool) -> None:
    app = make_app(STATUS_ENVELOPE_DEFAULT_RETRY_AFTER=retry_after)
    Limiter(get_remote_address, app=app, storage_uri="memory://")
    spec = document_extension(document(), app)
    too_many = with_headers(added(429), Retry_After=required)
    assert responses_of(spec, "/items") == {"200": OK, "429": too_many}
    # Not on a retired operation: the limiter's hook never runs for it.
    assert responses_of(spec, "/old") == {"410": with_headers(added(410), **RETIRED)}


def test_flask_babel_on_the_app() -> None:
    app = make_app()
    Babel(app)
    own = {
        "404": dict(OK, description="Not Found"),
        "5XX": {"description": "Server error"},
        "default": {"description": "Error"},
    }
    spec = document_extension(document(own), app)
    assert responses_of(spec, "/items") == {
        "200": OK,
        "404": with_headers(own["404"], "Content-Language"),
        "5XX": with_headers(own["5XX"], "Retry-After", "Content-Language"),
        "default": with_headers(
            own["default"], "WWW-Authenticate", "Retry-After", "Content-Language"
        ),
    }


def test_headers_by_status_key() -> None:
    own = {
        "401": {"description": "Unauthorized"},
        "4XX": {"description": "Client error"},
        "429": {"description": "Slow down"},
        "503": {"description": "Down"},
    }
    spec = document_extension(document(own), make_app())
    assert responses_of(spec, "/items") == {
        "200": OK,
        "401": with_headers(own["401"], "WWW-Authenticate"),
        "4XX": with_headers(own["4XX"], "WWW-Authenticate", "Retry-After"),
        "429": with_headers(own["429"], "Retry-After"),
        "503": with_headers(own["503"], "Retry-After"),
    }


def test_the_apps_own_responses_and_headers_are_kept() -> None:
    app = make_app(STATUS_ENVELOPE_MAINTENANCE=True)
    Limiter(get_remote_address, app=app, storage_uri="memory://")
    own_header = {"description": "Ours.", "schema": {"type": "integer"}}
    own: dict[str, dict[str, t.Any]] = {
        "410": {"description": "Moved away"},
        "429": {"description": "Ours", "headers": {"retry-after": own_header}},
        "503": {"description": "Ours too"},
    }
    spec = document_extension(document(own), app)
    assert responses_of(spec, "/items") == {
        "200": OK,
        "410": own["410"],
        "429": own["429"],
        "503": with_headers(own["503"], "Retry-After"),
    }
    # A retired operation keeps its own 410.
    assert responses_of(spec, "/old") == {
        "410": with_headers(own["410"], **RETIRED),
        "503": with_headers(own["503"], "Retry-After", **RETIRED),
    }


def test_shared_responses_are_copied_for_headers_of_one_operation() -> None:
    app = make_app()
    Babel(app)
    not_found = {"description": "Not Found", "content": {}}
    spec = document(
        {
            "404": {"$ref": "#/components/responses/NOT_FOUND"},
            "409": {"$ref": "#/components/responses/MISSING"},
            "410": {"$ref": "other.yaml#/components/responses/GONE"},
        }
    )
    spec["components"] = {"responses": {"NOT_FOUND": not_found}}
    result = document_extension(spec, app)
    shared = with_headers(not_found, "Content-Language")
    assert result["components"]["responses"] == {"NOT_FOUND": shared}
    # A plain operation keeps the reference; the component has the shared headers.
    assert responses_of(result, "/items")["404"] == {
        "$ref": "#/components/responses/NOT_FOUND"
    }
    # A deprecated one has a copy with its own headers too.
    assert responses_of(result, "/no-sunset")["404"] == with_headers(
        not_found, "Content-Language", **DEPRECATED
    )
    # References it cannot follow are left as they are.
    assert responses_of(result, "/no-sunset")["409"] == {
        "$ref": "#/components/responses/MISSING"
    }
    assert responses_of(result, "/no-sunset")["410"] == {
        "$ref": "other.yaml#/components/responses/GONE"
    }


@pytest.mark.parametrize(
    ("openapi", "schema"),
    [
        ("3.1.0", ENVELOPE_SCHEMA),
        ("3.0.3", envelope_schema(openapi_version="3.0.3")),
    ],
)
def test_the_schema_component(openapi: str, schema: dict[str, t.Any]) -> None:
    spec = document_extension(document(openapi=openapi), make_app())
    assert spec["components"] == {"schemas": {"StatusEnvelope": schema}}
    own = {"schemas": {"StatusEnvelope": {"type": "object"}}}
    kept = document_extension(
        {**document(openapi=openapi), "components": own}, make_app()
    )
    assert kept["components"] == own


def test_a_copy_is_returned() -> None:
    app = make_app(STATUS_ENVELOPE_MAINTENANCE=True)
    spec = document()
    before = copy.deepcopy(spec)
    once = document_extension(spec, app)
    assert spec == before
    assert document_extension(once, app) == once
    assert once["paths"]["/old"]["get"]["deprecated"] is True


@pytest.mark.parametrize("spec", [{"swagger": "2.0", "paths": {}}, {"paths": {}}])
def test_refuses_other_than_openapi_3(spec: dict[str, t.Any]) -> None:
    with pytest.raises(ValueError, match="must be an OpenAPI 3 version"):
        document_extension(spec, make_app())


def test_apispec_example() -> None:
    example = load_example("openapi_document")
    response = example.app.test_client().get("/openapi.json")
    spec = json.loads(response.get_data())
    gone = {"Deprecation": True, "Sunset": True, "Link": True}
    assert spec["paths"]["/v1/users/{user_id}"]["get"] == {
        "deprecated": True,
        "responses": {
            "200": with_headers({"description": "The user."}, **gone),
            "410": with_headers(added(410), **gone),
            "429": with_headers(added(429), Retry_After=True, **gone),
            "503": with_headers(added(503), Retry_After=True, **gone),
        },
    }
    assert example.spec.to_dict()["paths"]["/v1/users/{user_id}"]["get"] == {
        "deprecated": True,
        "responses": {"200": {"description": "The user."}},
    }


# -- APIFlask and flask-smorest ---------------------------------------------------


def test_apiflask_document() -> None:
    from apiflask import APIFlask

    app = APIFlask(__name__)
    StatusEnvelope(app)
    init_apiflask(app)
    Limiter(get_remote_address, app=app, storage_uri="memory://")

    @app.get("/old")
    @deprecated
    def old() -> str:
        return "never"

    @app.get("/items")
    def items() -> str:
        return "items"

    paths = t.cast("dict[str, t.Any]", app.spec)["paths"]
    assert paths["/old"]["get"]["responses"] == {
        "410": with_headers(added(410), **RETIRED)
    }
    assert paths["/items"]["get"]["responses"]["429"] == with_headers(
        added(429), Retry_After=True
    )


def test_smorest_document() -> None:
    from flask_smorest import Blueprint  # type: ignore[import-untyped]

    app = Flask(__name__)
    app.config.update(
        API_TITLE="T",
        API_VERSION="1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
    )
    StatusEnvelope(app)
    api = smorest_api_class()(app)
    blp = Blueprint("b", __name__)

    @blp.route("/old")  # type: ignore[untyped-decorator]
    @blp.response(200)  # type: ignore[untyped-decorator]
    @deprecated
    def old() -> str:
        return "never"

    @blp.route("/v1")  # type: ignore[untyped-decorator]
    @blp.response(200)  # type: ignore[untyped-decorator]
    @deprecated(since="2026-01-01")
    def v1() -> str:
        return "v1"

    @blp.route("/new")  # type: ignore[untyped-decorator]
    @blp.response(200)  # type: ignore[untyped-decorator]
    def new() -> str:
        return "new"

    api.register_blueprint(blp)
    spec = api.spec.to_dict()
    assert spec["paths"]["/old"]["get"]["responses"] == {
        "410": with_headers(added(410), **RETIRED)
    }
    default = spec["components"]["responses"]["DEFAULT_ERROR"]
    assert default == with_headers(
        {
            "description": "Default error response",
            "content": {"application/json": {"schema": {"$ref": SCHEMA_REF}}},
        },
        "WWW-Authenticate",
        "Retry-After",
    )
    assert spec["paths"]["/new"]["get"]["responses"]["default"] == {
        "$ref": "#/components/responses/DEFAULT_ERROR"
    }
    # The shared default, copied for the deprecated operation's own headers.
    assert spec["paths"]["/v1"]["get"]["responses"]["default"] == with_headers(
        default, "WWW-Authenticate", "Retry-After", **DEPRECATED
    )
    # Served as api.spec.to_dict() makes it, and made afresh each time.
    served = json.loads(app.test_client().get("/openapi.json").get_data())
    assert served == spec
    spec["paths"].clear()
    assert api.spec.to_dict()["paths"] == served["paths"]


def validation_schema(spec: dict[str, t.Any], response: dict[str, t.Any]) -> t.Any:
    """The schema a 422 response refers to, through response components."""
    while "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/")[-1]]
    ref = response["content"]["application/json"]["schema"]["$ref"]
    return spec["components"]["schemas"][ref.rsplit("/")[-1]]


@pytest.mark.parametrize(
    ("framework", "document_of", "path"),
    [
        ("openapi_apiflask", lambda example: example.app.spec, "/pets"),
        ("openapi_smorest", lambda example: example.api.spec.to_dict(), "/pets/"),
    ],
)
def test_documented_422_shows_the_field_errors(
    framework: str, document_of: t.Callable[[t.Any], t.Any], path: str
) -> None:
    spec = document_of(load_example(framework))
    post = spec["paths"][path]["post"]
    schema = validation_schema(spec, post["responses"]["422"])
    assert schema == ENVELOPE_SCHEMA
    errors = ENVELOPE_SCHEMA["properties"]["status"]["properties"]["errors"]
    assert errors["items"]["required"] == ["field", "message"]
    assert ENVELOPE_SCHEMA["examples"][1]["status"]["errors"] == [
        {"field": "json.name", "message": "Missing data for required field."}
    ]
    # A body that is not JSON answers 400, with the envelope.
    assert post["responses"]["400"]["content"]["application/json"] == {
        "schema": {"$ref": SCHEMA_REF},
        "example": BAD_JSON_EXAMPLE,
    }


# -- the schema's examples and the marshmallow schema -----------------------------


def test_every_example_validates() -> None:
    validator = Draft202012Validator(ENVELOPE_SCHEMA)
    for example in [*ENVELOPE_SCHEMA["examples"], BAD_JSON_EXAMPLE]:
        validator.validate(example)


def test_envelope_example_with_errors() -> None:
    errors = [
        {"field": "json.name", "message": "Required."},
        {"field": "query.page", "message": "Not a number."},
    ]
    assert envelope_example(422, errors=errors) == {
        "status": {
            "code": 422,
            "text": "Unprocessable Entity",
            "message": "json.name: Required.; query.page: Not a number.",
            "errors": errors,
        }
    }
    assert envelope_example(400, "Bad.", errors=errors)["status"]["message"] == "Bad."


@pytest.mark.parametrize(
    ("openapi", "key"), [("3.1.0", "examples"), ("3.0.3", "example")]
)
def test_envelope_schema_for_422_shows_field_errors(openapi: str, key: str) -> None:
    schema = envelope_schema(422, openapi_version=openapi)
    example = envelope_example(
        422,
        errors=[{"field": "json.name", "message": "Missing data for required field."}],
    )
    assert schema[key] == ([example] if key == "examples" else example)


def test_marshmallow_schema_errors() -> None:
    schema = marshmallow_schema()()
    errors = [{"field": "json.name", "message": "Required."}]
    body = {"status": {**envelope_example(422)["status"], "errors": errors}}
    assert schema.load(body) == body
    with pytest.raises(marshmallow.ValidationError) as info:
        schema.load({"status": {**body["status"], "errors": [{"field": "json.name"}]}})
    assert info.value.messages == {
        "status": {"errors": {0: {"message": ["Missing data for required field."]}}}
    }
