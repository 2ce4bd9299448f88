"""The envelope in OpenAPI: its JSON Schema and helpers for apispec, APIFlask and
flask-smorest.

Nothing here imports apispec, APIFlask, flask-smorest or marshmallow at module
level: each helper imports the library it is for when it is called, so the module
works with none of them installed.
"""

from __future__ import annotations

import copy
import re
import typing as t
from collections.abc import Mapping

from flask import Flask, Response, current_app
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from .codes import check_code, default_message, status_text
from .deprecation import endpoint_deprecation, view_deprecation
from .envelope import envelope_response, exception_headers

#: The name under which the helpers register :data:`ENVELOPE_SCHEMA` as a schema
#: component (``#/components/schemas/StatusEnvelope``).
SCHEMA_NAME = "StatusEnvelope"

#: The ``$ref`` of that component.
SCHEMA_REF = "#/components/schemas/StatusEnvelope"

# A variable part of a Werkzeug rule: <name>, <converter:name>, <conv(args):name>.
_RULE_VARIABLE = re.compile(r"<(?:[^>]*:)?([^>:]+)>")

_OPENAPI_METHODS = ("get", "put", "post", "delete", "patch", "trace")

#: JSON Schema (draft 2020-12, as OpenAPI 3.1 uses) of every body the extension
#: sends: exactly one ``status`` object with exactly ``code``, ``text`` and
#: ``message``.
ENVELOPE_SCHEMA: dict[str, t.Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "StatusEnvelope",
    "description": "The body of every error response.",
    "type": "object",
    "properties": {
        "status": {
            "type": "object",
            "properties": {
                "code": {
                    "type": "integer",
                    "minimum": 400,
                    "maximum": 599,
                    "description": "The HTTP status of the response.",
                },
                "text": {
                    "type": "string",
                    "minLength": 1,
                    "description": "The reason phrase of the status.",
                },
                "message": {
                    "type": "string",
                    "description": "Why the request failed, for people.",
                },
            },
            "required": ["code", "text", "message"],
            "additionalProperties": False,
        }
    },
    "required": ["status"],
    "additionalProperties": False,
    "examples": [
        {
            "status": {
                "code": 401,
                "text": "Unauthorized",
                "message": "Invalid token.",
            }
        }
    ],
}


def _is_openapi_30(openapi_version: str) -> bool:
    if not isinstance(openapi_version, str) or not openapi_version.startswith("3."):
        raise ValueError(
            f"openapi_version must be an OpenAPI 3 version such as '3.1.0' or"
            f" '3.0.3', got {openapi_version!r}."
        )
    return openapi_version.startswith("3.0")


def envelope_example(code: int, message: str | None = None) -> dict[str, t.Any]:
    """Return an example envelope body for ``code``.

    :param code: The HTTP status, 400-599.
    :param message: The message; ``None`` uses the status page's default.
    :raises ValueError: ``code`` is not an error status.

    .. versionadded:: 0.1
    """
    check_code(code)
    return {
        "status": {
            "code": code,
            "text": status_text(code),
            "message": default_message(code) if message is None else message,
        }
    }


def envelope_schema(
    code: int | None = None, *, openapi_version: str = "3.1.0"
) -> dict[str, t.Any]:
    """Return a copy of :data:`ENVELOPE_SCHEMA` for an OpenAPI document.

    For OpenAPI 3.1 the schema is the JSON Schema itself. For OpenAPI 3.0, whose
    schema objects are an older dialect, ``$schema`` is dropped and ``examples``
    becomes ``example``. With ``code``, ``status.code`` and ``status.text`` are
    pinned to that code and its reason phrase.

    :param code: Pin the schema to one status, or ``None`` for any error.
    :param openapi_version: The ``openapi`` version of the document.
    :raises ValueError: ``code`` is not an error status, or ``openapi_version`` is
        not an OpenAPI 3 version.

    .. versionadded:: 0.1
    """
    is_30 = _is_openapi_30(openapi_version)
    schema = copy.deepcopy(ENVELOPE_SCHEMA)
    if code is not None:
        example = envelope_example(code)
        props = schema["properties"]["status"]["properties"]
        if is_30:
            props["code"]["enum"] = [code]
            props["text"]["enum"] = [status_text(code)]
        else:
            props["code"]["const"] = code
            props["text"]["const"] = status_text(code)
        schema["examples"] = [example]
    if is_30:
        del schema["$schema"]
        schema["example"] = schema.pop("examples")[0]
    return schema


