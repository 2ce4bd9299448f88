"""APIFlask: its errors answer the envelope.

``APIFlask.__init__`` (apiflask/app.py, ``_register_error_handlers``) registers a
handler for its ``HTTPError`` that calls ``app.error_callback``, and, with
``json_errors`` (the default), one for Werkzeug's ``HTTPException`` that turns the
error into ``HTTPError(e.code, message=e.name)``, losing the raiser's description,
and calls ``app.error_callback`` too. ``@app.error_processor`` sets
``error_callback`` and registers that Werkzeug handler again. APIFlask's
authentication and its validation errors (``_ValidationError``, 422) go through
``error_callback`` as well.

So ``init_app`` makes :func:`apiflask_error_processor` the ``error_callback`` when
it is APIFlask's default, and puts the envelope's own handler (which keeps the
description) in the Werkzeug slot when it holds APIFlask's handler and the callback
is the envelope's. A processor of the user's own, registered before or after
``StatusEnvelope(app)``, leaves both alone: the user's choice wins.
"""

from __future__ import annotations

import sys
import typing as t
from functools import partial

from flask import Flask, Response, current_app
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from ..envelope import envelope_response, respond
from ..fields import location_errors
from ..headers import check_headers
from ..state import state_or_none
from .takeover import envelope_handler, underlying

if t.TYPE_CHECKING:
    from ..state import AppState


def apiflask_error_processor(error: t.Any) -> Response:
    """APIFlask error processor answering ``apiflask.HTTPError`` with the
    envelope.

    The message is the one given to ``HTTPError``/``abort``, or the summary of
    the request's validation errors, which the envelope carries as ``errors``, or
    the app's default message for the code. ``HTTPError.extra_data`` has no place
    in the envelope and is not sent. :class:`~flask_status_envelope.StatusEnvelope`
    makes it the app's ``error_callback`` unless the app has a processor of its
    own.

    :param error: The ``apiflask.HTTPError``.

    .. versionadded:: 0.1
    """
    code = error.status_code
    state = state_or_none(current_app)
    errors = location_errors(error.detail) if error.detail else None
    message = None
    if not errors and error.message != HTTP_STATUS_CODES.get(code):
        # APIFlask fills ``message`` with Werkzeug's reason phrase when none was
        # given; that is no reason, so the default message is sent instead.
        message = error.message
    if state is None:
        return envelope_response(code, message, headers=error.headers or None)
    return respond(state, code, message, check_headers(error.headers), errors)


def init_apiflask(state: AppState) -> t.Callable[[], None] | None:
    """Answer the errors of an APIFlask app with the envelope; return the same
    step for the app's first request, or ``None`` for an app of another class.

    (Called by ``init_app``; :func:`flask_status_envelope.openapi.init_apiflask`
    is the public helper for the OpenAPI document.)
    """
    apiflask = sys.modules.get("apiflask")
    if apiflask is None or not isinstance(state.app, apiflask.APIFlask):
        return None
    adopt(state)
    # Again at the first request: an app.error_processor(apiflask_error_processor)
    # after init_app registered APIFlask's Werkzeug handler again.
    return partial(adopt, state)


def adopt(state: AppState) -> None:
    """Take over APIFlask's defaults on the app; idempotent."""
    from apiflask import APIFlask

    app = t.cast(APIFlask, state.app)
    callback = app.error_callback
    if callback is APIFlask._error_handler:  # a staticmethod: the plain function
        app.error_callback = apiflask_error_processor
    handlers = app.error_handler_spec[None][None]
    if is_apiflask_handler(handlers.get(HTTPException)) and is_envelope_processor(
        app.error_callback
    ):
        handlers[HTTPException] = envelope_handler(state)


def is_apiflask_handler(handler: object) -> bool:
    """Tell whether ``handler`` is APIFlask's own handler of Werkzeug errors."""
    return getattr(handler, "__module__", None) == "apiflask.app" and getattr(
        handler, "__qualname__", ""
    ).endswith(".handle_werkzeug_errors")


def is_envelope_processor(callback: object) -> bool:
    """Tell whether ``callback`` is :func:`apiflask_error_processor`."""
    return underlying(callback) is apiflask_error_processor


def answering(app: Flask, handler: t.Callable[[t.Any], t.Any]) -> t.Any:
    """Return what answers the app's HTTP errors when ``handler`` is in the slot:
    ``handler``, or the app's ``error_callback`` when ``handler`` is APIFlask's,
    or ``None`` when that is the envelope's processor."""
    if not is_apiflask_handler(handler):
        return handler
    callback = getattr(app, "error_callback", None)
    return None if is_envelope_processor(callback) else callback
