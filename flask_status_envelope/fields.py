"""Field errors: the validation errors of every supported library as one flat list.

``{"json": {"items": {0: {"name": ["Missing data for required field."]}}}}`` (webargs,
APIFlask, flask-smorest), a marshmallow or pydantic ``ValidationError``, and
Flask-Pydantic's raised ``ValidationError`` all become

.. code-block:: python

    [{"field": "json.items.0.name", "message": "Missing data for required field."}]

- ``field`` is a dotted path that starts with the location when there is one
  (``json``, ``query``, ``form``, ``headers``, ``cookies``, ``files``, ``view_args``,
  ``path``). An error with no field of its own (a bare list of messages, marshmallow's
  schema-level errors, pydantic's empty ``loc``) is reported under ``_schema``:
  ``json._schema``, or ``_schema`` without a location.
- There is one entry per message, sorted by ``field`` (numeric segments compared as
  numbers, so ``items.2`` comes before ``items.10``), then in the library's order.
- Only message text is reported: a pydantic error's ``input`` and ``ctx`` (which
  echo what the client sent) are never read, and a message that is not text is
  replaced by :data:`INVALID_VALUE` rather than sent as a Python ``repr``.

Pure functions: no Flask, no app state, and no library is imported; a library's
classes are looked up in :data:`sys.modules`, where they must be if one of their
objects exists.
"""

from __future__ import annotations

import re
import sys
import typing as t
from collections.abc import Mapping

from .text import is_lazy


class FieldError(t.TypedDict):
    """One entry of the envelope's ``errors`` list."""

    field: str
    message: str


#: The name used for an error that belongs to no field: marshmallow's own key.
SCHEMA_KEY = "_schema"

#: Sent instead of a message that is not text (no ``repr`` reaches a client).
INVALID_VALUE = "Invalid value."

#: Flask-Pydantic's ``ValidationError`` attributes and the location of each.
FLASK_PYDANTIC_LOCATIONS: tuple[tuple[str, str], ...] = (
    ("body_params", "json"),
    ("query_params", "query"),
    ("form_params", "form"),
    ("path_params", "path"),
)

_NUMBER = re.compile(r"[0-9]+")

# (field, message) pairs while collecting.
_Pairs = list[tuple[str, str]]


def field_errors(detail: object, location: str | None = None) -> list[FieldError]:
    """Return the field errors in ``detail``, sorted.

    ``detail`` is any of

    - marshmallow's messages: ``{"name": ["Missing data for required field."]}``,
      nested and indexed (``{"items": {0: {"name": [...]}}}``), ``_schema`` keys;
    - a list of messages (``["Invalid input."]``), reported under ``_schema``;
    - a ``marshmallow.ValidationError``: its ``normalized_messages()``, so a list of
      messages is reported under its ``field_name`` (``_schema`` unless set);
    - a pydantic v2 ``ValidationError`` or its ``errors()`` list: each ``loc`` tuple
      becomes a dotted path, an empty ``loc`` is ``_schema``, the message is ``msg``;
    - Flask-Pydantic's ``ValidationError``: body errors under ``json``, query errors
      under ``query``, form errors under ``form``, path errors under ``path``;
    - a single message.

    :param detail: The errors, as one of the libraries reports them.
    :param location: Where the data came from (``"json"``, ``"query"``...), put in
        front of every path; ``None`` when a schema was validated in a view.
    """
    pairs: _Pairs = []
    _collect(detail, location, (), pairs)
    return _sorted(pairs)


def location_errors(messages: object) -> list[FieldError]:
    """Return the field errors of ``messages`` keyed by location, sorted.

    This is the shape webargs (``HTTPException.data["messages"]``), APIFlask
    (``HTTPError.detail``) and flask-smorest (``data["errors"]``) report:
    ``{"json": {"name": [...]}, "query": {"page": [...]}}``. A list directly under a
    location has no field of its own: webargs' ``{"json": ["Invalid JSON body."]}``
    is ``json._schema``. Anything but a mapping is read as :func:`field_errors` does
    without a location.

    :param messages: Errors by location.
    """
    pairs: _Pairs = []
    if isinstance(messages, Mapping):
        for location, detail in messages.items():
            _collect(detail, str(location), (), pairs)
    else:
        _collect(messages, None, (), pairs)
    return _sorted(pairs)


def summary(errors: t.Iterable[FieldError]) -> str:
    """Return the envelope's ``message`` for ``errors``: ``"<field>: <message>"``
    joined with ``"; "``, in the order given; ``""`` when there are none.

    :param errors: Field errors, as :func:`field_errors` returns them.
    """
    return "; ".join(f"{error['field']}: {error['message']}" for error in errors)


