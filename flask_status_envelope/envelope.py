"""The envelope itself: its body, which message it carries, and its response."""

from __future__ import annotations

from collections.abc import Mapping
from json.encoder import encode_basestring_ascii as _json_string

from flask import Response, current_app, request
from werkzeug.exceptions import HTTPException

from .codes import (
    STOCK_DESCRIPTIONS,
    check_code,
    check_message,
    default_message,
    status_text,
)
from .headers import HeadersLike, check_headers

#: The media type of every envelope.
CONTENT_TYPE = "application/json"

# The body is rendered by hand instead of through a JSON provider: it has three
# fixed keys, an int and two strings, so only the strings need escaping, and the
# fixed part before the message is built once per code.  The output is the same
# compact, ASCII-only JSON that Flask's default provider writes, with the keys in the
# documented order and Flask's trailing newline.
_PREFIXES: dict[int, bytes] = {}
_SUFFIX = b"}}\n"


def _prefix(code: int) -> bytes:
    prefix = _PREFIXES.get(code)
    if prefix is None:
        prefix = _PREFIXES[code] = (
            f'{{"status":{{"code":{code},"text":{_json_string(status_text(code))},'
            '"message":'
        ).encode("ascii")
    return prefix


for _code in range(400, 600):
    _prefix(_code)


# The last body rendered per code, with the message it carries. Most error responses
# repeat one message per code (a default or configured message, or a literal in an
# ``abort_with`` call), which is the same ``str`` object every time, so an identity
# check finds the body without escaping again. Bounded: one entry per code.
_LAST_BODIES: dict[int, tuple[str, bytes]] = {}


def render_body(code: int, message: str) -> bytes:
    """Return the JSON body of the envelope for ``code`` carrying ``message``.

    The result is ``{"status": {"code": ..., "text": ..., "message": ...}}`` as
    compact ASCII JSON with a trailing newline.

    :param code: The HTTP status, 400-599.
    :param message: The message, any :class:`str`.
    """
    last = _LAST_BODIES.get(code)
    if last is not None and last[0] is message:
        return last[1]
    body = _PREFIXES[code] + _json_string(message).encode("ascii") + _SUFFIX
    _LAST_BODIES[code] = (message, body)
    return body


def message_for(
    code: int, description: object, messages: Mapping[int, str] | None
) -> str:
    """Return the message a client sees for an error ``code``.

    A ``description`` the raiser gave wins. When there is none (``None`` or
    Werkzeug's stock description for the code), the app's configured message for the
    code wins, then the status page's, then Werkzeug's description.

    :param code: The HTTP status.
    :param description: The raiser's reason, usually an exception's ``description``.
    :param messages: The app's ``STATUS_ENVELOPE_MESSAGES``.
    """
    if description is None or description == STOCK_DESCRIPTIONS.get(code):
        if messages:
            configured = messages.get(code)
            if configured is not None:
                return configured
        return default_message(code)
    if isinstance(description, str):
        return description
    return str(description)


def build_response(
    response_class: type[Response],
    code: int,
    message: str,
    headers: list[tuple[str, str]] | None = None,
) -> Response:
    """Return the envelope response. ``headers`` must already be checked."""
    response = response_class(
        render_body(code, message), status=code, content_type=CONTENT_TYPE
    )
    if headers:
        response_headers = response.headers
        for name, value in headers:
            response_headers.add(name, value)
    return response


def exception_headers(error: HTTPException) -> list[tuple[str, str]]:
    """Return the headers ``error`` carries, without its HTML ``Content-Type``.

    Werkzeug puts status-specific headers in
    :meth:`~werkzeug.exceptions.HTTPException.get_headers`: ``Allow`` on 405,
    ``WWW-Authenticate`` on 401, ``Retry-After`` on 429 and 503.
    """
    # The proxy's object, then its attribute: a fifth of the cost of
    # ``request.environ``, which goes through the proxy's lookup machinery.
    environ = request._get_current_object().environ  # type: ignore[attr-defined]
    return [
        (name, value)
        for name, value in error.get_headers(environ)
        if name.lower() != "content-type"
    ]


def envelope_response(
    code: int, message: str | None = None, headers: HeadersLike | None = None
) -> Response:
    """Build an envelope response without raising.

    For callbacks of other extensions that must *return* a response, such as
    Flask-HTTPAuth's ``error_handler`` or a ``before_request`` hook. Inside an
    application context the app's :data:`STATUS_ENVELOPE_MESSAGES` and
    :attr:`~flask.Flask.response_class` are used.

    .. code-block:: python

        @auth.error_handler
        def auth_error(status):
            return envelope_response(status, "Invalid token.")

    :param code: The HTTP status, 400-599.
    :param message: The message; ``None`` uses the default message for ``code``.
    :param headers: Extra headers for the response.
    :raises ValueError: ``code`` is not an error status, or a header is invalid.
    :raises TypeError: ``message`` is not a :class:`str`, or a header is not a
        string pair.

    .. versionadded:: 0.1
    """
    check_code(code)
    checked = check_headers(headers)
    check_message(message)
    response_class: type[Response] = Response
    messages: Mapping[int, str] | None = None
    if current_app:
        response_class = current_app.response_class
        messages = current_app.config.get("STATUS_ENVELOPE_MESSAGES")
    return build_response(
        response_class, code, message_for(code, message, messages), checked
    )


__all__ = [
    "CONTENT_TYPE",
    "build_response",
    "envelope_response",
    "exception_headers",
    "message_for",
    "render_body",
]
