from __future__ import annotations

import logging
import time
import typing as t
from datetime import date, datetime, timedelta, timezone
from email.utils import formatdate, parsedate_to_datetime

import pytest
from flask import Blueprint, Flask, Response, jsonify
from flask.testing import FlaskClient
from flask.views import MethodView

from flask_status_envelope import (
    Deprecation,
    StatusEnvelope,
    abort_with,
    deprecated,
    deprecated_endpoint_called,
    endpoint_deprecation,
    view_deprecation,
)

from .conftest import ROOT, body_of, envelope, load_example, load_module

UTC = timezone.utc
GONE = envelope(
    410,
    "Gone",
    "The requested endpoint has been deprecated and is no longer available.",
)
SINCE = datetime(2026, 1, 1, tzinfo=UTC)
SUNSET = datetime(2026, 12, 31, tzinfo=UTC)
BEFORE = datetime(2026, 6, 1, 12, tzinfo=UTC)
AFTER = datetime(2027, 1, 1, tzinfo=UTC)
# Deprecation: @<unix seconds> of SINCE, Sunset: IMF-fixdate of SUNSET.
SINCE_HEADER = "@1767225600"
SUNSET_HEADER = "Thu, 31 Dec 2026 00:00:00 GMT"
GONE_ITEMS = envelope(410, "Gone", "Use /v2/items instead.")
ITEMS = {
    "since": "2026-01-01",
    "sunset": "2026-12-31",
    "successor": "/v2/items",
    "info": "https://example.com/changelog#v1-items",
    "message": "Use /v2/items instead.",
}
ITEMS_LINK = (
    '</v2/items>; rel="successor-version",'
    ' <https://example.com/changelog#v1-items>; rel="deprecation"'
)


class Clock:
    """The injected clock: tests move it instead of sleeping."""

    def __init__(self) -> None:
        self.now = BEFORE

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(app: Flask) -> Clock:
    clock = Clock()
    app.config["STATUS_ENVELOPE_DEPRECATION_CLOCK"] = clock
    return clock


@pytest.fixture
def calls() -> list[str]:
    return []


def deprecation_headers(response: t.Any) -> dict[str, str | None]:
    return {
        name: response.headers.get(name)
        for name in ("Deprecation", "Sunset", "Link", "Retry-After")
    }


def content_of(response: t.Any) -> object:
    """The JSON body of a JSON response, else the body as text."""
    json_body = response.mimetype == "application/json"
    return body_of(response) if json_body else response.get_data(as_text=True)


def retired_headers(before: float, after: float) -> list[dict[str, str | None]]:
    """The possible headers of a bare ``@deprecated`` applied between two clock reads.

    It is deprecated and sunset at the whole second it was applied, read from the
    wall clock: any second from ``before`` to ``after``.
    """
    return [
        {
            "Deprecation": f"@{second}",
            "Sunset": formatdate(second, usegmt=True),
            "Link": None,
            "Retry-After": None,
        }
        for second in range(int(before), int(after) + 1)
    ]


@pytest.fixture
def wall_clock_at_start() -> float:
    """The wall clock read before the other fixtures decorate views."""
    return time.time()


# -- Bare @deprecated: gone now ------------------------------------------------------


def test_bare_below_route(app: Flask, client: FlaskClient, calls: list[str]) -> None:
    before = time.time()

    @app.get("/v0/report")
    @deprecated
    def report() -> str:
        calls.append("report")
        return "report"

    after = time.time()
    r = client.get("/v0/report")
    assert (r.status_code, body_of(r)) == (410, GONE)
    assert calls == []
    assert deprecation_headers(r) in retired_headers(before, after)


def test_bare_above_route(app: Flask, client: FlaskClient, calls: list[str]) -> None:
    before = time.time()

    @deprecated
    @app.get("/v0/report")
    def report() -> str:
        calls.append("report")
        return "report"

    after = time.time()
    r = client.get("/v0/report")
    assert (r.status_code, body_of(r)) == (410, GONE)
    assert calls == []
    assert deprecation_headers(r) in retired_headers(before, after)


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
    assert (r.status_code, body_of(r)) == (410, body)


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
    assert (r.status_code, body_of(r)) == (410, GONE)
    clock.now = datetime(2027, 3, 1, 11, 30, tzinfo=UTC)
    r = client.get("/v1/report")
    assert (r.status_code, r.data) == (200, b"report")


