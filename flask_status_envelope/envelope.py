"""The error path, top to bottom: from an exception to the envelope response.

Flask calls :func:`handle_http_exception` (for every
:class:`~werkzeug.exceptions.HTTPException`) or :func:`handle_mapped_exception` (for
the classes of ``register_exception``); both end in :func:`respond`, which every
envelope goes through, :func:`envelope_response`'s included.
"""

from __future__ import annotations

import contextlib
import json
import sys
import typing as t
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
from .fields import FieldError, field_errors, read_abort_data, summary
from .headers import HeadersLike, check_headers
from .integrations.sentry import capture_mapped
from .problem import PROBLEM_CONTENT_TYPE
from .request_ids import body_member
from .retry import DEFAULT_RETRY_AFTER, RetryAfter, format_retry_after
from .state import AppState, request_or_none, state_or_none
from .text import is_text, render_text

#: The media type of every envelope.
CONTENT_TYPE = "application/json"

_NO_HEADERS = HTTPException.get_headers


def handle_http_exception(state: AppState, error: HTTPException) -> t.Any:
    """The app's error handler for :class:`~werkzeug.exceptions.HTTPException`."""
    if error.response is not None:
        # abort(Response(...)) and friends: the response was chosen already.
        return error.response
    special = state.handlers_by_type.get(type(error))
    if special is not None:
        return special(error)
    code = error.code
    if code is None or not 400 <= code <= 599:
        # Only errors get an envelope; Flask sends anything else as it is.
        return error
    # Werkzeug's router keeps a 404 or 405 on the request, and its traceback (and
    # the context it hides with ``raise ... from None``) holds the request's frames:
    # a reference cycle per request that only the garbage collector would free.
    error.__traceback__ = None
    if error.__suppress_context__:
        error.__context__ = None
    headers = None
    if type(error).get_headers is not _NO_HEADERS:
        # Most errors have only Werkzeug's HTML Content-Type to leave out: asking
        # costs 3 % of the response (benchmarks/).
        headers = exception_headers(error)
    description: object = error.description
    errors = None
    data = error.__dict__.get("data")
    if data is not None:
        # webargs and flask-smorest's abort() put the reason into ``data``.
        message, errors, extra = read_abort_data(data)
        description = description if message is None else message
        headers = [*(headers or ()), *check_headers(extra)] if extra else headers
    elif type(description) is not str and isinstance(description, (Mapping, list)):
        # abort(400, {"name": ["Missing data for required field."]})
        errors, description = field_errors(description), None
    return respond(state, code, description, headers, errors)


def handle_mapped_exception(state: AppState, error: Exception) -> Response:
    """The app's error handler for the classes passed to ``register_exception``."""
    # The nearest mapped class in the error's MRO, as Flask chose the handler.
    code, message = next(
        state.mapped[cls] for cls in type(error).__mro__ if cls in state.mapped
    )
    if code >= 500:
        # Sentry's Flask integration sees only unhandled exceptions; captured first,
        # so that its Dedupe drops the logging integration's copy of the log below.
        capture_mapped(error)
        # Logged as Flask logs unhandled exceptions: the client never sees its text.
        current_app.log_exception(sys.exc_info())
    # The exception's own text is never sent: it may name hosts, queries or
    # secrets. Only the message given to register_exception is.
    return respond(state, code, message)


def respond(
    state: AppState,
    code: int,
    description: object,
    headers: list[tuple[str, str]] | None = None,
    errors: list[FieldError] | None = None,
) -> Response:
    """Return the envelope for ``code``; never raises. ``headers`` are checked.

    Every envelope is built here, so the per-response features are here too: the
    request id (header, and body member), problem+json, the default
    ``Retry-After`` and the error counter.
    """
    ids = state.request_ids
    req = None
    if ids is not None or state.metrics is not None:
        req = request_or_none()
    try:
        rid = header = None
        members = b""
        if ids is not None and req is not None:
            rid = ids.id_for(req)
            members = body_member(rid) if ids.in_body else b""
            if not headers or all(name.lower() != ids.lowered for name, _ in headers):
                header = ids.header  # unless the caller set its own
        body, language = _body(state, code, description, errors, members)
        content_type = CONTENT_TYPE
        problem = state.problem
        if problem is not None and problem.wanted():
            body, content_type = problem.render(code, body), PROBLEM_CONTENT_TYPE
        response = state.app.response_class(
            body, status=code, content_type=content_type
        )
        add = response.headers.add
        if problem is not None and problem.vary:
            add("Vary", "Accept")
        if headers:
            for name, value in headers:
                add(name, value)
        if header is not None:
            add(header, rid)
        if language is not None:
            add("Content-Language", language)
        if code == 429 or code == 503:
            _add_retry_after(
                response, state.config["STATUS_ENVELOPE_DEFAULT_RETRY_AFTER"]
            )
    except Exception:
        # The error layer must not fail itself (a lazy message that cannot render,
        # a broken response class): log why and answer what cannot fail.
        state.app.logger.exception("flask-status-envelope could not build an envelope")
        return _last_resort(state, req)
    if req is not None and state.metrics is not None:
        state.metrics.count_error(code, req.endpoint)
    return response


