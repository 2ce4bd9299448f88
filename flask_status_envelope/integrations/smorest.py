"""flask-smorest: its errors answer the envelope.

``Api.init_app`` (flask_smorest/__init__.py) registers the bound method
``Api.handle_http_exception`` for Werkzeug's ``HTTPException``
(flask_smorest/error_handler.py, ``_register_error_handlers``), unconditionally:
an ``Api`` created after ``StatusEnvelope(app)`` replaces the envelope's handler.
That handler of flask-smorest's own is taken back at ``init_app`` (an ``Api``
created first) and at the app's first request (an ``Api`` created after), when
Flask's handlers are final. An ``Api`` subclass with its own
``handle_http_exception`` keeps it: the user's own wins, another library's gets the
takeover warning (see ``takeover.py``).

What flask-smorest's ``abort`` (webargs') and its 422 validation errors put in
``error.data`` is read by the core handler.
"""

from __future__ import annotations

import typing as t
from functools import partial

from werkzeug.exceptions import HTTPException

from .takeover import envelope_handler

if t.TYPE_CHECKING:
    from ..state import AppState


def init_smorest(state: AppState) -> t.Callable[[], None]:
    """Take back flask-smorest's handler now; return the same step for the app's
    first request."""
    adopt(state)
    return partial(adopt, state)


def adopt(state: AppState) -> None:
    """Put the envelope's handler back in place of flask-smorest's own."""
    app = state.app
    if "flask-smorest" not in app.extensions:
        return  # no Api on the app (nothing imported)
    from flask_smorest.error_handler import (  # type: ignore[import-untyped]
        ErrorHandlerMixin,
    )

    handlers = app.error_handler_spec[None][None]
    api = getattr(handlers.get(HTTPException), "__self__", None)
    if (
        isinstance(api, ErrorHandlerMixin)
        and type(api).handle_http_exception is ErrorHandlerMixin.handle_http_exception
    ):
        handlers[HTTPException] = envelope_handler(state)
