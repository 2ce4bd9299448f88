"""OpenAPI with apispec: the envelope as a component and as error responses."""

from __future__ import annotations

from apispec import APISpec
from flask import Flask

from flask_status_envelope import StatusEnvelope, abort_with
from flask_status_envelope.openapi import apispec_plugin, error_responses

app = Flask(__name__)
StatusEnvelope(app)


@app.get("/users/<int:user_id>")
def get_user(user_id: int) -> dict[str, int]:
    if user_id != 1:
        abort_with(404, f"User {user_id} does not exist")
    return {"id": user_id}


spec = APISpec(
    title="Users API",
    version="1.0",
    openapi_version="3.1.0",
    plugins=[apispec_plugin(app)],  # registers #/components/schemas/StatusEnvelope
)
spec.path(
    path="/users/{user_id}",
    operations={
        "get": {
            "responses": {
                "200": {"description": "The user."},
                **error_responses(401, 404),
            }
        }
    },
    view=get_user,  # lets the plugin mark deprecated views
)
