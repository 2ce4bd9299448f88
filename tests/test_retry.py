"""``retry_after=``: the ``Retry-After`` header and Werkzeug's ``retry_after``."""

from __future__ import annotations

import typing as t
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import ServiceUnavailable, TooManyRequests

from flask_status_envelope import abort_with
from flask_status_envelope.testing import assert_envelope

from .conftest import envelope

UTC = timezone.utc
TEXTS = {429: "Too Many Requests", 503: "Service Unavailable"}
PAGE_429 = "The request limit has been exceeded. Try again later."
PAGE_503 = (
    "The server is temporarily unavailable, usually due to maintenance or overload."
)


def retry_after_sent(app: Flask, client: FlaskClient, value: t.Any) -> list[str]:
    """The ``Retry-After`` headers of the 429 ``abort_with(..., retry_after=value)``
    answers."""

    @app.get("/wait")
    def wait() -> t.NoReturn:
        abort_with(429, retry_after=value)

    return client.get("/wait").headers.getlist("Retry-After")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (7, "7"),
        (86400 * 365, "31536000"),
        (timedelta(0), "0"),
        (timedelta(seconds=30), "30"),
        (timedelta(seconds=1, microseconds=1), "2"),
        (timedelta(microseconds=1), "1"),
        (timedelta(milliseconds=999), "1"),
        (timedelta(minutes=2, seconds=0.5), "121"),
        (timedelta(days=2), "172800"),
        # Exact on long durations, where total_seconds() would lose the microsecond.
        (timedelta(days=10**6, microseconds=1), "86400000001"),
    ],
)
def test_seconds_are_delta_seconds_rounded_up(
    app: Flask, client: FlaskClient, value: t.Any, expected: str
) -> None:
    assert retry_after_sent(app, client, value) == [expected]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 11, 25, 21, 0, 0), "Wed, 25 Nov 2026 21:00:00 GMT"),
        (
            datetime(2026, 11, 25, 21, 0, 0, tzinfo=timezone.utc),
            "Wed, 25 Nov 2026 21:00:00 GMT",
        ),
        (
            datetime(2026, 11, 25, 22, 0, 0, tzinfo=timezone(timedelta(hours=1))),
            "Wed, 25 Nov 2026 21:00:00 GMT",
        ),
        (
            datetime(2026, 11, 25, 16, 30, 0, tzinfo=timezone(timedelta(hours=-4.5))),
            "Wed, 25 Nov 2026 21:00:00 GMT",
        ),
        (datetime(2026, 11, 25, 20, 59, 59, 1), "Wed, 25 Nov 2026 21:00:00 GMT"),
        (datetime(2026, 12, 31, 23, 59, 59, 500000), "Fri, 01 Jan 2027 00:00:00 GMT"),
        (datetime(2000, 1, 1), "Sat, 01 Jan 2000 00:00:00 GMT"),
    ],
)
def test_moments_are_imf_fixdates_in_utc(
    app: Flask, client: FlaskClient, value: datetime, expected: str
) -> None:
    assert retry_after_sent(app, client, value) == [expected]


@pytest.mark.parametrize(
    "value",
    [-1, -86400, timedelta(seconds=-1), timedelta(microseconds=-1)],
)
def test_negative_seconds_are_refused(value: t.Any) -> None:
    with pytest.raises(ValueError, match=r"retry_after must not be negative, got"):
        abort_with(429, retry_after=value)


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (True, r"got bool True\.$"),
        (False, r"got bool False\.$"),
        (1.5, r"got float 1\.5\. Round it first, e\.g\. math\.ceil"),
        ("30", r"got str '30'\.$"),
        (b"30", r"got bytes b'30'\.$"),
        # None is no hint at all: abort_with sends no Retry-After then.
        (Decimal("30"), r"got Decimal Decimal\('30'\)\.$"),
        (date(2026, 11, 25), r"got date datetime\.date\(2026, 11, 25\)\.$"),
        ([30], r"got list \[30\]\.$"),
    ],
)
def test_other_types_are_refused(value: t.Any, match: str) -> None:
    with pytest.raises(
        TypeError, match=r"^retry_after must be whole seconds .*" + match
    ):
        abort_with(429, retry_after=value)