def test_410_message_comes_from_app_config(app: Flask, client: FlaskClient) -> None:
    app.config["STATUS_ENVELOPE_MESSAGES"] = {410: "This API version was retired."}
    app.get("/v0/report")(deprecated(lambda: "report"))

    r = client.get("/v0/report")
    assert body_of(r) == envelope(410, "Gone", "This API version was retired.")


def test_user_410_handler_still_wins(app: Flask, client: FlaskClient) -> None:
    @app.errorhandler(410)
    def gone(error: Exception) -> tuple[str, int]:
        return "gone, in my words", 410

    app.get("/v0/report")(deprecated(lambda: "report"))

    r = client.get("/v0/report")
    assert (r.status_code, r.get_data(as_text=True)) == (410, "gone, in my words")
    assert r.headers["Deprecation"].startswith("@")


# -- Scheduled deprecation ----------------------------------------------------------


@pytest.fixture
def items_app(app: Flask, clock: Clock, calls: list[str]) -> Flask:
    @app.get("/v1/items")
    @deprecated(**ITEMS)
    def items() -> Response:
        calls.append("items")
        return jsonify(items=[])

    @deprecated(**ITEMS)
    @app.get("/v1/items/<int:item_id>")
    def item(item_id: int) -> Response:
        calls.append("item")
        abort_with(404, f"Item {item_id} does not exist")

    @app.get("/v1/crash")
    @deprecated(**ITEMS)
    def crash() -> Response:
        raise RuntimeError("boom")

    @app.get("/v1/linked")
    @deprecated(**ITEMS)
    def linked() -> Response:
        response = jsonify(items=[])
        response.headers["Link"] = '</v1/linked?page=2>; rel="next"'
        return response

    return app


EXPECTED = {
    "Deprecation": SINCE_HEADER,
    "Sunset": SUNSET_HEADER,
    "Link": ITEMS_LINK,
    "Retry-After": None,
}
NO_HEADERS: dict[str, str | None] = dict.fromkeys(EXPECTED)


@pytest.mark.usefixtures("items_app")
@pytest.mark.parametrize(
    ("path", "status", "body", "called"),
    [
        ("/v1/items", 200, {"items": []}, ["items"]),
        (
            "/v1/items/7",
            404,
            envelope(404, "Not Found", "Item 7 does not exist"),
            ["item"],
        ),
        (
            "/v1/crash",
            500,
            envelope(
                500,
                "Internal Server Error",
                "There is an error on the server. Contact support if this keeps"
                " happening.",
            ),
            [],
        ),
    ],
    ids=["success", "error-envelope", "unhandled-500"],
)
def test_before_sunset_every_response_has_the_headers(
    client: FlaskClient,
    calls: list[str],
    path: str,
    status: int,
    body: object,
    called: list[str],
) -> None:
    r = client.get(path)
    assert r.status_code == status
    assert body_of(r) == body
    assert deprecation_headers(r) == EXPECTED
    assert calls == called


@pytest.mark.usefixtures("items_app")
def test_sunset_header_parses_back(client: FlaskClient) -> None:
    r = client.get("/v1/items")
    assert parsedate_to_datetime(r.headers["Sunset"]) == SUNSET
    assert datetime.fromtimestamp(int(r.headers["Deprecation"][1:]), UTC) == SINCE


@pytest.mark.usefixtures("items_app")
def test_link_is_appended_to_the_views_own(client: FlaskClient) -> None:
    r = client.get("/v1/linked")
    assert r.headers.getlist("Link") == [
        '</v1/linked?page=2>; rel="next", ' + ITEMS_LINK
    ]


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
    assert r.status_code == 410
    assert body_of(r) == envelope(410, "Gone", "Use /v2/items instead.")
    assert deprecation_headers(r) == EXPECTED
    assert calls == []


@pytest.mark.usefixtures("items_app")
def test_one_second_before_sunset_still_served(
    client: FlaskClient, clock: Clock
) -> None:
    clock.now = SUNSET - timedelta(seconds=1)
    r = client.get("/v1/items")
    assert (r.status_code, body_of(r)) == (200, {"items": []})


