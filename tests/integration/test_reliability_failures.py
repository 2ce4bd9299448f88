"""No leaks, no bare traceback pages, and every server error logged once.

The apps run in production mode (no debug, exceptions not propagated), with a
``SECRET_KEY`` and exceptions whose texts hold secrets, file paths and host names.
"""

from __future__ import annotations

import logging
import types
import typing as t
from collections import UserString

import pytest
from flask import Flask, Response, abort, got_request_exception, request
from flask.json.provider import DefaultJSONProvider
from flask.testing import FlaskClient
from werkzeug.exceptions import NotFound

from flask_status_envelope import StatusEnvelope, abort_with
from flask_status_envelope.codes import PAGE_MESSAGES
from flask_status_envelope.testing import assert_envelope

from ..conftest import envelope
from .envelope_checks import check_no_leak

SERVER_ERROR = envelope(500, "Internal Server Error", PAGE_MESSAGES[500])
#: What the client gets when building the envelope itself failed.
LAST_RESORT = envelope(500, "Internal Server Error", PAGE_MESSAGES[500])
SECRET_TEXT = "secret: database password is hunter2 in /srv/app/settings.py, s3cr3t-k3y"


class Unprintable(UserString):
    """A lazy message whose ``str()`` raises when the envelope renders it."""

    def __init__(self) -> None:
        super().__init__("")

    def __str__(self) -> str:
        raise RuntimeError(SECRET_TEXT)


class BrokenHeaders(NotFound):
    """A Werkzeug error whose ``get_headers`` raises."""

    def get_headers(self, *args: t.Any, **kwargs: t.Any) -> list[tuple[str, str]]:
        raise RuntimeError(SECRET_TEXT)


class BrokenJSONProvider(DefaultJSONProvider):
    """A custom JSON provider that cannot write a response.

    (Its ``dumps`` must work: Flask's session cookie needs it on every request.)
    """

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        raise RuntimeError(SECRET_TEXT)


def _create_app(**config: t.Any) -> Flask:
    app = Flask(__name__)
    app.config.update(PROPAGATE_EXCEPTIONS=False, SECRET_KEY="s3cr3t-k3y", **config)
    ext = StatusEnvelope(app)
    ext.register_exception(TimeoutError, 504)
    ext.register_exception(ConnectionError, 502, "The upstream service failed.")
    ext.register_exception(LookupError, 400)

    @app.get("/crash")
    def crash() -> t.NoReturn:
        raise RuntimeError(SECRET_TEXT)

    @app.get("/attribute")
    def attribute() -> t.Any:
        return types.SimpleNamespace().secret_attribute

    @app.get("/async-crash")
    async def async_crash() -> t.NoReturn:
        raise RuntimeError(SECRET_TEXT)

    @app.get("/timeout")
    def timeout() -> t.NoReturn:
        raise TimeoutError(f"upstream-db.internal:5432 {SECRET_TEXT}")

    @app.get("/connection")
    def connection() -> t.NoReturn:
        raise ConnectionRefusedError(f"connection refused by 10.0.0.7 {SECRET_TEXT}")

    @app.get("/lookup")
    def lookup() -> t.NoReturn:
        raise KeyError(SECRET_TEXT)

    @app.get("/handler-raises")
    def handler_raises() -> t.NoReturn:
        raise ArithmeticError("first")

    @app.errorhandler(ArithmeticError)
    def arithmetic(error: ArithmeticError) -> t.NoReturn:
        raise RuntimeError(SECRET_TEXT)

    @app.get("/config")
    def config_view() -> t.NoReturn:
        raise ValueError(app.config["SECRET_KEY"])

    @app.get("/unprintable")
    def unprintable() -> t.NoReturn:
        description: t.Any = Unprintable()
        raise NotFound(description=description)

    @app.get("/broken-headers")
    def broken_headers() -> t.NoReturn:
        raise BrokenHeaders()

    @app.get("/forbidden")
    def forbidden() -> t.NoReturn:
        abort_with(403, "Token is disabled")

    @app.post("/json")
    def json_view() -> dict[str, t.Any]:
        return {"got": request.get_json()}

    @app.get("/gone")
    def gone() -> t.NoReturn:
        abort(410)

    return app


