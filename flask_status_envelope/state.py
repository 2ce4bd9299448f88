"""The per-app state: everything the extension knows about one app, in one place.

It lives in ``app.extensions["status_envelope"]`` and is reached with
:func:`app_state`. The features (maintenance, deprecation, request ids, metrics,
fleet switches, integrations) keep what they need about an app here and read it
from here; none of them imports the extension back.
"""

from __future__ import annotations

import typing as t

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

if t.TYPE_CHECKING:
    from .deprecation.hook import DeprecationState
    from .metrics import Metrics
    from .problem import ProblemDetails
    from .request_ids import RequestIds
    from .scope import LazyScope
    from .switches import SwitchReader

#: The key of the per-app state in :attr:`flask.Flask.extensions`.
EXTENSION_KEY = "status_envelope"


class AppState:
    """What the extension knows about one app."""

    __slots__ = (
        "app",
        "config",
        "deprecation",
        "handlers_by_type",
        "http_handler",
        "mapped",
        "metrics",
        "request_ids",
        "switches",
        "problem",
        "scope",
    )

    def __init__(self, app: Flask) -> None:
        # The state is in the app's own extensions, so this is no "app on the
        # extension". Config and response_class are read per response, so that
        # changes after init_app take effect.
        self.app = app
        self.config = app.config
        #: ``register_exception`` classes and their ``(code, message)``.
        self.mapped: dict[type[Exception], tuple[int, str | None]] = {}
        #: The app's handler for HTTPException (in the scope, when there is one).
        self.http_handler: t.Callable[[t.Any], t.Any] = _unset
        #: Envelopes for HTTPException classes of other extensions that carry more
        #: than a description (Flask-Limiter's), by exact type.
        self.handlers_by_type: dict[
            type[HTTPException], t.Callable[[HTTPException], Response]
        ] = {}
        #: Deprecated endpoints and blueprints, set by ``deprecation.hook``.
        self.deprecation: DeprecationState | None = None
        #: The request-id settings; ``None`` when the header setting is ``None``.
        self.request_ids: RequestIds | None = None
        #: The Prometheus counters; ``None`` unless metrics are on.
        self.metrics: Metrics | None = None
        #: The fleet switches read from Redis; ``None`` without a switches URL.
        self.switches: SwitchReader | None = None
        #: STATUS_ENVELOPE_SCOPE, set by ``scope``; ``None``: the whole app.
        self.scope: LazyScope | None = None
        #: problem+json settings, set by ``problem``; ``None``: never.
        self.problem: ProblemDetails | None = None


def _unset(error: t.Any) -> t.Any:  # replaced by init_app
    raise RuntimeError("The envelope's handler is not set up yet.")


def app_state(app: Flask | None = None) -> AppState:
    """Return the extension's state of ``app`` (default: the current app).

    :raises RuntimeError: The extension is not initialised on the app.
    """
    if app is None:
        app = t.cast(Flask, current_app._get_current_object())  # type: ignore[attr-defined]
    try:
        return t.cast(AppState, app.extensions[EXTENSION_KEY])
    except KeyError:
        raise RuntimeError(
            f"The app {app.name!r} has no StatusEnvelope. Call StatusEnvelope(app)"
            " or status_envelope.init_app(app) when you create the app."
        ) from None


def state_or_none(app: Flask) -> AppState | None:
    """Return the extension's state of ``app``, or ``None`` if not initialised."""
    return t.cast("AppState | None", app.extensions.get(EXTENSION_KEY))


def request_or_none() -> t.Any:
    """Return the current request object, or ``None`` outside a request (an
    ``envelope_response()`` built in an app context, a log line of a CLI)."""
    try:
        return request._get_current_object()  # type: ignore[attr-defined]
    except RuntimeError:
        return None
