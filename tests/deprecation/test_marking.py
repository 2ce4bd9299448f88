"""``@deprecated`` on views, view classes, methods and blueprints, and the look-ups
that find the mark again."""

from __future__ import annotations

import time
import typing as t
from datetime import datetime

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient
from flask.views import MethodView

from flask_status_envelope import deprecated, endpoint_deprecation
from flask_status_envelope.testing import assert_envelope

from .conftest import (
    AFTER,
    BEFORE,
    EXPECTED,
    GONE,
    GONE_ITEMS,
    ITEMS,
    NO_HEADERS,
    SINCE_HEADER,
    Clock,
    content_of,
    deprecation_headers,
    retired_headers,
)


def test_bare_below_route(app: Flask, client: FlaskClient, calls: list[str]) -> None:
    before = time.time()

    @app.get("/v0/report")
    @deprecated
    def report() -> str:
        calls.append("report")
        return "report"

    after = time.time()
    r = client.get("/v0/report")
    assert assert_envelope(r, 410) == GONE
    assert calls == []
    assert deprecation_headers(r) in retired_headers(before, after)


def test_bare_above_route(app: Flask, client: FlaskClient, calls: list[str]) -> None:
    before = time.time()

    @deprecated
    @app.get("/v0/report")
    def report() -> str:
        calls.append("report")
        return "report"

    after = time.time()
    r = client.get("/v0/report")
    assert assert_envelope(r, 410) == GONE
    assert calls == []
    assert deprecation_headers(r) in retired_headers(before, after)


@pytest.mark.parametrize(
    ("target", "match"),
    [
        ("2026-12-31", r"got str '2026-12-31'. Pass dates by keyword"),
        (42, r"got int 42"),
        (int, r"got the class 'int'"),
    ],
)
def test_bad_target(target: object, match: str) -> None:
    with pytest.raises(TypeError, match=match):
        deprecated(target)


@deprecated(**ITEMS)
class ItemsView(MethodView):
    def get(self) -> str:
        return "items"

    def post(self) -> str:
        return "created"


_ORDERS_BEFORE = time.time()


class OrdersView(MethodView):
    def get(self) -> str:
        return "orders"

    @deprecated
    def delete(self) -> str:
        return "deleted"

    @deprecated(since="2026-01-01", sunset="2026-03-01")
    def put(self) -> str:
        return "put"


_ORDERS_AFTER = time.time()


class NewItemsView(ItemsView):
    """Inherits the code, not the deprecation mark of the class."""


@pytest.fixture
def view_app(app: Flask, clock: Clock) -> Flask:
    app.add_url_rule("/v1/items", view_func=ItemsView.as_view("items"))
    app.add_url_rule("/orders", view_func=OrdersView.as_view("orders"))
    app.add_url_rule("/v2/items", view_func=NewItemsView.as_view("new_items"))
    return app


RETIRED_DELETE = retired_headers(_ORDERS_BEFORE, _ORDERS_AFTER)
PUT = {
    "Deprecation": SINCE_HEADER,
    "Sunset": "Sun, 01 Mar 2026 00:00:00 GMT",
    "Link": None,
    "Retry-After": None,
}


@pytest.mark.usefixtures("view_app")
@pytest.mark.parametrize(
    ("method", "path", "now", "status", "body", "headers"),
    [
        ("GET", "/v1/items", BEFORE, 200, "items", [EXPECTED]),
        ("POST", "/v1/items", BEFORE, 200, "created", [EXPECTED]),
        ("GET", "/v1/items", AFTER, 410, GONE_ITEMS, [EXPECTED]),
        ("GET", "/orders", AFTER, 200, "orders", [NO_HEADERS]),
        ("DELETE", "/orders", BEFORE, 410, GONE, RETIRED_DELETE),
        ("PUT", "/orders", datetime(2026, 2, 1), 200, "put", [PUT]),
        ("PUT", "/orders", datetime(2026, 3, 1), 410, GONE, [PUT]),
        ("GET", "/v2/items", AFTER, 200, "items", [NO_HEADERS]),
    ],
)
def test_method_view(
    client: FlaskClient,
    clock: Clock,
    method: str,
    path: str,
    now: datetime,
    status: int,
    body: object,
    headers: list[dict[str, str | None]],
) -> None:
    clock.now = now
    r = client.open(path, method=method)
    assert (r.status_code, content_of(r)) == (status, body)
    assert deprecation_headers(r) in headers


@pytest.mark.usefixtures("view_app")
def test_method_view_head_follows_get(client: FlaskClient, clock: Clock) -> None:
    clock.now = AFTER
    r = client.head("/v1/items")
    assert (assert_envelope(r, 410), deprecation_headers(r)) == ({}, EXPECTED)
    r = client.head("/orders")
    assert (r.status_code, r.data, deprecation_headers(r)) == (200, b"", NO_HEADERS)


def test_deprecated_as_view_result(app: Flask, client: FlaskClient) -> None:
    app.add_url_rule("/orders", view_func=deprecated(OrdersView.as_view("orders")))
    r = client.get("/orders")
    assert assert_envelope(r, 410) == GONE


