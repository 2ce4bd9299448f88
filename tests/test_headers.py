from __future__ import annotations

import pytest
from werkzeug.datastructures import Headers

from flask_status_envelope.headers import check_headers


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
def test_valid_headers_are_returned_as_pairs(
    headers: object, expected: list[tuple[str, str]]
) -> None:
    assert check_headers(headers) == expected  # type: ignore[arg-type]


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
def test_invalid_headers_are_refused(
    headers: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        check_headers(headers)  # type: ignore[arg-type]