def error_responses(
    *codes: int,
    schema_ref: str = SCHEMA_REF,
    messages: Mapping[int, str] | None = None,
) -> dict[str, dict[str, t.Any]]:
    """Return OpenAPI response objects for the error ``codes`` of an operation.

    Each response is described by its reason phrase and refers to the envelope
    schema component, with an example carrying the default message (or the one
    in ``messages``).

    .. code-block:: python

        error_responses(404, 410)
        # {"404": {"description": "Not Found", "content": {"application/json":
        #     {"schema": {"$ref": "#/components/schemas/StatusEnvelope"},
        #      "example": {"status": {"code": 404, ...}}}}}, "410": {...}}

    :param codes: HTTP statuses from 400 to 599.
    :param schema_ref: The ``$ref`` of the envelope schema component.
    :param messages: Example messages per code, instead of the defaults.
    :raises ValueError: A code is not an error status.

    .. versionadded:: 0.1
    """
    responses: dict[str, dict[str, t.Any]] = {}
    for code in codes:
        message = messages.get(code) if messages else None
        responses[str(code)] = {
            "description": status_text(check_code(code)),
            "content": {
                "application/json": {
                    "schema": {"$ref": schema_ref},
                    "example": envelope_example(code, message),
                }
            },
        }
    return responses


def is_deprecated(view: object, method: str = "GET") -> bool:
    """Tell whether ``view`` is marked by :func:`~flask_status_envelope.deprecated`.

    For a :class:`~flask.views.MethodView`, the method for ``method`` is looked at
    first, then the class. A blueprint-wide deprecation is not seen from the view
    alone; :func:`mark_deprecated` takes it into account through
    :func:`~flask_status_envelope.endpoint_deprecation`.

    :param view: A view function or ``View.as_view()`` result.
    :param method: The HTTP method.

    .. versionadded:: 0.1
    """
    return view_deprecation(view, method) is not None


def openapi_path(rule: str) -> str:
    """Return the OpenAPI path of a Werkzeug rule: ``/users/<int:id>`` becomes
    ``/users/{id}``.

    :param rule: A URL rule as written in ``@app.route``.

    .. versionadded:: 0.1
    """
    # Werkzeug's own rule parser is private.
    return _RULE_VARIABLE.sub(lambda m: "{" + m.group(1).strip() + "}", rule)


def mark_deprecated(spec: dict[str, t.Any], app: Flask) -> dict[str, t.Any]:
    """Set ``deprecated: true`` on the operations of ``spec`` served by deprecated
    views of ``app``, and return ``spec``.

    Works on any OpenAPI document as a dict, whatever produced it: apispec's
    ``spec.to_dict()``, an APIFlask ``spec_processor``, flask-smorest's
    ``api.spec.to_dict()``.

    :param spec: The OpenAPI document; changed in place.
    :param app: The app whose URL map and view functions are read.

    .. versionadded:: 0.1
    """
    paths = spec.get("paths") or {}
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        item = paths.get(openapi_path(rule.rule))
        if view is None or item is None:
            continue
        for method in rule.methods or ():
            operation = item.get(method.lower())
            if operation is not None and endpoint_deprecation(
                rule.endpoint, method, app=app
            ):
                operation["deprecated"] = True
    return spec


def register_apispec(spec: t.Any, *, name: str = SCHEMA_NAME) -> None:
    """Register the envelope schema as the component ``name`` of an apispec
    :class:`~apispec.APISpec`, in the dialect of its OpenAPI version.

    Refer to it with :func:`error_responses` in an operation's ``responses``.

    :param spec: An :class:`apispec.APISpec`.
    :param name: The component name.

    .. versionadded:: 0.1
    """
    spec.components.schema(
        name, envelope_schema(openapi_version=str(spec.openapi_version))
    )