def _last_resort(state: AppState, req: t.Any) -> Response:
    response = Response(_LAST_RESORT_BODY, status=500, content_type=CONTENT_TYPE)
    ids = state.request_ids
    if req is not None:
        # Support finds this 500 by its id too; nothing here may fail.
        with contextlib.suppress(Exception):
            if ids is not None:
                response.headers.add(ids.header, ids.id_for(req))
            if state.metrics is not None:
                state.metrics.count_error(500, req.endpoint)
    return response


def _add_retry_after(response: Response, default: RetryAfter | None) -> None:
    # Every 429 and 503 tells the client when to come back.
    if default is not None and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = format_retry_after(default)


def _body(
    state: AppState,
    code: int,
    description: object,
    errors: list[FieldError] | None,
    members: bytes,
) -> tuple[bytes, str | None]:
    """The body and its ``Content-Language``: the raiser's reason, else the field
    errors, else the app's configured message, else the page's (translated when
    Flask-Babel is on the app); ``members`` after the message."""
    language = None
    if description is None or description == STOCK_DESCRIPTIONS.get(code):
        configured = state.config["STATUS_ENVELOPE_MESSAGES"].get(code)
        if errors:
            message = summary(errors)
        elif configured is not None:
            message = render_text(configured)
        elif "babel" in state.app.extensions and (translated := _translated(code)):
            message, language = translated
        elif not members:
            # Made once: 1 % of an unknown URL's 404 (benchmarks/).
            return _DEFAULT_BODIES[code], None
        else:
            message = default_message(code)
    elif type(description) is str:
        message = description
    elif is_text(description):
        message = render_text(description)  # in this request's locale
    else:
        # Never str() of an unknown object: its repr would reach the client.
        state.app.logger.warning(
            "flask-status-envelope sent the default message for a %d whose"
            " description is a %s, not text",
            code,
            type(description).__name__,
        )
        message = default_message(code)
    if errors and state.config["STATUS_ENVELOPE_FIELD_ERRORS"]:
        field_members = json.dumps(errors, separators=(",", ":")).encode()
        members = b',"errors":' + field_members + members
    return render_body(code, message, members), language


def _translated(code: int) -> tuple[str, str] | None:
    from .integrations.babel import translated_default

    return translated_default(code)


# The body is written by hand, not through a JSON provider: three fixed keys, an
# int and two strings, so only the message needs escaping, and what comes before it
# is made once per code. The output is the compact ASCII JSON Flask's default
# provider writes, keys in the documented order, with Flask's trailing newline.
_PREFIXES = {
    code: (
        f'{{"status":{{"code":{code},"text":{_json_string(status_text(code))},'
        '"message":'
    ).encode("ascii")
    for code in range(400, 600)
}


def render_body(code: int, message: str, members: bytes = b"") -> bytes:
    """Return the JSON body of the envelope for ``code`` carrying ``message``, and
    ``members``: more members of ``status``, as JSON text after a comma."""
    return _PREFIXES[code] + _json_string(message).encode("ascii") + members + b"}}\n"


_DEFAULT_BODIES = {code: render_body(code, default_message(code)) for code in _PREFIXES}
# Sent when building the envelope itself fails; made now, so it cannot fail then.
_LAST_RESORT_BODY = _DEFAULT_BODIES[500]


def exception_headers(error: HTTPException) -> list[tuple[str, str]]:
    """Return the headers ``error`` carries, without its HTML ``Content-Type``.

    Werkzeug puts status-specific headers in
    :meth:`~werkzeug.exceptions.HTTPException.get_headers`: ``Allow`` on 405,
    ``WWW-Authenticate`` on 401, ``Retry-After`` on 429 and 503.
    """
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
    Flask-HTTPAuth's ``error_handler`` or a ``before_request`` hook. Inside an app
    with the extension, the app's :data:`STATUS_ENVELOPE_MESSAGES` and
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
    state = state_or_none(current_app) if current_app else None
    if state is not None:
        return respond(state, code, message, checked)
    # Outside an app with the extension: the page's texts, no configuration.
    response_class = current_app.response_class if current_app else Response
    body = render_body(code, default_message(code) if message is None else message)
    response = response_class(body, status=code, content_type=CONTENT_TYPE)
    response.headers.extend(checked)
    if code == 429 or code == 503:
        _add_retry_after(response, DEFAULT_RETRY_AFTER)
    return response
