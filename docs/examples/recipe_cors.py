"""Flask-CORS: the CORS headers are on error envelopes too."""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS

from flask_status_envelope import StatusEnvelope, abort_with

app = Flask(__name__)
StatusEnvelope(app)
# Flask-CORS adds its headers in an ``after_request`` function, which Flask also
# runs for the responses of error handlers, so a browser can read the envelope.
CORS(app, origins=["https://app.example.com"])


@app.get("/orders/<int:order_id>")
def order(order_id: int) -> dict[str, int]:
    abort_with(404, f"Order {order_id} does not exist")
