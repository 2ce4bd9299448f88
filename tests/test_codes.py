"""The status-code page: its copy, its texts and messages in every answer, and the
codes it does not list."""

from __future__ import annotations

import hashlib
import re
import typing as t
from pathlib import Path

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException

from flask_status_envelope import abort_with
from flask_status_envelope.codes import PAGE_MESSAGES, PAGE_TEXTS
from flask_status_envelope.testing import assert_envelope

from .conftest import envelope

DATA = Path(__file__).parent / "data" / "status-codes.txt"
# sha256 of the published status-code page, the contract this package follows (the
# project's shared/seed/status-codes.txt); tests/data/status-codes.txt is its copy.
PUBLISHED_PAGE_SHA256 = (
    "2c44357aded9347c790bcb3b660db939fc45782cffb29b218a911e36be56969d"
)
ROW = re.compile(r"^(\d{3}) \| (.+?) \| (.+?) \|$", re.MULTILINE)
# Sentences of the page that point at things an API using this extension does not
# have: examples of other messages, and a "Rate Limits" section.
NOT_DEFAULTS = re.compile(r" (Example messages include .*|See API Rate Limits .*)$")


def page_rows() -> list[tuple[int, str, str]]:
    text = DATA.read_text(encoding="utf-8")
    return [(int(code), name, desc) for code, name, desc in ROW.findall(text)]


def test_page_copy_lists_the_twelve_codes() -> None:
    assert [code for code, _, _ in page_rows()] == [
        200, 400, 401, 403, 404, 405, 410, 429, 500, 502, 503, 504,
    ]  # fmt: skip


def test_page_copy_is_the_published_page() -> None:
    assert hashlib.sha256(DATA.read_bytes()).hexdigest() == PUBLISHED_PAGE_SHA256


def test_texts_are_the_pages_text_column() -> None:
    expected = {code: name for code, name, _ in page_rows() if code >= 400}
    # PAGE_TEXTS and PAGE_MESSAGES are the expected values of other tests.
    assert PAGE_TEXTS == expected


def test_messages_are_the_pages_descriptions_without_examples() -> None:
    expected = {
        code: NOT_DEFAULTS.sub("", desc) for code, _, desc in page_rows() if code >= 400
    }
    assert PAGE_MESSAGES == expected


@pytest.mark.parametrize(
    ("code", "text", "message"),
    [
        (413, "Request Entity Too Large", "The data value transmitted exceeds the"
         " capacity limit."),
        (415, "Unsupported Media Type", "The server does not support the media type"
         " transmitted in the request."),
        # Werkzeug writes this one as HTML; the envelope carries plain text.
        (411, "Length Required", "A request with this method requires a valid"
         " Content-Length header."),
        (402, "Payment Required", "Payment Required"),
        (420, "Unknown Error", "Unknown Error"),
        (599, "Unknown Error", "Unknown Error"),
    ],
)  # fmt: skip
def test_codes_off_the_page_fall_back_to_werkzeug(
    app: Flask, client: FlaskClient, code: int, text: str, message: str
) -> None:
    @app.get("/fail")
    def fail() -> t.NoReturn:
        abort_with(code)

    assert assert_envelope(client.get("/fail"), code) == envelope(code, text, message)


@pytest.mark.parametrize("code", [400, 404, 451, 599])
def test_every_error_code_is_accepted(code: int) -> None:
    with pytest.raises(HTTPException) as raised:
        abort_with(code)
    assert raised.value.code == code


@pytest.mark.parametrize(
    ("code", "match"),
    [
        ("404", r"must be an int from 400 to 599, got '404' \(str\)"),
        (404.0, r"got 404\.0 \(float\)"),
        (True, r"got True \(bool\)"),
        (None, r"got None \(NoneType\)"),
        (200, r"error status from 400 to 599, got 200"),
        (399, r"got 399"),
        (600, r"got 600"),
    ],
)
def test_other_codes_are_refused_at_the_call(code: t.Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        abort_with(code)


PAGE_ERROR_ROWS = [row for row in page_rows() if row[0] >= 400]


@pytest.mark.parametrize(
    ("code", "text", "description"),
    PAGE_ERROR_ROWS,
    ids=[str(code) for code, _, _ in PAGE_ERROR_ROWS],
)
def test_every_page_code_has_the_pages_text_and_message(
    app: Flask, client: FlaskClient, code: int, text: str, description: str
) -> None:
    @app.get("/fail")
    def fail() -> t.NoReturn:
        abort(code)

    r = client.get("/fail")
    assert r.headers["Content-Type"] == "application/json"
    assert assert_envelope(r, code) == envelope(
        code, text, NOT_DEFAULTS.sub("", description)
    )