@pytest.mark.usefixtures("items_app")
def test_head_after_sunset(client: FlaskClient, clock: Clock) -> None:
    clock.now = AFTER
    r = client.head("/v1/items")
    assert (r.status_code, r.data) == (410, b"")
    assert deprecation_headers(r) == EXPECTED


@pytest.mark.usefixtures("items_app")
def test_enforce_sunset_off_rolls_back(
    app: Flask, client: FlaskClient, clock: Clock, calls: list[str]
) -> None:
    app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] = False
    clock.now = AFTER
    r = client.get("/v1/items")
    assert r.status_code == 200
    assert r.get_json() == {"items": []}
    assert deprecation_headers(r) == EXPECTED
    assert calls == ["items"]


UNAUTHORIZED = envelope(401, "Unauthorized", "Invalid token.")


@pytest.mark.parametrize(
    ("now", "state", "code", "body"),
    [(BEFORE, "deprecated", 401, UNAUTHORIZED), (AFTER, "sunset", 410, GONE_ITEMS)],
)
def test_the_check_runs_before_the_apps_other_hooks(
    now: datetime, state: str, code: int, body: dict[str, t.Any]
) -> None:
    # Registered before the extension, the authentication hook still runs after
    # its check: a retired endpoint is gone for everyone, and a deprecated one
    # announces itself also on the answers of later hooks.
    app = Flask(__name__)

    @app.before_request
    def authenticate() -> None:
        abort_with(401, "Invalid token.")

    StatusEnvelope(app)
    app.config["STATUS_ENVELOPE_DEPRECATION_CLOCK"] = lambda: now
    app.get("/v1/items")(deprecated(**ITEMS)(lambda: "items"))
    seen: list[str] = []
    with deprecated_endpoint_called.connected_to(
        lambda sender, **extra: seen.append(extra["state"]), app
    ):
        r = app.test_client().get("/v1/items")
    assert (r.status_code, body_of(r)) == (code, body)
    assert deprecation_headers(r) == EXPECTED
    assert seen == [state]


def test_enforce_sunset_defaults_to_true(app: Flask) -> None:
    assert app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] is True


def test_enforce_sunset_is_not_overwritten() -> None:
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] = False
    StatusEnvelope(app)
    assert app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] is False


def test_bare_served_when_enforcement_is_off(app: Flask, client: FlaskClient) -> None:
    app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] = False
    app.get("/v0/report")(deprecated(lambda: "report"))
    r = client.get("/v0/report")
    assert (r.status_code, r.get_data(as_text=True)) == (200, "report")
    assert r.headers["Deprecation"].startswith("@")


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
    schedule = deprecated(sunset="2999-01-01")(lambda: None).status_envelope_deprecation
    assert before <= schedule.since <= datetime.now(UTC)
    assert schedule.retired is False


def test_since_omitted_with_past_sunset_is_the_sunset() -> None:
    schedule = deprecated(sunset="2020-01-01")(lambda: None).status_envelope_deprecation
    assert schedule.since == schedule.sunset == datetime(2020, 1, 1, tzinfo=UTC)


