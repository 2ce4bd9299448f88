"""The Flask extension: registers the envelope handlers on an app."""

from __future__ import annotations

import sys
import typing as t
import weakref
from collections.abc import Mapping

from flask import Flask, Response, current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from .codes import PAGE_MESSAGES, STOCK_DESCRIPTIONS, check_code, check_message
from .deprecation import _init_deprecation
from .envelope import build_response, exception_headers, message_for, render_body
from .limiter import _init_limiter
from .maintenance import _init_maintenance

#: The key of the per-app state in :attr:`flask.Flask.extensions`.
EXTENSION_KEY = "status_envelope"

_BASE_GET_HEADERS = HTTPException.get_headers
# Sent when building the envelope itself fails (a message whose ``str()`` raises, a
# broken response class): made at import time so that it cannot fail in turn.
_LAST_RESORT_BODY = render_body(500, PAGE_MESSAGES[500])


class _AppState:
    """What the extension knows about one app, kept in ``app.extensions``."""

    __slots__ = ("app", "extension", "handlers_by_type")

    def __init__(self, extension: StatusEnvelope, app: Flask) -> None:
        self.extension = extension
        # The state lives in the app's own extensions, so this is no "app on the
        # extension"; its config and response_class are read when needed, so that
        # changes after init_app take effect.
        self.app = app
        #: Envelopes for HTTPException classes of other extensions that carry more
        #: than a description (Flask-Limiter's), by exact type; see limiter.py.
        self.handlers_by_type: dict[
            type[HTTPException], t.Callable[[HTTPException], Response]
        ] = {}

    def envelope(
        self,
        code: int,
        description: object,
        headers: list[tuple[str, str]] | None = None,
    ) -> Response:
        """Return the envelope for ``code``; never raises."""
        try:
            if type(description) is str and description != STOCK_DESCRIPTIONS.get(code):
                # The raiser's reason, the common case: no configuration to read.
                message = description
            else:
                message = message_for(
                    code, description, self.app.config["STATUS_ENVELOPE_MESSAGES"]
                )
            return build_response(self.app.response_class, code, message, headers)
        except Exception:
            # The error layer must not fail itself: log why and answer a minimal
            # envelope that needs nothing that could have failed.
            self.app.logger.exception(
                "flask-status-envelope could not build an envelope"
            )
            return Response(
                _LAST_RESORT_BODY, status=500, content_type="application/json"
            )

    def handle_http_exception(self, error: HTTPException) -> ResponseReturnValue:
        """The app's error handler for :class:`~werkzeug.exceptions.HTTPException`."""
        if error.response is not None:
            # abort(Response(...)) and friends: the response was chosen already.
            return error.response
        special = self.handlers_by_type.get(type(error))
        if special is not None:
            return special(error)
        code = error.code
        if code is None or not 400 <= code <= 599:
            # Only errors get an envelope; Flask sends anything else unchanged.
            return error.get_response()
        # Werkzeug's router keeps a 404 or 405 on the request, and its traceback
        # (and that of the context it hides with ``raise ... from None``) holds the
        # request's frames: a reference cycle per request that only the garbage
        # collector frees, about a tenth of the cost of the request. The error is
        # answered here, so neither is needed any more.
        error.__traceback__ = None
        if error.__suppress_context__:
            error.__context__ = None
        headers = None
        if (
            type(error).get_headers is not _BASE_GET_HEADERS
            or "get_headers" in error.__dict__
        ):
            headers = exception_headers(error)
        return self.envelope(code, error.description, headers)

    def mapped_handler(
        self, exc_class: type[Exception]
    ) -> t.Callable[[Exception], Response]:
        """Return the error handler for a class passed to ``register_exception``."""
        mapped = self.extension._mapped

        def handle_mapped_exception(error: Exception) -> Response:
            # Looked up per call, so registering the class again changes the answer.
            code, message = mapped[exc_class]
            if code >= 500:
                # A server error is logged as Flask logs unhandled ones, since the
                # client never sees the exception's text.
                current_app.log_exception(sys.exc_info())
            # The exception's own text is never sent: it may name hosts, queries or
            # secrets. Only the message given to register_exception is.
            return self.envelope(code, message)

        return handle_mapped_exception


