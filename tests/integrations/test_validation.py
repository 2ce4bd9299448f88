"""Validation errors of every source answer the envelope with an ``errors`` list.

Each source runs with the real library on a real app: webargs on plain Flask,
APIFlask and flask-smorest input validation, marshmallow and pydantic errors raised in
a view, Flask-Pydantic's ``@validate`` in raise mode, and ``abort()`` with a dict or
list description.
"""

from __future__ import annotations

import json
import typing as t

import flask_pydantic  # type: ignore[import-untyped]
import marshmallow as ma
import pydantic
import pytest
from flask import Flask, abort
from jsonschema import Draft202012Validator
from webargs.flaskparser import use_args, use_kwargs
from werkzeug.test import TestResponse

from flask_status_envelope import StatusEnvelope
from flask_status_envelope.openapi import ENVELOPE_SCHEMA, init_apiflask

REQUIRED = "Missing data for required field."
INT_MESSAGE = "Input should be a valid integer, unable to parse string as an integer"
TEXTS = {400: "Bad Request", 422: "Unprocessable Entity", 500: "Internal Server Error"}
MESSAGE_500 = (
    "There is an error on the server. Contact support if this keeps happening."
)


def body_with_errors(code: int, errors: list[tuple[str, str]]) -> dict[str, t.Any]:
    """The exact envelope of a validation error: the summary and the list."""
    return {
        "status": {
            "code": code,
            "text": TEXTS[code],
            "message": "; ".join(f"{field}: {message}" for field, message in errors),
            "errors": [
                {"field": field, "message": message} for field, message in errors
            ],
        }
    }


def body_without_errors(code: int, message: str) -> dict[str, t.Any]:
    return {"status": {"code": code, "text": TEXTS[code], "message": message}}


def answer(response: TestResponse) -> tuple[int, str | None, t.Any]:
    """Status, media type and JSON body, compared in one assertion."""
    return (
        response.status_code,
        response.mimetype,
        json.loads(response.get_data(as_text=True)),
    )


def validates(response: TestResponse) -> None:
    Draft202012Validator(ENVELOPE_SCHEMA).validate(json.loads(response.get_data()))


def make_app(**config: t.Any) -> Flask:
    """A production-like app with ``config`` set before the extension reads it."""
    app = Flask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config.update(config)
    StatusEnvelope(app)
    return app


class Item(ma.Schema):
    name = ma.fields.String(required=True)


class Order(ma.Schema):
    name = ma.fields.String(required=True)
    items = ma.fields.List(ma.fields.Nested(Item))


class Page(ma.Schema):
    page = ma.fields.Integer(required=True)


#: 11 unnamed items: the sort puts items.2 before items.10.
ITEMS: list[dict[str, str]] = [{}] * 11
ITEM_ERRORS = [(f"json.items.{i}.name", REQUIRED) for i in range(11)]


class PItem(pydantic.BaseModel):
    name: str


class POrder(pydantic.BaseModel):
    name: str
    items: list[PItem] = []
    age: int = 0

    @pydantic.model_validator(mode="after")
    def age_not_negative(self) -> POrder:
        if self.age < 0:
            raise ValueError("age must not be negative")
        return self


class PQuery(pydantic.BaseModel):
    page: int


PYDANTIC_ITEM_ERRORS = [(f"items.{i}.name", "Field required") for i in range(11)]


# -- webargs on plain Flask -----------------------------------------------------------


