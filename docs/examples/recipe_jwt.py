"""Flask-JWT-Extended: token errors answer 401 envelopes with WWW-Authenticate."""

from __future__ import annotations

from flask import Flask, Response
from flask_jwt_extended import JWTManager, get_jwt_identity, jwt_required

from flask_status_envelope import StatusEnvelope, envelope_response

app = Flask(__name__)
app.config["JWT_SECRET_KEY"] = "change-me-in-production-32-bytes!"
StatusEnvelope(app)
jwt = JWTManager(app)


def token_error(message: str, error: str | None = None) -> Response:
    # RFC 6750 section 3: no error code when the request had no token at all.
    challenge = "Bearer" if error is None else f'Bearer error="{error}"'
    return envelope_response(401, message, headers={"WWW-Authenticate": challenge})


@jwt.unauthorized_loader
def missing_token(reason: str) -> Response:
    return token_error("A bearer token is required.")


@jwt.invalid_token_loader
def invalid_token(reason: str) -> Response:
    # ``reason`` comes from PyJWT ("Signature verification failed"); it is not
    # sent, since it helps an attacker more than a client.
    return token_error("Invalid token.", "invalid_token")


@jwt.expired_token_loader
def expired_token(header: dict[str, object], payload: dict[str, object]) -> Response:
    return token_error("The token has expired.", "invalid_token")


@app.get("/me")
@jwt_required()
def me() -> dict[str, str]:
    return {"user": get_jwt_identity()}
