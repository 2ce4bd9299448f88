"""A rate-limited API for the gunicorn + Redis integration test.

``RATELIMIT_STORAGE_URI`` (the shared Redis) and ``LIMIT`` (e.g. ``"10 per minute"``)
come from the environment. Every response names the worker process that served it
in ``X-Worker-Pid``, so the test can tell that both workers counted against the same
limit.
"""

from __future__ import annotations

import os
import time

from flask import Flask, Response, jsonify
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from flask_status_envelope import StatusEnvelope

app = Flask(__name__)
app.config["RATELIMIT_STORAGE_URI"] = os.environ["RATELIMIT_STORAGE_URI"]
StatusEnvelope(app)
limiter = Limiter(get_remote_address, app=app)


@app.get("/limited")
@limiter.limit(os.environ["LIMIT"])
def limited() -> ResponseReturnValue:
    # Hold the worker a little so that concurrent requests reach the other one.
    time.sleep(0.05)
    return jsonify(pid=os.getpid())


@app.get("/pid")
@limiter.exempt
def pid() -> ResponseReturnValue:
    time.sleep(0.05)
    return jsonify(pid=os.getpid())


@app.after_request
def name_the_worker(response: Response) -> Response:
    response.headers["X-Worker-Pid"] = str(os.getpid())
    return response