def webargs_app(**config: t.Any) -> Flask:
    app = make_app(**config)

    @app.post("/orders")
    @use_args(Order, location="json")
    def create(order: dict[str, t.Any]) -> dict[str, t.Any]:
        return order

    @app.post("/strict")
    @use_args(Order, location="json", error_status_code=400)
    def strict(order: dict[str, t.Any]) -> dict[str, t.Any]:
        return order

    @app.get("/search")
    @use_kwargs(Page, location="query")
    def search(page: int) -> dict[str, int]:
        return {"page": page}

    @app.post("/tagged")
    @use_args(Order, location="json", error_headers={"X-Validation": "failed"})
    def tagged(order: dict[str, t.Any]) -> dict[str, t.Any]:
        return order

    return app


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "code", "errors"),
    [
        ("post", "/orders", {"json": {}}, 422, [("json.name", REQUIRED)]),
        (
            "post",
            "/orders",
            {"json": {"items": ITEMS}},
            422,
            [*ITEM_ERRORS, ("json.name", REQUIRED)],
        ),
        (
            "post",
            "/orders",
            {"json": {"name": "a", "extra": 1}},
            422,
            [("json.extra", "Unknown field.")],
        ),
        ("post", "/strict", {"json": {}}, 400, [("json.name", REQUIRED)]),
        ("get", "/search?page=x", {}, 422, [("query.page", "Not a valid integer.")]),
        ("get", "/search", {}, 422, [("query.page", REQUIRED)]),
        (
            "post",
            "/orders",
            {"data": "{bad", "content_type": "application/json"},
            400,
            [("json._schema", "Invalid JSON body.")],
        ),
    ],
)
def test_webargs(
    method: str,
    path: str,
    kwargs: dict[str, t.Any],
    code: int,
    errors: list[tuple[str, str]],
) -> None:
    response = getattr(webargs_app().test_client(), method)(path, **kwargs)
    assert answer(response) == (
        code,
        "application/json",
        body_with_errors(code, errors),
    )
    validates(response)


def test_webargs_error_headers_are_sent() -> None:
    response = webargs_app().test_client().post("/tagged", json={})
    assert response.headers["X-Validation"] == "failed"
    assert answer(response) == (
        422,
        "application/json",
        body_with_errors(422, [("json.name", REQUIRED)]),
    )


def test_webargs_keeps_its_status_whatever_the_validation_status() -> None:
    app = webargs_app(STATUS_ENVELOPE_VALIDATION_STATUS=400)
    response = app.test_client().post("/orders", json={})
    assert answer(response) == (
        422,
        "application/json",
        body_with_errors(422, [("json.name", REQUIRED)]),
    )


# -- APIFlask -------------------------------------------------------------------------


def apiflask_app(**config: t.Any) -> t.Any:
    from apiflask import APIFlask

    app = APIFlask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config.update(config)
    StatusEnvelope(app)
    init_apiflask(app)

    @app.post("/orders")
    @app.input(Order)  # type: ignore[arg-type]
    def create(json_data: dict[str, t.Any]) -> dict[str, t.Any]:
        return json_data

    @app.get("/search")
    @app.input(Page, location="query")  # type: ignore[arg-type]
    def search(query_data: dict[str, t.Any]) -> dict[str, t.Any]:
        return query_data

    @app.post("/typed")
    @app.input(POrder)
    def typed(json_data: POrder) -> dict[str, t.Any]:
        return json_data.model_dump()

    return app


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "code", "errors"),
    [
        ("post", "/orders", {"json": {}}, 422, [("json.name", REQUIRED)]),
        (
            "post",
            "/orders",
            {"json": {"items": ITEMS}},
            422,
            [*ITEM_ERRORS, ("json.name", REQUIRED)],
        ),
        ("get", "/search?page=x", {}, 422, [("query.page", "Not a valid integer.")]),
        (
            "post",
            "/typed",
            {"json": {"items": ITEMS, "age": "x"}},
            422,
            [
                ("json.age", INT_MESSAGE),
                *[
                    (f"json.{field}", message)
                    for field, message in PYDANTIC_ITEM_ERRORS
                ],
                ("json.name", "Field required"),
            ],
        ),
        (
            "post",
            "/typed",
            {"json": {"name": "a", "age": -1}},
            422,
            [("json._schema", "Value error, age must not be negative")],
        ),
        (
            "post",
            "/orders",
            {"data": "{bad", "content_type": "application/json"},
            400,
            [("json._schema", "Invalid JSON body.")],
        ),
    ],
)
def test_apiflask(
    method: str,
    path: str,
    kwargs: dict[str, t.Any],
    code: int,
    errors: list[tuple[str, str]],
) -> None:
    response = getattr(apiflask_app().test_client(), method)(path, **kwargs)
    assert answer(response) == (
        code,
        "application/json",
        body_with_errors(code, errors),
    )
    validates(response)


