"""Step 4: remove the code. A bare ``@deprecated`` keeps answering 410, not 404."""

from __future__ import annotations

from flask import Flask
from flask.typing import ResponseReturnValue

from flask_status_envelope import StatusEnvelope, abort_with, deprecated


def create_app() -> Flask:
    app = Flask(__name__)
    StatusEnvelope(app)

    @app.get("/v0/report")
    @deprecated
    def report() -> ResponseReturnValue:
        # Called only while STATUS_ENVELOPE_ENFORCE_SUNSET is off: still gone.
        abort_with(410)

    return app
