from __future__ import annotations

import gc
import typing as t
import weakref

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import (
    Forbidden,
    HTTPException,
    MethodNotAllowed,
    NotFound,
    TooManyRequests,
)

from flask_status_envelope import abort_with
from flask_status_envelope.aborting import exception_class, make_error
from flask_status_envelope.codes import PAGE_MESSAGES
from flask_status_envelope.testing import assert_envelope

from .conftest import envelope


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (403, Forbidden),
        (404, NotFound),
        (405, MethodNotAllowed),
        (429, TooManyRequests),
    ],
)
def test_raises_werkzeugs_own_class(code: int, cls: type[HTTPException]) -> None:
    with pytest.raises(cls, match=": Why$") as info:
        abort_with(code, "Why")
    assert type(info.value) is cls
    assert (info.value.code, info.value.description) == (code, "Why")


def test_method_not_allowed_gets_the_message_not_valid_methods() -> None:
    # MethodNotAllowed(valid_methods, description): a positional message would become
    # the Allow header.
    with pytest.raises(MethodNotAllowed, match=": Use POST$") as info:
        abort_with(405, "Use POST")
    assert (info.value.valid_methods, info.value.description) == (None, "Use POST")


@pytest.mark.parametrize(
    ("code", "text"), [(420, "Unknown Error"), (599, "Unknown Error")]
)
def test_codes_without_a_werkzeug_class(
    app: Flask, client: FlaskClient, code: int, text: str
) -> None:
    @app.get("/odd")
    def odd() -> None:
        abort_with(code, "Enhance your calm")

    @app.get("/odd-default")
    def odd_default() -> None:
        abort_with(code)

    r = client.get("/odd")
    assert assert_envelope(r, code) == envelope(code, text, "Enhance your calm")
    r = client.get("/odd-default")
    assert assert_envelope(r, code) == envelope(code, text, text)
    assert exception_class(code) is exception_class(code)
    assert issubclass(exception_class(code), HTTPException)


def test_app_handlers_for_the_class_see_the_error(
    app: Flask, client: FlaskClient
) -> None:
    # Flask refuses @errorhandler(420): Werkzeug has no class for it. The class
    # abort_with raises is the one to register.
    @app.errorhandler(exception_class(420))
    def calm(e: HTTPException) -> tuple[str, int]:
        return f"handled {e.description}", 420

    @app.get("/odd")
    def odd() -> None:
        abort_with(420, "calm")

    r = client.get("/odd")
    assert (r.status_code, r.data) == (420, b"handled calm")


def test_default_message_when_none_is_given(app: Flask, client: FlaskClient) -> None:
    @app.get("/gone")
    def gone() -> None:
        abort_with(410)

    r = client.get("/gone")
    assert assert_envelope(r, 410) == envelope(410, "Gone", PAGE_MESSAGES[410])


def test_headers_reach_the_envelope(app: Flask, client: FlaskClient) -> None:
    @app.get("/me")
    def me() -> None:
        abort_with(
            401,
            "Invalid token.",
            headers=[
                ("WWW-Authenticate", 'Bearer error="invalid_token"'),
                ("X-A", "1"),
            ],
        )

    r = client.get("/me")
    assert r.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert r.headers["X-A"] == "1"
    assert assert_envelope(r, 401) == envelope(401, "Unauthorized", "Invalid token.")


def test_headers_reach_werkzeugs_page_in_an_app_without_the_extension() -> None:
    app = Flask(__name__)

    @app.get("/me")
    def me() -> None:
        abort_with(401, "Invalid token.", headers={"WWW-Authenticate": "Bearer"})

    r = app.test_client().get("/me")
    assert (r.status_code, r.mimetype) == (401, "text/html")
    assert r.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (("403",), {}, ValueError, r"int from 400 to 599, got '403' \(str\)"),
        ((True,), {}, ValueError, r"got True \(bool\)"),
        ((302,), {}, ValueError, "error status from 400 to 599, got 302"),
        ((600,), {}, ValueError, "got 600"),
        ((403.0,), {}, ValueError, r"got 403\.0 \(float\)"),
        ((403, b"Token is disabled"), {}, TypeError,
         r"message must be a str or None, got bytes b'Token is disabled'\. Decode"),
        ((403, 42), {}, TypeError, "message must be a str or None, got int 42"),
        ((403,), {"headers": {"X-A": "1\r\nSet-Cookie: a=b"}}, ValueError,
         "header 'X-A' contains a CR, LF or other control character"),
        ((429,), {"headers": {"Retry-After": "1"}, "retry_after": 2}, ValueError,
         "Retry-After was given twice"),
    ],
)  # fmt: skip
def test_bad_use_fails_at_the_call(
    args: tuple[object, ...],
    kwargs: dict[str, object],
    error: type[Exception],
    match: str,
) -> None:
    with pytest.raises(error, match=match):
        abort_with(*args, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((403, "Token is disabled"), {}),
        ((404,), {}),
        ((405, "Use GET."), {}),
        ((420, "Enhance your calm"), {}),
        ((429,), {"retry_after": 30}),
        ((401, "Log in."), {"headers": {"WWW-Authenticate": "Bearer"}}),
    ],
)
def test_fast_and_checked_paths_raise_the_same_error(
    args: tuple[int, ...], kwargs: dict[str, t.Any]
) -> None:
    with pytest.raises(HTTPException, match=f"^{args[0]} ") as raised:
        abort_with(*args, **kwargs)
    made = make_error(*args, **kwargs)
    error = raised.value
    assert (type(error), error.code, error.description) == (
        type(made),
        made.code,
        made.description,
    )
    assert error.get_headers() == made.get_headers()


def test_the_error_is_not_in_a_reference_cycle_with_its_headers() -> None:
    error = make_error(429, retry_after=30, headers={"X-Limit": "10"})
    assert error.get_headers() == [
        ("Content-Type", "text/html; charset=utf-8"),
        ("X-Limit", "10"),
        ("Retry-After", "30"),
    ]
    ref = weakref.ref(error)
    gc.disable()
    try:
        del error
        assert ref() is None  # freed by reference counting, without the collector
    finally:
        gc.enable()
