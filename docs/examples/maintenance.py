"""Maintenance mode, switched by a file that every worker sees."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, jsonify

from flask_status_envelope import StatusEnvelope


def create_app(maintenance_file: str = "/run/my-api/maintenance") -> Flask:
    app = Flask(__name__)
    app.config.update(
        # On while this file exists: `touch` it to start, `rm` it to end.
        STATUS_ENVELOPE_MAINTENANCE_FILE=maintenance_file,
        STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER=timedelta(minutes=10),
        # The load balancer's health check must keep answering.
        STATUS_ENVELOPE_MAINTENANCE_EXEMPT={"health"},
    )
    StatusEnvelope(app)

    @app.get("/health")
    def health() -> object:
        return jsonify(healthy=True)

    @app.get("/orders")
    def orders() -> object:
        return jsonify(orders=[])

    return app