def test_view_may_set_its_own_deprecation_header(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    @app.get("/old")
    @deprecated(since="2026-01-01")
    def old() -> Response:
        return Response("old", headers={"Deprecation": "@1"})

    assert client.get("/old").headers.getlist("Deprecation") == ["@1"]


# -- Dates --------------------------------------------------------------------------


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
def test_dates(since: object, header: str) -> None:
    schedule = view_deprecation(deprecated(since=since)(lambda: None))  # type: ignore[arg-type]
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
def test_sunset_dates(sunset: object, header: str) -> None:
    schedule = view_deprecation(
        deprecated(since="2026-01-01", sunset=sunset)(lambda: None)  # type: ignore[arg-type]
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


# -- Decoration-time errors -------------------------------------------------------


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
        (
            {"sunet": "2026-12-31"},
            TypeError,
            r"unknown keyword argument 'sunet'\. Did you mean 'sunset'\?",
        ),
        (
            {"until": "2026-12-31"},
            TypeError,
            r"unknown keyword argument 'until'\. It takes since, sunset, successor,",
        ),
    ],
)
def test_decoration_errors(
    kwargs: dict[str, t.Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        deprecated(**kwargs)


@pytest.mark.parametrize(
    ("target", "match"),
    [
        ("2026-12-31", r"got str '2026-12-31'. Pass dates by keyword"),
        (42, r"got int 42"),
        (int, r"got the class 'int'"),
    ],
)
def test_bad_target(target: object, match: str) -> None:
    with pytest.raises(TypeError, match=match):
        deprecated(target)


@pytest.mark.parametrize("value", ["false", 0, None])
def test_bad_enforce_config(value: object) -> None:
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] = value
    with pytest.raises(TypeError, match="STATUS_ENVELOPE_ENFORCE_SUNSET must be True"):
        StatusEnvelope(app)


def test_bad_clock_config() -> None:
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_DEPRECATION_CLOCK"] = "2026-01-01"
    with pytest.raises(TypeError, match="STATUS_ENVELOPE_DEPRECATION_CLOCK must be"):
        StatusEnvelope(app)


# -- MethodView and async -----------------------------------------------------------


@deprecated(**ITEMS)
class ItemsView(MethodView):
    def get(self) -> str:
        return "items"

    def post(self) -> str:
        return "created"


_ORDERS_BEFORE = time.time()


class OrdersView(MethodView):
    def get(self) -> str:
        return "orders"

    @deprecated
    def delete(self) -> str:
        return "deleted"

    @deprecated(since="2026-01-01", sunset="2026-03-01")
    def put(self) -> str:
        return "put"


_ORDERS_AFTER = time.time()


class NewItemsView(ItemsView):
    """Inherits the code, not the deprecation mark of the class."""


@pytest.fixture
def view_app(app: Flask, clock: Clock) -> Flask:
    app.add_url_rule("/v1/items", view_func=ItemsView.as_view("items"))
    app.add_url_rule("/orders", view_func=OrdersView.as_view("orders"))
    app.add_url_rule("/v2/items", view_func=NewItemsView.as_view("new_items"))
    return app


RETIRED_DELETE = retired_headers(_ORDERS_BEFORE, _ORDERS_AFTER)
PUT = {
    "Deprecation": SINCE_HEADER,
    "Sunset": "Sun, 01 Mar 2026 00:00:00 GMT",
    "Link": None,
    "Retry-After": None,
}


@pytest.mark.usefixtures("view_app")
@pytest.mark.parametrize(
    ("method", "path", "now", "status", "body", "headers"),
    [
        ("GET", "/v1/items", BEFORE, 200, "items", [EXPECTED]),
        ("POST", "/v1/items", BEFORE, 200, "created", [EXPECTED]),
        ("GET", "/v1/items", AFTER, 410, GONE_ITEMS, [EXPECTED]),
        ("GET", "/orders", AFTER, 200, "orders", [NO_HEADERS]),
        ("DELETE", "/orders", BEFORE, 410, GONE, RETIRED_DELETE),
        ("PUT", "/orders", datetime(2026, 2, 1), 200, "put", [PUT]),
        ("PUT", "/orders", datetime(2026, 3, 1), 410, GONE, [PUT]),
        ("GET", "/v2/items", AFTER, 200, "items", [NO_HEADERS]),
    ],
)
def test_method_view(
    client: FlaskClient,
    clock: Clock,
    method: str,
    path: str,
    now: datetime,
    status: int,
    body: object,
    headers: list[dict[str, str | None]],
) -> None:
    clock.now = now
    r = client.open(path, method=method)
    assert (r.status_code, content_of(r)) == (status, body)
    assert deprecation_headers(r) in headers


@pytest.mark.usefixtures("view_app")
def test_method_view_head_follows_get(client: FlaskClient, clock: Clock) -> None:
    clock.now = AFTER
    r = client.head("/v1/items")
    assert (r.status_code, r.data, deprecation_headers(r)) == (410, b"", EXPECTED)
    r = client.head("/orders")
    assert (r.status_code, r.data, deprecation_headers(r)) == (200, b"", NO_HEADERS)


def test_deprecated_as_view_result(app: Flask, client: FlaskClient) -> None:
    app.add_url_rule("/orders", view_func=deprecated(OrdersView.as_view("orders")))
    r = client.get("/orders")
    assert (r.status_code, body_of(r)) == (410, GONE)


Decorate = t.Callable[[t.Any, t.Any, t.Any], t.Any]


@pytest.mark.parametrize(
    "stack",
    [
        lambda route, mark, view: route(mark(view)),
        lambda route, mark, view: mark(route(view)),
    ],
    ids=["deprecated-below-route", "deprecated-above-route"],
)
def test_async_view(
    app: Flask, client: FlaskClient, clock: Clock, calls: list[str], stack: Decorate
) -> None:
    async def items() -> str:
        calls.append("items")
        return "items"

    stack(app.get("/v1/items"), deprecated(**ITEMS), items)

    r = client.get("/v1/items")
    assert (r.status_code, r.get_data(as_text=True)) == (200, "items")
    assert deprecation_headers(r) == EXPECTED
    clock.now = AFTER
    r = client.get("/v1/items")
    assert r.status_code == 410
    assert body_of(r) == envelope(410, "Gone", "Use /v2/items instead.")
    assert calls == ["items"]


def test_bare_async_view(app: Flask, client: FlaskClient, calls: list[str]) -> None:
    @deprecated
    @app.get("/v0/report")
    async def report() -> str:
        calls.append("report")
        return "report"

    r = client.get("/v0/report")
    assert body_of(r) == GONE
    assert calls == []


def test_mark_survives_functools_wraps(app: Flask, client: FlaskClient) -> None:
    import functools

    def logged(view: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        @functools.wraps(view)
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            return view(*args, **kwargs)

        return wrapper

    @app.get("/v0/report")
    @logged
    @deprecated
    def report() -> str:
        return "report"

    r = client.get("/v0/report")
    assert (r.status_code, body_of(r)) == (410, GONE)


# -- Blueprints ---------------------------------------------------------------------


@pytest.fixture
def bp_app(wall_clock_at_start: float, app: Flask, clock: Clock) -> Flask:
    v1 = Blueprint("v1", __name__, url_prefix="/v1")

    @v1.get("/items")
    def items() -> str:
        return "items"

    @v1.get("/report")
    @deprecated
    def report() -> str:
        return "report"

    @v1.get("/broken")
    def broken() -> str:
        abort_with(403, "Token is disabled")

    nested = Blueprint("admin", __name__, url_prefix="/admin")

    @nested.get("/users")
    def users() -> str:
        return "users"

    v1.register_blueprint(nested)
    deprecated(v1, **ITEMS)
    app.register_blueprint(v1)

    v2 = Blueprint("v2", __name__, url_prefix="/v2")

    @v2.get("/items")
    def new_items() -> str:
        return "new items"

    app.register_blueprint(v2)

    @app.get("/v1items")
    def lookalike() -> str:
        return "not under /v1/"

    return app


NOT_FOUND = envelope(
    404, "Not Found", "The data you requested does not exist or cannot be found."
)


@pytest.mark.usefixtures("bp_app")
@pytest.mark.parametrize(
    ("path", "body", "headers"),
    [
        ("/v1/items", "items", EXPECTED),
        ("/v1/admin/users", "users", EXPECTED),
        ("/v2/items", "new items", NO_HEADERS),
        ("/v1items", "not under /v1/", NO_HEADERS),
    ],
)
def test_blueprint_served(
    client: FlaskClient, path: str, body: str, headers: dict[str, str | None]
) -> None:
    r = client.get(path)
    assert (r.status_code, r.get_data(as_text=True)) == (200, body)
    assert deprecation_headers(r) == headers


@pytest.mark.usefixtures("bp_app")
@pytest.mark.parametrize(
    ("method", "path", "now", "body", "headers"),
    [
        (
            "GET",
            "/v1/broken",
            BEFORE,
            envelope(403, "Forbidden", "Token is disabled"),
            EXPECTED,
        ),
        ("GET", "/v1/nothing-here", BEFORE, NOT_FOUND, EXPECTED),
        ("GET", "/v1", BEFORE, NOT_FOUND, EXPECTED),
        (
            "POST",
            "/v1/items",
            BEFORE,
            envelope(
                405,
                "Method Not Allowed",
                "The HTTP method used is not allowed for this endpoint.",
            ),
            EXPECTED,
        ),
        ("GET", "/v1/items", AFTER, GONE_ITEMS, EXPECTED),
        ("GET", "/v1/admin/users", AFTER, GONE_ITEMS, EXPECTED),
        ("GET", "/v1/nothing-here", AFTER, GONE_ITEMS, EXPECTED),
        ("POST", "/v1/items", AFTER, GONE_ITEMS, EXPECTED),
        ("GET", "/v2/nothing-here", AFTER, NOT_FOUND, NO_HEADERS),
        ("GET", "/v1items/x", AFTER, NOT_FOUND, NO_HEADERS),
    ],
)
def test_blueprint_envelopes(
    client: FlaskClient,
    clock: Clock,
    method: str,
    path: str,
    now: datetime,
    body: dict[str, t.Any],
    headers: dict[str, str | None],
) -> None:
    clock.now = now
    r = client.open(path, method=method)
    assert r.status_code == body["status"]["code"]
    assert body_of(r) == body
    assert deprecation_headers(r) == headers


@pytest.mark.usefixtures("bp_app")
def test_view_mark_wins_over_blueprint(
    client: FlaskClient, wall_clock_at_start: float
) -> None:
    after = time.time()
    r = client.get("/v1/report")
    assert (r.status_code, body_of(r)) == (410, GONE)
    # The bare mark's own dates and no Link, not the blueprint's.
    assert deprecation_headers(r) in retired_headers(wall_clock_at_start, after)


def test_blueprint_must_be_deprecated_before_registering(app: Flask) -> None:
    bp = Blueprint("late", __name__, url_prefix="/late")
    app.register_blueprint(bp)
    with pytest.raises(AssertionError, match="before registering it"):
        deprecated(bp)


def test_blueprint_without_prefix_marks_only_its_endpoints(
    app: Flask, client: FlaskClient
) -> None:
    bp = Blueprint("legacy", __name__)
    bp.get("/legacy")(lambda: "legacy")
    app.register_blueprint(deprecated(bp))
    r = client.get("/legacy")
    assert (r.status_code, body_of(r)) == (410, GONE)
    r = client.get("/nothing-here")
    assert (r.status_code, r.headers.get("Deprecation")) == (404, None)


@pytest.mark.parametrize(
    ("path", "status", "deprecation"),
    [
        ("/v1/admin/users", 410, "@1767225600"),
        ("/v1/admin/nothing", 404, None),
        ("/v1/nothing", 404, None),
        ("/v1/items", 200, None),
    ],
)
def test_nested_blueprint_without_prefix_of_its_own(
    app: Flask,
    client: FlaskClient,
    clock: Clock,
    path: str,
    status: int,
    deprecation: str | None,
) -> None:
    parent = Blueprint("v1", __name__, url_prefix="/v1")
    parent.get("/items")(lambda: "items")
    child = Blueprint("admin", __name__)
    child.get("/admin/users")(lambda: "users")
    deprecated(child, since="2026-01-01", sunset="2026-03-01")
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    clock.now = AFTER
    r = client.get(path)
    assert (r.status_code, r.headers.get("Deprecation")) == (status, deprecation)


@pytest.mark.parametrize(
    ("path", "status", "deprecation"),
    [
        ("/v1/admin/users", 410, "@1767225600"),
        ("/v1/admin/nothing", 410, "@1767225600"),
        ("/v1/nothing", 404, None),
    ],
)
def test_nested_blueprint_with_its_own_prefix(
    app: Flask,
    client: FlaskClient,
    clock: Clock,
    path: str,
    status: int,
    deprecation: str | None,
) -> None:
    parent = Blueprint("v1", __name__, url_prefix="/v1")
    child = Blueprint("admin", __name__, url_prefix="/admin")
    child.get("/users")(lambda: "users")
    deprecated(child, since="2026-01-01", sunset="2026-03-01")
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    clock.now = AFTER
    r = client.get(path)
    assert (r.status_code, r.headers.get("Deprecation")) == (status, deprecation)


# -- Brownouts ----------------------------------------------------------------------


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


def test_brownouts_off_with_enforcement(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] = False
    app.get("/v1/items")(
        deprecated(**ITEMS, brownouts=[("2026-06-01", "2026-06-02")])(lambda: "items")
    )
    clock.now = datetime(2026, 6, 1, 12)
    r = client.get("/v1/items")
    assert (r.status_code, r.get_data(as_text=True)) == (200, "items")
    assert deprecation_headers(r) == EXPECTED


# -- Signal and logging -------------------------------------------------------------


@pytest.mark.usefixtures("items_app")
def test_signal_on_every_call(app: Flask, client: FlaskClient, clock: Clock) -> None:
    seen: list[tuple[object, str, str, object]] = []

    def record(
        sender: Flask, endpoint: str, state: str, deprecation: Deprecation
    ) -> None:
        seen.append((sender, endpoint, state, deprecation.successor))

    with deprecated_endpoint_called.connected_to(record, app):
        client.get("/v1/items")
        client.get("/v1/items/3")
        clock.now = AFTER
        client.get("/v1/items")
        app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] = False
        client.get("/v1/items")
    assert seen == [
        (app, "items", "deprecated", "/v2/items"),
        (app, "item", "deprecated", "/v2/items"),
        (app, "items", "sunset", "/v2/items"),
        (app, "items", "sunset", "/v2/items"),
    ]


def test_signal_not_sent_for_other_endpoints(app: Flask, client: FlaskClient) -> None:
    seen: list[object] = []
    app.get("/fresh")(lambda: "fresh")
    with deprecated_endpoint_called.connected_to(lambda s, **kw: seen.append(kw), app):
        assert client.get("/fresh").status_code == 200
        assert client.get("/nothing").status_code == 404
    assert seen == []


@pytest.mark.usefixtures("items_app")
def test_one_warning_per_endpoint(
    client: FlaskClient, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        client.get("/v1/items")
        client.get("/v1/items")
        client.get("/v1/items/1")
        clock.now = AFTER
        client.get("/v1/items")
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "WARNING",
            "Deprecated endpoint 'items' was called (its sunset is Thu, 31 Dec 2026"
            " 00:00:00 GMT). Logged once per process.",
        ),
        (
            "WARNING",
            "Deprecated endpoint 'item' was called (its sunset is Thu, 31 Dec 2026"
            " 00:00:00 GMT). Logged once per process.",
        ),
    ]


