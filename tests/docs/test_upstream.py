"""The upstream-failure recipe of ``docs/upstream.rst``, against real sockets."""

from __future__ import annotations

import contextlib
import socket
import threading
import types
import typing as t
from collections.abc import Iterator

import httpx
import pytest
import requests
from flask import Flask

from flask_status_envelope.testing import assert_envelope

from ..conftest import envelope, load_example
from ..integration.servers import free_port

BAD_GATEWAY = envelope(
    502,
    "Bad Gateway",
    "The server received an invalid response from an upstream server.",
)
GATEWAY_TIMEOUT = envelope(
    504,
    "Gateway Timeout",
    "The server did not receive a timely response from an upstream server.",
)
ROUTES = ["/stock/42", "/prices/42", "/reserve/42"]


@pytest.fixture(scope="module")
def upstream() -> types.ModuleType:
    return load_example("upstream")


class FakeUpstream:
    """A real TCP server on 127.0.0.1 that misbehaves as told.

    ``silent`` accepts and never answers, ``garbage`` answers bytes that are not
    HTTP and closes, ``error`` answers ``HTTP/1.1 500``.
    """

    def __init__(self, behaviour: str) -> None:
        self.behaviour = behaviour
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self.serve, daemon=True)

    def serve(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = self.server.accept()
                self.connections.append(connection)
                if self.behaviour == "silent":
                    continue
                connection.recv(65536)
                connection.sendall(
                    b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0"
                    b"\r\nConnection: close\r\n\r\n"
                    if self.behaviour == "error"
                    else b"\x00\x01 not http at all\r\n\r\n"
                )
                connection.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            # Wakes the accept() of the serving thread; close() alone does not.
            self.server.shutdown(socket.SHUT_RDWR)
        self.server.close()
        for connection in self.connections:
            connection.close()
        self.thread.join(5)
        assert not self.thread.is_alive()


@pytest.fixture
def fake_upstream(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a :class:`FakeUpstream` with the behaviour in ``request.param``."""
    server = FakeUpstream(request.param)
    server.thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.close()


def client_for(upstream: types.ModuleType, url: str) -> t.Any:
    app: Flask = upstream.create_app(url, timeout=0.3)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app.test_client()


def assert_envelope_hides_upstream(response: t.Any, expected: t.Any) -> None:
    assert assert_envelope(response, expected["status"]["code"]) == expected
    text = response.get_data(as_text=True)
    for secret in ("127.0.0.1", "Errno", "timed out", "refused", "Traceback"):
        assert secret not in text


@pytest.mark.parametrize("path", ROUTES)
def test_a_refused_connection_is_a_502(upstream: types.ModuleType, path: str) -> None:
    r = client_for(upstream, f"http://127.0.0.1:{free_port()}").get(path)
    assert r.status_code == 502
    assert_envelope_hides_upstream(r, BAD_GATEWAY)


@pytest.mark.parametrize("fake_upstream", ["silent"], indirect=True)
@pytest.mark.parametrize("path", ROUTES)
def test_a_silent_upstream_is_a_504(
    upstream: types.ModuleType, fake_upstream: str, path: str
) -> None:
    r = client_for(upstream, fake_upstream).get(path)
    assert r.status_code == 504
    assert_envelope_hides_upstream(r, GATEWAY_TIMEOUT)


@pytest.mark.parametrize("fake_upstream", ["garbage", "error"], indirect=True)
@pytest.mark.parametrize("path", ["/stock/42", "/prices/42"])
def test_an_invalid_or_failed_http_answer_is_a_502(
    upstream: types.ModuleType, fake_upstream: str, path: str
) -> None:
    r = client_for(upstream, fake_upstream).get(path)
    assert r.status_code == 502
    assert_envelope_hides_upstream(r, BAD_GATEWAY)


@pytest.mark.parametrize(
    ("error", "status", "expected"),
    [
        # A ConnectTimeout is also a requests.ConnectionError: it must stay a 504.
        (requests.ConnectTimeout("inventory.internal:8080"), 504, GATEWAY_TIMEOUT),
        (requests.ReadTimeout("inventory.internal:8080"), 504, GATEWAY_TIMEOUT),
        (httpx.ConnectTimeout("inventory.internal:8080"), 504, GATEWAY_TIMEOUT),
        (httpx.PoolTimeout("inventory.internal:8080"), 504, GATEWAY_TIMEOUT),
        (TimeoutError("db.internal:5432"), 504, GATEWAY_TIMEOUT),
        (requests.exceptions.SSLError("inventory.internal"), 502, BAD_GATEWAY),
        (requests.exceptions.ChunkedEncodingError("cut"), 502, BAD_GATEWAY),
        (httpx.ReadError("inventory.internal"), 502, BAD_GATEWAY),
        (ConnectionResetError("db.internal:5432"), 502, BAD_GATEWAY),
        (BrokenPipeError("db.internal:5432"), 502, BAD_GATEWAY),
    ],
)
def test_each_mapped_class_answers_its_code(
    upstream: types.ModuleType, error: Exception, status: int, expected: object
) -> None:
    app: Flask = upstream.create_app()
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/fails")
    def fails() -> t.NoReturn:
        raise error

    r = app.test_client().get("/fails")
    assert assert_envelope(r, status) == expected
    assert "internal" not in r.get_data(as_text=True)


def test_the_configured_messages_are_used(upstream: types.ModuleType) -> None:
    app: Flask = upstream.create_app(f"http://127.0.0.1:{free_port()}")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config["STATUS_ENVELOPE_MESSAGES"] = {502: "Inventory is unreachable."}
    r = app.test_client().get("/stock/42")
    assert assert_envelope(r, 502) == envelope(
        502, "Bad Gateway", "Inventory is unreachable."
    )
