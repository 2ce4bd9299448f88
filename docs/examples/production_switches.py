"""Fleet switches in Redis: maintenance and retired endpoints for every process."""

from __future__ import annotations

import os

from flask import Flask

from flask_status_envelope import StatusEnvelope


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        # Every process of every host reads this one Redis; an IP address, so that
        # a slow DNS resolver cannot stall the request that refreshes.
        STATUS_ENVELOPE_SWITCHES_URL=os.environ.get(
            "SWITCHES_URL", "redis://10.0.0.5:6379/0"
        ),
        # Each process asks Redis at most once per 2 seconds.
        STATUS_ENVELOPE_SWITCHES_TTL=2,
        # While Redis does not answer: "open" serves (switches off), "closed"
        # answers 503 (maintenance) to everything not exempt.
        STATUS_ENVELOPE_SWITCHES_FAIL="open",
        STATUS_ENVELOPE_MAINTENANCE_EXEMPT={"health"},
    )
    StatusEnvelope(app)

    @app.get("/health")
    def health() -> str:
        return "ok"

    @app.get("/reports/<int:report>")
    def report(report: int) -> dict[str, int]:
        return {"report": report}

    return app
