"""A mixed app: HTML pages, and a JSON API under /api that answers the envelope.

Run it with ``python examples/mixed.py`` and try the ``curl`` lines in the README
("Mixed apps"). Outside ``/api`` every error is Flask's own HTML page, as if the
extension were not there; under ``/api`` it is the envelope, or problem details
(RFC 9457) for a client that asks for ``application/problem+json``.
"""

from __future__ import annotations

import os

from flask import Blueprint, Flask, abort, render_template_string, request

from flask_status_envelope import StatusEnvelope, abort_with, deprecated

_HERE = os.path.dirname(os.path.abspath(__file__))

PAGE = """<!doctype html>
<title>Shop</title>
<h1>Welcome to the shop</h1>
<p>The API is under <a href="/api/users/1">/api</a>.</p>
"""

USERS = {1: {"id": 1, "name": "Ada"}}

status_envelope = StatusEnvelope()


def create_app() -> Flask:
    """Build the app: the extension first, then the blueprints."""
    app = Flask(__name__, instance_path=os.path.join(_HERE, "instance"))
    app.config.update(
        # The envelope for the API only; Flask's HTML pages everywhere else.
        STATUS_ENVELOPE_SCOPE=["/api"],
        MAX_CONTENT_LENGTH=1024,
        # Maintenance mode (the whole app) is on while this file exists.
        STATUS_ENVELOPE_MAINTENANCE_FILE=os.environ.get(
            "MIXED_MAINTENANCE_FILE", os.path.join(app.instance_path, "maintenance")
        ),
        STATUS_ENVELOPE_MAINTENANCE_EXEMPT={"api.health"},
    )
    status_envelope.init_app(app)
    status_envelope.register_exception(TimeoutError, 504, "The upstream timed out.")

    @app.get("/")
    def home() -> str:
        return render_template_string(PAGE)

    @app.get("/admin")
    def admin() -> str:
        abort(403)  # Flask's HTML 403 page

    api = Blueprint("api", __name__)

    @api.get("/users/<int:user_id>")
    def user(user_id: int) -> dict[str, object]:
        if user_id not in USERS:
            abort_with(404, f"User {user_id} does not exist.")
        return USERS[user_id]

    @api.post("/users")
    def create_user() -> tuple[dict[str, object], int]:
        data = request.get_json(silent=True) or {}
        if not data.get("name"):
            abort(400, {"name": ["Missing data for required field."]})
        return {"id": 2, "name": data["name"]}, 201

    @api.get("/slow")
    def slow() -> str:
        raise TimeoutError("upstream-db.internal:5432 timed out")

    @api.get("/health")
    def health() -> dict[str, object]:
        return {"healthy": True}

    @api.get("/v0/report")
    @deprecated  # retired: 410
    def report() -> dict[str, object]:
        return {"report": "never sent"}

    app.register_blueprint(api, url_prefix="/api")
    return app


app = create_app()

if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    print(f"Mixed app on http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    app.run(host="127.0.0.1", port=port)
