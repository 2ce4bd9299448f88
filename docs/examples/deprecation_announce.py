"""Step 1: announce. ``/v1/items`` still works and says where to go instead."""

from __future__ import annotations

from flask import Flask, jsonify
from flask.typing import ResponseReturnValue

from flask_status_envelope import StatusEnvelope, deprecated


def create_app() -> Flask:
    app = Flask(__name__)
    StatusEnvelope(app)

    @app.get("/v1/items")
    @deprecated(
        since="2026-01-01",
        successor="/v2/items",
        info="https://example.com/changelog#v1-items",
    )
    def items_v1() -> ResponseReturnValue:
        return jsonify(items=["apple"])

    @app.get("/v2/items")
    def items_v2() -> ResponseReturnValue:
        return jsonify(items=[{"name": "apple"}])

    return app
