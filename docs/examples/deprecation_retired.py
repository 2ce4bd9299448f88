"""Step 4: remove the code. A bare ``@deprecated`` keeps answering 410, not 404."""

from __future__ import annotations

from flask import Flask
from flask.typing import ResponseReturnValue

from flask_status_envelope import StatusEnvelope, deprecated


def create_app() -> Flask:
    app = Flask(__name__)
    StatusEnvelope(app)

    @app.get("/v0/report")
    @deprecated
    def report() -> ResponseReturnValue:
        raise NotImplementedError  # never called: the endpoint is gone

    return app