def test_apiflask_keeps_its_validation_status_code() -> None:
    app = apiflask_app(VALIDATION_ERROR_STATUS_CODE=400)
    response = app.test_client().post("/orders", json={})
    assert answer(response) == (
        400,
        "application/json",
        body_with_errors(400, [("json.name", REQUIRED)]),
    )


def test_apiflask_documents_the_errors_member() -> None:
    spec = apiflask_app().spec
    content = spec["paths"]["/orders"]["post"]["responses"]["422"]["content"]
    ref = content["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    status = schema["properties"]["status"]
    assert shape(status["properties"]["errors"]) == ERRORS_SCHEMA


# -- flask-smorest --------------------------------------------------------------------


def smorest_app(**config: t.Any) -> Flask:
    from flask_smorest import Blueprint  # type: ignore[import-untyped]

    from flask_status_envelope.openapi import smorest_api_class

    app = make_app(
        API_TITLE="Orders", API_VERSION="1.0", OPENAPI_VERSION="3.1.0", **config
    )
    api = smorest_api_class()(app)
    blp = Blueprint("orders", __name__, url_prefix="/orders")

    @blp.route("/", methods=["POST"])  # type: ignore[untyped-decorator]
    @blp.arguments(Order)  # type: ignore[untyped-decorator]
    @blp.response(201, Order)  # type: ignore[untyped-decorator]
    def create(order: dict[str, t.Any]) -> dict[str, t.Any]:
        return order

    @blp.route("/search")  # type: ignore[untyped-decorator]
    @blp.arguments(Page, location="query")  # type: ignore[untyped-decorator]
    @blp.response(200, Page)  # type: ignore[untyped-decorator]
    def search(query: dict[str, t.Any]) -> dict[str, t.Any]:
        return query

    api.register_blueprint(blp)
    app.extensions["test_api"] = api
    return app


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "code", "errors"),
    [
        ("post", "/orders/", {"json": {}}, 422, [("json.name", REQUIRED)]),
        (
            "post",
            "/orders/",
            {"json": {"items": ITEMS}},
            422,
            [*ITEM_ERRORS, ("json.name", REQUIRED)],
        ),
        (
            "get",
            "/orders/search?page=x",
            {},
            422,
            [("query.page", "Not a valid integer.")],
        ),
        (
            "post",
            "/orders/",
            {"data": "{bad", "content_type": "application/json"},
            400,
            [("json._schema", "Invalid JSON body.")],
        ),
    ],
)
def test_smorest(
    method: str,
    path: str,
    kwargs: dict[str, t.Any],
    code: int,
    errors: list[tuple[str, str]],
) -> None:
    response = getattr(smorest_app().test_client(), method)(path, **kwargs)
    assert answer(response) == (
        code,
        "application/json",
        body_with_errors(code, errors),
    )
    validates(response)


def test_smorest_documents_the_errors_member() -> None:
    spec = smorest_app().extensions["test_api"].spec.to_dict()
    status = spec["components"]["schemas"]["StatusEnvelope"]["properties"]["status"]
    assert shape(status["properties"]["errors"]) == ERRORS_SCHEMA
    assert status["required"] == ["code", "text", "message"]


# -- errors raised in a view ----------------------------------------------------------


def view_app(**config: t.Any) -> Flask:
    app = make_app(**config)

    @app.post("/marshmallow")
    def with_marshmallow() -> dict[str, t.Any]:
        from flask import request

        return Order().load(request.get_json())  # type: ignore[no-any-return]

    @app.post("/pydantic")
    def with_pydantic() -> dict[str, t.Any]:
        from flask import request

        return POrder.model_validate(request.get_json()).model_dump()

    @app.post("/flask-pydantic")
    @flask_pydantic.validate(body=POrder, query=PQuery)  # type: ignore[untyped-decorator]
    def with_flask_pydantic() -> dict[str, t.Any]:
        return {}

    return app


VIEW_CASES = [
    ("/marshmallow", {"json": {}}, [("name", REQUIRED)]),
    (
        "/marshmallow",
        {"json": {"items": ITEMS}},
        [*((f"items.{i}.name", REQUIRED) for i in range(11)), ("name", REQUIRED)],
    ),
    ("/marshmallow", {"json": []}, [("_schema", "Invalid input type.")]),
    ("/pydantic", {"json": {}}, [("name", "Field required")]),
    (
        "/pydantic",
        {"json": {"items": ITEMS, "age": "x"}},
        [("age", INT_MESSAGE), *PYDANTIC_ITEM_ERRORS, ("name", "Field required")],
    ),
    (
        "/pydantic",
        {"json": {"name": "a", "age": -1}},
        [("_schema", "Value error, age must not be negative")],
    ),
]