# -- Asking whether an endpoint is deprecated -----------------------------------


@pytest.mark.usefixtures("bp_app", "view_app")
@pytest.mark.parametrize(
    ("endpoint", "method", "successor"),
    [
        ("v1.items", "GET", "/v2/items"),
        ("v1.admin.users", "GET", "/v2/items"),
        ("v1.report", "GET", None),
        ("v2.new_items", "GET", "not deprecated"),
        ("items", "GET", "/v2/items"),
        ("items", "HEAD", "/v2/items"),
        ("orders", "GET", "not deprecated"),
        ("orders", "DELETE", None),
        ("new_items", "GET", "not deprecated"),
        ("lookalike", "GET", "not deprecated"),
    ],
)
def test_endpoint_deprecation(
    app: Flask, endpoint: str, method: str, successor: str | None
) -> None:
    schedule = endpoint_deprecation(endpoint, method, app=app)
    assert getattr(schedule, "successor", "not deprecated") == successor


def test_endpoint_deprecation_uses_current_app(app: Flask) -> None:
    app.get("/v0/report")(deprecated(lambda: "report"))
    with app.app_context():
        assert endpoint_deprecation("<lambda>") is not None
        assert endpoint_deprecation("static") is None


def test_without_the_extension_nothing_happens() -> None:
    app = Flask(__name__)
    app.get("/v0/report")(deprecated(lambda: "report"))
    r = app.test_client().get("/v0/report")
    assert (r.status_code, r.headers.get("Deprecation")) == (200, None)


