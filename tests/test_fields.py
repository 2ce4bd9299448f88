"""Validation errors of webargs and marshmallow, read into one message."""

from __future__ import annotations

import pytest

from flask_status_envelope.openapi import validation_message


@pytest.mark.parametrize(
    ("detail", "message"),
    [
        ({}, None),
        (None, None),
        ({"json": {"name": ["Missing data."]}}, "json.name: Missing data."),
        (
            {"json": {"a": ["x", "y"], "b": {"0": ["z"]}}, "query": {"q": ["w"]}},
            "json.a: x; json.a: y; json.b.0: z; query.q: w",
        ),
        (["plain"], "_schema: plain"),
    ],
)
def test_validation_message(detail: object, message: str | None) -> None:
    assert validation_message(detail) == message