def test_mark_survives_functools_wraps(app: Flask, client: FlaskClient) -> None:
    import functools

    def logged(view: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        @functools.wraps(view)
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return view(*args, **kwargs)

        return wrapper

    @app.get("/v0/report")
    @logged
    @deprecated
    def report() -> str:
        return "report"

    r = client.get("/v0/report")
    assert assert_envelope(r, 410) == GONE


@pytest.mark.usefixtures("bp_app")
@pytest.mark.parametrize(
    ("path", "body", "headers"),
    [
        ("/v1/items", "items", EXPECTED),
        ("/v1/admin/users", "users", EXPECTED),
        ("/v2/items", "new items", NO_HEADERS),
        ("/v1items", "not under /v1/", NO_HEADERS),
    ],
)
def test_blueprint_served(
    client: FlaskClient, path: str, body: str, headers: dict[str, str | None]
) -> None:
    r = client.get(path)
    assert (r.status_code, r.get_data(as_text=True)) == (200, body)
    assert deprecation_headers(r) == headers


@pytest.mark.usefixtures("bp_app")
def test_view_mark_wins_over_blueprint(
    client: FlaskClient, wall_clock_at_start: float
) -> None:
    after = time.time()
    r = client.get("/v1/report")
    assert assert_envelope(r, 410) == GONE
    # The bare mark's own dates and no Link, not the blueprint's.
    assert deprecation_headers(r) in retired_headers(wall_clock_at_start, after)


def test_blueprint_must_be_deprecated_before_registering(app: Flask) -> None:
    bp = Blueprint("late", __name__, url_prefix="/late")
    app.register_blueprint(bp)
    with pytest.raises(AssertionError, match="before registering it"):
        deprecated(bp)


def test_blueprint_without_prefix_marks_only_its_endpoints(
    app: Flask, client: FlaskClient
) -> None:
    bp = Blueprint("legacy", __name__)
    bp.get("/legacy")(lambda: "legacy")
    app.register_blueprint(deprecated(bp))
    r = client.get("/legacy")
    assert assert_envelope(r, 410) == GONE
    r = client.get("/nothing-here")
    assert (r.status_code, r.headers.get("Deprecation")) == (404, None)


@pytest.mark.parametrize(
    ("path", "status", "deprecation"),
    [
        ("/v1/admin/users", 410, "@1767225600"),
        ("/v1/admin/nothing", 404, None),
        ("/v1/nothing", 404, None),
        ("/v1/items", 200, None),
    ],
)
def test_nested_blueprint_without_prefix_of_its_own(
    app: Flask,
    client: FlaskClient,
    clock: Clock,
    path: str,
    status: int,
    deprecation: str | None,
) -> None:
    parent = Blueprint("v1", __name__, url_prefix="/v1")
    parent.get("/items")(lambda: "items")
    child = Blueprint("admin", __name__)
    child.get("/admin/users")(lambda: "users")
    deprecated(child, since="2026-01-01", sunset="2026-03-01")
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    clock.now = AFTER
    r = client.get(path)
    assert (r.status_code, r.headers.get("Deprecation")) == (status, deprecation)


@pytest.mark.parametrize(
    ("path", "status", "deprecation"),
    [
        ("/v1/admin/users", 410, "@1767225600"),
        ("/v1/admin/nothing", 410, "@1767225600"),
        ("/v1/nothing", 404, None),
    ],
)
def test_nested_blueprint_with_its_own_prefix(
    app: Flask,
    client: FlaskClient,
    clock: Clock,
    path: str,
    status: int,
    deprecation: str | None,
) -> None:
    parent = Blueprint("v1", __name__, url_prefix="/v1")
    child = Blueprint("admin", __name__, url_prefix="/admin")
    child.get("/users")(lambda: "users")
    deprecated(child, since="2026-01-01", sunset="2026-03-01")
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    clock.now = AFTER
    r = client.get(path)
    assert (r.status_code, r.headers.get("Deprecation")) == (status, deprecation)


@pytest.mark.usefixtures("bp_app", "view_app")
@pytest.mark.parametrize(
    ("endpoint", "method", "successor"),
    [
        ("v1.items", "GET", "/v2/items"),
        ("v1.admin.users", "GET", "/v2/items"),
        ("v1.report", "GET", None),
        ("v2.new_items", "GET", "not deprecated"),
        ("items", "GET", "/v2/items"),
        ("items", "HEAD", "/v2/items"),
        ("orders", "GET", "not deprecated"),
        ("orders", "DELETE", None),
        ("new_items", "GET", "not deprecated"),
        ("lookalike", "GET", "not deprecated"),
    ],
)
def test_endpoint_deprecation(
    app: Flask, endpoint: str, method: str, successor: str | None
) -> None:
    schedule = endpoint_deprecation(endpoint, method, app=app)
    assert getattr(schedule, "successor", "not deprecated") == successor


def test_endpoint_deprecation_uses_current_app(app: Flask) -> None:
    app.get("/v0/report")(deprecated(lambda: "report"))
    with app.app_context():
        assert endpoint_deprecation("<lambda>") is not None
        assert endpoint_deprecation("static") is None
