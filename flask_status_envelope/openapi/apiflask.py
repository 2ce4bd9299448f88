"""APIFlask: its OpenAPI document shows the envelope.

Its errors answer the envelope through
:class:`~flask_status_envelope.StatusEnvelope` itself
(``flask_status_envelope/integrations/apiflask.py``, where
:func:`apiflask_error_processor` is).
"""

from __future__ import annotations

import typing as t

from ..state import app_state
from .document import document_extension
from .schema import envelope_schema


def init_apiflask(app: t.Any) -> None:
    """Make the OpenAPI document of an ``apiflask.APIFlask`` app show the
    envelope.

    Call it after :class:`~flask_status_envelope.StatusEnvelope` was initialised on
    the app, which already answers every error of the app with the envelope. It

    - sets ``HTTP_ERROR_SCHEMA`` and ``VALIDATION_ERROR_SCHEMA`` to the envelope
      schema, so every documented error response shows the envelope;
    - adds a ``spec_processor`` that adds the ``StatusEnvelope`` schema component
      (which :func:`error_responses` refers to) and what the extension answers to
      every operation (see :func:`document_extension`: deprecated views, 410,
      400, 429, 503 and their headers), after any processor already set.

    :param app: An ``apiflask.APIFlask`` app with the extension.
    :raises RuntimeError: :class:`~flask_status_envelope.StatusEnvelope` is not
        initialised on the app.

    .. versionchanged:: 0.2
        The errors are answered by :class:`~flask_status_envelope.StatusEnvelope`
        itself; this no longer registers an error processor, so an
        ``error_processor`` of the app's own, registered before, is kept.

    .. versionadded:: 0.1
    """
    app_state(app)  # the documented errors are the extension's
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
