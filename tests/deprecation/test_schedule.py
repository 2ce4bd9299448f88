"""A deprecation schedule: its moments, its phases and the headers it sends."""

from __future__ import annotations

import time
import typing as t
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from flask_status_envelope import (
    deprecated,
    deprecated_endpoint_called,
    view_deprecation,
)
from flask_status_envelope.testing import assert_envelope

from ..conftest import envelope
from .conftest import (
    AFTER,
    BEFORE,
    EXPECTED,
    GONE,
    GONE_ITEMS,
    ITEMS,
    SINCE,
    SINCE_HEADER,
    SUNSET,
    SUNSET_HEADER,
    UTC,
    Clock,
    content_of,
    deprecation_headers,
)


def test_bare_since_is_decoration_time() -> None:
    before = datetime.now(UTC).replace(microsecond=0)

    @deprecated
    def report() -> str:
        return "report"

    after = datetime.now(UTC)
    schedule = view_deprecation(report)
    assert schedule is not None
    assert before <= schedule.since <= after
    assert schedule.sunset == schedule.since
    assert schedule.retired is True


@pytest.mark.parametrize(
    ("decorate", "body"),
    [
        (deprecated, GONE),
        (deprecated(), GONE),
        (deprecated(message="Gone for good."), envelope(410, "Gone", "Gone for good.")),
    ],
    ids=["bare", "empty-call", "message-only"],
)
def test_without_dates_is_retired_whatever_the_clock(
    app: Flask, client: FlaskClient, clock: Clock, decorate: t.Any, body: object
) -> None:
    clock.now = datetime(2000, 1, 1, tzinfo=UTC)
    app.get("/v0/report")(decorate(lambda: "report"))

    r = client.get("/v0/report")
    assert assert_envelope(r, 410) == body


@pytest.mark.parametrize(
    ("kwargs", "link"),
    [
        ({"successor": "/v2/report"}, '</v2/report>; rel="successor-version"'),
        ({"info": "https://x.test/why"}, '<https://x.test/why>; rel="deprecation"'),
        (
            {"brownouts": [("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z")]},
            None,
        ),
    ],
    ids=["successor-only", "info-only", "brownouts-only"],
)
def test_an_announcement_without_dates_keeps_the_view_working(
    app: Flask,
    client: FlaskClient,
    clock: Clock,
    kwargs: dict[str, t.Any],
    link: str | None,
) -> None:
    # Deprecated from the moment of decoration, with no sunset: served forever.
    clock.now = datetime(2099, 1, 1, tzinfo=UTC)
    before = int(time.time())
    app.get("/v1/report")(deprecated(**kwargs)(lambda: "report"))
    after = int(time.time())

    r = client.get("/v1/report")
    assert (r.status_code, r.data) == (200, b"report")
    assert (r.headers.get("Sunset"), r.headers.get("Link")) == (None, link)
    assert r.headers["Deprecation"] in {f"@{s}" for s in range(before, after + 1)}


def test_brownouts_without_a_sunset_answer_410_inside_their_window(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    window = ("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z")
    app.get("/v1/report")(deprecated(brownouts=[window])(lambda: "report"))

    clock.now = datetime(2027, 3, 1, 10, 30, tzinfo=UTC)
    r = client.get("/v1/report")
    assert assert_envelope(r, 410) == GONE
    clock.now = datetime(2027, 3, 1, 11, 30, tzinfo=UTC)
    r = client.get("/v1/report")
    assert (r.status_code, r.data) == (200, b"report")


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"since": "2026-01-01"}, {"Deprecation": SINCE_HEADER}),
        (
            {"since": "2026-01-01", "successor": "/v2/items"},
            {
                "Deprecation": SINCE_HEADER,
                "Link": '</v2/items>; rel="successor-version"',
            },
        ),
        (
            {"since": "2026-01-01", "info": "https://example.com/d"},
            {
                "Deprecation": SINCE_HEADER,
                "Link": '<https://example.com/d>; rel="deprecation"',
            },
        ),
        (
            {"since": "2026-01-01", "sunset": "2026-12-31"},
            {"Deprecation": SINCE_HEADER, "Sunset": SUNSET_HEADER},
        ),
        ({"since": "2027-01-01"}, {"Deprecation": "@1798761600"}),
    ],
    ids=["since-only", "successor", "info", "since-and-sunset", "future-since"],
)
def test_headers_sent_per_argument(
    app: Flask,
    client: FlaskClient,
    clock: Clock,
    kwargs: dict[str, t.Any],
    expected: dict[str, str],
) -> None:
    app.get("/old")(deprecated(**kwargs)(lambda: "old"))
    r = client.get("/old")
    assert r.status_code == 200
    assert {
        name: value
        for name, value in r.headers.items()
        if name in ("Deprecation", "Sunset", "Link")
    } == expected


