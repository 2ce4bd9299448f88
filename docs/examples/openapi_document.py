"""OpenAPI with apispec: what the extension answers, added to the document."""

from __future__ import annotations

import typing as t

from apispec import APISpec
from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from flask_status_envelope import StatusEnvelope, deprecated
from flask_status_envelope.openapi import apispec_plugin, document_extension

app = Flask(__name__)
# Maintenance can be switched on by creating the file: every operation may 503.
app.config["STATUS_ENVELOPE_MAINTENANCE_FILE"] = "/run/api/maintenance"
app.config["STATUS_ENVELOPE_MAINTENANCE_EXEMPT"] = {"openapi_json"}
StatusEnvelope(app)
Limiter(get_remote_address, app=app, storage_uri="memory://")  # 429 everywhere


@app.get("/v1/users/<int:user_id>")
@deprecated(since="2026-01-01", sunset="2099-01-01", successor="/v2/users")
def old_user(user_id: int) -> dict[str, int]:
    return {"id": user_id}


spec = APISpec("Users API", "1.0", "3.1.0", plugins=[apispec_plugin(app)])
spec.path(
    path="/v1/users/{user_id}",
    operations={"get": {"responses": {"200": {"description": "The user."}}}},
    view=old_user,
)


@app.get("/openapi.json")
def openapi_json() -> dict[str, t.Any]:
    # A copy of spec.to_dict() with 410, 429, 503 and their headers.
    return document_extension(spec.to_dict(), app)