# -- The guide's examples (docs/examples/deprecation_*.py) ------------------------


announce = load_example("deprecation_announce")
sunset_example = load_example("deprecation_sunset")
retired_example = load_example("deprecation_retired")
blueprint_example = load_example("deprecation_blueprint")
signal_example = load_example("deprecation_signal")
clock_example = load_example("deprecation_clock")

ANNOUNCED = {
    "Deprecation": "@1767225600",
    "Sunset": None,
    "Link": ITEMS_LINK,
    "Retry-After": None,
}


def test_example_announce() -> None:
    client = announce.create_app().test_client()
    r = client.get("/v1/items")
    assert (r.status_code, r.get_json()) == (200, {"items": ["apple"]})
    assert deprecation_headers(r) == ANNOUNCED
    r = client.get("/v2/items")
    assert (r.status_code, deprecation_headers(r)) == (200, NO_HEADERS)


@pytest.mark.parametrize(
    ("now", "status", "body"),
    [
        (datetime(2026, 6, 1), 200, {"items": ["apple"]}),
        (datetime(2026, 12, 1, 10, 30), 410, GONE_ITEMS),
        (datetime(2026, 12, 1, 11), 200, {"items": ["apple"]}),
        (datetime(2026, 12, 31), 410, GONE_ITEMS),
    ],
    ids=["announced", "brownout", "after-brownout", "sunset"],
)
def test_example_sunset(now: datetime, status: int, body: object) -> None:
    app = sunset_example.create_app()
    clock_example.freeze(app, now)
    r = app.test_client().get("/v1/items")
    assert (r.status_code, r.get_json()) == (status, body)
    assert deprecation_headers(r) == EXPECTED


