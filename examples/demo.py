"""A small API showing every envelope the extension sends.

Run it with ``python examples/demo.py`` and try the ``curl`` lines in the README.
Rate limit and maintenance mode::

    for i in 1 2 3 4; do curl -i localhost:5000/search; done   # 4th: 429
    mkdir -p examples/instance && touch examples/instance/maintenance
    curl -i localhost:5000/me       # 503 with Retry-After: 600
    curl -i localhost:5000/health   # still 200
    rm examples/instance/maintenance
"""

from __future__ import annotations

import os

from flask import Flask, abort, jsonify, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import Forbidden

from flask_status_envelope import StatusEnvelope, abort_with, deprecated

_HERE = os.path.dirname(os.path.abspath(__file__))

status_envelope = StatusEnvelope()


class InsufficientBalance(Forbidden):
    """A domain error: a Werkzeug class with its own message."""

    description = "Insufficient balance"


def create_app() -> Flask:
    """Build the demo app (an application factory, as most real apps use)."""
    # The instance folder beside this file, also when it runs as __main__ (Flask
    # would otherwise use ./instance of the current directory).
    app = Flask(__name__, instance_path=os.path.join(_HERE, "instance"))
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    # Maintenance mode is on while this file exists: `touch` it, then `rm` it.
    app.config["STATUS_ENVELOPE_MAINTENANCE_FILE"] = os.environ.get(
        "DEMO_MAINTENANCE_FILE", os.path.join(app.instance_path, "maintenance")
    )
    app.config["STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER"] = 600
    app.config["STATUS_ENVELOPE_MAINTENANCE_EXEMPT"] = {"health"}
    status_envelope.init_app(app)
    # In memory for the demo; give every worker the same Redis in production.
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://")
    status_envelope.register_exception(TimeoutError, 504)
    status_envelope.register_exception(ConnectionError, 502)

    @app.get("/")
    def index() -> object:
        return jsonify(hello="world")

    @app.get("/health")
    def health() -> object:
        return jsonify(healthy=True)

    @app.get("/search")
    @limiter.limit("3 per minute")
    def search() -> object:
        return jsonify(results=[])

    @app.get("/me")
    def me() -> object:
        token = request.headers.get("Authorization", "")
        if token != "Bearer demo-token":
            abort_with(
                401,
                "Invalid token.",
                headers={"WWW-Authenticate": 'Bearer realm="demo"'},
            )
        return jsonify(user="demo")

    @app.get("/admin")
    def admin() -> object:
        abort_with(403, "Token is disabled")

    @app.post("/orders")
    def orders() -> object:
        order = request.get_json()  # bad JSON -> 400 envelope
        if not isinstance(order, dict) or "amount" not in order:
            abort_with(400, "The 'amount' field is required.")
        if order["amount"] > 100:
            raise InsufficientBalance()
        return jsonify(accepted=order), 201

    @app.get("/users/<int:user_id>")
    def user(user_id: int) -> object:
        abort(404, f"User {user_id} does not exist")

    @app.get("/crash")
    def crash() -> object:
        raise RuntimeError("secret: database password is hunter2")

    @app.get("/upstream/slow")
    def upstream_slow() -> object:
        raise TimeoutError("upstream-db.internal:5432 timed out")

    @app.get("/upstream/down")
    def upstream_down() -> object:
        raise ConnectionError("connection refused by 10.0.0.7")

    @app.get("/v0/report")
    @deprecated  # retired: the 410 envelope; the view runs only if enforcement is off
    def report_v0() -> object:
        return jsonify(report="never sent")

    @app.get("/v1/items")
    @deprecated(
        since="2026-01-01",
        sunset="2099-12-31",  # far away, so that the demo keeps answering 200
        successor="/v2/items",
        info="https://example.com/changelog#v1-items",
        message="Use /v2/items instead.",
    )
    def items_v1() -> object:
        return jsonify(items=["apple"])

    @app.get("/v2/items")
    def items_v2() -> object:
        return jsonify(items=[{"name": "apple"}])

    return app


app = create_app()

if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    print(f"Demo API on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    app.run(host="127.0.0.1", port=port)