FLASK_PYDANTIC_CASES = [
    ("/flask-pydantic?page=1", {"json": {}}, [("json.name", "Field required")]),
    (
        "/flask-pydantic?page=x",
        {"json": {"name": "a", "age": -1}},
        [
            ("json._schema", "Value error, age must not be negative"),
            ("query.page", INT_MESSAGE),
        ],
    ),
    ("/flask-pydantic", {"json": {"name": "a"}}, [("query.page", "Field required")]),
]


@pytest.mark.parametrize(
    ("config", "code"),
    [
        ({}, 422),
        ({"STATUS_ENVELOPE_VALIDATION_STATUS": 422}, 422),
        ({"STATUS_ENVELOPE_VALIDATION_STATUS": 400}, 400),
        # Design choice (see the notes): Flask-Pydantic's error is always about the
        # request, so None, which is for upstream data, does not make it a 500.
        ({"STATUS_ENVELOPE_VALIDATION_STATUS": None}, 422),
    ],
)
@pytest.mark.parametrize(("path", "kwargs", "errors"), FLASK_PYDANTIC_CASES)
def test_flask_pydantic_raise_mode(
    config: dict[str, t.Any],
    code: int,
    path: str,
    kwargs: dict[str, t.Any],
    errors: list[tuple[str, str]],
) -> None:
    app = view_app(FLASK_PYDANTIC_VALIDATION_ERROR_RAISE=True, **config)
    response = app.test_client().post(path, **kwargs)
    assert answer(response) == (
        code,
        "application/json",
        body_with_errors(code, errors),
    )
    validates(response)


@pytest.mark.parametrize("status", [422, 400])
@pytest.mark.parametrize(("path", "kwargs", "errors"), VIEW_CASES)
def test_view_raised_errors(
    status: int,
    path: str,
    kwargs: dict[str, t.Any],
    errors: list[tuple[str, str]],
) -> None:
    app = view_app(STATUS_ENVELOPE_VALIDATION_STATUS=status)
    response = app.test_client().post(path, **kwargs)
    assert answer(response) == (
        status,
        "application/json",
        body_with_errors(status, errors),
    )
    validates(response)


@pytest.mark.parametrize(("path", "kwargs", "errors"), VIEW_CASES)
def test_view_raised_errors_default_to_422(
    path: str, kwargs: dict[str, t.Any], errors: list[tuple[str, str]]
) -> None:
    response = view_app().test_client().post(path, **kwargs)
    assert answer(response) == (422, "application/json", body_with_errors(422, errors))


@pytest.mark.parametrize(("path", "kwargs", "errors"), VIEW_CASES)
def test_validation_status_none_leaves_view_errors_unmapped(
    path: str, kwargs: dict[str, t.Any], errors: list[tuple[str, str]]
) -> None:
    # For apps that validate upstream data with the same libraries: a bad answer
    # from upstream is the server's fault, a 500 that says nothing of it.
    app = view_app(STATUS_ENVELOPE_VALIDATION_STATUS=None)
    response = app.test_client().post(path, **kwargs)
    assert answer(response) == (
        500,
        "application/json",
        body_without_errors(500, MESSAGE_500),
    )


@pytest.mark.parametrize("status", [200, 500, 4.22, "422", True])
def test_validation_status_is_checked_at_init(status: object) -> None:
    with pytest.raises(
        (TypeError, ValueError), match="STATUS_ENVELOPE_VALIDATION_STATUS"
    ):
        make_app(STATUS_ENVELOPE_VALIDATION_STATUS=status)


# -- abort() with a dict or list description ------------------------------------------


class Opaque:
    def __repr__(self) -> str:
        return "<Opaque at 0xdeadbeef>"


