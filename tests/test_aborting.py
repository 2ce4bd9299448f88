"""``abort_with``: Werkzeug's own exception for the code, with the message and
headers, refused at the call when the arguments are wrong."""

from __future__ import annotations

import copy
import gc
import pickle
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
    Unauthorized,
)

from flask_status_envelope import abort_with, exception_class
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
    def odd() -> t.NoReturn:
        abort_with(code, "Enhance your calm")

    @app.get("/odd-default")
    def odd_default() -> t.NoReturn:
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
    def odd() -> t.NoReturn:
        abort_with(420, "calm")

    r = client.get("/odd")
    assert (r.status_code, r.data) == (420, b"handled calm")


def test_default_message_when_none_is_given(app: Flask, client: FlaskClient) -> None:
    @app.get("/gone")
    def gone() -> t.NoReturn:
        abort_with(410)

    r = client.get("/gone")
    assert assert_envelope(r, 410) == envelope(410, "Gone", PAGE_MESSAGES[410])


def test_headers_reach_the_envelope(app: Flask, client: FlaskClient) -> None:
    @app.get("/me")
    def me() -> t.NoReturn:
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
    def me() -> t.NoReturn:
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
    args: tuple[t.Any, ...],
    kwargs: dict[str, t.Any],
    error: type[Exception],
    match: str,
) -> None:
    with pytest.raises(error, match=match):
        abort_with(*args, **kwargs)


CONTENT_TYPE = ("Content-Type", "text/html; charset=utf-8")


@pytest.mark.parametrize(
    ("args", "kwargs", "cls", "description", "headers"),
    [
        ((403, "Token is disabled"), {}, Forbidden, "Token is disabled",
         [CONTENT_TYPE]),
        ((404,), {}, NotFound, NotFound.description, [CONTENT_TYPE]),
        ((405, "Use GET."), {}, MethodNotAllowed, "Use GET.", [CONTENT_TYPE]),
        ((420, "Enhance your calm"), {}, exception_class(420), "Enhance your calm",
         [CONTENT_TYPE]),
        ((429,), {"retry_after": 30}, TooManyRequests, TooManyRequests.description,
         [CONTENT_TYPE, ("Retry-After", "30")]),
        ((401, "Log in."), {"headers": {"WWW-Authenticate": "Bearer"}}, Unauthorized,
         "Log in.", [CONTENT_TYPE, ("WWW-Authenticate", "Bearer")]),
        ((429,), {"retry_after": 30, "headers": {"X-Limit": "10"}}, TooManyRequests,
         TooManyRequests.description,
         [CONTENT_TYPE, ("Retry-After", "30"), ("X-Limit", "10")]),
    ],
)  # fmt: skip
def test_the_error_is_werkzeugs_class_with_werkzeugs_headers_then_the_given_ones(
    args: tuple[t.Any, ...],
    kwargs: dict[str, t.Any],
    cls: type[HTTPException],
    description: str,
    headers: list[tuple[str, str]],
) -> None:
    with pytest.raises(cls, match=f"^{args[0]} ") as raised:
        abort_with(*args, **kwargs)
    error = raised.value
    # With headers, a subclass of the same name: logs and reprs read as Werkzeug's.
    assert (type(error).__name__, error.code, error.description) == (
        cls.__name__,
        cls.code,
        description,
    )
    assert error.get_headers() == headers


def raised_by(code: int, **kwargs: t.Any) -> HTTPException:
    """The error ``abort_with(code, **kwargs)`` raises, without the test's frames."""
    with pytest.raises(HTTPException) as raised:
        abort_with(code, "Why", **kwargs)
    error = raised.value
    # The traceback holds this function's frame, which holds the error and its
    # ExceptionInfo: cycles of the test's making, not of the error's.
    del raised
    error.__traceback__ = None
    return error


def test_the_error_is_not_in_a_reference_cycle_with_its_headers() -> None:
    error = raised_by(429, retry_after=30, headers={"X-Limit": "10"})
    assert error.get_headers() == [
        CONTENT_TYPE,
        ("Retry-After", "30"),
        ("X-Limit", "10"),
    ]
    ref = weakref.ref(error)
    gc.disable()
    try:
        del error
        assert ref() is None  # freed by reference counting, without the collector
    finally:
        gc.enable()


def pickled(error: HTTPException) -> HTTPException:
    return t.cast(HTTPException, pickle.loads(pickle.dumps(error)))


@pytest.mark.parametrize("duplicate", [pickled, copy.copy, copy.deepcopy])
@pytest.mark.parametrize(
    ("code", "kwargs", "headers"),
    [
        (401, {"headers": {"WWW-Authenticate": "Bearer"}},
         [CONTENT_TYPE, ("WWW-Authenticate", "Bearer")]),
        (420, {"headers": [("X-A", "1"), ("X-A", "2")]},
         [CONTENT_TYPE, ("X-A", "1"), ("X-A", "2")]),
        (420, {}, [CONTENT_TYPE]),
        (429, {"retry_after": 30, "headers": {"X-Limit": "10"}},
         [CONTENT_TYPE, ("Retry-After", "30"), ("X-Limit", "10")]),
        # Werkzeug sends no Retry-After for 0: it is one of the extra headers.
        (503, {"retry_after": 0}, [CONTENT_TYPE, ("Retry-After", "0")]),
    ],
)  # fmt: skip
def test_the_error_pickles_and_copies_with_its_headers(
    duplicate: t.Callable[[HTTPException], HTTPException],
    code: int,
    kwargs: dict[str, t.Any],
    headers: list[tuple[str, str]],
) -> None:
    error = raised_by(code, **kwargs)
    copied = duplicate(error)
    assert copied is not error
    assert (type(copied), copied.code, copied.description) == (type(error), code, "Why")
    assert copied.get_headers() == error.get_headers() == headers
