"""Flask-Limiter's 429 keeps its own Retry-After, not the extension's default."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from ..test_retry_after_default import create_app, retry_after


def test_the_limiter_sends_its_own() -> None:
    app = create_app(STATUS_ENVELOPE_DEFAULT_RETRY_AFTER=3600)
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://")

    @app.get("/limited")
    @limiter.limit("1 per minute")
    def limited() -> str:
        return "ok"

    client = app.test_client()
    assert client.get("/limited").status_code == 200
    response = client.get("/limited")
    assert response.status_code == 429
    [value] = retry_after(response)
    assert 55 <= int(value) <= 60
