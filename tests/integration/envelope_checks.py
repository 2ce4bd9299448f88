"""Checks of the reliability tests: a success or an envelope, and no leaks."""

from __future__ import annotations

from werkzeug.test import TestResponse

from flask_status_envelope.testing import assert_envelope

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


def check_success_or_envelope(response: TestResponse, good: set[int]) -> None:
    """Assert that ``response`` has one of the ``good`` codes or is an envelope."""
    code = response.status_code
    if code not in good:
        assert 400 <= code <= 599, response.status
        assert_envelope(response, code)


def check_no_leak(response: TestResponse) -> None:
    """Assert that nothing of :data:`SECRETS` is in the body or the headers."""
    sent = response.get_data(as_text=True) + "\n" + str(response.headers)
    for secret in SECRETS:
        assert secret.lower() not in sent.lower(), (secret, sent[:500])
