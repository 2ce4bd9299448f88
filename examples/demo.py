"""A small API showing every envelope the extension sends.

Run it with ``python examples/demo.py`` and try the ``curl`` lines in the README.
"""

from __future__ import annotations

import os

from flask import Flask, abort, jsonify, request
from werkzeug.exceptions import Forbidden

from flask_status_envelope import StatusEnvelope, abort_with

status_envelope = StatusEnvelope()


class InsufficientBalance(Forbidden):
    """A domain error: a Werkzeug class with its own message."""

    description = "Insufficient balance"


def create_app() -> Flask:
    """Build the demo app (an application factory, as most real apps use)."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    status_envelope.init_app(app)
    status_envelope.register_exception(TimeoutError, 504)
    status_envelope.register_exception(ConnectionError, 502)

    @app.get("/")
    def index() -> object:
        return jsonify(hello="world")

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

    return app


app = create_app()

if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    print(f"Demo API on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    app.run(host="127.0.0.1", port=port)
