"""What a request to a deprecated endpoint gets: the headers on every response, 410
when the schedule says so, the signal and the log line."""

from __future__ import annotations

import logging
import typing as t
from datetime import datetime

import pytest
from flask import Flask, Response
from flask.testing import FlaskClient

from flask_status_envelope import (
    Deprecation,
    StatusEnvelope,
    abort_with,
    deprecated,
    deprecated_endpoint_called,
)
from flask_status_envelope.testing import assert_envelope

from ..conftest import envelope
from .conftest import (
    AFTER,
    BEFORE,
    EXPECTED,
    GONE_ITEMS,
    ITEMS,
    ITEMS_LINK,
    NO_HEADERS,
    NOT_FOUND,
    Clock,
    deprecation_headers,
)


def test_410_message_comes_from_app_config(app: Flask, client: FlaskClient) -> None:
    app.config["STATUS_ENVELOPE_MESSAGES"] = {410: "This API version was retired."}
    app.get("/v0/report")(deprecated(lambda: "report"))

    r = client.get("/v0/report")
    assert assert_envelope(r, 410) == envelope(
        410, "Gone", "This API version was retired."
    )


def test_user_410_handler_still_wins(app: Flask, client: FlaskClient) -> None:
    @app.errorhandler(410)
    def gone(error: Exception) -> tuple[str, int]:
        return "gone, in my words", 410

    app.get("/v0/report")(deprecated(lambda: "report"))

    r = client.get("/v0/report")
    assert (r.status_code, r.get_data(as_text=True)) == (410, "gone, in my words")
    assert r.headers["Deprecation"].startswith("@")


@pytest.mark.usefixtures("items_app")
@pytest.mark.parametrize(
    ("path", "status", "body", "called"),
    [
        ("/v1/items", 200, {"items": []}, ["items"]),
        (
            "/v1/items/7",
            404,
            envelope(404, "Not Found", "Item 7 does not exist"),
            ["item"],
        ),
        (
            "/v1/crash",
            500,
            envelope(
                500,
                "Internal Server Error",
                "There is an error on the server. Contact support if this keeps"
                " happening.",
            ),
            [],
        ),
    ],
    ids=["success", "error-envelope", "unhandled-500"],
)
def test_before_sunset_every_response_has_the_headers(
    client: FlaskClient,
    calls: list[str],
    path: str,
    status: int,
    body: object,
    called: list[str],
) -> None:
    r = client.get(path)
    assert r.status_code == status
    assert r.get_json() == body
    assert deprecation_headers(r) == EXPECTED
    assert calls == called


@pytest.mark.usefixtures("items_app")
def test_link_is_appended_to_the_views_own(client: FlaskClient) -> None:
    r = client.get("/v1/linked")
    assert r.headers.getlist("Link") == [
        '</v1/linked?page=2>; rel="next", ' + ITEMS_LINK
    ]


@pytest.mark.usefixtures("items_app")
def test_head_after_sunset(client: FlaskClient, clock: Clock) -> None:
    clock.now = AFTER
    r = client.head("/v1/items")
    assert assert_envelope(r, 410) == {}
    assert deprecation_headers(r) == EXPECTED


@pytest.mark.usefixtures("items_app")
def test_enforce_sunset_off_rolls_back(
    app: Flask, client: FlaskClient, clock: Clock, calls: list[str]
) -> None:
    app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] = False
    clock.now = AFTER
    r = client.get("/v1/items")
    assert r.status_code == 200
    assert r.get_json() == {"items": []}
    assert deprecation_headers(r) == EXPECTED
    assert calls == ["items"]


UNAUTHORIZED = envelope(401, "Unauthorized", "Invalid token.")


@pytest.mark.parametrize(
    ("now", "state", "code", "body"),
    [(BEFORE, "deprecated", 401, UNAUTHORIZED), (AFTER, "sunset", 410, GONE_ITEMS)],
)
def test_the_check_runs_before_the_apps_other_hooks(
    now: datetime, state: str, code: int, body: dict[str, t.Any]
) -> None:
    # Registered before the extension, the authentication hook still runs after
    # its check: a retired endpoint is gone for everyone, and a deprecated one
    # announces itself also on the answers of later hooks.
    app = Flask(__name__)

    @app.before_request
    def authenticate() -> None:
        abort_with(401, "Invalid token.")

    StatusEnvelope(app)
    app.config["STATUS_ENVELOPE_DEPRECATION_CLOCK"] = lambda: now
    app.get("/v1/items")(deprecated(**ITEMS)(lambda: "items"))
    seen: list[str] = []
    with deprecated_endpoint_called.connected_to(
        lambda sender, **extra: seen.append(extra["state"]), app
    ):
        r = app.test_client().get("/v1/items")
    assert assert_envelope(r, code) == body
    assert deprecation_headers(r) == EXPECTED
    assert seen == [state]


def test_enforce_sunset_defaults_to_true(app: Flask) -> None:
    assert app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] is True


def test_enforce_sunset_is_not_overwritten() -> None:
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] = False
    StatusEnvelope(app)
    assert app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] is False


def test_bare_served_when_enforcement_is_off(app: Flask, client: FlaskClient) -> None:
    app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] = False
    app.get("/v0/report")(deprecated(lambda: "report"))
    r = client.get("/v0/report")
    assert (r.status_code, r.get_data(as_text=True)) == (200, "report")
    assert r.headers["Deprecation"].startswith("@")


