"""The field errors of each library as one sorted list, from real library errors
(fields.py with marshmallow, pydantic, webargs, APIFlask, Flask-Pydantic)."""

from __future__ import annotations

import typing as t

import flask_pydantic  # type: ignore[import-untyped]
import marshmallow as ma
import pydantic
import pytest
from flask import Flask, request
from flask_babel import Babel, lazy_gettext  # type: ignore[import-untyped]
from webargs.flaskparser import parser
from werkzeug.exceptions import HTTPException

from flask_status_envelope.fields import (
    field_errors,
    location_errors,
)

# -- real errors ----------------------------------------------------------------------


class ItemSchema(ma.Schema):
    name = ma.fields.String(required=True)
    qty = ma.fields.Integer()

    @ma.validates_schema
    def qty_not_zero(self, data: dict[str, t.Any], **kwargs: t.Any) -> None:
        if data.get("qty") == 0:
            raise ma.ValidationError("qty must not be zero.")


class OrderSchema(ma.Schema):
    name = ma.fields.String(required=True)
    code = ma.fields.String(
        validate=[ma.validate.Length(min=5), ma.validate.Regexp("^[0-9]+$")]
    )
    items = ma.fields.List(ma.fields.Nested(ItemSchema))
    tags = ma.fields.List(ma.fields.String())


class WholeSchema(ma.Schema):
    a = ma.fields.Integer()

    @ma.validates_schema
    def never(self, data: dict[str, t.Any], **kwargs: t.Any) -> None:
        raise ma.ValidationError("The order is not valid.")


def marshmallow_messages(schema: ma.Schema, data: object) -> t.Any:
    with pytest.raises(ma.ValidationError) as info:
        schema.load(data)  # type: ignore[arg-type]
    return info.value.messages


#: 11 items without a name, then one whose qty is zero: indexes 0-11.
ITEMS = [{"qty": 1}] * 11 + [{"name": "last", "qty": 0}]

ORDER_ERRORS = [
    ("code", "Shorter than minimum length 5."),
    ("code", "String does not match expected pattern."),
    *((f"items.{i}.name", "Missing data for required field.") for i in range(11)),
    ("items.11._schema", "qty must not be zero."),
    ("name", "Missing data for required field."),
    ("tags.1", "Not a valid string."),
    ("x", "Unknown field."),
]
ORDER_DATA = {"code": "ab", "items": ITEMS, "tags": ["a", 3], "x": 1}


def pairs(errors: list[t.Any]) -> list[tuple[str, str]]:
    return [(error["field"], error["message"]) for error in errors]


def prefixed(prefix: str, expected: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(f"{prefix}.{field}", message) for field, message in expected]


class Item(pydantic.BaseModel):
    name: str


class Order(pydantic.BaseModel):
    name: str
    items: list[Item] = []
    age: int = 0
    prices: dict[str, int] = {}

    @pydantic.model_validator(mode="after")
    def age_not_negative(self) -> Order:
        if self.age < 0:
            raise ValueError("age must not be negative")
        return self


def pydantic_error(data: object) -> pydantic.ValidationError:
    with pytest.raises(pydantic.ValidationError) as info:
        Order.model_validate(data)
    return info.value


INT_MESSAGE = "Input should be a valid integer, unable to parse string as an integer"
PYDANTIC_ERRORS = [
    ("age", INT_MESSAGE),
    *((f"items.{i}.name", "Field required") for i in range(11)),
    ("name", "Field required"),
    ("prices.a.b", INT_MESSAGE),
]
PYDANTIC_DATA = {"items": [{}] * 11, "age": "x", "prices": {"a.b": "x"}}


# -- marshmallow ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "expected"),
    [(None, ORDER_ERRORS), ("json", prefixed("json", ORDER_ERRORS))],
)
def test_marshmallow_messages(
    location: str | None, expected: list[tuple[str, str]]
) -> None:
    messages = marshmallow_messages(OrderSchema(), ORDER_DATA)
    assert pairs(field_errors(messages, location)) == expected


@pytest.mark.parametrize(
    ("schema", "data", "location", "expected"),
    [
        (WholeSchema(), {}, None, [("_schema", "The order is not valid.")]),
        (WholeSchema(), {}, "json", [("json._schema", "The order is not valid.")]),
        (OrderSchema(), [], None, [("_schema", "Invalid input type.")]),
        (
            OrderSchema(many=True),
            [{"name": 1}],
            "json",
            [("json.0.name", "Not a valid string.")],
        ),
    ],
)
def test_marshmallow_schema_level_errors(
    schema: ma.Schema,
    data: object,
    location: str | None,
    expected: list[tuple[str, str]],
) -> None:
    assert pairs(field_errors(marshmallow_messages(schema, data), location)) == expected


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ma.ValidationError("Nope."), [("_schema", "Nope.")]),
        (
            ma.ValidationError(["a", "b"], field_name="email"),
            [("email", "a"), ("email", "b")],
        ),
        (
            ma.ValidationError({"name": ["Too short."]}),
            [("name", "Too short.")],
        ),
        (
            ma.ValidationError({"street": ["Too short."]}, field_name="address"),
            [("address.street", "Too short.")],
        ),
    ],
)
def test_marshmallow_validation_error_objects(
    error: ma.ValidationError, expected: list[tuple[str, str]]
) -> None:
    assert pairs(field_errors(error)) == expected


