"""Flask-HTTPAuth: failed logins answer the envelope."""

from __future__ import annotations

from flask import Flask, Response
from flask_httpauth import HTTPTokenAuth

from flask_status_envelope import StatusEnvelope, envelope_response

app = Flask(__name__)
StatusEnvelope(app)
auth = HTTPTokenAuth(scheme="Bearer")

TOKENS = {"secret-token": "ada"}


@auth.verify_token
def verify_token(token: str) -> str | None:
    return TOKENS.get(token)


@auth.error_handler
def auth_error(status: int) -> Response:
    # Flask-HTTPAuth adds its WWW-Authenticate header to this response.
    message = "Invalid token." if status == 401 else None
    return envelope_response(status, message)


@app.get("/me")
@auth.login_required
def me() -> dict[str, str]:
    return {"user": auth.current_user()}
