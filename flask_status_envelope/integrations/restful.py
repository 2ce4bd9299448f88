"""Flask-RESTful: errors of its resources answer the envelope, and the app's own
handlers win inside them too.

``Api._init_app`` (flask_restful/__init__.py) replaces the app's
``handle_exception`` and ``handle_user_exception`` with
``functools.partial(api.error_router, original)``; with a Blueprint it does so
only when the blueprint is registered. For a request to one of its resources (and
any 404 with ``catch_all_404s``) ``error_router`` calls ``api.handle_error(e)``,
which answers ``{"message": ...}`` itself, so the app's handlers, the envelope's
and the user's, are skipped (flask-restful #280); when ``handle_error`` raises,
``error_router`` falls back to the original Flask method.

So each such Api (found in those partial chains, at ``init_app`` and at the app's
first request) gets an instance attribute ``handle_error`` that keeps the Api's own
answer for what the user registered on the Api (``Api(errors=...)``) and
otherwise declines by raising the error again: Flask then handles it as for any
other view, with the app's handlers (a user's ``@app.errorhandler`` first, then
the envelope) and Flask's own logging, signals and ``PROPAGATE_EXCEPTIONS``. An Api
subclass whose ``handle_error`` is the app's own code is left alone.

flask-restx, a fork, works the same way; ``restx.py`` uses this module's
machinery with its own rules.
"""

from __future__ import annotations

import sys
import typing as t
from collections.abc import Mapping
from functools import partial

from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException

from ..envelope import exception_headers, respond
from ..fields import FieldError, field_errors, sort_key
from ..state import state_or_none
from .takeover import is_apps_own, is_envelope_handler

if t.TYPE_CHECKING:
    from ..state import AppState

#: ``registered(state, api, original, e)``: what answers ``e`` instead of the
#: envelope because it is registered on the Api (``original`` is the Api's own
#: ``handle_error``), or ``None``.
Registered = t.Callable[
    ["AppState", t.Any, t.Callable[[Exception], t.Any], Exception],
    "t.Callable[[Exception], t.Any] | None",
]
#: ``located(e)``: the message and the field errors of a validation error of the
#: framework, with their locations, or ``None`` for the core to read ``e``.
Located = t.Callable[[HTTPException], "tuple[str | None, list[FieldError]] | None"]

#: reqparse reads Flask's request attributes: their names as webargs' locations.
_LOCATIONS = {"args": "query", "get_json": "json"}


def init_restful(state: AppState) -> t.Callable[[], None]:
    """Adopt the Flask-RESTful Apis on the app now; return the same step for the
    app's first request (an Api created later, or on a blueprint registered
    later)."""
    adopt(state)
    return partial(adopt, state)


def adopt(state: AppState) -> None:
    """Give every Flask-RESTful Api routing the app's errors our ``handle_error``."""
    module = sys.modules.get("flask_restful")
    if module is not None:
        adopt_apis(state, module.Api, _registered, _located)


def adopt_apis(
    state: AppState, api_class: type[t.Any], registered: Registered, located: Located
) -> None:
    """Patch ``handle_error`` of each ``api_class`` routing the app's errors;
    idempotent."""
    app = state.app
    for api in apis_of(app, api_class):
        current = api.__dict__.get("handle_error")
        if isinstance(current, partial) and current.func is _handle_error:
            continue  # already adopted
        if is_apps_own(app, type(api).handle_error):
            continue  # the user's own handle_error wins
        # No app bound in: one Api may serve several apps (Api.init_app).
        api.handle_error = partial(
            _handle_error, api, api.handle_error, registered, located
        )


def apis_of(app: Flask, api_class: type[t.Any]) -> list[t.Any]:
    """Return the ``api_class`` instances whose ``error_router`` wraps the app's
    ``handle_exception`` or ``handle_user_exception``."""
    apis: list[t.Any] = []
    for name in ("handle_user_exception", "handle_exception"):
        router = app.__dict__.get(name)
        while isinstance(router, partial) and router.args:
            api = getattr(router.func, "__self__", None)
            if isinstance(api, api_class) and not any(api is a for a in apis):
                apis.append(api)
            router = router.args[0]
    return apis


