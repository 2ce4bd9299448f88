from __future__ import annotations

from flask import Blueprint, Flask, abort

from flask_status_envelope import StatusEnvelope, abort_with

users = Blueprint("users", __name__, url_prefix="/users")


@users.get("/<int:user_id>")
def get_user(user_id: int) -> dict[str, int]:
    abort_with(404, f"User {user_id} does not exist")


# A blueprint that must keep the format of an older API: its own handler wins
# for the errors raised in its views.
legacy = Blueprint("legacy", __name__, url_prefix="/legacy")


@legacy.errorhandler(404)
def legacy_not_found(error: Exception) -> tuple[dict[str, str], int]:
    return {"error": "not found"}, 404


@legacy.get("/items/<int:item_id>")
def get_item(item_id: int) -> dict[str, int]:
    abort(404)


def create_app() -> Flask:
    app = Flask(__name__)
    StatusEnvelope(app)
    app.register_blueprint(users)
    app.register_blueprint(legacy)
    return app
