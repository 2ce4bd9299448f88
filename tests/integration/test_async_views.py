"""``async`` views (they need Flask's ``async`` extra, asgiref): errors and
deprecations work as with plain views."""

from __future__ import annotations

import typing as t

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient

from flask_status_envelope import abort_with, deprecated
from flask_status_envelope.testing import assert_envelope

from ..conftest import envelope
from ..deprecation.conftest import (
    AFTER,
    EXPECTED,
    GONE,
    ITEMS,
    Clock,
    deprecation_headers,
)


def test_an_async_views_error_answers_the_envelope(
    app: Flask, client: FlaskClient
) -> None:
    bp = Blueprint("shop", __name__, url_prefix="/shop")

    @bp.get("/checkout")
    async def checkout() -> t.NoReturn:
        abort_with(403, "Insufficient balance")

    app.register_blueprint(bp)
    assert assert_envelope(client.get("/shop/checkout"), 403) == envelope(
        403, "Forbidden", "Insufficient balance"
    )


Decorate = t.Callable[[t.Any, t.Any, t.Any], t.Any]


@pytest.fixture
def clock(app: Flask) -> Clock:
    clock = Clock()
    app.config["STATUS_ENVELOPE_DEPRECATION_CLOCK"] = clock
    return clock


@pytest.fixture
def calls() -> list[str]:
    return []


@pytest.mark.parametrize(
    "stack",
    [
        lambda route, mark, view: route(mark(view)),
        lambda route, mark, view: mark(route(view)),
    ],
    ids=["deprecated-below-route", "deprecated-above-route"],
)
def test_async_view(
    app: Flask, client: FlaskClient, clock: Clock, calls: list[str], stack: Decorate
) -> None:
    async def items() -> str:
        calls.append("items")
        return "items"

    stack(app.get("/v1/items"), deprecated(**ITEMS), items)

    r = client.get("/v1/items")
    assert (r.status_code, r.get_data(as_text=True)) == (200, "items")
    assert deprecation_headers(r) == EXPECTED
    clock.now = AFTER
    r = client.get("/v1/items")
    assert assert_envelope(r, 410) == envelope(410, "Gone", "Use /v2/items instead.")
    assert calls == ["items"]


def test_bare_async_view(app: Flask, client: FlaskClient, calls: list[str]) -> None:
    @deprecated
    @app.get("/v0/report")
    async def report() -> str:
        calls.append("report")
        return "report"

    r = client.get("/v0/report")
    assert assert_envelope(r, 410) == GONE
    assert calls == []