def test_a_loaded_schema_error_object() -> None:
    with pytest.raises(ma.ValidationError) as info:
        OrderSchema().load(ORDER_DATA)
    assert pairs(field_errors(info.value, "form")) == prefixed("form", ORDER_ERRORS)


# -- webargs, APIFlask, flask-smorest: errors by location -----------------------------


class PageSchema(ma.Schema):
    page = ma.fields.Integer(required=True)


@pytest.mark.parametrize(
    ("url", "kwargs", "location", "code", "expected"),
    [
        (
            "/?page=x",
            {},
            "query",
            422,
            [("query.page", "Not a valid integer.")],
        ),
        (
            "/",
            {"method": "POST", "data": "{bad", "content_type": "application/json"},
            "json",
            400,
            [("json._schema", "Invalid JSON body.")],
        ),
        (
            "/",
            {"method": "POST", "json": {"page": 1, "other": 2}},
            "json",
            422,
            [("json.other", "Unknown field.")],
        ),
    ],
)
def test_webargs_messages(
    url: str,
    kwargs: dict[str, t.Any],
    location: str,
    code: int,
    expected: list[tuple[str, str]],
) -> None:
    app = Flask(__name__)
    with app.test_request_context(url, **kwargs):
        with pytest.raises(HTTPException) as info:
            parser.parse(PageSchema, request, location=location)
    error = info.value
    assert error.code == code
    assert pairs(location_errors(error.data["messages"])) == expected  # type: ignore[attr-defined]


def apiflask_detail(schema: t.Any, **kwargs: t.Any) -> t.Any:
    """The ``HTTPError.detail`` APIFlask gives its error processor."""
    from apiflask import APIFlask

    app = APIFlask(__name__)
    seen: list[t.Any] = []

    @app.error_processor
    def keep(error: t.Any) -> tuple[str, int]:
        seen.append(error.detail)
        return "", error.status_code

    @app.post("/")
    @app.input(schema)
    def view(json_data: t.Any) -> str:
        return ""

    app.test_client().post("/", **kwargs)
    return seen[0]


@pytest.mark.parametrize(
    ("schema", "data", "expected"),
    [
        (OrderSchema, ORDER_DATA, prefixed("json", ORDER_ERRORS)),
        (Order, PYDANTIC_DATA, prefixed("json", PYDANTIC_ERRORS)),
        (
            Order,
            {"name": "a", "age": -1},
            [("json._schema", "Value error, age must not be negative")],
        ),
    ],
)
def test_apiflask_detail(
    schema: t.Any, data: object, expected: list[tuple[str, str]]
) -> None:
    assert pairs(location_errors(apiflask_detail(schema, json=data))) == expected


# -- pydantic and Flask-Pydantic ------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "location", "expected"),
    [
        (PYDANTIC_DATA, None, PYDANTIC_ERRORS),
        (PYDANTIC_DATA, "json", prefixed("json", PYDANTIC_ERRORS)),
        (
            {"name": "a", "age": -1},
            None,
            [("_schema", "Value error, age must not be negative")],
        ),
        (
            {"name": "a", "age": -1},
            "json",
            [("json._schema", "Value error, age must not be negative")],
        ),
        (
            5,
            None,
            [("_schema", "Input should be a valid dictionary or instance of Order")],
        ),
    ],
)
def test_pydantic_validation_error(
    data: object, location: str | None, expected: list[tuple[str, str]]
) -> None:
    error = pydantic_error(data)
    assert pairs(field_errors(error, location)) == expected
    # errors() as Flask-Pydantic and others keep it: the same result.
    assert pairs(field_errors(error.errors(), location)) == expected


def test_pydantic_input_is_never_reported() -> None:
    error = pydantic_error({"name": "a", "age": "s3cr3t"})
    assert field_errors(error) == [{"field": "age", "message": INT_MESSAGE}]


class Query(pydantic.BaseModel):
    page: int
    size: int = 10


def flask_pydantic_error(url: str, **kwargs: t.Any) -> flask_pydantic.ValidationError:
    app = Flask(__name__)
    app.config["FLASK_PYDANTIC_VALIDATION_ERROR_RAISE"] = True

    @flask_pydantic.validate(body=Order, query=Query)  # type: ignore[untyped-decorator]
    def view() -> str:
        return ""

    with app.test_request_context(url, method="POST", **kwargs):
        with pytest.raises(flask_pydantic.ValidationError) as info:
            view()
    return info.value


def test_flask_pydantic_validation_error() -> None:
    error = flask_pydantic_error("/?page=x&size=y", json=PYDANTIC_DATA)
    assert pairs(field_errors(error)) == [
        *prefixed("json", PYDANTIC_ERRORS),
        ("query.page", INT_MESSAGE),
        ("query.size", INT_MESSAGE),
    ]


def test_flask_pydantic_body_only() -> None:
    error = flask_pydantic_error("/?page=1", json={"name": "a", "age": -1})
    assert pairs(field_errors(error)) == [
        ("json._schema", "Value error, age must not be negative")
    ]


# -- messages that are not plain text -------------------------------------------------


def test_lazy_messages_render_when_read() -> None:
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context("/"):
        errors = field_errors({"name": [lazy_gettext("Too short.")]})
    assert errors == [{"field": "name", "message": "Too short."}]
    assert type(errors[0]["message"]) is str