@pytest.mark.parametrize(
    ("code", "retry_after", "exc_class", "header", "attribute", "message"),
    [
        (429, 7, TooManyRequests, "7", 7, PAGE_429),
        (429, timedelta(seconds=2.5), TooManyRequests, "3", 3, PAGE_429),
        (503, datetime(2026, 11, 25, 21), ServiceUnavailable,
         "Wed, 25 Nov 2026 21:00:00 GMT", datetime(2026, 11, 25, 21, tzinfo=UTC),
         PAGE_503),
        # Werkzeug sends no Retry-After for 0: the error carries it as an extra
        # header, in a subclass of the same name.
        (503, 0, ServiceUnavailable, "0", 0, PAGE_503),
    ],
)  # fmt: skip
def test_abort_with_sets_retry_after_and_keeps_the_page_message(
    app: Flask,
    client: FlaskClient,
    code: int,
    retry_after: t.Any,
    exc_class: type[Exception],
    header: str,
    attribute: object,
    message: str,
) -> None:
    raised: list[t.Any] = []

    @app.get("/wait")
    def wait() -> ResponseReturnValue:
        try:
            abort_with(code, retry_after=retry_after)
        except Exception as e:
            raised.append(e)
            raise

    r = client.get("/wait")
    assert r.headers.getlist("Retry-After") == [header]
    assert assert_envelope(r, code) == envelope(code, TEXTS[code], message)
    assert [
        (type(e).__name__, isinstance(e, exc_class), e.retry_after) for e in raised
    ] == [(exc_class.__name__, True, attribute)]


@pytest.mark.parametrize(
    ("code", "exc_class"), [(429, TooManyRequests), (503, ServiceUnavailable)]
)
def test_retry_after_is_werkzeugs_own_attribute_on_429_and_503(
    code: int, exc_class: type[TooManyRequests | ServiceUnavailable]
) -> None:
    with pytest.raises(exc_class) as raised:
        abort_with(code, retry_after=30)
    assert type(raised.value) is exc_class
    assert raised.value.retry_after == 30
    assert [v for k, v in raised.value.get_headers() if k == "Retry-After"] == ["30"]


def test_abort_with_retry_after_keeps_a_given_message(
    app: Flask, client: FlaskClient
) -> None:
    @app.get("/wait")
    def wait() -> ResponseReturnValue:
        abort_with(429, "Only 10 exports per hour.", retry_after=timedelta(minutes=5))

    r = client.get("/wait")
    assert r.headers["Retry-After"] == "300"
    assert assert_envelope(r, 429) == envelope(
        429, "Too Many Requests", "Only 10 exports per hour."
    )


def test_abort_with_uses_the_configured_429_message(
    app: Flask, client: FlaskClient
) -> None:
    app.config["STATUS_ENVELOPE_MESSAGES"][429] = "Slow down."

    @app.get("/wait")
    def wait() -> ResponseReturnValue:
        abort_with(429, retry_after=7)

    r = client.get("/wait")
    assert r.headers["Retry-After"] == "7"
    assert assert_envelope(r, 429) == envelope(429, "Too Many Requests", "Slow down.")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"retry_after": -5}, ValueError, r"must not be negative, got -5\."),
        ({"retry_after": True}, TypeError, r"got bool True\."),
        ({"retry_after": 2.5}, TypeError, r"got float 2\.5\."),
        ({"retry_after": "soon"}, TypeError, r"got str 'soon'\."),
        (
            {"retry_after": 5, "headers": {"Retry-After": "5"}},
            ValueError,
            r"Retry-After was given twice, in headers= and as retry_after=",
        ),
        (
            {"retry_after": 5, "headers": [("retry-after", "5")]},
            ValueError,
            r"Retry-After was given twice",
        ),
    ],
)
def test_abort_with_refuses_bad_retry_hints_at_the_call(
    kwargs: dict[str, t.Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        abort_with(429, **kwargs)