def sort_key(field: str) -> tuple[tuple[int, int, str], ...]:
    """Return the key that sorts dotted paths with numeric segments as numbers.

    ``items.2`` sorts before ``items.10``; at the same position a number sorts
    before a name.
    """
    return tuple(
        (0, int(segment), "") if _NUMBER.fullmatch(segment) else (1, 0, segment)
        for segment in field.split(".")
    )


def _sorted(pairs: _Pairs) -> list[FieldError]:
    # A stable sort: messages of one field keep the library's order.
    pairs.sort(key=lambda pair: sort_key(pair[0]))
    return [{"field": field, "message": message} for field, message in pairs]


def _field(location: str | None, keys: tuple[str, ...]) -> str:
    path = keys or (SCHEMA_KEY,)
    return ".".join((location, *path) if location else path)


def _class(module_name: str, class_name: str) -> t.Any:
    # The class if its module is loaded, else a tuple no object is an instance of.
    module = sys.modules.get(module_name)
    return getattr(module, class_name, ()) if module is not None else ()


def _collect(
    detail: object, location: str | None, keys: tuple[str, ...], out: _Pairs
) -> None:
    if isinstance(detail, str):
        out.append((_field(location, keys), detail))
    elif isinstance(detail, Mapping):
        for key, value in detail.items():
            _collect(value, location, (*keys, str(key)), out)
    elif isinstance(detail, (list, tuple)):
        if detail and all(_is_pydantic_error(item) for item in detail):
            _collect_pydantic(detail, location, keys, out)
        else:
            for item in detail:
                _collect(item, location, keys, out)
    elif isinstance(detail, _class("pydantic_core", "ValidationError")):
        _collect_pydantic(detail.errors(), location, keys, out)
    elif isinstance(detail, _class("marshmallow.exceptions", "ValidationError")):
        # {field_name: messages}, or the messages dict of a whole schema.
        _collect(detail.normalized_messages(), location, keys, out)
    elif isinstance(detail, _class("flask_pydantic.exceptions", "ValidationError")):
        for attribute, where in FLASK_PYDANTIC_LOCATIONS:
            errors = getattr(detail, attribute, None)
            if errors:
                prefix = f"{location}.{where}" if location else where
                _collect_pydantic(errors, prefix, keys, out)
    elif detail is None:
        pass
    elif is_lazy(detail) or (
        isinstance(detail, (int, float)) and not isinstance(detail, bool)
    ):
        out.append((_field(location, keys), str(detail)))
    else:
        out.append((_field(location, keys), INVALID_VALUE))


def _is_pydantic_error(item: object) -> bool:
    return isinstance(item, Mapping) and "loc" in item and "msg" in item


def _collect_pydantic(
    errors: t.Iterable[t.Any],
    location: str | None,
    keys: tuple[str, ...],
    out: _Pairs,
) -> None:
    for error in errors:
        loc = tuple(str(part) for part in error.get("loc") or ())
        message = error.get("msg")
        out.append(
            (
                _field(location, (*keys, *loc)),
                message if isinstance(message, str) else INVALID_VALUE,
            )
        )


def validation_message(detail: object) -> str | None:
    """Return one message from the validation errors of webargs/marshmallow, or
    ``None`` when there are none.

    ``{"json": {"name": ["Missing data for required field."]}}`` becomes
    ``"json.name: Missing data for required field."``; several errors are joined
    with ``"; "``, sorted by field. A list with no field of its own is reported
    under ``_schema``: ``{"json": ["Invalid JSON body."]}`` becomes
    ``"json._schema: Invalid JSON body."``.

    :param detail: Errors by location and field, as webargs reports them.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
        Numeric segments sort as numbers; a bare list is reported under
        ``_schema``.
    """
    return summary(location_errors(detail)) or None if detail else None


def read_abort_data(
    data: object,
) -> tuple[object, list[FieldError] | None, list[tuple[str, str]]]:
    """Read what webargs and flask-smorest's ``abort()`` put in an
    :class:`~werkzeug.exceptions.HTTPException`'s ``data``.

    :returns: The message (``None`` for none), the field errors (``None`` for none)
        and the extra headers.
    """
    if not isinstance(data, Mapping):
        return None, None, []
    messages = data.get("errors") or data.get("messages")
    errors = location_errors(messages) if messages else None
    message = data.get("message")
    if message is not None and not isinstance(message, str) and not is_lazy(message):
        # webargs lets abort() carry any object as its message.
        errors = errors or field_errors(message)
        message = None
    headers = data.get("headers")
    return message, errors, list(dict(headers).items()) if headers else []
