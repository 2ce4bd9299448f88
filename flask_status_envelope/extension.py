"""The Flask extension: sets up the per-app state, the error handlers and the one
request check on an app."""

from __future__ import annotations

import threading
import typing as t
import weakref
from collections.abc import Mapping
from functools import partial

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from .cli import init_cli
from .codes import check_code, check_message
from .deprecation.hook import DeprecationCheck, init_deprecation
from .envelope import handle_http_exception, handle_mapped_exception
from .integrations.apiflask import init_apiflask
from .integrations.limiter import init_limiter
from .integrations.restful import init_restful
from .integrations.restx import init_restx
from .integrations.sentry import init_sentry
from .integrations.smorest import init_smorest
from .integrations.takeover import init_takeover
from .integrations.validation import init_validation
from .maintenance import init_maintenance
from .metrics import init_metrics
from .problem import init_problem
from .request_ids import init_request_ids
from .retry import DEFAULT_RETRY_AFTER, check_default_retry_after
from .scope import init_scope, scoped
from .state import EXTENSION_KEY, AppState
from .switches import SwitchReader, init_switches
from .text import is_text
from .url_space import track_registrations


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

    One instance may serve several apps, each with its own configuration and state
    in ``app.extensions["status_envelope"]``. The instance keeps only the classes
    given to :meth:`register_exception` and weak references to its apps, to apply
    later registrations to them.

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

        A handler for :class:`~werkzeug.exceptions.HTTPException` (or for a class
        passed to :meth:`register_exception`) defined in the app's own code is
        kept: a user's own handler always wins, as it does when it is registered
        after this call. The handler of another extension created before this call
        is replaced, as the extension created last replaces earlier ones; the
        error handling of APIFlask, flask-smorest, Flask-RESTful and flask-restx,
        created before or after, answers the envelope (see :doc:`/frameworks`).
        Another extension taking the handler over after this call keeps it, with
        one warning (:data:`STATUS_ENVELOPE_WARN_ON_TAKEOVER`).

        :param app: The Flask app.
        :raises RuntimeError: The app already has a :class:`StatusEnvelope`.
        :raises AssertionError: The app has already handled its first request (as
            Flask's own setup methods refuse then).
        :raises TypeError: A configuration value has the wrong type.
        :raises ValueError: A configuration value is out of range.
        """
        if EXTENSION_KEY in app.extensions:
            raise RuntimeError(
                "A 'StatusEnvelope' instance has already been registered on this"
                " Flask app. Import and use that instance instead."
            )
        if app._got_first_request:
            # Flask refuses handlers and hooks then; refused here, before anything
            # is changed, rather than half way through.
            raise AssertionError(
                f"StatusEnvelope.init_app() can no longer be called on the app"
                f" {app.name!r}: it has already handled its first request. Call it"
                " where the app is created, before it serves requests."
            )
        app.config.setdefault("STATUS_ENVELOPE_MESSAGES", {})
        _check_messages(app.config["STATUS_ENVELOPE_MESSAGES"])
        app.config.setdefault(
            "STATUS_ENVELOPE_DEFAULT_RETRY_AFTER", DEFAULT_RETRY_AFTER
        )
        check_default_retry_after(app.config["STATUS_ENVELOPE_DEFAULT_RETRY_AFTER"])
        state = AppState(app)
        init_problem(state)
        track_registrations(app)  # the URL space, for the scope and deprecation
        maintenance = init_maintenance(state)
        # Each feature sets its configuration defaults, checks them, and returns
        # None when it is off; only then does it import its library.
        state.request_ids = init_request_ids(state)
        state.metrics = init_metrics(state)
        state.switches = init_switches(state)
        _install_request_check(
            app, maintenance, init_deprecation(state), state.switches
        )
        resolve_scope = init_scope(state)
        init_limiter(state)
        init_validation(state)
        init_sentry()
        init_cli(app)
        state.http_handler = scoped(
            state, partial(handle_http_exception, state), HTTPException
        )
        _register_if_free(app, HTTPException, state.http_handler)
        steps = (
            init_apiflask(state),
            init_smorest(state),
            init_restful(state),
            init_restx(state),
            # Last: what the frameworks' steps left in place is another library's.
            init_takeover(state),
        )
        _at_the_first_request(
            app,
            [step for step in steps if step is not None],
            required=[resolve_scope] if resolve_scope is not None else [],
        )
        app.extensions[EXTENSION_KEY] = state
        for exc_class, answer in self._mapped.items():
            _map_exception(state, exc_class, answer)
        self._apps.add(app)

    def register_exception(
        self,
        exc_class: type[Exception],
        code: int,
        message: str | None = None,
    ) -> None:
        """Answer ``exc_class`` (and its subclasses) with the envelope for ``code``.

        Applies to every app this instance serves, initialised before or after the
        call, also once they serve requests. The exception's own text is never
        sent, since it may name hosts or data: the message is ``message``, or the
        default message for ``code``. With a 5xx ``code`` the exception is logged
        with its traceback through :meth:`~flask.Flask.log_exception`, as Flask logs
        unhandled exceptions.

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
        answer = (check_code(code), check_message(message))
        self._mapped[exc_class] = answer
        for app in self._apps:
            _map_exception(app.extensions[EXTENSION_KEY], exc_class, answer)


def _install_request_check(
    app: Flask,
    maintenance: t.Callable[[str | None], HTTPException | None],
    deprecation: DeprecationCheck,
    switches: SwitchReader | None,
) -> None:
    preprocess = app.preprocess_request
    config = app.config

    def preprocess_request() -> t.Any:
        watched = deprecation.watched
        if (
            watched is not None
            and not watched
            and not config["STATUS_ENVELOPE_MAINTENANCE"]
            and config["STATUS_ENVELOPE_MAINTENANCE_FILE"] is None
            and switches is None
        ):
            # No deprecated endpoint and no maintenance switch: nothing to check.
            return preprocess()
        req = request._get_current_object()  # type: ignore[attr-defined]
        rule = req.url_rule
        endpoint = None if rule is None else rule.endpoint
        # The deprecation check comes first so that a deprecated endpoint's headers
        # are on every answer, but its 410 waits for maintenance, which answers
        # every request that is not exempt.
        gone = (
            deprecation(endpoint, req)
            if watched is None or endpoint in watched
            else None
        )
        down = maintenance(endpoint)
        if down is None and switches is not None:
            # The fleet's switches in Redis: maintenance, then retired endpoints.
            # A retired endpoint that is deprecated keeps its own 410 message.
            down = switches.error_for(endpoint)
            if gone is not None and down is not None and down.code == 410:
                down = gone
        if (gone is not None or down is not None) and not (
            req.method == "OPTIONS" and getattr(rule, "provide_automatic_options", 0)
        ):
            # (A CORS preflight must succeed for the browser to send the request and
            # show its client the envelope; it reaches no view anyway.)
            raise down or t.cast(HTTPException, gone)
        return preprocess()

    # Flask's preprocess_request runs the app's URL value preprocessors, then its
    # before_request hooks. Checking first here answers maintenance before either
    # can reach a database, and puts a deprecated endpoint's headers on their
    # errors; and it costs a tenth of what Flask spends calling a hook of either
    # kind (benchmarks/: 0.5 % of a 200 response against 1.8 % and 5.4 %).
    app.preprocess_request = preprocess_request  # type: ignore[method-assign]


def _at_the_first_request(
    app: Flask,
    steps: list[t.Callable[[], None]],
    required: list[t.Callable[[], None]],
) -> None:
    """Run ``required``, then ``steps``, once, at the app's first request, before
    the request check.

    Flask refuses new error handlers and blueprints after the first request, so
    that is when a framework created after init_app, or a blueprint named in the
    scope, is certain to be there. The check is swapped in for this one request and
    swapped out after it: later requests pay nothing. A ``required`` step that
    raises (a mistake in the configuration) fails the request, and every request
    until it succeeds; a failing ``steps`` one is logged and the app keeps serving.
    """
    if not steps and not required:
        return
    check = app.preprocess_request
    lock = threading.Lock()
    done = False

    def preprocess_request() -> t.Any:
        nonlocal done
        if not done:
            with lock:
                if not done:
                    for step in required:
                        step()
                    for step in steps:
                        try:
                            step()
                        except Exception:
                            # The app must keep serving; what failed is reported.
                            app.logger.exception(
                                "flask-status-envelope could not check the error"
                                " handlers of the app at its first request"
                            )
                    done = True
                    if app.__dict__.get("preprocess_request") is preprocess_request:
                        # (Left in place if another extension wrapped it since.)
                        app.preprocess_request = check  # type: ignore[method-assign]
        return check()

    app.preprocess_request = preprocess_request  # type: ignore[method-assign]


def _map_exception(
    state: AppState, exc_class: type[Exception], answer: tuple[int, str | None]
) -> None:
    state.mapped[exc_class] = answer
    # Flask reads its handler table per error, so a handler put there works also
    # after the app's first request, when register_error_handler refuses.
    handlers = state.app.error_handler_spec[None][None]
    if exc_class not in handlers:
        handler = partial(handle_mapped_exception, state)
        handlers[exc_class] = scoped(state, handler, exc_class)


def _register_if_free(
    app: Flask, exc_class: type[Exception], handler: t.Callable[[t.Any], t.Any]
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
        if not is_text(message):
            raise TypeError(
                f"STATUS_ENVELOPE_MESSAGES[{code}] must be a str (or a lazy string),"
                f" got {type(message).__name__} {message!r}."
            )
