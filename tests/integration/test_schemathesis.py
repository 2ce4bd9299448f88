"""Schemathesis against an APIFlask and a flask-smorest app: the OpenAPI document
lists every status code and every header the extension sends.

All of Schemathesis' checks run on positive and negative data, in process through
the WSGI interface (no socket; the limiter sees the test client's 127.0.0.1), with
a bounded, derandomized number of examples per operation. One more check,
:func:`extension_headers_are_documented`, fails a response that carries a header the
extension adds (``WWW-Authenticate``, ``Retry-After``, ``Deprecation``, ``Sunset``,
``Link``, ``Content-Language``) when the matching response object of the document
does not declare it: Schemathesis itself only checks the headers a document
declares.
"""

from __future__ import annotations

import typing as t

import marshmallow as ma
import schemathesis
from flask import Flask, Response
from flask_httpauth import HTTPTokenAuth  # type: ignore[import-untyped]
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    missing_required_header,
    positive_data_acceptance,
    unsupported_method,
)

from flask_status_envelope import StatusEnvelope, deprecated, envelope_response
from flask_status_envelope.openapi import init_apiflask, smorest_api_class

#: Headers the extension adds to responses, and so must document.
EXTENSION_HEADERS = (
    "WWW-Authenticate",
    "Retry-After",
    "Deprecation",
    "Sunset",
    "Link",
    "Content-Language",
)

TOKENS = {"good-token": "ada"}

#: Bounded and reproducible: a few seconds for both apps.
BOUNDED = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

announced = deprecated(
    since="2026-01-01",
    sunset="2099-01-01",
    successor="/orders",
    info="https://example.com/deprecations/v1-orders",
)


class OrderIn(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 50))
    qty = ma.fields.Integer(validate=ma.validate.Range(1, 100))


class OrderOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


class PageIn(ma.Schema):
    page = ma.fields.Integer(validate=ma.validate.Range(1, 1000))


ORDER = {"id": 1, "name": "tea"}


class Orders:
    """The orders of one app: what POST creates, GET finds (Schemathesis' stateful
    phase checks that)."""

    def __init__(self) -> None:
        self.names = {1: "tea"}

    def create(self, name: str) -> dict[str, t.Any]:
        order_id = len(self.names) + 1
        self.names[order_id] = name
        return {"id": order_id, "name": name}

    def find(self, order_id: int) -> dict[str, t.Any] | None:
        name = self.names.get(order_id)
        return None if name is None else {"id": order_id, "name": name}


