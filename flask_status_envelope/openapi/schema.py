"""The envelope's JSON Schema, examples and OpenAPI response objects.

Needs no OpenAPI library: these are plain dicts for any document.
"""

from __future__ import annotations

import copy
import typing as t
from collections.abc import Mapping

from ..codes import check_code, default_message, status_text
from ..fields import FieldError, summary
from ..problem import ABOUT_BLANK, MODES, PROBLEM_CONTENT_TYPE

#: component (``#/components/schemas/StatusEnvelope``).
SCHEMA_NAME = "StatusEnvelope"

#: The ``$ref`` of that component.
SCHEMA_REF = "#/components/schemas/StatusEnvelope"

#: The name of the component of :data:`PROBLEM_SCHEMA`.
#:
#: .. versionadded:: 0.2
PROBLEM_SCHEMA_NAME = "ProblemDetails"

#: The ``$ref`` of that component.
#:
#: .. versionadded:: 0.2
PROBLEM_SCHEMA_REF = "#/components/schemas/ProblemDetails"


#: JSON Schema (draft 2020-12, as OpenAPI 3.1 uses) of every body the extension
#: sends: exactly one ``status`` object with ``code``, ``text`` and ``message``,
#: ``errors`` for validation errors, and ``request_id`` with
#: ``STATUS_ENVELOPE_REQUEST_ID_IN_BODY``.
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
                "errors": {
                    "type": "array",
                    "description": (
                        "The validation errors, one per message, sorted by field."
                    ),
                    "items": {
                        "type": "object",
                        "properties": {
                            "field": {
                                "type": "string",
                                "description": (
                                    "Dotted path of the field, starting with its"
                                    " location (json.items.0.name); _schema for"
                                    " errors of no field."
                                ),
                            },
                            "message": {
                                "type": "string",
                                "description": "What is wrong with it.",
                            },
                        },
                        "required": ["field", "message"],
                        "additionalProperties": False,
                    },
                },
                "request_id": {
                    "type": "string",
                    "pattern": "^[A-Za-z0-9._:-]{1,128}$",
                    "description": (
                        "The request's id, as in its X-Request-ID header; only"
                        " with STATUS_ENVELOPE_REQUEST_ID_IN_BODY."
                    ),
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
        },
        {
            "status": {
                "code": 422,
                "text": "Unprocessable Entity",
                "message": "json.name: Missing data for required field.",
                "errors": [
                    {
                        "field": "json.name",
                        "message": "Missing data for required field.",
                    }
                ],
            }
        },
    ],
}

#: The field errors of the 422 example: a required field left out.
_EXAMPLE_ERRORS: list[FieldError] = [
    {"field": "json.name", "message": "Missing data for required field."}
]


def _problem_schema() -> dict[str, t.Any]:
    status = copy.deepcopy(ENVELOPE_SCHEMA["properties"]["status"]["properties"])
    # The envelope's members other than code, text and message are extension
    # members of a problem details object.
    extensions = {k: v for k, v in status.items() if k not in _FIXED_MEMBERS}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ProblemDetails",
        "description": "The body of an error response in application/problem+json"
        " (RFC 9457).",
        "type": "object",
        "properties": {
            "type": {
                "type": "string",
                "format": "uri-reference",
                "minLength": 1,
                "description": "The problem type; about:blank for a bare status.",
            },
            "title": status["text"],
            "status": status["code"],
            "detail": status["message"],
            **extensions,
        },
        "required": ["type", "title", "status", "detail"],
        "additionalProperties": False,
        "examples": [problem_example(401, "Invalid token.")],
    }


_FIXED_MEMBERS = ("code", "text", "message")


def problem_example(
    code: int, message: str | None = None, type_uri: str = ABOUT_BLANK
) -> dict[str, t.Any]:
    """Return an example problem details body for ``code``.

    :param code: The HTTP status, 400-599.
    :param message: The ``detail``; ``None`` uses the status page's default.
    :param type_uri: The ``type``.
    :raises ValueError: ``code`` is not an error status.

    .. versionadded:: 0.2
    """
    check_code(code)
    return {
        "type": type_uri,
        "title": status_text(code),
        "status": code,
        "detail": default_message(code) if message is None else message,
    }


def _is_openapi_30(openapi_version: str) -> bool:
    if not isinstance(openapi_version, str) or not openapi_version.startswith("3."):
        raise ValueError(
            f"openapi_version must be an OpenAPI 3 version such as '3.1.0' or"
            f" '3.0.3', got {openapi_version!r}."
        )
    return openapi_version.startswith("3.0")


def envelope_example(
    code: int,
    message: str | None = None,
    *,
    errors: t.Sequence[Mapping[str, object]] | None = None,
) -> dict[str, t.Any]:
    """Return an example envelope body for ``code``.

    .. code-block:: python

        envelope_example(422, errors=[{"field": "json.name", "message": "Required."}])
        # {"status": {"code": 422, "text": "Unprocessable Entity",
        #     "message": "json.name: Required.",
        #     "errors": [{"field": "json.name", "message": "Required."}]}}

    :param code: The HTTP status, 400-599.
    :param message: The message; ``None`` uses the summary of ``errors``, or the
        status page's default.
    :param errors: Field errors for the ``errors`` member, as the envelope of a
        validation error carries them.
    :raises ValueError: ``code`` is not an error status.

    .. versionadded:: 0.1
    .. versionchanged:: 0.2
        The ``errors`` parameter.
    """
    check_code(code)
    if message is None:
        fields = t.cast("t.Sequence[FieldError]", errors or ())
        message = summary(fields) if fields else default_message(code)
    status: dict[str, t.Any] = {
        "code": code,
        "text": status_text(code),
        "message": message,
    }
    if errors:
        status["errors"] = [dict(error) for error in errors]
    return {"status": status}


