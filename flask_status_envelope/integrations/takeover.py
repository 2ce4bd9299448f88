"""Another extension taking over the app's HTTP errors: one warning, never a
silent loss.

Flask keeps one app-wide handler for every
:class:`~werkzeug.exceptions.HTTPException`, in
``app.error_handler_spec[None][None][HTTPException]``: the one slot the envelope,
APIFlask, flask-smorest and any other error extension all register into, each
replacing what was there. Flask also refuses new handlers after the app's first
request (``_check_setup_finished``), so what the slot holds then is final.

- At ``init_app``, a handler already in the slot is replaced by the envelope's,
  as any extension created later replaces earlier ones, unless it is the app's
  own (:func:`is_apps_own`): a user's handler always wins.
- At the app's first request, after the framework integrations took back the
  handlers of the frameworks they know, a handler of another library in the slot
  (or an APIFlask ``error_processor`` of another library) keeps answering, and is
  wrapped to log one ``WARNING`` the first time it answers an error, naming it and
  the fix, unless :data:`STATUS_ENVELOPE_WARN_ON_TAKEOVER` is off. The wrapper then
  puts the handler back, so later errors cost nothing.
"""

from __future__ import annotations

import os
import sys
import threading
import typing as t
from functools import partial

from flask import Flask
from werkzeug.exceptions import HTTPException

from ..envelope import handle_http_exception

if t.TYPE_CHECKING:
    from ..state import AppState

#: The configuration key that turns the warning off.
WARN_KEY = "STATUS_ENVELOPE_WARN_ON_TAKEOVER"

Handler = t.Callable[[t.Any], t.Any]


def envelope_handler(state: AppState) -> Handler:
    """Return the envelope's handler for the HTTP errors of ``state``'s app (in
    its scope, when it has one)."""
    return state.http_handler


def is_envelope_handler(handler: object) -> bool:
    """Tell whether ``handler`` is the envelope's handler of an app."""
    handler = getattr(handler, "__wrapped__", handler)  # the scope's wrapper
    return isinstance(handler, partial) and handler.func is handle_http_exception


def underlying(handler: object) -> object:
    """Return the function behind a bound method, a :func:`functools.partial`, a
    :func:`functools.wraps` wrapper or Flask's ``ensure_sync`` wrapper of
    an async function."""
    for _ in range(32):  # bounded: a __wrapped__ cycle must not hang a request
        if isinstance(handler, partial):
            handler = handler.func
        elif hasattr(handler, "__func__"):
            handler = handler.__func__
        elif hasattr(handler, "__wrapped__"):
            handler = handler.__wrapped__
        elif type(handler).__name__ == "AsyncToSync":  # asgiref's, for async views
            handler = getattr(handler, "awaitable", None)
        else:
            break
    return handler


def name_of(handler: object) -> str:
    """Return ``module.qualname`` of the function behind ``handler``
    (``acme_errors.handle_http``, ``acme.Api.handle_error``)."""
    function = underlying(handler)
    module = getattr(function, "__module__", None) or "?"
    qualname = getattr(function, "__qualname__", None) or type(function).__qualname__
    return f"{module}.{qualname}"


def is_apps_own(app: Flask, handler: object) -> bool:
    """Tell whether ``handler`` is defined in the app's own code.

    It is when the module of the function behind it is the app's ``import_name``
    or inside its package (the package itself for ``Flask(__name__)`` in a
    package's ``__init__``, else the parent package: ``myapp/app.py`` covers
    ``myapp.errors``); or when its file is under ``app.root_path`` and not in an
    installed distribution (``site-packages``), for apps made of top-level modules
    (``app.py`` next to ``errors.py``).

    :param app: The app.
    :param handler: A function, bound method, partial or wrapper.
    """
    function = underlying(handler)
    module = getattr(function, "__module__", None) or ""
    name = app.import_name
    if module == name:
        return True
    package = name if hasattr(sys.modules.get(name), "__path__") else ""
    package = package or name.rpartition(".")[0]
    if package and module.startswith(package + "."):
        return True
    filename = getattr(getattr(function, "__code__", None), "co_filename", "")
    if not filename:
        return False
    path = os.path.abspath(filename)
    installed = any(
        f"{os.sep}{folder}{os.sep}" in path
        for folder in ("site-packages", "dist-packages")
    )
    return not installed and path.startswith(os.path.abspath(app.root_path) + os.sep)