class StatusEnvelope:
    """Answer every error of a Flask app with the JSON status envelope.

    .. code-block:: python

        app = Flask(__name__)
        StatusEnvelope(app)

    or, with an application factory:

    .. code-block:: python

        status_envelope = StatusEnvelope()

        def create_app():
            app = Flask(__name__)
            status_envelope.init_app(app)
            return app

    One instance may serve several apps, each with its own configuration. Nothing
    about an app is stored on the instance except a weak reference, used only to
    apply :meth:`register_exception` to apps initialised before the call.

    :param app: The app to initialise now, or ``None`` to call :meth:`init_app`
        later.

    .. versionadded:: 0.1
    """

    def __init__(self, app: Flask | None = None) -> None:
        self._mapped: dict[type[Exception], tuple[int, str | None]] = {}
        self._apps: weakref.WeakSet[Flask] = weakref.WeakSet()
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Register the envelope handlers and configuration defaults on ``app``.

        A handler the app already has for
        :class:`~werkzeug.exceptions.HTTPException` (or for a class passed to
        :meth:`register_exception`) is kept: a user's own handler always wins, as it
        does when it is registered after this call.

        :param app: The Flask app.
        :raises RuntimeError: The app already has a :class:`StatusEnvelope`.
        :raises TypeError: A configuration value has the wrong type.
        :raises ValueError: A configuration value is out of range.
        """
        if EXTENSION_KEY in app.extensions:
            raise RuntimeError(
                "A 'StatusEnvelope' instance has already been registered on this"
                " Flask app. Import and use that instance instead."
            )
        app.config.setdefault("STATUS_ENVELOPE_MESSAGES", {})
        _check_messages(app.config["STATUS_ENVELOPE_MESSAGES"])
        check_maintenance = _init_maintenance(app)
        check_deprecation = _init_deprecation(app)

        def status_envelope_before_request() -> None:
            # One hook for both checks (each hook costs Flask a few thousand
            # instructions per request), first of all the app's hooks: maintenance
            # and retired endpoints answer before authentication or rate limits.
            req = request._get_current_object()  # type: ignore[attr-defined]
            # The deprecation check comes first so that a deprecated endpoint's
            # headers are on every answer, but its 410 waits for maintenance, which
            # answers every request that is not exempt.
            gone = check_deprecation(req)
            if req.method == "OPTIONS" and _is_automatic_options(req):
                # A CORS preflight must succeed for the browser to send the request
                # and show its client the envelope; it reaches no view anyway.
                return
            check_maintenance(req)
            if gone is not None:
                raise gone

        # Through Flask's setup method, which refuses an app that already served a
        # request before anything is registered; then moved before the other hooks.
        app.before_request(status_envelope_before_request)
        hooks = app.before_request_funcs[None]
        hooks.insert(0, hooks.pop())
        state = _AppState(self, app)
        app.extensions[EXTENSION_KEY] = state
        _init_limiter(state)
        _register_if_free(app, HTTPException, state.handle_http_exception)
        for exc_class in self._mapped:
            _register_if_free(app, exc_class, state.mapped_handler(exc_class))
        self._apps.add(app)

    def register_exception(
        self,
        exc_class: type[Exception],
        code: int,
        message: str | None = None,
    ) -> None:
        """Answer ``exc_class`` (and its subclasses) with the envelope for ``code``.

        Applies to every app this instance serves, initialised before or after the
        call. The exception's own text is never sent, since it may name hosts or
        data: the message is ``message``, or the default message for ``code``.
        With a 5xx ``code`` the exception is logged with its traceback through
        :meth:`~flask.Flask.log_exception`, as Flask logs unhandled exceptions.

        .. code-block:: python

            status_envelope.register_exception(TimeoutError, 504)
            status_envelope.register_exception(ConnectionError, 502)

        :param exc_class: An exception class; not an
            :class:`~werkzeug.exceptions.HTTPException`, which already has an
            envelope with its own code.
        :param code: The HTTP status to answer, 400-599.
        :param message: The message to send; ``None`` for the default.
        :raises TypeError: ``exc_class`` is not an exception class, or ``message``
            is not a :class:`str`.
        :raises ValueError: ``code`` is not an error status.

        .. versionadded:: 0.1
        """
        if not (isinstance(exc_class, type) and issubclass(exc_class, Exception)):
            raise TypeError(
                f"register_exception() takes an exception class, got {exc_class!r}."
                " Pass the class itself, e.g. TimeoutError, not an instance."
            )
        if issubclass(exc_class, HTTPException):
            raise TypeError(
                f"{exc_class.__name__!r} is an HTTPException, which already answers"
                " with its own code. Raise it with the code you want instead, or use"
                " abort_with()."
            )
        check_code(code)
        check_message(message)
        self._mapped[exc_class] = (code, message)
        for app in self._apps:
            state = app.extensions[EXTENSION_KEY]
            _register_if_free(app, exc_class, state.mapped_handler(exc_class))


def _is_automatic_options(req: t.Any) -> bool:
    rule = req.url_rule
    return rule is not None and bool(getattr(rule, "provide_automatic_options", False))


def _register_if_free(
    app: Flask,
    exc_class: type[Exception],
    handler: t.Callable[[t.Any], ResponseReturnValue],
) -> None:
    if exc_class not in app.error_handler_spec[None][None]:
        app.register_error_handler(exc_class, handler)


def _check_messages(messages: object) -> None:
    if not isinstance(messages, Mapping):
        raise TypeError(
            "STATUS_ENVELOPE_MESSAGES must be a dict of status code to message, got"
            f" {type(messages).__name__} {messages!r}."
        )
    for code, message in messages.items():
        try:
            check_code(code)
        except ValueError as e:
            raise ValueError(f"STATUS_ENVELOPE_MESSAGES: {e}") from None
        if not isinstance(message, str):
            raise TypeError(
                f"STATUS_ENVELOPE_MESSAGES[{code}] must be a str, got"
                f" {type(message).__name__} {message!r}."
            )


__all__ = [
    "EXTENSION_KEY",
    "StatusEnvelope",
]
