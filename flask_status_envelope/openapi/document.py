"""What the extension itself answers, written into an OpenAPI document.

An app's own document lists what its views answer. The extension answers more, on
every operation, before or around the view: 410 for deprecated operations, the
deprecation headers, the 400 of a body that is not JSON, 429 with Flask-Limiter, 503
during maintenance, ``WWW-Authenticate``, ``Content-Language`` with Flask-Babel.
:func:`document_extension` adds those to the document, so that a client generator
or a contract test (Schemathesis) sees every status and header the API sends.
"""

from __future__ import annotations

import copy
import typing as t

from flask import Flask

from ..codes import status_text
from ..deprecation import Deprecation, endpoint_deprecation
from ..deprecation.hook import _now
from ..deprecation.schedule import SUNSET
from .apispec import mark_deprecated, openapi_path
from .schema import SCHEMA_NAME, SCHEMA_REF, envelope_example, envelope_schema

_STRING: dict[str, t.Any] = {"type": "string"}

#: The header objects the extension's headers are declared with.
HEADERS: dict[str, dict[str, t.Any]] = {
    "WWW-Authenticate": {
        "description": "How to authenticate (RFC 9110).",
        "schema": _STRING,
    },
    "Retry-After": {
        "description": "Seconds to wait, or the HTTP date to try again at.",
        "schema": _STRING,
    },
    "Deprecation": {
        "description": "When the operation was deprecated, as @<Unix seconds>"
        " (RFC 9745).",
        "schema": {"type": "string", "pattern": "^@-?[0-9]+$"},
    },
    "Sunset": {
        "description": "The HTTP date the operation stops working (RFC 8594).",
        "schema": _STRING,
    },
    "Link": {
        "description": "Where to go instead, and where the deprecation is explained.",
        "schema": _STRING,
    },
    "Content-Language": {
        "description": "The language of a translated default message.",
        "schema": _STRING,
    },
}

#: webargs' answer to a body that is not JSON (APIFlask, flask-smorest).
BAD_JSON_EXAMPLE = envelope_example(
    400, errors=[{"field": "json._schema", "message": "Invalid JSON body."}]
)

# Which headers the responses of a status key may carry, whatever the operation.
_AUTH_KEYS = frozenset({"401", "4XX", "default"})
_RETRY_KEYS = frozenset({"429", "503", "4XX", "5XX", "default"})

_RESPONSE_PREFIX = "#/components/responses/"


class _App:
    """What decides the additions, read once per document."""

    def __init__(self, app: Flask) -> None:
        config = app.config
        self.app = app
        self.limiter = bool(app.extensions.get("limiter"))
        self.babel = "babel" in app.extensions
        self.maintenance = bool(
            config.get("STATUS_ENVELOPE_MAINTENANCE")
            or config.get("STATUS_ENVELOPE_MAINTENANCE_FILE") is not None
        )
        self.exempt = frozenset(config.get("STATUS_ENVELOPE_MAINTENANCE_EXEMPT", ()))
        self.enforce = bool(config.get("STATUS_ENVELOPE_ENFORCE_SUNSET", True))
        self.retry_after = config.get("STATUS_ENVELOPE_DEFAULT_RETRY_AFTER") is not None
        self.now: float | None = None

    def gone(self, schedule: Deprecation) -> bool:
        # A bare @deprecated, or a sunset already passed: only 410 is left.
        if not self.enforce:
            return False
        if self.now is None:
            self.now = _now(self.app)
        return schedule._state(self.now) == SUNSET


def document_extension(spec: t.Mapping[str, t.Any], app: Flask) -> dict[str, t.Any]:
    """Return a copy of the OpenAPI document ``spec`` that lists what the extension
    answers to its operations.

    For each operation served by an endpoint of ``app``:

    - a deprecated endpoint (see :doc:`/deprecation`) is marked ``deprecated:
      true``, and every one of its responses declares ``Deprecation``, and
      ``Sunset`` and ``Link`` when it has them. A retired endpoint (a bare
      ``@deprecated``, or a sunset that has passed) documents only ``410`` (and
      ``503``, below): nothing else is true any more. One with a sunset or
      brownouts gets ``410`` too, unless :data:`STATUS_ENVELOPE_ENFORCE_SUNSET` is
      off;
    - an operation with a ``requestBody`` gets ``400``, the answer to a body that
      is not JSON;
    - with Flask-Limiter on the app, every operation gets ``429`` with
      ``Retry-After``;
    - when maintenance can be switched on (:data:`STATUS_ENVELOPE_MAINTENANCE` is
      true or :data:`STATUS_ENVELOPE_MAINTENANCE_FILE` is set), every operation
      whose endpoint is not in :data:`STATUS_ENVELOPE_MAINTENANCE_EXEMPT` gets
      ``503`` with ``Retry-After``;
    - ``401`` (and ``4XX`` and ``default``) responses declare ``WWW-Authenticate``;
      ``429``, ``503`` (and ``4XX``, ``5XX`` and ``default``) ``Retry-After``;
    - with Flask-Babel on the app, every error response declares
      ``Content-Language``.

    Nothing the document already has is replaced (responses and headers are added
    with ``setdefault``), except the responses of a retired operation. A response
    that is a ``$ref`` to ``#/components/responses/`` is copied into the operation
    before a header of that operation alone is added to it; headers that every
    operation shares are added to the component. The ``StatusEnvelope`` schema
    component, which the added responses refer to, is added if missing.

    :func:`~flask_status_envelope.openapi.init_apiflask` and
    :func:`~flask_status_envelope.openapi.smorest_api_class` apply it to the
    documents they serve; call it on any other document (apispec's
    ``spec.to_dict()``) yourself. The app's configuration is read now: a document
    made before maintenance is configured does not list its ``503``.

    ``spec`` itself is left as it is: apispec's ``spec.to_dict()`` returns the
    dicts the spec keeps, which a change would corrupt.

    :param spec: An OpenAPI 3 document as a dict.
    :param app: The app whose URL map, views and configuration are read.
    :raises ValueError: ``spec`` is not an OpenAPI 3 document.

    .. versionadded:: 0.2
    """
    schema = envelope_schema(openapi_version=spec.get("openapi", ""))
    document: dict[str, t.Any] = copy.deepcopy(dict(spec))
    components = document.setdefault("components", {})
    components.setdefault("schemas", {}).setdefault(SCHEMA_NAME, schema)
    shared = components.get("responses") or {}
    mark_deprecated(document, app)
    facts = _App(app)
    for endpoint, method, operation in _operations(document, app):
        _document_operation(facts, shared, endpoint, method, operation)
    return document