def envelope_schema(
    code: int | None = None, *, openapi_version: str = "3.1.0"
) -> dict[str, t.Any]:
    """Return a copy of :data:`ENVELOPE_SCHEMA` for an OpenAPI document.

    For OpenAPI 3.1 the schema is the JSON Schema itself. For OpenAPI 3.0, whose
    schema objects are an older dialect, ``$schema`` is dropped and ``examples``
    becomes ``example`` (the first example: a 401). With ``code``, ``status.code``
    and ``status.text`` are pinned to that code and its reason phrase, and the
    example is of that code (with ``errors`` for 422).

    :param code: Pin the schema to one status, or ``None`` for any error.
    :param openapi_version: The ``openapi`` version of the document.
    :raises ValueError: ``code`` is not an error status, or ``openapi_version`` is
        not an OpenAPI 3 version.

    .. versionadded:: 0.1
    """
    is_30 = _is_openapi_30(openapi_version)
    schema = copy.deepcopy(ENVELOPE_SCHEMA)
    if code is not None:
        # A 422 is a validation error: its example shows the field errors.
        example = envelope_example(
            code, errors=_EXAMPLE_ERRORS if code == 422 else None
        )
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


def problem_schema(
    code: int | None = None, *, openapi_version: str = "3.1.0"
) -> dict[str, t.Any]:
    """Return a copy of :data:`PROBLEM_SCHEMA` for an OpenAPI document.

    As :func:`envelope_schema`: the dialect of ``openapi_version``, and with
    ``code``, ``status`` and ``title`` pinned to that code and its reason phrase.

    :param code: Pin the schema to one status, or ``None`` for any error.
    :param openapi_version: The ``openapi`` version of the document.
    :raises ValueError: ``code`` is not an error status, or ``openapi_version`` is
        not an OpenAPI 3 version.

    .. versionadded:: 0.2
    """
    is_30 = _is_openapi_30(openapi_version)
    schema = copy.deepcopy(PROBLEM_SCHEMA)
    if code is not None:
        props = schema["properties"]
        for name, value in (("status", code), ("title", status_text(code))):
            props[name] = {**props[name], **_pinned(value, is_30)}
        schema["examples"] = [problem_example(code)]
    if is_30:
        del schema["$schema"]
        schema["example"] = schema.pop("examples")[0]
    return schema


def _pinned(value: object, is_30: bool) -> dict[str, t.Any]:
    return {"enum": [value]} if is_30 else {"const": value}


def error_responses(
    *codes: int,
    schema_ref: str = SCHEMA_REF,
    messages: Mapping[int, str] | None = None,
    problem_details: bool | str = False,
    problem_schema_ref: str = PROBLEM_SCHEMA_REF,
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

    With ``problem_details``, the responses document
    ``application/problem+json`` too (refer to :data:`PROBLEM_SCHEMA`): ``True``
    or ``"negotiate"`` both media types, ``"always"`` problem+json only,
    ``False`` or ``"never"`` the envelope only. Pass
    ``app.config["STATUS_ENVELOPE_PROBLEM_DETAILS"]`` to document what the app
    sends.

    :param codes: HTTP statuses from 400 to 599.
    :param schema_ref: The ``$ref`` of the envelope schema component.
    :param messages: Example messages per code, instead of the defaults.
    :param problem_details: Which media types to document, as above.
    :param problem_schema_ref: The ``$ref`` of the problem details component.
    :raises ValueError: A code is not an error status, or ``problem_details`` is
        none of the values above.

    .. versionadded:: 0.1

    .. versionchanged:: 0.2
        The ``problem_details`` and ``problem_schema_ref`` parameters.
    """
    mode = problem_details
    if isinstance(mode, bool):
        mode = "negotiate" if mode else "never"
    if mode not in MODES:
        raise ValueError(
            f"problem_details must be True, False or a STATUS_ENVELOPE_PROBLEM_DETAILS"
            f" value ('negotiate', 'always', 'never'), got {problem_details!r}."
        )
    responses: dict[str, dict[str, t.Any]] = {}
    for code in codes:
        message = messages.get(code) if messages else None
        content = {}
        if mode != "always":
            content["application/json"] = {
                "schema": {"$ref": schema_ref},
                "example": envelope_example(code, message),
            }
        if mode != "never":
            content[PROBLEM_CONTENT_TYPE] = {
                "schema": {"$ref": problem_schema_ref},
                "example": problem_example(code, message),
            }
        responses[str(code)] = {
            "description": status_text(check_code(code)),
            "content": content,
        }
    return responses


#: JSON Schema (draft 2020-12) of the ``application/problem+json`` bodies (RFC
#: 9457): ``type``, ``title``, ``status`` and ``detail``, and as extension members
#: the envelope's ``errors`` and ``request_id`` when it has them.
#:
#: .. versionadded:: 0.2
PROBLEM_SCHEMA: dict[str, t.Any] = _problem_schema()
