"""Prometheus counters, and a /metrics endpoint that works under gunicorn too."""

from __future__ import annotations

import os

from flask import Flask, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

from flask_status_envelope import StatusEnvelope


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        STATUS_ENVELOPE_METRICS=True,
        # Scraping goes on during maintenance.
        STATUS_ENVELOPE_MAINTENANCE_EXEMPT={"metrics"},
    )
    StatusEnvelope(app)

    @app.get("/metrics")
    def metrics() -> Response:
        if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
            # gunicorn's workers each write their own file: add them all up.
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
        else:
            registry = REGISTRY
        return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)

    return app