def test_example_roll_back() -> None:
    app = sunset_example.create_app()
    app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"] = False
    clock_example.freeze(app, AFTER)
    r = app.test_client().get("/v1/items")
    assert (r.status_code, r.get_json()) == (200, {"items": ["apple"]})
    assert deprecation_headers(r) == EXPECTED


def test_example_retired() -> None:
    r = retired_example.create_app().test_client().get("/v0/report")
    assert (r.status_code, body_of(r)) == (410, GONE)


BLUEPRINT_HEADERS = {
    "Deprecation": SINCE_HEADER,
    "Sunset": SUNSET_HEADER,
    "Link": '</v2>; rel="successor-version"',
    "Retry-After": None,
}


@pytest.mark.parametrize(
    ("now", "path", "status", "body"),
    [
        (BEFORE, "/v1/items", 200, {"items": ["apple"]}),
        (BEFORE, "/v1/orders", 200, {"orders": []}),
        (BEFORE, "/v1/nothing", 404, NOT_FOUND),
        (AFTER, "/v1/items", 410, GONE),
        (AFTER, "/v1/nothing", 410, GONE),
    ],
)
def test_example_blueprint(now: datetime, path: str, status: int, body: object) -> None:
    app = blueprint_example.create_app()
    clock_example.freeze(app, now)
    r = app.test_client().get(path)
    assert (r.status_code, r.get_json()) == (status, body)
    assert deprecation_headers(r) == BLUEPRINT_HEADERS


