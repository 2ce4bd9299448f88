"""Upstream failures answer 502 and 504 envelopes, never the exception's text."""

from __future__ import annotations

import socket

from flask import Flask, jsonify

from flask_status_envelope import StatusEnvelope

status_envelope = StatusEnvelope()

# The standard library: sockets, urllib, database drivers built on them.
status_envelope.register_exception(TimeoutError, 504)
status_envelope.register_exception(ConnectionError, 502)

try:
    import requests
except ImportError:
    pass
else:
    status_envelope.register_exception(requests.Timeout, 504)
    # ConnectTimeout is also a requests.ConnectionError: name it, or it gets 502.
    status_envelope.register_exception(requests.ConnectTimeout, 504)
    status_envelope.register_exception(requests.ConnectionError, 502)
    status_envelope.register_exception(requests.HTTPError, 502)  # raise_for_status()
    status_envelope.register_exception(requests.exceptions.ChunkedEncodingError, 502)

try:
    import httpx
except ImportError:
    pass
else:
    status_envelope.register_exception(httpx.TimeoutException, 504)
    status_envelope.register_exception(httpx.NetworkError, 502)
    status_envelope.register_exception(httpx.RemoteProtocolError, 502)
    status_envelope.register_exception(httpx.HTTPStatusError, 502)  # raise_for_status()


def create_app(
    inventory_url: str = "http://inventory.internal:8080", timeout: float = 2
) -> Flask:
    app = Flask(__name__)
    status_envelope.init_app(app)

    @app.get("/stock/<sku>")
    def stock(sku: str) -> object:
        import requests

        upstream = requests.get(f"{inventory_url}/stock/{sku}", timeout=timeout)
        upstream.raise_for_status()
        return jsonify(upstream.json())

    @app.get("/prices/<sku>")
    def prices(sku: str) -> object:
        import httpx

        upstream = httpx.get(f"{inventory_url}/prices/{sku}", timeout=timeout)
        upstream.raise_for_status()
        return jsonify(upstream.json())

    @app.get("/reserve/<sku>")
    def reserve(sku: str) -> object:
        host, port = inventory_url.rsplit("/", 1)[-1].split(":")
        with socket.create_connection((host, int(port)), timeout=timeout) as connection:
            connection.sendall(f"RESERVE {sku}\n".encode())
            return jsonify(reserved=connection.recv(64).decode().strip())

    return app
