"""flask-smorest: an ``Api`` class whose OpenAPI document shows the envelope,
and a marshmallow schema of the envelope.

Its errors answer the envelope through
:class:`~flask_status_envelope.StatusEnvelope` itself
(``flask_status_envelope/integrations/smorest.py``).
"""

from __future__ import annotations

import functools
import typing as t

from .apispec import apispec_plugin
from .document import document_extension
from .schema import SCHEMA_REF


def smorest_api_class(base: type[t.Any] | None = None) -> type[t.Any]:
    """Return a subclass of ``flask_smorest.Api`` that documents the envelope.

    Its ``ERROR_SCHEMA`` (behind every error response component such as ``NOT_FOUND``
    and ``DEFAULT_ERROR``) is the envelope; the spec gets :func:`apispec_plugin`,
    so deprecated views are marked, and the document it serves (``api.spec.to_dict()``)
    lists what the extension answers to every operation (see
    :func:`document_extension`).

    .. code-block:: python

        Api = smorest_api_class()
        api = Api(app)

        @blp.alt_response(404, response="NOT_FOUND")

    The errors themselves are answered by
    :class:`~flask_status_envelope.StatusEnvelope` under any ``flask_smorest.Api``,
    created before or after it.

    :param base: The class to extend; ``flask_smorest.Api`` by default.

    .. versionchanged:: 0.2
        The class no longer overrides ``handle_http_exception``: the extension
        answers the errors of every ``Api``.

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
            # Every way flask-smorest serves the document (openapi.json, the
            # ``flask openapi`` commands) goes through api.spec.to_dict().
            spec, app = self.spec, self._app
            to_dict = spec.to_dict
            spec.to_dict = lambda: document_extension(to_dict(), app)

    return StatusEnvelopeApi


@functools.cache
def marshmallow_schema() -> type[t.Any]:
    """Return a marshmallow schema class describing the envelope, for tools that
    take marshmallow schemas (flask-smorest's ``ERROR_SCHEMA``, APIFlask's
    ``@app.output``). Made once.

    ``status.errors``, a list of ``{"field", "message"}`` objects, is optional, as
    in :data:`ENVELOPE_SCHEMA`.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
        The optional ``errors`` list.
    """
    import marshmallow as ma

    class FieldErrorSchema(ma.Schema):
        field = ma.fields.String(
            required=True,
            metadata={
                "description": (
                    "Dotted path of the field, starting with its location"
                    " (json.items.0.name); _schema for errors of no field."
                )
            },
        )
        message = ma.fields.String(
            required=True, metadata={"description": "What is wrong with it."}
        )

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
        errors = ma.fields.List(
            ma.fields.Nested(FieldErrorSchema),
            metadata={
                "description": (
                    "The validation errors, one per message, sorted by field."
                )
            },
        )

    class StatusEnvelopeSchema(ma.Schema):
        status = ma.fields.Nested(StatusSchema, required=True)

    return StatusEnvelopeSchema