def init_takeover(state: AppState) -> t.Callable[[], None]:
    """Take the slot back from another library's handler registered before
    ``init_app``; return the check to run at the app's first request.

    :raises TypeError: :data:`STATUS_ENVELOPE_WARN_ON_TAKEOVER` is not a bool.
    """
    config = state.config
    config.setdefault(WARN_KEY, True)
    _check_warn(config[WARN_KEY])
    app = state.app
    handlers = _slot(app)
    holder = _holder(app, handlers.get(HTTPException))
    if holder is not None and not is_apps_own(app, holder):
        if holder is not handlers[HTTPException]:
            # Another library's APIFlask error processor.
            from .apiflask import apiflask_error_processor

            app.error_callback = apiflask_error_processor  # type: ignore[attr-defined]
        handlers[HTTPException] = envelope_handler(state)
    return partial(watch, state)


def watch(state: AppState) -> None:
    """Warn, once, when another library's handler answers the app's HTTP errors.

    Run at the app's first request, when Flask's handlers are final.
    """
    app = state.app
    if not app.config[WARN_KEY]:
        return
    handlers = _slot(app)
    handler = handlers.get(HTTPException)
    found = _holder(app, handler)
    if found is None or is_apps_own(app, found):
        return
    holder: Handler = found
    if holder is handler:

        def put_back_handler() -> None:
            if handlers.get(HTTPException) is wrapper:
                handlers[HTTPException] = holder

        wrapper = _warn_once(state, holder, put_back_handler)
        handlers[HTTPException] = wrapper
        return

    # An APIFlask error processor: APIFlask's handler in the slot hands every
    # error to app.error_callback, and HTTPError reaches it without the slot.
    def put_back_processor() -> None:
        if app.__dict__.get("error_callback") is wrapper:
            app.error_callback = holder  # type: ignore[attr-defined]

    wrapper = _warn_once(state, holder, put_back_processor)
    app.error_callback = wrapper  # type: ignore[attr-defined]


def _check_warn(value: object) -> None:
    if not isinstance(value, bool):
        raise TypeError(
            f"{WARN_KEY} must be True or False, got {type(value).__name__} {value!r}."
        )


def _slot(app: Flask) -> dict[type[Exception], t.Any]:
    """The app's own handlers by exception class (not by code)."""
    return t.cast("dict[type[Exception], t.Any]", app.error_handler_spec[None][None])


def _holder(app: Flask, handler: object) -> Handler | None:
    """Who answers the app's HTTP errors instead of the envelope, or ``None``."""
    if handler is None or is_envelope_handler(handler):
        return None
    from .apiflask import answering

    return t.cast("Handler | None", answering(app, t.cast(Handler, handler)))


def _warn_once(
    state: AppState, handler: Handler, put_back: t.Callable[[], None]
) -> Handler:
    """Return ``handler`` logging the warning on its first call, which also puts
    ``handler`` itself back."""
    lock = threading.Lock()
    warned = False
    app = state.app

    def warn_then_answer(error: t.Any) -> t.Any:
        nonlocal warned
        if not warned:
            with lock:
                if not warned:
                    warned = True
                    put_back()
                    name = name_of(handler)
                    app.logger.warning(
                        "flask-status-envelope: %s answers the HTTP errors of this"
                        " app instead of the envelope: it replaced the envelope's"
                        " handler after StatusEnvelope(app). To answer the"
                        " envelope, create StatusEnvelope(app) after the extension"
                        " that registers %s, or remove that handler. To keep it"
                        " and silence this warning, set app.config[%r] = False.",
                        name,
                        name,
                        WARN_KEY,
                    )
        return app.ensure_sync(handler)(error)

    warn_then_answer.__wrapped__ = handler  # type: ignore[attr-defined]
    return warn_then_answer
