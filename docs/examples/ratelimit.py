"""Flask-Limiter with the status envelope: breaches answer the 429 envelope."""

from __future__ import annotations

from flask import Flask, jsonify
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from flask_status_envelope import StatusEnvelope

status_envelope = StatusEnvelope()
limiter = Limiter(get_remote_address, default_limits=["100 per minute"])


def create_app(storage_uri: str = "memory://") -> Flask:
    app = Flask(__name__)
    # Use the same Redis for every worker in production: "redis://host:6379".
    app.config["RATELIMIT_STORAGE_URI"] = storage_uri
    status_envelope.init_app(app)  # before or after the limiter: either works
    limiter.init_app(app)

    @app.get("/search")
    @limiter.limit("2 per minute")
    def search() -> object:
        return jsonify(results=[])

    @app.post("/exports")
    @limiter.limit("1 per hour", error_message="Only one export per hour.")
    def export() -> object:
        return jsonify(export="started"), 202

    return app
