"""flask-restx: errors of its resources answer the envelope, and the app's own
handlers win inside them too.

flask-restx is a fork of Flask-RESTful and routes errors the same way
(flask_restx/api.py: ``_init_app`` wraps the app's ``handle_exception`` and
``handle_user_exception`` in ``error_router``, which calls ``api.handle_error``),
so the Apis are adopted with ``restful.py``'s machinery. What restx answers
itself, declined otherwise:

- the handlers registered on the Api or its namespaces (``@api.errorhandler(Cls)``,
  ``@ns.errorhandler(Cls)``, by ``isinstance``) and the bare
  ``@api.errorhandler`` (for exceptions that are no ``HTTPException``): restx
  answers them its way, ``ERROR_INCLUDE_MESSAGE`` included;
- restx's own handlers for a bad ``X-Fields`` mask header answer the 400 envelope
  with restx's message.

Declining also means no "You have requested this URI [...] but did you mean"
(``RESTX_ERROR_404_HELP``), which restx adds only in its own ``handle_error``.

Validation errors (``@api.expect(model, validate=True)`` and restx's reqparse)
are ``abort(400, "Input payload validation failed", errors={path: message})``:
the fields are reported under ``json`` for a model (it validates
``request.get_json()``; ``address.city`` becomes ``json.address.city``) and under
each argument's location for reqparse, with the summary as the message. An
``abort(code, message, errors={...})`` of the app's own keeps its message and
reports the fields without a location.
"""

from __future__ import annotations

import sys
import typing as t
from collections.abc import Mapping
from functools import partial

from werkzeug.exceptions import HTTPException

from ..envelope import respond
from ..fields import SCHEMA_KEY, FieldError
from .restful import adopt_apis, argument_locations, located_errors, raised_by

if t.TYPE_CHECKING:
    from ..state import AppState


def init_restx(state: AppState) -> t.Callable[[], None]:
    """Adopt the flask-restx Apis on the app now; return the same step for the
    app's first request."""
    adopt(state)
    return partial(adopt, state)


def adopt(state: AppState) -> None:
    """Give every flask-restx Api routing the app's errors our ``handle_error``."""
    module = sys.modules.get("flask_restx")
    if module is not None:
        adopt_apis(state, module.Api, _registered, _located)


def _registered(
    state: AppState,
    api: t.Any,
    original: t.Callable[[Exception], t.Any],
    e: Exception,
) -> t.Callable[[Exception], t.Any] | None:
    from flask_restx.api import (  # type: ignore[import-untyped]
        mask_error_handler,
        mask_parse_error_handler,
    )

    for cls, handler in api._own_and_child_error_handlers.items():
        if isinstance(e, cls):
            if handler is mask_parse_error_handler or handler is mask_error_handler:
                return partial(_mask_envelope, state, handler)
            return original
    if not isinstance(e, HTTPException) and api._default_error_handler is not None:
        return original
    return None


def _mask_envelope(
    state: AppState, handler: t.Callable[[Exception], t.Any], e: Exception
) -> t.Any:
    # {"message": "Mask parse error: ..."}, 400
    data, code = handler(e)
    return respond(state, int(code), data.get("message"))


def _located(e: HTTPException) -> tuple[str | None, list[FieldError]] | None:
    data = e.__dict__.get("data")
    detail = data.get("errors") if isinstance(data, Mapping) else None
    if not isinstance(detail, Mapping) or not detail:
        return None
    # restx's paths have no key for an error of the whole payload.
    detail = {key or SCHEMA_KEY: value for key, value in detail.items()}
    model = sys.modules.get("flask_restx.model")
    reqparse = sys.modules.get("flask_restx.reqparse")
    if model is not None and raised_by(e, (model.ModelBase,)) is not None:
        # Model.validate(): the payload is the JSON body.
        return None, located_errors(detail, dict.fromkeys(map(str, detail), "json"))
    if reqparse is not None:
        parser = raised_by(e, (reqparse.RequestParser, reqparse.Argument))
        if parser is not None:
            return None, located_errors(detail, argument_locations(parser))
    message = t.cast(Mapping[str, t.Any], data).get("message")
    return (message if isinstance(message, str) else None), located_errors(detail, {})