def body_required(spec: dict[str, t.Any]) -> dict[str, t.Any]:
    """APIFlask leaves ``requestBody.required`` out, which makes a missing body
    valid data; the app's input is required, and says so."""
    for item in spec["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation["requestBody"]["required"] = True
    return spec


# -- APIFlask ---------------------------------------------------------------------


def make_apiflask_app(**config: t.Any) -> Flask:
    from apiflask import APIFlask, HTTPTokenAuth, abort

    app = APIFlask(__name__, title="Orders", version="1.0")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config.update(config)
    # Before init_apiflask, which keeps it.
    app.spec_processor(body_required)  # type: ignore[arg-type]
    StatusEnvelope(app)
    init_apiflask(app)
    orders = Orders()
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://")
    auth = HTTPTokenAuth(scheme="Bearer")

    @auth.verify_token  # type: ignore[untyped-decorator]
    def verify_token(token: str) -> str | None:
        return TOKENS.get(token)

    @app.post("/orders")
    @app.input(OrderIn)  # type: ignore[arg-type]
    @app.output(OrderOut, status_code=201)  # type: ignore[arg-type]
    def create_order(json_data: dict[str, t.Any]) -> dict[str, t.Any]:
        return orders.create(json_data["name"])

    @app.get("/orders/<int:order_id>")
    @app.output(OrderOut)  # type: ignore[arg-type]
    def get_order(order_id: int) -> dict[str, t.Any]:
        order = orders.find(order_id)
        if order is None:
            abort(404, f"Order {order_id} does not exist.")
        return order

    @app.get("/v0/orders")
    @app.output(OrderOut(many=True))  # type: ignore[arg-type]
    @deprecated
    def v0_orders() -> list[dict[str, t.Any]]:
        return [ORDER]

    @app.get("/v1/orders")
    @app.output(OrderOut(many=True))  # type: ignore[arg-type]
    @announced
    def v1_orders() -> list[dict[str, t.Any]]:
        return [ORDER]

    @app.get("/me")
    @app.auth_required(auth)
    @app.output(OrderOut)  # type: ignore[arg-type]
    def me() -> dict[str, t.Any]:
        return ORDER

    @app.get("/search")
    @limiter.limit("2 per day")
    @app.input(PageIn, location="query")  # type: ignore[arg-type]
    @app.output(OrderOut(many=True))  # type: ignore[arg-type]
    def search(query_data: dict[str, t.Any]) -> list[dict[str, t.Any]]:
        return [ORDER]

    return app


# -- flask-smorest ----------------------------------------------------------------


def make_smorest_app() -> Flask:
    from flask_babel import Babel  # type: ignore[import-untyped]
    from flask_smorest import Blueprint, abort  # type: ignore[import-untyped]

    app = Flask(__name__)
    app.config.update(
        PROPAGATE_EXCEPTIONS=False,
        API_TITLE="Orders",
        API_VERSION="1.0",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        # Default messages in German, with Content-Language.
        BABEL_DEFAULT_LOCALE="de",
    )
    StatusEnvelope(app)
    Babel(app)
    api = smorest_api_class()(app)
    orders = Orders()
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://")
    auth = HTTPTokenAuth(scheme="Bearer")

    @auth.verify_token  # type: ignore[untyped-decorator]
    def verify_token(token: str) -> str | None:
        return TOKENS.get(token)

    @auth.error_handler  # type: ignore[untyped-decorator]
    def auth_error(status: int) -> Response:
        return envelope_response(status, "Invalid token.")

    blp = Blueprint("orders", __name__)

    @blp.route("/orders", methods=["POST"])  # type: ignore[untyped-decorator]
    @blp.arguments(OrderIn)  # type: ignore[untyped-decorator]
    @blp.response(201, OrderOut)  # type: ignore[untyped-decorator]
    def create_order(order: dict[str, t.Any]) -> dict[str, t.Any]:
        return orders.create(order["name"])

    @blp.route("/orders/<int:order_id>")  # type: ignore[untyped-decorator]
    @blp.response(200, OrderOut)  # type: ignore[untyped-decorator]
    @blp.alt_response(404, response="NOT_FOUND")  # type: ignore[untyped-decorator]
    def get_order(order_id: int) -> dict[str, t.Any]:
        order = orders.find(order_id)
        if order is None:
            abort(404)  # the default message, translated
        return t.cast("dict[str, t.Any]", order)

    @blp.route("/v0/orders")  # type: ignore[untyped-decorator]
    @blp.response(200, OrderOut(many=True))  # type: ignore[untyped-decorator]
    @deprecated
    def v0_orders() -> list[dict[str, t.Any]]:
        return [ORDER]

    @blp.route("/v1/orders")  # type: ignore[untyped-decorator]
    @blp.response(200, OrderOut(many=True))  # type: ignore[untyped-decorator]
    @announced
    def v1_orders() -> list[dict[str, t.Any]]:
        return [ORDER]

    @blp.route("/me")  # type: ignore[untyped-decorator]
    @blp.response(200, OrderOut)  # type: ignore[untyped-decorator]
    @blp.alt_response(401, response="UNAUTHORIZED")  # type: ignore[untyped-decorator]
    @auth.login_required  # type: ignore[untyped-decorator]
    def me() -> dict[str, t.Any]:
        return ORDER

    @blp.route("/search")  # type: ignore[untyped-decorator]
    @limiter.limit("2 per day")
    @blp.arguments(PageIn, location="query")  # type: ignore[untyped-decorator]
    @blp.response(200, OrderOut(many=True))  # type: ignore[untyped-decorator]
    def search(query: dict[str, t.Any]) -> list[dict[str, t.Any]]:
        return [ORDER]

    api.register_blueprint(blp)
    return app


# -- the run ----------------------------------------------------------------------


def extension_headers_are_documented(
    ctx: t.Any, response: schemathesis.Response, case: schemathesis.Case[t.Any]
) -> None:
    """Fail when the response carries a header of :data:`EXTENSION_HEADERS` that
    the matching response object does not declare.

    Responses to requests that Schemathesis' own checks send with another method
    (``OPTIONS``, ``TRACE``: the ``unsupported_method`` check) are not answers of
    this operation and are left to those checks.
    """
    if str(response.request.method).upper() != case.operation.method.upper():
        return
    definition = case.operation.responses.find_by_status_code(response.status_code)
    headers = definition.headers.items() if definition is not None else ()
    declared = {name.lower() for name, _ in headers}
    sent = {name.lower() for name in response.headers}
    undocumented = [
        name
        for name in EXTENSION_HEADERS
        if name.lower() in sent and name.lower() not in declared
    ]
    assert not undocumented, (
        f"{case.operation.label} answered {response.status_code} with"
        f" {', '.join(undocumented)}, which the document does not list"
    )


#: A retired operation rejects valid data by design (410), and every other method
#: too: a URL whose every route is retired is gone, whatever the method (410, not
#: 405: docs/deprecation.rst, "A 405 belongs to the route"). The checks that valid
#: data is accepted and that an undeclared method gets 405 do not apply to it.
NOT_APPLICABLE = {"GET /v0/orders": [positive_data_acceptance, unsupported_method]}

apiflask_schema = schemathesis.openapi.from_wsgi("/openapi.json", make_apiflask_app())
maintenance_schema = schemathesis.openapi.from_wsgi(
    "/openapi.json",
    make_apiflask_app(
        STATUS_ENVELOPE_MAINTENANCE=True,
        # The document stays reachable, as a health check would.
        STATUS_ENVELOPE_MAINTENANCE_EXEMPT=["openapi.spec"],
    ),
)
smorest_schema = schemathesis.openapi.from_wsgi("/openapi.json", make_smorest_app())


#: In maintenance every request answers 503, by design: before authentication (401
#: otherwise), also to methods the operation does not have (405 otherwise), whatever
#: the data; and 503 is a server error.
IN_MAINTENANCE = [
    missing_required_header,
    not_a_server_error,
    positive_data_acceptance,
    unsupported_method,
]


def call_and_validate(
    case: schemathesis.Case[t.Any], excluded: list[t.Any] | None = None
) -> None:
    not_applicable: list[t.Any] = NOT_APPLICABLE.get(case.operation.label, [])
    case.call_and_validate(
        additional_checks=[extension_headers_are_documented],
        excluded_checks=excluded or not_applicable,
    )


@apiflask_schema.parametrize()
@BOUNDED
def test_apiflask_document_tells_the_truth(case: schemathesis.Case[t.Any]) -> None:
    call_and_validate(case)


@maintenance_schema.parametrize()
@BOUNDED
def test_apiflask_document_tells_the_truth_in_maintenance(
    case: schemathesis.Case[t.Any],
) -> None:
    call_and_validate(case, IN_MAINTENANCE)


@smorest_schema.parametrize()
@BOUNDED
def test_smorest_document_tells_the_truth(case: schemathesis.Case[t.Any]) -> None:
    call_and_validate(case)