@pytest.mark.parametrize(
    ("code", "description", "errors"),
    [
        (400, {"name": [REQUIRED]}, [("name", REQUIRED)]),
        (422, {"json": {"name": [REQUIRED]}}, [("json.name", REQUIRED)]),
        (
            400,
            {"b": ["x", "y"], "a": {"10": ["z"], "2": ["w"]}},
            [("a.2", "w"), ("a.10", "z"), ("b", "x"), ("b", "y")],
        ),
        (
            400,
            ["Too many.", "Too late."],
            [("_schema", "Too many."), ("_schema", "Too late.")],
        ),
        (400, {"name": [Opaque()]}, [("name", "Invalid value.")]),
    ],
)
def test_abort_with_messages(
    code: int, description: object, errors: list[tuple[str, str]]
) -> None:
    app = make_app()

    @app.get("/")
    def view() -> str:
        abort(code, description)

    response = app.test_client().get("/")
    assert answer(response) == (
        code,
        "application/json",
        body_with_errors(code, errors),
    )
    assert b"0xdeadbeef" not in response.data
    validates(response)


# -- STATUS_ENVELOPE_FIELD_ERRORS = False ---------------------------------------------


def abort_app(**config: t.Any) -> Flask:
    app = make_app(**config)

    @app.get("/abort")
    def view() -> str:
        abort(400, {"name": [REQUIRED]})

    return app


@pytest.mark.parametrize(
    ("factory", "method", "path", "kwargs", "code", "message"),
    [
        (webargs_app, "post", "/orders", {"json": {}}, 422, f"json.name: {REQUIRED}"),
        (
            webargs_app,
            "get",
            "/search?page=x",
            {},
            422,
            "query.page: Not a valid integer.",
        ),
        (apiflask_app, "post", "/orders", {"json": {}}, 422, f"json.name: {REQUIRED}"),
        (smorest_app, "post", "/orders/", {"json": {}}, 422, f"json.name: {REQUIRED}"),
        (view_app, "post", "/marshmallow", {"json": {}}, 422, f"name: {REQUIRED}"),
        (view_app, "post", "/pydantic", {"json": {}}, 422, "name: Field required"),
        (abort_app, "get", "/abort", {}, 400, f"name: {REQUIRED}"),
    ],
)
def test_field_errors_off(
    factory: t.Callable[..., Flask],
    method: str,
    path: str,
    kwargs: dict[str, t.Any],
    code: int,
    message: str,
) -> None:
    app = factory(STATUS_ENVELOPE_FIELD_ERRORS=False)
    response = getattr(app.test_client(), method)(path, **kwargs)
    assert answer(response) == (
        code,
        "application/json",
        body_without_errors(code, message),
    )


def test_flask_pydantic_field_errors_off() -> None:
    app = view_app(
        FLASK_PYDANTIC_VALIDATION_ERROR_RAISE=True, STATUS_ENVELOPE_FIELD_ERRORS=False
    )
    response = app.test_client().post("/flask-pydantic", json={"name": "a"})
    assert answer(response) == (
        422,
        "application/json",
        body_without_errors(422, "query.page: Field required"),
    )


# -- the schema -----------------------------------------------------------------------

#: What ENVELOPE_SCHEMA says of the optional ``errors`` member (descriptions aside).
ERRORS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
        "required": ["field", "message"],
        "additionalProperties": False,
    },
}


def shape(schema: t.Any) -> t.Any:
    """``schema`` without its ``description``, ``title`` and ``example(s)`` keys."""
    if isinstance(schema, dict):
        return {
            key: shape(value)
            for key, value in schema.items()
            if key not in {"description", "title", "example", "examples"}
        }
    return schema


def test_envelope_schema_describes_errors() -> None:
    status = ENVELOPE_SCHEMA["properties"]["status"]
    assert shape(status["properties"]["errors"]) == ERRORS_SCHEMA
    assert status["required"] == ["code", "text", "message"]
    validator = Draft202012Validator(ENVELOPE_SCHEMA)
    assert validator.is_valid(body_with_errors(422, [("json.name", REQUIRED)]))
    assert validator.is_valid(body_without_errors(422, "x"))
    bad = body_with_errors(422, [("json.name", REQUIRED)])
    bad["status"]["errors"][0]["code"] = "missing"
    assert not validator.is_valid(bad)
