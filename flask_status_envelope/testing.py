"""Helpers for testing an API that answers with the envelope.

``pytest`` is not needed here; :mod:`flask_status_envelope.pytest_plugin` adds
fixtures on top of these helpers.
"""

from __future__ import annotations

import contextlib
import json
import typing as t
from collections.abc import Iterator

from flask import Flask
from werkzeug.wrappers import Response

from .codes import status_text

#: How much of a body a failure message shows.
_SHOWN = 2000

_REQUIRED = {"code", "text", "message"}
_OPTIONAL = {"errors", "request_id"}


def assert_envelope(
    response: Response, code: int, message: str | None = None
) -> dict[str, t.Any]:
    """Check that ``response`` is the envelope for ``code`` and return its body.

    Checks the status, the ``application/json`` content type, that
    ``Content-Length`` (when sent) is the length of the body, the exact shape
    (``status`` with ``code``, ``text`` and ``message``, and, if present, an
    ``errors`` list of ``{"field", "message"}`` strings and a ``request_id``
    string), that ``code``
    equals the status, the text for the code and, when given, the message. A
    failure lists every problem found and shows the body:

    .. code-block:: text

        AssertionError: not the envelope for 404:
          - status is 200, expected 404
          - content type is 'text/html', expected 'application/json'
        body: '<h1>Hello</h1>'

    The answer to a ``HEAD`` request (the test client's
    ``response.request.method``) has the headers of the envelope and no body:
    for it, the status, the content type, a ``Content-Length`` greater than 0 and
    the empty body are checked, and ``{}`` is returned.

    :param response: A response, as the test client returns it.
    :param code: The expected HTTP status.
    :param message: The expected message; ``None`` accepts any string. Not
        checked for a ``HEAD`` response, which has no body.
    :returns: The parsed body; ``{}`` for a ``HEAD`` response.
    :raises AssertionError: The response is not that envelope.

    .. versionadded:: 0.1

    .. versionchanged:: 0.2
        Handles HEAD responses. Checks ``Content-Length``. Accepts the optional
        ``errors`` member of validation errors and ``request_id``.
    """
    problems: list[str] = []
    if response.status_code != code:
        problems.append(f"status is {response.status_code}, expected {code}")
    if response.mimetype != "application/json":
        problems.append(
            f"content type is {response.mimetype!r}, expected 'application/json'"
        )
    data = response.get_data()
    text = data.decode("utf-8", "replace")
    length = response.headers.get("Content-Length")
    body: t.Any = {}
    request = getattr(response, "request", None)
    if request is not None and request.method == "HEAD":
        # The headers the GET would have, without its body.
        if length is None:
            problems.append("Content-Length is missing")
        elif not length.isdigit() or int(length) == 0:
            problems.append(f"Content-Length is {length!r}, expected more than 0")
        if data:
            problems.append(f"the body of a HEAD response has {len(data)} bytes")
    else:
        if length is not None and length != str(len(data)):
            problems.append(
                f"Content-Length is {length!r}, but the body has {len(data)} bytes"
            )
        try:
            body = json.loads(text)
        except ValueError as e:
            problems.append(f"body is not JSON ({e})")
        else:
            problems.extend(_shape_problems(body, code, message))
    if problems:
        shown = text if len(text) <= _SHOWN else text[:_SHOWN] + "..."
        raise AssertionError(
            f"not the envelope for {code}:\n"
            + "".join(f"  - {problem}\n" for problem in problems)
            + f"body: {shown!r}"
        )
    return t.cast("dict[str, t.Any]", body)


def _shape_problems(body: t.Any, code: int, message: str | None) -> list[str]:
    if not isinstance(body, dict) or set(body) != {"status"}:
        return ["body is not an object with exactly the key 'status'"]
    status = body["status"]
    if not isinstance(status, dict) or not (
        _REQUIRED <= set(status) <= _REQUIRED | _OPTIONAL
    ):
        return [
            "'status' is not an object with exactly 'code', 'text', 'message'"
            " (and, optionally, 'errors')"
        ]
    problems = _errors_problems(status.get("errors", []))
    if not isinstance(status.get("request_id", ""), str):
        problems.append(f"status.request_id is {status['request_id']!r}, not a string")
    if status["code"] != code:
        problems.append(f"status.code is {status['code']!r}, expected {code}")
    expected_text = status_text(code)
    if status["text"] != expected_text:
        problems.append(
            f"status.text is {status['text']!r}, expected {expected_text!r}"
        )
    if not isinstance(status["message"], str):
        problems.append(f"status.message is {status['message']!r}, not a string")
    elif message is not None and status["message"] != message:
        problems.append(
            f"status.message is {status['message']!r}, expected {message!r}"
        )
    return problems


def _errors_problems(errors: t.Any) -> list[str]:
    if isinstance(errors, list) and all(
        isinstance(error, dict)
        and set(error) == {"field", "message"}
        and all(isinstance(value, str) for value in error.values())
        for error in errors
    ):
        return []
    return [
        f"status.errors is not a list of {{'field', 'message'}} strings: {errors!r}"
    ]


@contextlib.contextmanager
def propagation_off(app: Flask) -> Iterator[None]:
    """Answer unhandled exceptions with the 500 envelope inside the block, even
    when ``TESTING`` is on.

    With ``TESTING = True`` Flask re-raises an unhandled exception into the test
    instead of answering 500, which is what most tests want. Inside this block
    ``PROPAGATE_EXCEPTIONS`` is ``False``, so the request gets the response a
    client would get in production; the setting is restored after.

    .. code-block:: python

        with propagation_off(app):
            response = client.get("/crash")
        assert_envelope(response, 500)

    :param app: The app under test.

    .. versionadded:: 0.1
    """
    config = app.config
    saved = config["PROPAGATE_EXCEPTIONS"]
    config["PROPAGATE_EXCEPTIONS"] = False
    try:
        yield
    finally:
        config["PROPAGATE_EXCEPTIONS"] = saved


__all__ = ["assert_envelope", "propagation_off"]
