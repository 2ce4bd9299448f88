"""Validation errors raised in views: marshmallow's and pydantic's
``ValidationError`` and Flask-Pydantic's answer the envelope with their field errors.

webargs, APIFlask and flask-smorest raise an
:class:`~werkzeug.exceptions.HTTPException` with their own status; the core reads
its field errors. An error raised in a view is answered with
:data:`STATUS_ENVELOPE_VALIDATION_STATUS` (422 unless set): ``None`` leaves
marshmallow's and pydantic's errors to Flask (500), for apps that validate upstream
data with the same libraries. Flask-Pydantic's error is always about the request,
so it keeps 422 then.

Each library is imported here, at ``init_app``, only when it is installed, so that
an app that imports it later (in a blueprint of its factory) is covered too.
"""

from __future__ import annotations

import importlib
import typing as t
from functools import partial

from ..envelope import respond
from ..fields import field_errors
from ..scope import scoped

if t.TYPE_CHECKING:
    from flask import Response

    from ..state import AppState

#: (module, class, whether ``STATUS_ENVELOPE_VALIDATION_STATUS = None`` unmaps it)
_SOURCES = (
    ("marshmallow", "ValidationError", True),
    ("pydantic_core", "ValidationError", True),
    ("flask_pydantic", "ValidationError", False),
)


def init_validation(state: AppState) -> None:
    """Answer view-raised validation errors of the installed libraries.

    :raises TypeError: :data:`STATUS_ENVELOPE_VALIDATION_STATUS` or
        :data:`STATUS_ENVELOPE_FIELD_ERRORS` has the wrong type.
    :raises ValueError: :data:`STATUS_ENVELOPE_VALIDATION_STATUS` is not a 4xx code.
    """
    config = state.config
    config.setdefault("STATUS_ENVELOPE_FIELD_ERRORS", True)
    config.setdefault("STATUS_ENVELOPE_VALIDATION_STATUS", 422)
    if not isinstance(config["STATUS_ENVELOPE_FIELD_ERRORS"], bool):
        value = config["STATUS_ENVELOPE_FIELD_ERRORS"]
        raise TypeError(
            "STATUS_ENVELOPE_FIELD_ERRORS must be True or False, got"
            f" {type(value).__name__} {value!r}."
        )
    status = config["STATUS_ENVELOPE_VALIDATION_STATUS"]
    if status is not None and (
        not isinstance(status, int)
        or isinstance(status, bool)
        or not 400 <= status <= 499
    ):
        raise ValueError(
            "STATUS_ENVELOPE_VALIDATION_STATUS must be a client error code from 400"
            f" to 499 (422 or 400) or None, got {status!r}."
        )
    for module_name, class_name, unmapped_by_none in _SOURCES:
        if status is None and unmapped_by_none:
            continue
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # not installed
            continue
        exc_class = getattr(module, class_name)
        handlers = state.app.error_handler_spec[None][None]
        # A handler of the user's own, before or after init_app, wins.
        handler = partial(_answer, state, status or 422)
        handlers.setdefault(exc_class, scoped(state, handler, exc_class))


def _answer(state: AppState, status: int, error: Exception) -> Response:
    return respond(state, status, None, None, field_errors(error))
