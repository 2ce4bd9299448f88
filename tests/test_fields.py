"""Field errors: paths, order and summary (fields.py), with plain data."""

from __future__ import annotations

import typing as t
from collections import UserString

import pytest

from flask_status_envelope.fields import (
    INVALID_VALUE,
    field_errors,
    location_errors,
    sort_key,
    summary,
)
from flask_status_envelope.openapi import validation_message


def pairs(errors: list[t.Any]) -> list[tuple[str, str]]:
    return [(error["field"], error["message"]) for error in errors]


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        (
            {
                "query": {"page": ["Not a valid integer."]},
                "json": ["Invalid JSON body."],
            },
            [
                ("json._schema", "Invalid JSON body."),
                ("query.page", "Not a valid integer."),
            ],
        ),
        # APIFlask's pydantic adapter reports dotted keys already.
        (
            {
                "json": {
                    "items.10.name": ["Field required"],
                    "items.2.name": ["Field required"],
                }
            },
            [
                ("json.items.2.name", "Field required"),
                ("json.items.10.name", "Field required"),
            ],
        ),
        (
            {"json": {"_schema": ["Invalid input type."]}},
            [("json._schema", "Invalid input type.")],
        ),
        ({}, []),
        (["Invalid input."], [("_schema", "Invalid input.")]),
    ],
)
def test_location_errors(messages: object, expected: list[tuple[str, str]]) -> None:
    assert pairs(location_errors(messages)) == expected


class Thing:
    def __str__(self) -> str:
        return "<Thing at 0xdeadbeef>"


@pytest.mark.parametrize(
    ("detail", "expected"),
    [
        ({"name": [UserString("Too short.")]}, [("name", "Too short.")]),
        ({"name": [Thing()]}, [("name", INVALID_VALUE)]),
        ({"name": [b"bytes"]}, [("name", INVALID_VALUE)]),
        ({"name": [True]}, [("name", INVALID_VALUE)]),
        ({"name": [None, "x"]}, [("name", "x")]),
        ({"limit": [5]}, [("limit", "5")]),
        ({"name": "Not a list."}, [("name", "Not a list.")]),
        ("One message.", [("_schema", "One message.")]),
        ({"name": []}, []),
        ({"a": [{"b": ["deep"]}]}, [("a.b", "deep")]),
    ],
)
def test_leaves(detail: object, expected: list[tuple[str, str]]) -> None:
    assert pairs(field_errors(detail)) == expected


# -- order and summary ----------------------------------------------------------------


def test_one_field_keeps_the_library_order() -> None:
    detail = {"b": ["1"], "a": ["3", "2"], "a.0": ["4"]}
    assert pairs(field_errors(detail)) == [
        ("a", "3"),
        ("a", "2"),
        ("a.0", "4"),
        ("b", "1"),
    ]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (["items.10", "items.2", "items.1"], ["items.1", "items.2", "items.10"]),
        (["items.name", "items.0"], ["items.0", "items.name"]),
        (
            ["json.b", "query.a", "json.a.1", "json"],
            ["json", "json.a.1", "json.b", "query.a"],
        ),
        (["a.10.b", "a.9.c"], ["a.9.c", "a.10.b"]),
    ],
)
def test_sort_key(fields: list[str], expected: list[str]) -> None:
    assert sorted(fields, key=sort_key) == expected


@pytest.mark.parametrize(
    ("errors", "expected"),
    [
        ([], ""),
        (
            [{"field": "json.name", "message": "Missing data for required field."}],
            "json.name: Missing data for required field.",
        ),
        (
            [
                {"field": "json.items.2.name", "message": "Field required"},
                {"field": "json.items.10.name", "message": "Field required"},
                {"field": "_schema", "message": "Bad."},
            ],
            "json.items.2.name: Field required; json.items.10.name: Field required;"
            " _schema: Bad.",
        ),
    ],
)
def test_summary(errors: list[t.Any], expected: str) -> None:
    assert summary(errors) == expected


def test_summary_of_the_issue_example() -> None:
    errors = location_errors({"json": {"name": ["Missing data for required field."]}})
    assert errors == [
        {"field": "json.name", "message": "Missing data for required field."}
    ]
    assert summary(errors) == "json.name: Missing data for required field."


# -- validation_message -----------------------------------------------------------


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