def _handle_error(
    api: t.Any,
    original: t.Callable[[Exception], t.Any],
    registered: Registered,
    located: Located,
    e: Exception,
) -> t.Any:
    state = state_or_none(current_app)
    if state is None:
        return original(e)  # an app without the extension
    answer = registered(state, api, original, e)
    if answer is not None:
        return answer(e)
    if isinstance(e, HTTPException):
        app = state.app
        if e.code == 401 and api.serve_challenge_on_401:
            # The Api's Basic challenge on the app's answer (the user's or ours).
            return api.unauthorized(
                app.make_response(Flask.handle_http_exception(app, e))
            )
        found = located(e)
        if found is not None and _envelope_answers(app, e):
            # A validation error of the framework, its fields with their location;
            # the core could not know them.
            message, errors = found
            code = t.cast(int, e.code)
            return respond(state, code, message, exception_headers(e), errors)
    # error_router falls back to Flask's own handling.
    raise e


def _envelope_answers(app: Flask, e: HTTPException) -> bool:
    """Tell whether Flask would hand ``e`` to the envelope's handler."""
    if app.trap_http_exception(e):
        return False
    # Flask's own lookup, as Flask.handle_http_exception does it (private, with
    # this signature since Flask 2.0.1): the user's handlers come first.
    handler = app._find_error_handler(e, request.blueprints)
    return is_envelope_handler(handler)


def _registered(
    state: AppState,
    api: t.Any,
    original: t.Callable[[Exception], t.Any],
    e: Exception,
) -> t.Callable[[Exception], t.Any] | None:
    # Api(errors={"PetError": {...}}): keyed by the class name, no MRO.
    errors = getattr(api, "errors", None)
    if isinstance(errors, Mapping) and type(e).__name__ in errors:
        return original
    return None


def _located(e: HTTPException) -> tuple[str | None, list[FieldError]] | None:
    # reqparse: abort(400, message={"name": "Missing required parameter in the
    # JSON body"}). The error does not say where each argument was read from;
    # the parser that raised it does, and only its frame holds it.
    data = e.__dict__.get("data")
    message = data.get("message") if isinstance(data, Mapping) else None
    if not isinstance(message, Mapping) or not message:
        return None
    reqparse = sys.modules.get("flask_restful.reqparse")
    if reqparse is None:
        return None
    parser = raised_by(e, (reqparse.RequestParser, reqparse.Argument))
    if parser is None:
        return None  # the app's own abort(400, message={...}): the core reads it
    return None, located_errors(message, argument_locations(parser))


def raised_by(e: BaseException, classes: tuple[type[t.Any], ...]) -> t.Any:
    """Return the outermost ``self`` of a frame of ``e``'s traceback that is an
    instance of ``classes``, or ``None``.

    Only for the frameworks' validation errors, which do not say where a field
    was read from while the object that raised them knows: reqparse's errors name
    the argument only, and its parser holds each argument's location. Patching
    reqparse's classes instead would change them for every app of the process.
    The traceback is read before the core clears it.
    """
    tb = e.__traceback__
    while tb is not None:
        owner = tb.tb_frame.f_locals.get("self")
        if isinstance(owner, classes):
            return owner
        tb = tb.tb_next
    return None


def argument_locations(owner: t.Any) -> dict[str, str]:
    """Return the location of each argument of a reqparse ``RequestParser`` (or of
    one ``Argument``), by name."""
    arguments = getattr(owner, "args", None) or [owner]
    return {str(a.name): _first_location(a.location) for a in arguments}


def _first_location(location: object) -> str:
    # An argument read from several places (the default ("json", "values")) is
    # reported under the first.
    if not isinstance(location, str):
        location = next(iter(t.cast("t.Iterable[str]", location)), "")
    name = str(location)
    return _LOCATIONS.get(name, name)


def located_errors(
    detail: Mapping[t.Any, t.Any], where: Mapping[str, str]
) -> list[FieldError]:
    """Return the field errors of ``detail`` (``{name: message}``), each field in
    front of its location in ``where`` (none when unknown), sorted."""
    errors = [
        error
        for name, message in detail.items()
        for error in field_errors({name: message}, where.get(str(name)) or None)
    ]
    errors.sort(key=lambda error: sort_key(error["field"]))
    return errors
