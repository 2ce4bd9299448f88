"""Extra headers on an error: sent as given, or refused where they are passed."""

from __future__ import annotations

import typing as t

import pytest
from werkzeug.datastructures import Headers

from flask_status_envelope import abort_with, envelope_response


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (None, []),
        ({}, []),
        ({"X-A": "1", "Link": "</v2>; rel=successor-version"},
         [("X-A", "1"), ("Link", "</v2>; rel=successor-version")]),
        ([("X-A", "1"), ("X-A", "2")], [("X-A", "1"), ("X-A", "2")]),
        (Headers([("Allow", "GET"), ("X-B", "tab\tok")]),
         [("Allow", "GET"), ("X-B", "tab\tok")]),
        ({"X-Unicode": "naïve"}, [("X-Unicode", "naïve")]),
    ],
)  # fmt: skip
def test_valid_headers_are_sent_in_order_after_the_envelopes_own(
    headers: t.Any, expected: list[tuple[str, str]]
) -> None:
    response = envelope_response(403, headers=headers)
    assert response.headers.to_wsgi_list() == [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(response.data))),
        *expected,
    ]


@pytest.mark.parametrize(
    ("headers", "error", "match"),
    [
        ("X-A: 1", TypeError, "must be a mapping or a list of"),
        ([("X-A",)], TypeError, r"must be a \(name, value\) pair, got \('X-A',\)"),
        ({1: "x"}, TypeError, "header name must be a str, got 1"),
        ({"X A": "1"}, ValueError, "'X A' is not a valid HTTP field name"),
        ({"X-A:": "1"}, ValueError, "'X-A:' is not a valid HTTP field name"),
        ({"": "1"}, ValueError, "'' is not a valid HTTP field name"),
        ({"X-A": 1}, TypeError, "header 'X-A' must be a str, got int 1"),
        ({"X-A": "a\rb"}, ValueError, "CR, LF or other control character"),
        ({"X-A": "a\nb"}, ValueError, "CR, LF or other control character"),
        ({"X-A": "a\x00b"}, ValueError, "CR, LF or other control character"),
        ({"X-A": "a\x7fb"}, ValueError, "CR, LF or other control character"),
        ({"Content-Type": "text/html"}, ValueError,
         "'Content-Type' cannot be set on an error envelope"),
        ({"content-length": "1"}, ValueError, "'content-length' cannot be set"),
    ],
)  # fmt: skip
def test_invalid_headers_are_refused_at_the_call(
    headers: t.Any, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        abort_with(403, headers=headers)