def apispec_plugin(app: Flask | None = None) -> t.Any:
    """Return an apispec plugin that registers the envelope schema component and
    marks operations of deprecated views ``deprecated: true``.

    The view of an operation is the ``view=`` argument of ``spec.path()`` (as
    apispec-webframeworks' Flask plugin passes it), else the view function of the
    ``rule=`` argument (as flask-smorest passes it) looked up in ``app``.

    .. code-block:: python

        spec = APISpec("API", "1.0", "3.1.0", plugins=[apispec_plugin(app)])

    :param app: The app whose view functions are looked up by rule.

    .. versionadded:: 0.1
    """
    from apispec import BasePlugin

    view_functions = app.view_functions if app is not None else {}

    class StatusEnvelopePlugin(BasePlugin):
        def init_spec(self, spec: t.Any) -> None:
            super().init_spec(spec)
            register_apispec(spec)

        def operation_helper(
            self,
            path: str | None = None,
            operations: dict[str, t.Any] | None = None,
            **kwargs: t.Any,
        ) -> None:
            view = kwargs.get("view")
            rule = kwargs.get("rule")
            if not operations:
                return
            for method, operation in operations.items():
                if method in _OPENAPI_METHODS and _deprecated(view, rule, method):
                    operation["deprecated"] = True

    def _deprecated(view: t.Any, rule: t.Any, method: str) -> bool:
        # With the rule, blueprint-wide deprecations count too.
        if rule is not None and rule.endpoint in view_functions and app is not None:
            return endpoint_deprecation(rule.endpoint, method, app=app) is not None
        return view is not None and is_deprecated(view, method)

    return StatusEnvelopePlugin()


# -- APIFlask ---------------------------------------------------------------------


def _join_errors(detail: object, prefix: str = "") -> list[str]:
    # {"json": {"name": ["Missing data."]}} -> ["json.name: Missing data."]
    if isinstance(detail, Mapping):
        lines: list[str] = []
        for key, value in detail.items():
            lines.extend(_join_errors(value, f"{prefix}.{key}" if prefix else str(key)))
        return lines
    if isinstance(detail, (list, tuple)):
        return [line for item in detail for line in _join_errors(item, prefix)]
    return [f"{prefix}: {detail}" if prefix else str(detail)]


def validation_message(detail: object) -> str | None:
    """Return one message from the validation errors of webargs/marshmallow, or
    ``None`` when there are none.

    ``{"json": {"name": ["Missing data for required field."]}}`` becomes
    ``"json.name: Missing data for required field."``; several errors are joined
    with ``"; "``.

    :param detail: Errors by location and field, as webargs reports them.

    .. versionadded:: 0.1
    """
    if not detail:
        return None
    return "; ".join(_join_errors(detail))


def apiflask_error_processor(error: t.Any) -> Response:
    """APIFlask error processor answering ``apiflask.HTTPError`` with the
    envelope.

    The message is the one given to ``HTTPError``/``abort``, or the validation
    errors of the request joined into one line (see :func:`validation_message`), or
    the app's default message for the code. :func:`init_apiflask` registers it.

    :param error: The ``apiflask.HTTPError``.

    .. versionadded:: 0.1
    """
    code = error.status_code
    message = validation_message(error.detail)
    if message is None and error.message != HTTP_STATUS_CODES.get(code):
        # APIFlask fills ``message`` with Werkzeug's reason phrase when none was
        # given; that is no reason, so the default message is sent instead.
        message = error.message
    return envelope_response(code, message, headers=error.headers or None)


def init_apiflask(app: t.Any) -> None:
    """Make an ``apiflask.APIFlask`` app answer and document the envelope.

    Call it after :class:`~flask_status_envelope.StatusEnvelope` was initialised on
    the app. It

    - answers Werkzeug errors with the extension's own handler, so
      ``abort(404, "why")`` keeps "why" (APIFlask's would send the reason phrase);
    - registers :func:`apiflask_error_processor` for ``HTTPError``, ``abort`` and
      validation errors;
    - sets ``HTTP_ERROR_SCHEMA`` and ``VALIDATION_ERROR_SCHEMA`` to the envelope
      schema, so every documented error response shows the envelope;
    - adds a ``spec_processor`` that adds the ``StatusEnvelope`` schema component
      (which :func:`error_responses` refers to) and marks deprecated views (see
      :func:`mark_deprecated`), after any processor already set.

    :param app: An ``apiflask.APIFlask`` app with the extension.
    :raises RuntimeError: :class:`~flask_status_envelope.StatusEnvelope` is not
        initialised on the app.

    .. versionadded:: 0.1
    """
    state = app.extensions.get("status_envelope")
    if state is None:
        raise RuntimeError(
            "init_apiflask() needs StatusEnvelope on the app. Call"
            " StatusEnvelope(app) or status_envelope.init_app(app) first."
        )
    app.register_error_handler(HTTPException, state.handle_http_exception)
    app.error_processor(apiflask_error_processor)
    schema = envelope_schema(openapi_version=app.config["OPENAPI_VERSION"])
    app.config["HTTP_ERROR_SCHEMA"] = schema
    app.config["VALIDATION_ERROR_SCHEMA"] = schema
    previous = getattr(app, "spec_callback", None)

    def mark(spec: t.Any) -> t.Any:
        if previous is not None:
            spec = previous(spec)
        if isinstance(spec, dict):
            # The target of error_responses()' references.
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            schemas.setdefault(SCHEMA_NAME, copy.deepcopy(schema))
            mark_deprecated(spec, app)
        return spec

    app.spec_processor(mark)


