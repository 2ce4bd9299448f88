"""Request ids: one id per request, on every envelope, in the 5xx log lines and Sentry.

The id is made the first time something needs it (an envelope, a log record of the
request, :func:`request_id`), not when the request starts: OpenTelemetry's Flask
instrumentation starts its span in a ``before_request`` hook that runs after the
extension's, and a new id is the span's trace id when there is one.

An incoming id (``X-Request-ID`` by default) is reused only when it is 1 to 128
characters of ``A-Z a-z 0-9 . _ : -``: such a value cannot split a header, break
the JSON body or forge a log line, so it is safe to send back and to log. Anything
else is dropped, never echoed and never logged as the id.

``init_app`` calls :func:`init_request_ids` and keeps what it returns on the app's
state (``state.request_ids``); ``envelope.respond`` adds the header (and the body
member with :data:`STATUS_ENVELOPE_REQUEST_ID_IN_BODY`) with
:meth:`RequestIds.id_for`. Everything else happens here.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import typing as t
from functools import partial

from flask import Response, current_app, request

from .state import app_state, request_or_none, state_or_none

if t.TYPE_CHECKING:
    from .state import AppState

#: The attribute of the request object that keeps its id.
_ATTRIBUTE = "_status_envelope_request_id"
#: What an incoming id may be: short and plain, so it is safe to echo and log.
_VALID = re.compile(r"[A-Za-z0-9._:\-]{1,128}").fullmatch
#: A header name: an RFC 9110 token.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+").fullmatch

DEFAULT_HEADER = "X-Request-ID"


class RequestIds:
    """The request-id settings of one app, made once by :func:`init_request_ids`."""

    __slots__ = ("environ_key", "header", "in_body", "lowered", "on_success")

    def __init__(self, header: str, in_body: bool, on_success: bool) -> None:
        #: The response header, e.g. ``X-Request-ID``.
        self.header = header
        #: The header name in lower case, to find a caller's own.
        self.lowered = header.lower()
        #: Where WSGI puts the incoming header: ``HTTP_X_REQUEST_ID``.
        self.environ_key = "HTTP_" + header.upper().replace("-", "_")
        #: ``STATUS_ENVELOPE_REQUEST_ID_IN_BODY``.
        self.in_body = in_body
        #: ``STATUS_ENVELOPE_REQUEST_ID_ON_SUCCESS``.
        self.on_success = on_success

    def id_for(self, req: t.Any) -> str:
        """Return the id of ``req``, making it on the first call."""
        made = req.__dict__.get(_ATTRIBUTE)
        if made is None:
            incoming = req.environ.get(self.environ_key)
            made = incoming if incoming is not None and _VALID(incoming) else new_id()
            # setdefault: a second thread of the same request (copy_current_request_
            # context) that made one at the same moment still agrees on one id.
            made = req.__dict__.setdefault(_ATTRIBUTE, made)
        return t.cast(str, made)


def body_member(rid: str) -> bytes:
    """Return ``,"request_id":"<rid>"``, the member the status object gets.

    An id is ASCII letters, digits and ``._:-`` only, so it needs no JSON escaping.
    """
    return b',"request_id":"' + rid.encode("ascii") + b'"'


def new_id() -> str:
    """Return a new request id: 32 lowercase hex digits.

    The current OpenTelemetry span's trace id when OpenTelemetry is in use and a
    valid span is current, so that the id finds the trace; else 128 random bits.
    OpenTelemetry is never imported here: if nothing imported it, no span exists.
    """
    otel = sys.modules.get("opentelemetry.trace")
    if otel is not None:
        context = otel.get_current_span().get_span_context()
        if context.is_valid:
            return t.cast(str, otel.format_trace_id(context.trace_id))
    return os.urandom(16).hex()


def request_id() -> str:
    """Return the id of the current request.

    The same value all through one request: in hooks, views, error handlers and
    the log records of the request, and in the header of its error envelopes. It
    is the caller's ``X-Request-ID`` (see :data:`STATUS_ENVELOPE_REQUEST_ID_HEADER`)
    when that is 1 to 128 characters of ``A-Z a-z 0-9 . _ : -``, else a new id of
    32 lowercase hex digits: the OpenTelemetry trace id when a span is current.

    .. code-block:: python

        @app.get("/orders/<int:id>")
        def order(id):
            log.info("looking up order %s", id, extra={"request_id": request_id()})

    :raises RuntimeError: There is no request, or the app has no
        :class:`~flask_status_envelope.StatusEnvelope`.

    .. versionadded:: 0.2
    """
    req = request_or_none()
    if req is None:
        raise RuntimeError(
            "request_id() needs an active request. Call it in a view, a request"
            " hook or an error handler, or push app.test_request_context() in a test."
        )
    settings = app_state().request_ids
    return (_OFF if settings is None else settings).id_for(req)


def init_request_ids(state: AppState) -> RequestIds | None:
    """Set the request-id configuration defaults of the app and check them.

    Called once by ``init_app``. Returns ``None`` when
    :data:`STATUS_ENVELOPE_REQUEST_ID_HEADER` is ``None`` (the feature is off).
    Otherwise adds the log filter to the app's logger and, with
    :data:`STATUS_ENVELOPE_REQUEST_ID_ON_SUCCESS`, an ``after_request`` hook.

    :raises TypeError: A setting has the wrong type.
    :raises ValueError: The header is not a valid header name.
    """
    app = state.app
    config = state.config
    config.setdefault("STATUS_ENVELOPE_REQUEST_ID_HEADER", DEFAULT_HEADER)
    config.setdefault("STATUS_ENVELOPE_REQUEST_ID_IN_BODY", False)
    config.setdefault("STATUS_ENVELOPE_REQUEST_ID_ON_SUCCESS", False)
    header = config["STATUS_ENVELOPE_REQUEST_ID_HEADER"]
    if header is not None and not isinstance(header, str):
        raise TypeError(
            "STATUS_ENVELOPE_REQUEST_ID_HEADER must be a header name or None, got"
            f" {type(header).__name__} {header!r}. Write e.g. 'X-Request-ID', or"
            " None to send no id."
        )
    if header is not None and not _TOKEN(header):
        raise ValueError(
            f"STATUS_ENVELOPE_REQUEST_ID_HEADER {header!r} is not a header name:"
            " use letters, digits and '-', e.g. 'X-Request-ID'."
        )
    flags = {}
    for key in ("IN_BODY", "ON_SUCCESS"):
        name = f"STATUS_ENVELOPE_REQUEST_ID_{key}"
        value = config[name]
        if not isinstance(value, bool):
            raise TypeError(
                f"{name} must be True or False, got {type(value).__name__} {value!r}."
            )
        flags[key] = value
    if header is None:
        return None
    settings = RequestIds(header, flags["IN_BODY"], flags["ON_SUCCESS"])
    # logging.getLogger, not app.logger: reading app.logger before the app's
    # logging is configured would add Flask's default handler too early.
    # addFilter ignores a filter the logger already has: apps that share a name
    # share the logger and this one filter, which looks up the current app.
    logging.getLogger(app.name).addFilter(LOG_FILTER)
    if settings.on_success:
        app.after_request(partial(_add_header_on_success, settings))
    return settings


class RequestIdFilter(logging.Filter):
    """Put the request id on the log records of a request.

    Every record logged through the app's logger during a request gets the
    attribute ``request_id`` (unless it has one, e.g. from ``extra=``); a record of
    an exception (level ``ERROR`` or above with ``exc_info``: Flask's "Exception on
    /path [GET]" for an unhandled 500, the extension's own log of a
    ``register_exception`` 5xx or of its last-resort envelope) also gets
    `` [request_id=...]`` at the end of its message, so the id is in the text
    whatever the formatter.

    Also usable on a handler of another logger:
    ``handler.addFilter(flask_status_envelope.request_ids.LOG_FILTER)``.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if "request_id" in record.__dict__:
            return True
        req = request_or_none()
        if req is None:
            return True
        state = state_or_none(current_app._get_current_object())  # type: ignore[attr-defined]
        settings = None if state is None else state.request_ids
        if settings is None:
            return True
        scope = state.scope.built if state.scope is not None else None  # type: ignore[union-attr]
        if scope is not None and not scope.covers(req):
            # Out of STATUS_ENVELOPE_SCOPE the app logs as without the extension.
            return True
        rid = settings.id_for(req)
        record.request_id = rid
        if (
            record.levelno >= logging.ERROR
            and record.exc_info
            and isinstance(record.msg, str)
        ):
            # The id has no "%", so the message stays a valid format string.
            record.msg = f"{record.msg} [request_id={rid}]"
        return True


#: The one filter instance, shared by every app's logger.
LOG_FILTER = RequestIdFilter()

# For request_id() in an app whose header setting is None: an id is still made
# (never read from the request), so that code calling it keeps working.
_OFF = RequestIds(DEFAULT_HEADER, False, False)
_OFF.environ_key = "\x00 no header is read"


def _add_header_on_success(settings: RequestIds, response: Response) -> Response:
    # Error envelopes have it already; ``in`` ignores the case of the name.
    if settings.header not in response.headers:
        response.headers.add(
            settings.header,
            settings.id_for(request._get_current_object()),  # type: ignore[attr-defined]
        )
    return response


__all__ = [
    "LOG_FILTER",
    "RequestIdFilter",
    "RequestIds",
    "body_member",
    "init_request_ids",
    "new_id",
    "request_id",
]