@pytest.fixture
def app() -> Flask:
    return _create_app()


#: The caller's request id every request of these tests sends: the envelope's
#: header and the 5xx log lines carry it.
RID = "req-42"


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_X_REQUEST_ID"] = RID
    return client


SERVER_ERRORS = [
    ("/crash", SERVER_ERROR),
    ("/async-crash", SERVER_ERROR),
    ("/attribute", SERVER_ERROR),
    ("/handler-raises", SERVER_ERROR),
    ("/config", SERVER_ERROR),
    ("/broken-headers", SERVER_ERROR),
    ("/timeout", envelope(504, "Gateway Timeout", PAGE_MESSAGES[504])),
    ("/connection", envelope(502, "Bad Gateway", "The upstream service failed.")),
]


@pytest.mark.parametrize(("path", "expected"), SERVER_ERRORS)
def test_server_errors_leak_nothing(
    client: t.Any, path: str, expected: dict[str, t.Any]
) -> None:
    response = client.get(path)
    assert assert_envelope(response, expected["status"]["code"]) == expected
    assert sorted(response.headers.items()) == [
        ("Content-Length", response.headers["Content-Length"]),
        ("Content-Type", "application/json"),
        ("Vary", "Accept"),
        ("X-Request-ID", RID),
    ]
    check_no_leak(response)


def test_mapped_client_error_leaks_nothing(client: t.Any) -> None:
    response = client.get("/lookup")
    assert assert_envelope(response, 400) == envelope(
        400, "Bad Request", PAGE_MESSAGES[400]
    )
    check_no_leak(response)


@pytest.mark.parametrize(
    ("path", "exception", "match"),
    [
        ("/crash", RuntimeError, "^secret: database password is hunter2"),
        ("/attribute", AttributeError, "has no attribute 'secret_attribute'$"),
        ("/config", ValueError, "^s3cr3t-k3y$"),
    ],
)
@pytest.mark.parametrize("config", [{"DEBUG": True}, {"TESTING": True}])
def test_debug_and_testing_propagate(
    path: str, exception: type[Exception], match: str, config: dict[str, t.Any]
) -> None:
    app = _create_app()
    app.config.update(PROPAGATE_EXCEPTIONS=None, **config)
    with pytest.raises(exception, match=match):
        app.test_client().get(path)


# --- failure of the envelope itself ------------------------------------------------


def test_message_whose_str_raises(
    client: t.Any, caplog: pytest.LogCaptureFixture
) -> None:
    response = client.get("/unprintable")
    assert assert_envelope(response, 500) == LAST_RESORT
    check_no_leak(response)
    assert [r.getMessage() for r in caplog.records] == [
        f"flask-status-envelope could not build an envelope [request_id={RID}]"
    ]
    exc_info = caplog.records[0].exc_info
    assert exc_info is not None and exc_info[1] is not None
    assert exc_info[1].args == (SECRET_TEXT,)


def test_broken_response_class(caplog: pytest.LogCaptureFixture) -> None:
    class BrokenResponse(Response):
        # Fails for the envelope only: the test client builds this class too.
        def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
            if "content_type" in kwargs:
                raise RuntimeError(SECRET_TEXT)
            super().__init__(*args, **kwargs)

    app = Flask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.response_class = BrokenResponse
    StatusEnvelope(app)
    response = app.test_client().get("/missing", headers={"X-Request-ID": RID})
    assert assert_envelope(response, 500) == LAST_RESORT
    check_no_leak(response)
    assert [r.getMessage() for r in caplog.records] == [
        f"flask-status-envelope could not build an envelope [request_id={RID}]"
    ]


def test_broken_messages_config(
    app: Flask, client: t.Any, caplog: pytest.LogCaptureFixture
) -> None:
    # Changed after init_app, past its checks: bytes cannot be a JSON string.
    app.config["STATUS_ENVELOPE_MESSAGES"] = {410: SECRET_TEXT.encode()}
    response = client.get("/gone")
    assert assert_envelope(response, 500) == LAST_RESORT
    check_no_leak(response)
    assert [r.levelno for r in caplog.records] == [logging.ERROR]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        *SERVER_ERRORS,
        ("/forbidden", envelope(403, "Forbidden", "Token is disabled")),
        ("/missing", envelope(404, "Not Found", PAGE_MESSAGES[404])),
    ],
)
def test_broken_json_provider_is_not_needed(
    app: Flask, client: t.Any, path: str, expected: dict[str, t.Any]
) -> None:
    app.json = BrokenJSONProvider(app)
    response = client.get(path)
    assert assert_envelope(response, expected["status"]["code"]) == expected
    check_no_leak(response)


