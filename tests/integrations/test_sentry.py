"""Sentry: each server error arrives once, tagged with the request id; 4xx never.

The real sentry-sdk with its Flask integration, and a transport of the SDK's own
transport API that keeps envelopes in memory: nothing leaves the process.
"""

from __future__ import annotations

import logging
import typing as t

import pytest
import sentry_sdk
from flask import Flask
from sentry_sdk.envelope import Envelope
from sentry_sdk.integrations.flask import FlaskIntegration
from sentry_sdk.integrations.logging import LoggingIntegration
from sentry_sdk.transport import Transport

from flask_status_envelope import StatusEnvelope, abort_with


class MemoryTransport(Transport):
    """Keeps every envelope the client sends."""

    def __init__(self, options: dict[str, t.Any] | None = None) -> None:
        super().__init__(options)
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)

    def events(self) -> list[dict[str, t.Any]]:
        return [
            t.cast("dict[str, t.Any]", item.payload.json)
            for envelope in self.envelopes
            for item in envelope.items
            if item.type == "event"
        ]


@pytest.fixture(params=["logging-on", "logging-off"])
def transport(request: pytest.FixtureRequest) -> t.Iterator[MemoryTransport]:
    memory = MemoryTransport()
    # event_level=None turns the logging integration's events off for this client.
    # Not disabled_integrations: sentry-sdk installs integrations once per process,
    # so an integration an earlier init installed stays enabled whatever a later
    # init disables.
    event_level = logging.ERROR if request.param == "logging-on" else None
    sentry_sdk.init(
        dsn="http://public@127.0.0.1:9/1",
        transport=memory,
        integrations=[FlaskIntegration(), LoggingIntegration(event_level=event_level)],
        auto_enabling_integrations=False,
    )
    try:
        yield memory
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)


class Unavailable(Exception):
    pass


class Missing(Exception):
    pass


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    status_envelope = StatusEnvelope(app)
    status_envelope.register_exception(Unavailable, 503)
    status_envelope.register_exception(ConnectionError, 502)
    status_envelope.register_exception(Missing, 404)

    @app.get("/crash")
    def crash() -> t.NoReturn:
        raise RuntimeError("boom")

    @app.get("/mapped-502")
    def mapped_502() -> t.NoReturn:
        raise ConnectionError("db")

    @app.get("/mapped-503")
    def mapped_503() -> t.NoReturn:
        raise Unavailable("later")

    @app.get("/mapped-404")
    def mapped_404() -> t.NoReturn:
        raise Missing("no row")

    @app.get("/abort-403")
    def abort_403() -> t.NoReturn:
        abort_with(403)

    return app


@pytest.mark.parametrize(
    ("path", "code", "exception"),
    [
        ("/crash", 500, "RuntimeError"),
        ("/mapped-502", 502, "ConnectionError"),
        ("/mapped-503", 503, "Unavailable"),
    ],
)
def test_a_server_error_reaches_sentry_once_with_the_request_id(
    transport: MemoryTransport, path: str, code: int, exception: str
) -> None:
    response = create_app().test_client().get(path)
    assert response.status_code == code
    [event] = transport.events()
    assert [v["type"] for v in event["exception"]["values"]][-1] == exception
    assert event["tags"]["request_id"] == response.headers["X-Request-ID"]


def test_an_incoming_id_is_the_tag(transport: MemoryTransport) -> None:
    response = (
        create_app().test_client().get("/crash", headers={"X-Request-ID": "lb-42"})
    )
    [event] = transport.events()
    assert event["tags"]["request_id"] == response.headers["X-Request-ID"] == "lb-42"


def test_each_request_is_one_event(transport: MemoryTransport) -> None:
    client = create_app().test_client()
    ids = [client.get(p).headers["X-Request-ID"] for p in ["/crash", "/mapped-502"] * 2]
    assert [e["tags"]["request_id"] for e in transport.events()] == ids


@pytest.mark.parametrize("path", ["/mapped-404", "/abort-403", "/no/such/url"])
def test_client_errors_never_reach_sentry(
    transport: MemoryTransport, path: str
) -> None:
    response = create_app().test_client().get(path)
    assert 400 <= response.status_code < 500
    assert transport.events() == []


def test_the_apps_own_events_get_the_tag(transport: MemoryTransport) -> None:
    app = create_app()

    @app.get("/message")
    def message() -> str:
        sentry_sdk.capture_message("checkout slow")
        return "ok"

    app.test_client().get("/message", headers={"X-Request-ID": "own-1"})
    [event] = transport.events()
    assert (event["message"], event["tags"]["request_id"]) == ("checkout slow", "own-1")
