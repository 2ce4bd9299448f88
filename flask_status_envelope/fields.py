"""Validation errors of webargs and marshmallow, read into one message."""

from __future__ import annotations

from collections.abc import Mapping


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