def test_broken_headers_are_logged_once(
    client: t.Any, caplog: pytest.LogCaptureFixture
) -> None:
    response = client.get("/broken-headers")
    assert assert_envelope(response, 500) == SERVER_ERROR
    check_no_leak(response)
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.ERROR, f"Exception on /broken-headers [GET] [request_id={RID}]")
    ]


# --- logging -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "exception"),
    [
        ("/crash", RuntimeError),
        ("/async-crash", RuntimeError),
        ("/attribute", AttributeError),
        ("/handler-raises", RuntimeError),
        ("/timeout", TimeoutError),
        ("/connection", ConnectionRefusedError),
    ],
)
def test_server_errors_are_logged_once_with_traceback(
    client: t.Any,
    caplog: pytest.LogCaptureFixture,
    path: str,
    exception: type[Exception],
) -> None:
    client.get(path)
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.levelno, r.getMessage()) for r in records] == [
        (logging.ERROR, f"Exception on {path} [GET] [request_id={RID}]")
    ]
    assert records[0].exc_info is not None
    assert type(records[0].exc_info[1]) is exception
    assert records[0].exc_info[2] is not None


@pytest.mark.parametrize(
    ("method", "path", "data", "code"),
    [
        ("GET", "/forbidden", None, 403),
        ("GET", "/missing", None, 404),
        ("POST", "/crash", None, 405),
        ("GET", "/gone", None, 410),
        ("GET", "/lookup", None, 400),
        ("POST", "/json", b"{bad json", 400),
        ("GET", "/unknown%zz", None, 404),
    ],
)
def test_client_errors_are_not_logged_as_errors(
    client: t.Any,
    caplog: pytest.LogCaptureFixture,
    method: str,
    path: str,
    data: bytes | None,
    code: int,
) -> None:
    caplog.set_level(logging.DEBUG)
    response = client.open(
        path, method=method, data=data, content_type="application/json"
    )
    assert_envelope(response, code)
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_after_request_hook_that_raises(caplog: pytest.LogCaptureFixture) -> None:
    app = _create_app()

    @app.after_request
    def broken_hook(response: Response) -> Response:
        raise RuntimeError(SECRET_TEXT)

    response = app.test_client().get("/forbidden", headers={"X-Request-ID": RID})
    # The hook fails on the 403, then again on the 500 that replaces it, which
    # Flask logs and sends anyway.
    assert assert_envelope(response, 500) == SERVER_ERROR
    check_no_leak(response)
    assert [r.getMessage() for r in caplog.records] == [
        f"Exception on /forbidden [GET] [request_id={RID}]",
        "Request finalizing failed with an error while handling an error"
        f" [request_id={RID}]",
    ]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/forbidden", envelope(403, "Forbidden", "Token is disabled")),
        ("/missing", envelope(404, "Not Found", PAGE_MESSAGES[404])),
        ("/timeout", envelope(504, "Gateway Timeout", PAGE_MESSAGES[504])),
    ],
)
def test_debug_mode_still_answers_http_errors_with_the_envelope(
    path: str, expected: dict[str, t.Any]
) -> None:
    app = _create_app()
    app.config.update(PROPAGATE_EXCEPTIONS=None, DEBUG=True)
    response = app.test_client().get(path)
    assert assert_envelope(response, expected["status"]["code"]) == expected


def test_got_request_exception_still_fires(app: Flask, client: t.Any) -> None:
    seen: list[tuple[Flask, BaseException]] = []

    def subscriber(sender: Flask, exception: BaseException, **extra: t.Any) -> None:
        seen.append((sender, exception))

    with got_request_exception.connected_to(subscriber, app):
        response = client.get("/crash")
    assert assert_envelope(response, 500) == SERVER_ERROR
    assert [(sender, type(error), error.args) for sender, error in seen] == [
        (app, RuntimeError, (SECRET_TEXT,))
    ]