def test_example_signal() -> None:
    app = announce.create_app()
    # The example counts in a module-level Counter: start from zero.
    signal_example.calls.clear()
    signal_example.count_deprecated_calls(app)
    client = app.test_client()
    client.get("/v1/items", headers={"User-Agent": "legacy-app/1.0"})
    client.get("/v1/items", headers={"User-Agent": "legacy-app/1.0"})
    client.get("/v2/items", headers={"User-Agent": "new-app/2.0"})
    assert signal_example.calls == {("items_v1", "deprecated", "legacy-app/1.0"): 2}


def test_example_clock() -> None:
    clock_example.check_the_sunset(sunset_example.create_app())


# -- The demo app's deprecation routes --------------------------------------------


def test_demo_retired_and_scheduled() -> None:
    demo = load_module(ROOT / "examples" / "demo.py", "demo_deprecation")
    client = demo.create_app().test_client()

    r = client.get("/v0/report")
    assert (r.status_code, body_of(r)) == (410, GONE)
    r = client.get("/v1/items")
    assert (r.status_code, r.get_json()) == (200, {"items": ["apple"]})
    assert deprecation_headers(r) == {
        "Deprecation": SINCE_HEADER,
        "Sunset": "Thu, 31 Dec 2099 00:00:00 GMT",
        "Link": ITEMS_LINK,
        "Retry-After": None,
    }
