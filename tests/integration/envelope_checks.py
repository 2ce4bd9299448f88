"""Checks shared by the reliability tests: the envelope shape and leaked internals."""

from __future__ import annotations

import json
import typing as t

from werkzeug.test import TestResponse

from flask_status_envelope.codes import status_text

#: Strings that must never reach a client: exception texts, class names, traceback
#: markers, file paths and config values of the test apps and the demo.
SECRETS = (
    "hunter2",
    "secret",
    "upstream-db.internal",
    "10.0.0.7",
    "Traceback",
    "RuntimeError",
    "TimeoutError",
    "ConnectionError",
    "KeyError",
    "ZeroDivisionError",
    'File "',
    ".py",
    "site-packages",
    "s3cr3t-k3y",
)


def check_envelope(response: TestResponse, code: int) -> str:
    """Assert that ``response`` is the exact envelope for ``code``; return its message.

    A ``HEAD`` response is checked by its headers only, its body must be empty.
    """
    assert response.status_code == code, (response.status, response.data[:200])
    assert response.mimetype == "application/json", response.data[:200]
    data = response.get_data()
    if response.request.method == "HEAD":
        # The length the GET body would have, and no body.
        assert int(response.headers["Content-Length"]) > 0
        assert data == b""
        return ""
    assert response.headers["Content-Length"] == str(len(data))
    body = json.loads(data)
    assert list(body) == ["status"]
    status = body["status"]
    assert list(status) == ["code", "text", "message"]
    assert status["code"] == code
    assert status["text"] == status_text(code)
    message = status["message"]
    assert isinstance(message, str)
    return t.cast(str, message)


def check_success_or_envelope(response: TestResponse, good: set[int]) -> None:
    """Assert that ``response`` has one of the ``good`` codes or is an envelope."""
    code = response.status_code
    if code not in good:
        assert 400 <= code <= 599, response.status
        check_envelope(response, code)


def check_no_leak(response: TestResponse) -> None:
    """Assert that nothing of :data:`SECRETS` is in the body or the headers."""
    sent = response.get_data(as_text=True) + "\n" + str(response.headers)
    for secret in SECRETS:
        assert secret.lower() not in sent.lower(), (secret, sent[:500])
