"""An API with the extension's Prometheus counters, for the multiprocess test.

gunicorn starts it with ``PROMETHEUS_MULTIPROC_DIR`` in the environment, so every
worker writes its counts to its own file in that directory (prometheus_client
chooses its value class when it is first imported, so the variable must be set
before). Every response names the worker process in ``X-Worker-Pid``.
"""

from __future__ import annotations

import os
import time
import typing as t

from flask import Flask, Response

from flask_status_envelope import StatusEnvelope, abort_with

app = Flask(__name__)
app.config["PROPAGATE_EXCEPTIONS"] = False
app.config["STATUS_ENVELOPE_METRICS"] = True
app.logger.disabled = True  # the 500s are expected
StatusEnvelope(app)


@app.get("/forbidden")
def forbidden() -> t.NoReturn:
    # Hold the worker a little so that concurrent requests reach the other one.
    time.sleep(0.005)
    abort_with(403)


@app.get("/crash")
def crash() -> t.NoReturn:
    time.sleep(0.005)
    raise RuntimeError("boom")


@app.get("/pid")
def pid() -> str:
    time.sleep(0.05)
    return str(os.getpid())


@app.after_request
def name_the_worker(response: Response) -> Response:
    response.headers["X-Worker-Pid"] = str(os.getpid())
    return response