def test_without_sunset_served_forever(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    app.get("/old")(deprecated(since="2026-01-01")(lambda: "old"))
    clock.now = datetime(9999, 1, 1, tzinfo=UTC)
    r = client.get("/old")
    assert (r.status_code, r.get_data(as_text=True)) == (200, "old")


def test_since_omitted_is_decoration_time() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    schedule = view_deprecation(deprecated(sunset="2999-01-01")(lambda: None))
    assert schedule is not None
    assert before <= schedule.since <= datetime.now(UTC)
    assert schedule.retired is False


def test_since_omitted_with_past_sunset_is_the_sunset() -> None:
    schedule = view_deprecation(deprecated(sunset="2020-01-01")(lambda: None))
    assert schedule is not None
    assert schedule.since == schedule.sunset == datetime(2020, 1, 1, tzinfo=UTC)


@pytest.mark.usefixtures("items_app")
def test_sunset_header_parses_back(client: FlaskClient) -> None:
    r = client.get("/v1/items")
    assert parsedate_to_datetime(r.headers["Sunset"]) == SUNSET
    assert datetime.fromtimestamp(int(r.headers["Deprecation"][1:]), UTC) == SINCE


@pytest.mark.usefixtures("items_app")
@pytest.mark.parametrize(
    "now",
    [SUNSET, SUNSET + timedelta(seconds=1), AFTER],
    ids=["at-sunset", "just-after", "a-day-after"],
)
@pytest.mark.parametrize("path", ["/v1/items", "/v1/items/7"])
def test_on_and_after_sunset_410_with_headers(
    client: FlaskClient, clock: Clock, calls: list[str], now: datetime, path: str
) -> None:
    clock.now = now
    r = client.get(path)
    assert assert_envelope(r, 410) == envelope(410, "Gone", "Use /v2/items instead.")
    assert deprecation_headers(r) == EXPECTED
    assert calls == []


@pytest.mark.usefixtures("items_app")
def test_one_second_before_sunset_still_served(
    client: FlaskClient, clock: Clock
) -> None:
    clock.now = SUNSET - timedelta(seconds=1)
    r = client.get("/v1/items")
    assert (r.status_code, r.get_json()) == (200, {"items": []})


@pytest.mark.parametrize(
    ("now", "status", "body", "state"),
    [
        (datetime(2026, 6, 1, 9, 59, 59), 200, "items", "deprecated"),
        (datetime(2026, 6, 1, 10), 410, GONE_ITEMS, "brownout"),
        (datetime(2026, 6, 1, 10, 59, 59), 410, GONE_ITEMS, "brownout"),
        (datetime(2026, 6, 1, 11), 200, "items", "deprecated"),
        (AFTER, 410, GONE_ITEMS, "sunset"),
    ],
)
def test_brownouts(
    app: Flask,
    client: FlaskClient,
    clock: Clock,
    now: datetime,
    status: int,
    body: object,
    state: str,
) -> None:
    seen: list[str] = []

    def record(sender: Flask, **extra: t.Any) -> None:
        seen.append(extra["state"])

    app.get("/v1/items")(
        deprecated(**ITEMS, brownouts=[("2026-06-01T10:00Z", "2026-06-01T11:00Z")])(
            lambda: "items"
        )
    )
    clock.now = now
    with deprecated_endpoint_called.connected_to(record, app):
        r = client.get("/v1/items")
    assert (r.status_code, content_of(r)) == (status, body)
    assert deprecation_headers(r) == EXPECTED
    assert seen == [state]


@pytest.mark.parametrize(
    ("since", "header"),
    [
        (date(2026, 1, 1), SINCE_HEADER),
        (datetime(2026, 1, 1), SINCE_HEADER),
        (datetime(2026, 1, 1, 0, 0, 0, 999999), SINCE_HEADER),
        (datetime(2026, 1, 1, 1, tzinfo=timezone(timedelta(hours=1))), SINCE_HEADER),
        ("2026-01-01", SINCE_HEADER),
        ("2026-01-01T00:00:00Z", SINCE_HEADER),
        ("2026-01-01T00:00:00z", SINCE_HEADER),
        ("2026-01-01T00:00:00+00:00", SINCE_HEADER),
        ("2025-12-31T19:00:00-05:00", SINCE_HEADER),
        ("2026-01-01 00:00:30", "@1767225630"),
    ],
)
def test_dates(since: t.Any, header: str) -> None:
    schedule = view_deprecation(deprecated(since=since)(lambda: None))
    assert schedule is not None
    assert schedule.headers == (("Deprecation", header),)


@pytest.mark.parametrize(
    ("sunset", "header"),
    [
        (date(2026, 12, 31), SUNSET_HEADER),
        (datetime(2026, 12, 31, 13, 5, 9), "Thu, 31 Dec 2026 13:05:09 GMT"),
        ("2026-12-31T15:05:09+02:00", "Thu, 31 Dec 2026 13:05:09 GMT"),
    ],
)
def test_sunset_dates(sunset: t.Any, header: str) -> None:
    schedule = view_deprecation(
        deprecated(since="2026-01-01", sunset=sunset)(lambda: None)
    )
    assert schedule is not None
    assert schedule.headers == (("Deprecation", SINCE_HEADER), ("Sunset", header))
    assert parsedate_to_datetime(header) == schedule.sunset


def test_state_at() -> None:
    schedule = view_deprecation(deprecated(**ITEMS)(lambda: None))
    assert schedule is not None
    assert [schedule.state_at(now) for now in (BEFORE, SUNSET, AFTER)] == [
        "deprecated",
        "sunset",
        "sunset",
    ]
    assert schedule.state_at(datetime(2026, 12, 30, 23, 59, 59)) == "deprecated"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"since": "2026-13-01"}, ValueError, r"since='2026-13-01' is not an ISO-8601"),
        ({"sunset": "next year"}, ValueError, r"sunset='next year' is not an ISO-8601"),
        ({"since": ""}, ValueError, r"since='' is not an ISO-8601"),
        ({"sunset": 1767225600}, TypeError, r"sunset must be a date.*int 1767225600"),
        ({"since": True}, TypeError, r"since must be a date.*bool True"),
        (
            {"since": "2026-12-31", "sunset": "2026-01-01"},
            ValueError,
            r"sunset='2026-01-01' is earlier than since='2026-12-31'",
        ),
        ({"successor": "/v2\r\nX-Evil: 1"}, ValueError, r"successor='/v2\\r\\nX-Evil"),
        ({"successor": "/v2\n"}, ValueError, r"successor=.*contains '\\n'"),
        ({"info": "https://x.test/\x00"}, ValueError, r"info=.*contains '\\x00'"),
        ({"info": "https://x.test/\x7f"}, ValueError, r"info=.*contains '\\x7f'"),
        ({"info": "https://x.test/a b"}, ValueError, r"info=.*contains ' '"),
        ({"successor": "/v2>; rel=x"}, ValueError, r"successor=.*contains '>'"),
        ({"successor": "/v2/é"}, ValueError, r"successor=.*contains 'é'"),
        ({"successor": ""}, ValueError, r"successor='' is not a URI"),
        ({"successor": b"/v2"}, TypeError, r"successor must be a URI string"),
        ({"message": b"gone"}, TypeError, r"message must be a str or None"),
        ({"brownouts": "2026-06-01"}, TypeError, r"brownouts must be a list"),
        ({"brownouts": ["2026-06-01"]}, TypeError, r"brownouts\[0\] must be a"),
        (
            {"brownouts": [("2026-06-01", "June")]},
            ValueError,
            r"brownouts\[0\] end='June' is not an ISO-8601",
        ),
        (
            {"brownouts": [("2026-06-02", "2026-06-01")]},
            ValueError,
            r"brownouts\[0\] ends \('2026-06-01'\) before it starts",
        ),
        (
            {"sunset": "2026-12-31", "brownouts": [("2026-12-31", "2027-01-01")]},
            ValueError,
            r"brownouts\[0\] starts on or after sunset='2026-12-31'",
        ),
        # Python's own message for a misspelt keyword.
        (
            {"sunet": "2026-12-31"},
            TypeError,
            r"^deprecated\(\) got an unexpected keyword argument 'sunet'",
        ),
        (
            {"until": "2026-12-31"},
            TypeError,
            r"^deprecated\(\) got an unexpected keyword argument 'until'",
        ),
    ],
)
def test_decoration_errors(
    kwargs: dict[str, t.Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        deprecated(**kwargs)
