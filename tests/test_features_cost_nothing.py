"""Features a user has not turned on import nothing: an app with the extension and
its defaults (request ids on) never imports prometheus_client, redis, sentry-sdk or
OpenTelemetry, even when they are installed."""

from __future__ import annotations

import json
import subprocess
import sys

OPTIONAL = ["opentelemetry", "prometheus_client", "redis", "sentry_sdk"]

SCRIPT = f"""
import json, sys
from flask import Flask
from flask_status_envelope import StatusEnvelope, abort_with, request_id

app = Flask("plain")
app.config["PROPAGATE_EXCEPTIONS"] = False
StatusEnvelope(app)

@app.get("/forbidden")
def forbidden():
    abort_with(403, request_id())

@app.get("/crash")
def crash():
    raise RuntimeError("boom")

client = app.test_client()
statuses = [client.get(p).status_code for p in ("/forbidden", "/crash", "/nowhere")]
imported = sorted(
    name for name in {OPTIONAL!r}
    if any(m == name or m.startswith(name + ".") for m in sys.modules)
)
print(json.dumps([statuses, imported]))
"""


def test_a_plain_app_imports_no_optional_library() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(result.stdout.splitlines()[-1]) == [[403, 500, 404], []]
