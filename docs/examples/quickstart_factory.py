from __future__ import annotations

import typing as t

from flask import Flask

from flask_status_envelope import StatusEnvelope, abort_with

# Created once, without an app: one object serves every app the factory makes.
status_envelope = StatusEnvelope()


def create_app(config: dict[str, t.Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(config or {})
    status_envelope.init_app(app)

    @app.get("/admin")
    def admin() -> dict[str, str]:
        abort_with(403, "Token is disabled")

    return app


# Upstream failures answer 504 / 502 instead of a bare 500, in every app.
status_envelope.register_exception(TimeoutError, 504)
status_envelope.register_exception(ConnectionError, 502)
