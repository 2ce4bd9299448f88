"""An API switched through Redis, for the fleet integration test.

``SWITCHES_URL`` (the shared Redis) and ``SWITCHES_TTL`` come from the environment.
Every response names the process that served it in ``X-Worker-Pid``. The app logs at
INFO, so that the log shows when Redis stops and starts answering.
"""

from __future__ import annotations

import logging
import os
import time

from flask import Flask, Response

from flask_status_envelope import StatusEnvelope

app = Flask(__name__)
app.config.update(
    PROPAGATE_EXCEPTIONS=False,
    STATUS_ENVELOPE_SWITCHES_URL=os.environ["SWITCHES_URL"],
    STATUS_ENVELOPE_SWITCHES_TTL=float(os.environ["SWITCHES_TTL"]),
    STATUS_ENVELOPE_MAINTENANCE_EXEMPT={"health"},
)
app.logger.setLevel(logging.INFO)
StatusEnvelope(app)


@app.get("/items")
def items() -> dict[str, object]:
    # Hold the worker a little so that concurrent requests reach the other one.
    time.sleep(0.01)
    return {"items": []}


@app.get("/report")
def report() -> dict[str, object]:
    time.sleep(0.01)
    return {"report": "ok"}


@app.get("/health")
def health() -> str:
    return "ok"


@app.after_request
def name_the_worker(response: Response) -> Response:
    response.headers["X-Worker-Pid"] = str(os.getpid())
    return response
