"""A whole API version at once: every endpoint under ``/v1`` is deprecated."""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify
from flask.typing import ResponseReturnValue

from flask_status_envelope import StatusEnvelope, deprecated

v1 = Blueprint("v1", __name__, url_prefix="/v1")


@v1.get("/items")
def items() -> ResponseReturnValue:
    return jsonify(items=["apple"])


@v1.get("/orders")
def orders() -> ResponseReturnValue:
    return jsonify(orders=[])


# Before registering the blueprint: its URL prefix is recorded when it is.
deprecated(v1, since="2026-01-01", sunset="2026-12-31", successor="/v2")


def create_app() -> Flask:
    app = Flask(__name__)
    StatusEnvelope(app)
    app.register_blueprint(v1)
    return app