def test_view_may_set_its_own_deprecation_header(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    @app.get("/old")
    @deprecated(since="2026-01-01")
    def old() -> Response:
        return Response("old", headers={"Deprecation": "@1"})

    assert client.get("/old").headers.getlist("Deprecation") == ["@1"]


@pytest.mark.parametrize("value", ["false", 0, None])
def test_bad_enforce_config(value: object) -> None:
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] = value
    with pytest.raises(TypeError, match="STATUS_ENVELOPE_ENFORCE_SUNSET must be True"):
        StatusEnvelope(app)


def test_bad_clock_config() -> None:
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_DEPRECATION_CLOCK"] = "2026-01-01"
    with pytest.raises(TypeError, match="STATUS_ENVELOPE_DEPRECATION_CLOCK must be"):
        StatusEnvelope(app)


@pytest.mark.usefixtures("bp_app")
@pytest.mark.parametrize(
    ("method", "path", "now", "body", "headers"),
    [
        (
            "GET",
            "/v1/broken",
            BEFORE,
            envelope(403, "Forbidden", "Token is disabled"),
            EXPECTED,
        ),
        ("GET", "/v1/nothing-here", BEFORE, NOT_FOUND, EXPECTED),
        ("GET", "/v1", BEFORE, NOT_FOUND, EXPECTED),
        (
            "POST",
            "/v1/items",
            BEFORE,
            envelope(
                405,
                "Method Not Allowed",
                "The HTTP method used is not allowed for this endpoint.",
            ),
            EXPECTED,
        ),
        ("GET", "/v1/items", AFTER, GONE_ITEMS, EXPECTED),
        ("GET", "/v1/admin/users", AFTER, GONE_ITEMS, EXPECTED),
        ("GET", "/v1/nothing-here", AFTER, GONE_ITEMS, EXPECTED),
        ("POST", "/v1/items", AFTER, GONE_ITEMS, EXPECTED),
        ("GET", "/v2/nothing-here", AFTER, NOT_FOUND, NO_HEADERS),
        ("GET", "/v1items/x", AFTER, NOT_FOUND, NO_HEADERS),
    ],
)
def test_blueprint_envelopes(
    client: FlaskClient,
    clock: Clock,
    method: str,
    path: str,
    now: datetime,
    body: dict[str, t.Any],
    headers: dict[str, str | None],
) -> None:
    clock.now = now
    r = client.open(path, method=method)
    assert assert_envelope(r, body["status"]["code"]) == body
    assert deprecation_headers(r) == headers


def test_brownouts_off_with_enforcement(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] = False
    app.get("/v1/items")(
        deprecated(**ITEMS, brownouts=[("2026-06-01", "2026-06-02")])(lambda: "items")
    )
    clock.now = datetime(2026, 6, 1, 12)
    r = client.get("/v1/items")
    assert (r.status_code, r.get_data(as_text=True)) == (200, "items")
    assert deprecation_headers(r) == EXPECTED


@pytest.mark.usefixtures("items_app")
def test_signal_on_every_call(app: Flask, client: FlaskClient, clock: Clock) -> None:
    seen: list[tuple[object, str, str, object]] = []

    def record(
        sender: Flask, endpoint: str, state: str, deprecation: Deprecation
    ) -> None:
        seen.append((sender, endpoint, state, deprecation.successor))

    with deprecated_endpoint_called.connected_to(record, app):
        client.get("/v1/items")
        client.get("/v1/items/3")
        clock.now = AFTER
        client.get("/v1/items")
        app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] = False
        client.get("/v1/items")
    assert seen == [
        (app, "items", "deprecated", "/v2/items"),
        (app, "item", "deprecated", "/v2/items"),
        (app, "items", "sunset", "/v2/items"),
        (app, "items", "sunset", "/v2/items"),
    ]


def test_signal_not_sent_for_other_endpoints(app: Flask, client: FlaskClient) -> None:
    seen: list[object] = []
    app.get("/fresh")(lambda: "fresh")
    with deprecated_endpoint_called.connected_to(lambda s, **kw: seen.append(kw), app):
        assert client.get("/fresh").status_code == 200
        assert client.get("/nothing").status_code == 404
    assert seen == []


@pytest.mark.usefixtures("items_app")
def test_one_warning_per_endpoint(
    client: FlaskClient, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        client.get("/v1/items")
        client.get("/v1/items")
        client.get("/v1/items/1")
        clock.now = AFTER
        client.get("/v1/items")
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "WARNING",
            "Deprecated endpoint 'items' was called (its sunset is Thu, 31 Dec 2026"
            " 00:00:00 GMT). Logged once per process.",
        ),
        (
            "WARNING",
            "Deprecated endpoint 'item' was called (its sunset is Thu, 31 Dec 2026"
            " 00:00:00 GMT). Logged once per process.",
        ),
    ]


def test_without_the_extension_nothing_happens() -> None:
    app = Flask(__name__)
    app.get("/v0/report")(deprecated(lambda: "report"))
    r = app.test_client().get("/v0/report")
    assert (r.status_code, r.headers.get("Deprecation")) == (200, None)
