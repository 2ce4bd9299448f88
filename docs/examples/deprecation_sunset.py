"""Step 2: schedule the sunset. From 2026-12-31 on, ``/v1/items`` answers 410."""

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
        sunset="2026-12-31",
        successor="/v2/items",
        info="https://example.com/changelog#v1-items",
        message="Use /v2/items instead.",
        # Optional: answer 410 for one hour first, so that clients notice.
        brownouts=[("2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z")],
    )
    def items_v1() -> ResponseReturnValue:
        return jsonify(items=["apple"])

    return app