def _operations(
    spec: dict[str, t.Any], app: Flask
) -> t.Iterator[tuple[str, str, dict[str, t.Any]]]:
    """The operations of ``spec`` with the endpoint and method that serve them."""
    paths = spec.get("paths") or {}
    seen: set[int] = set()
    for rule in app.url_map.iter_rules():
        item = paths.get(openapi_path(rule.rule))
        if item is None or rule.endpoint not in app.view_functions:
            continue
        for method in sorted(rule.methods or ()):
            operation = item.get(method.lower())
            if isinstance(operation, dict) and id(operation) not in seen:
                seen.add(id(operation))
                yield rule.endpoint, method, operation


def _document_operation(
    facts: _App,
    shared: dict[str, t.Any],
    endpoint: str,
    method: str,
    operation: dict[str, t.Any],
) -> None:
    responses: dict[str, t.Any] = operation.setdefault("responses", {})
    schedule = endpoint_deprecation(endpoint, method, app=facts.app)
    down = facts.maintenance and endpoint not in facts.exempt
    if schedule is not None and facts.gone(schedule):
        # The request check answers 410 before any hook or view runs; only
        # maintenance answers before it.
        kept = ("410", "503") if down else ("410",)
        responses = {key: responses[key] for key in kept if key in responses}
        responses.setdefault("410", _response(410))
        operation["responses"] = responses
    else:
        if schedule is not None and facts.enforce:
            if schedule.sunset is not None or schedule.brownouts:
                responses.setdefault("410", _response(410))
        if "requestBody" in operation:
            responses.setdefault("400", _response(400, BAD_JSON_EXAMPLE))
        if facts.limiter:
            responses.setdefault("429", _response(429, required=facts.retry_after))
    if down:
        # Maintenance answers first of all, also before a deprecated endpoint's 410.
        responses.setdefault("503", _response(503, required=facts.retry_after))
    own = _deprecation_headers(schedule)
    for key in list(responses):
        response = responses[key]
        names = _shared_headers(facts, key)
        ref = response.get("$ref") if isinstance(response, dict) else None
        if isinstance(ref, str):
            target = shared.get(ref[len(_RESPONSE_PREFIX) :])
            if not ref.startswith(_RESPONSE_PREFIX) or not isinstance(target, dict):
                continue  # not a response of this document: left as it is
            if own:
                # Headers of this operation alone: on a copy of its own.
                response = responses[key] = copy.deepcopy(target)
            else:
                response = target
        if isinstance(response, dict):
            _add_headers(response, names, required=False)
            _add_headers(response, own, required=True)


def _response(
    code: int, example: dict[str, t.Any] | None = None, *, required: bool = False
) -> dict[str, t.Any]:
    """A response object the extension adds: the envelope, with ``Retry-After``
    on 429 and 503 (required when the extension always sends it)."""
    response: dict[str, t.Any] = {
        "description": status_text(code),
        "content": {
            "application/json": {
                "schema": {"$ref": SCHEMA_REF},
                "example": example or envelope_example(code),
            }
        },
    }
    if code in (429, 503):
        _add_headers(response, ("Retry-After",), required=required)
    return response


def _shared_headers(facts: _App, key: str) -> list[str]:
    names = []
    if key in _AUTH_KEYS:
        names.append("WWW-Authenticate")
    if key in _RETRY_KEYS:
        names.append("Retry-After")
    if facts.babel and (key[:1] in ("4", "5") or key == "default"):
        names.append("Content-Language")
    return names


def _deprecation_headers(schedule: Deprecation | None) -> list[str]:
    if schedule is None:
        return []
    names = ["Deprecation"]
    if schedule.sunset is not None:
        names.append("Sunset")
    if schedule.link is not None:
        names.append("Link")
    return names


def _add_headers(
    response: dict[str, t.Any], names: t.Iterable[str], *, required: bool
) -> None:
    headers = None
    for name in names:
        if headers is None:
            headers = response.setdefault("headers", {})
        if not any(name.lower() == have.lower() for have in headers):
            header = copy.deepcopy(HEADERS[name])
            if required:
                header["required"] = True
            headers[name] = header
