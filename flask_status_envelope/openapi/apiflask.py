"""APIFlask: its ``HTTPError``, ``abort`` and validation errors answer the
envelope, and its OpenAPI document shows it."""

from __future__ import annotations

import typing as t
from functools import partial

from flask import Response, current_app
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from ..envelope import envelope_response, handle_http_exception, respond
from ..fields import location_errors
from ..headers import check_headers
from ..state import app_state, state_or_none
from .document import document_extension
from .schema import envelope_schema


def apiflask_error_processor(error: t.Any) -> Response:
    """APIFlask error processor answering ``apiflask.HTTPError`` with the
    envelope.

    The message is the one given to ``HTTPError``/``abort``, or the summary of
    the request's validation errors, which the envelope carries as ``errors``, or
    the app's default message for the code. :func:`init_apiflask` registers it.

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


def init_apiflask(app: t.Any) -> None:
    """Make an ``apiflask.APIFlask`` app answer and document the envelope.

    Call it after :class:`~flask_status_envelope.StatusEnvelope` was initialised on
    the app. It

    - answers Werkzeug errors with the extension's own handler, so
      ``abort(404, "why")`` keeps "why" (APIFlask's would send the reason phrase);
    - registers :func:`apiflask_error_processor` for ``HTTPError``, ``abort`` and
      validation errors;
    - sets ``HTTP_ERROR_SCHEMA`` and ``VALIDATION_ERROR_SCHEMA`` to the envelope
      schema, so every documented error response shows the envelope;
    - adds a ``spec_processor`` that adds the ``StatusEnvelope`` schema component
      (which :func:`error_responses` refers to) and what the extension answers to
      every operation (see :func:`document_extension`: deprecated views, 410,
      400, 429, 503 and their headers), after any processor already set.

    :param app: An ``apiflask.APIFlask`` app with the extension.
    :raises RuntimeError: :class:`~flask_status_envelope.StatusEnvelope` is not
        initialised on the app.

    .. versionadded:: 0.1
    """
    state = app_state(app)
    # error_processor() registers APIFlask's own HTTPException handler again, which
    # would send the reason phrase instead of the raiser's message: ours after it.
    app.error_processor(apiflask_error_processor)
    app.register_error_handler(HTTPException, partial(handle_http_exception, state))
    schema = envelope_schema(openapi_version=app.config["OPENAPI_VERSION"])
    app.config["HTTP_ERROR_SCHEMA"] = schema
    app.config["VALIDATION_ERROR_SCHEMA"] = schema
    previous = getattr(app, "spec_callback", None)

    def document(spec: t.Any) -> t.Any:
        if previous is not None:
            spec = previous(spec)
        if isinstance(spec, dict):
            spec = document_extension(spec, app)
        return spec

    app.spec_processor(document)