# -- flask-smorest ----------------------------------------------------------------


def smorest_api_class(base: type[t.Any] | None = None) -> type[t.Any]:
    """Return a subclass of ``flask_smorest.Api`` that answers and documents the
    envelope.

    Its ``handle_http_exception`` sends the envelope, with the message given to
    flask-smorest's ``abort(code, message=...)`` or the request's validation
    errors joined into one line; its ``ERROR_SCHEMA`` (behind every error response
    component such as ``NOT_FOUND`` and ``DEFAULT_ERROR``) is the envelope; the
    spec gets :func:`apispec_plugin`, so deprecated views are marked.

    .. code-block:: python

        Api = smorest_api_class()
        api = Api(app)  # after StatusEnvelope(app)

        @blp.alt_response(404, response="NOT_FOUND")

    :param base: The class to extend; ``flask_smorest.Api`` by default.

    .. versionadded:: 0.1
    """
    if base is None:
        from flask_smorest import Api  # type: ignore[import-untyped]

        base = Api

    class StatusEnvelopeApi(base):  # type: ignore[valid-type,misc]
        # A reference to the component the plugin registers: the JSON Schema is
        # stricter than what marshmallow can say (no other keys allowed).
        ERROR_SCHEMA = {"$ref": SCHEMA_REF}

        def _init_spec(self, **kwargs: t.Any) -> None:
            plugins = list(kwargs.pop("extra_plugins", None) or ())
            plugins.append(apispec_plugin(self._app))
            super()._init_spec(extra_plugins=plugins, **kwargs)

        def handle_http_exception(self, error: HTTPException) -> t.Any:
            state = current_app.extensions.get("status_envelope")
            data = getattr(error, "data", None) or {}
            message = data.get("message")
            if message is None:
                message = validation_message(data.get("errors") or data.get("messages"))
            elif not isinstance(message, str):
                # webargs lets abort() carry any object as its message.
                message = validation_message(message) or str(message)
            if state is None:
                return super().handle_http_exception(error)
            extra = data.get("headers") or {}
            if message is None and not extra:
                return state.handle_http_exception(error)
            headers = [*exception_headers(error), *dict(extra).items()]
            return envelope_response(
                t.cast(int, error.code),
                message if message is not None else error.description,
                headers=headers,
            )

    return StatusEnvelopeApi


_MARSHMALLOW_SCHEMA: list[type[t.Any]] = []


def marshmallow_schema() -> type[t.Any]:
    """Return a marshmallow schema class describing the envelope, for tools that
    take marshmallow schemas (flask-smorest's ``ERROR_SCHEMA``, APIFlask's
    ``@app.output``). Made once.

    .. versionadded:: 0.1
    """
    if not _MARSHMALLOW_SCHEMA:
        import marshmallow as ma

        class StatusSchema(ma.Schema):
            code = ma.fields.Integer(
                required=True,
                validate=ma.validate.Range(400, 599),
                metadata={"description": "The HTTP status of the response."},
            )
            text = ma.fields.String(
                required=True,
                validate=ma.validate.Length(min=1),
                metadata={"description": "The reason phrase of the status."},
            )
            message = ma.fields.String(
                required=True,
                metadata={"description": "Why the request failed, for people."},
            )

        class StatusEnvelopeSchema(ma.Schema):
            status = ma.fields.Nested(StatusSchema, required=True)

        _MARSHMALLOW_SCHEMA.append(StatusEnvelopeSchema)
    return _MARSHMALLOW_SCHEMA[0]


__all__ = [
    "ENVELOPE_SCHEMA",
    "SCHEMA_NAME",
    "SCHEMA_REF",
    "apiflask_error_processor",
    "apispec_plugin",
    "envelope_example",
    "envelope_schema",
    "error_responses",
    "init_apiflask",
    "is_deprecated",
    "mark_deprecated",
    "marshmallow_schema",
    "openapi_path",
    "register_apispec",
    "smorest_api_class",
    "validation_message",
]
