"""The envelope in OpenAPI: its JSON Schema, and helpers for apispec, APIFlask and
flask-smorest.

Nothing here imports apispec, APIFlask, flask-smorest or marshmallow at module
level: each helper imports the library it is for when it is called, so the module
works with none of them installed. ``schema`` has the schema and response
objects; ``document`` adds what the extension answers to any document;
``apispec``, ``apiflask`` and ``smorest`` one library each.
"""

from __future__ import annotations

from ..fields import validation_message
from ..integrations.apiflask import apiflask_error_processor
from .apiflask import init_apiflask
from .apispec import (
    apispec_plugin,
    is_deprecated,
    mark_deprecated,
    openapi_path,
    register_apispec,
)
from .document import document_extension
from .schema import (
    ENVELOPE_SCHEMA,
    PROBLEM_SCHEMA,
    PROBLEM_SCHEMA_NAME,
    PROBLEM_SCHEMA_REF,
    SCHEMA_NAME,
    SCHEMA_REF,
    envelope_example,
    envelope_schema,
    error_responses,
    problem_example,
    problem_schema,
)
from .smorest import marshmallow_schema, smorest_api_class

__all__ = [
    "ENVELOPE_SCHEMA",
    "PROBLEM_SCHEMA",
    "PROBLEM_SCHEMA_NAME",
    "PROBLEM_SCHEMA_REF",
    "SCHEMA_NAME",
    "SCHEMA_REF",
    "apiflask_error_processor",
    "apispec_plugin",
    "document_extension",
    "envelope_example",
    "envelope_schema",
    "error_responses",
    "init_apiflask",
    "is_deprecated",
    "mark_deprecated",
    "marshmallow_schema",
    "openapi_path",
    "problem_example",
    "problem_schema",
    "register_apispec",
    "smorest_api_class",
    "validation_message",
]
