"""The error path: from an exception to the envelope's status, headers and bytes."""

from __future__ import annotations

import gc
import json
import logging
import typing as t
import weakref

import pytest
from flask import Blueprint, Flask, Request, Response, abort, request
from flask.testing import FlaskClient
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    HTTPException,
    InternalServerError,
    NotFound,
    TooManyRequests,
    Unauthorized,
)
from werkzeug.test import EnvironBuilder
from werkzeug.wsgi import ClosingIterator

from flask_status_envelope import StatusEnvelope, abort_with, envelope_response
from flask_status_envelope.codes import PAGE_MESSAGES, PAGE_TEXTS
from flask_status_envelope.testing import assert_envelope

from .conftest import envelope

#: Not a str: the envelope sends ``str()`` of it.
FORTY_TWO: t.Any = 42


class NoDescription(HTTPException):
    """A 404 that carries no description at all."""

    code = 404


@pytest.mark.parametrize(
    ("error", "messages", "expected"),
    [
        (NoDescription(), {}, PAGE_MESSAGES[404]),
        (NoDescription(), {404: "Configured."}, "Configured."),
        # Werkzeug's own description is no reason: the page's message is sent.
        (NotFound(), {}, PAGE_MESSAGES[404]),
        (NotFound(), {404: "Configured."}, "Configured."),
        (NotFound("User 7 does not exist"), {404: "Configured."},
         "User 7 does not exist"),
        # Not text: never str() of it, which could send a repr; the default.
        (NotFound(description=FORTY_TWO), {}, PAGE_MESSAGES[404]),
    ],
    ids=["none", "none-configured", "stock", "stock-configured", "raisers",
         "not-a-str"],
)  # fmt: skip
def test_the_message_is_the_raisers_else_the_configured_else_the_pages(
    app: Flask,
    client: FlaskClient,
    error: HTTPException,
    messages: dict[int, str],
    expected: str,
) -> None:
    app.config["STATUS_ENVELOPE_MESSAGES"] = messages

    @app.get("/fail")
    def fail() -> t.NoReturn:
        raise error

    r = client.get("/fail")
    assert assert_envelope(r, 404) == envelope(404, "Not Found", expected)


def test_envelope_response_outside_an_app() -> None:
    r = envelope_response(403, "Token is disabled", headers={"X-Reason": "token"})
    assert type(r) is Response
    assert (r.status_code, r.mimetype, r.headers["X-Reason"]) == (
        403,
        "application/json",
        "token",
    )
    assert assert_envelope(r, 403) == envelope(403, "Forbidden", "Token is disabled")
    assert assert_envelope(envelope_response(404), 404) == envelope(
        404, "Not Found", PAGE_MESSAGES[404]
    )


def test_envelope_response_uses_the_apps_config_and_response_class() -> None:
    class MyResponse(Response):
        pass

    app = Flask(__name__)
    app.response_class = MyResponse
    app.config["STATUS_ENVELOPE_MESSAGES"] = {401: "Log in first."}
    StatusEnvelope(app)

    @app.before_request
    def require_login() -> Response:
        return envelope_response(401, headers={"WWW-Authenticate": "Bearer"})

    r = app.test_client().get("/anything")
    assert (r.status_code, r.headers["WWW-Authenticate"]) == (401, "Bearer")
    assert assert_envelope(r, 401) == envelope(401, "Unauthorized", "Log in first.")
    with app.test_request_context():
        assert type(envelope_response(401)) is MyResponse


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((200,), ValueError, "from 400 to 599, got 200"),
        ((403, b"x"), TypeError, "message must be a str or None, got bytes"),
        ((403, None, {"X-A": "\n"}), ValueError, "control character"),
    ],
)
def test_envelope_response_rejects_bad_arguments(
    args: tuple[t.Any, ...], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        envelope_response(*args)


class InsufficientBalance(Forbidden):
    description = "Insufficient balance"


def test_body_is_compact_utf8_json_in_contract_order(
    app: Flask, client: FlaskClient
) -> None:
    @app.get("/me")
    def me() -> t.NoReturn:
        abort_with(401, "Invalid token.")

    r = client.get("/me")
    assert r.data == (
        b'{"status":{"code":401,"text":"Unauthorized","message":"Invalid token."}}\n'
    )
    assert r.headers["Content-Length"] == str(len(r.data))


@pytest.mark.parametrize(
    ("raise_it", "code", "message"),
    [
        (lambda: abort_with(403, "Token is disabled"), 403, "Token is disabled"),
        (lambda: abort(404, "User 7 does not exist"), 404, "User 7 does not exist"),
        (lambda: abort(404, description="By keyword"), 404, "By keyword"),
        (lambda: (_ for _ in ()).throw(NotFound("No such order")), 404,
         "No such order"),
        (lambda: (_ for _ in ()).throw(InsufficientBalance()), 403,
         "Insufficient balance"),
        (lambda: (_ for _ in ()).throw(BadRequest()), 400, PAGE_MESSAGES[400]),
        (lambda: abort(500), 500, PAGE_MESSAGES[500]),
        (lambda: abort(500, "Disk full on replica"), 500, "Disk full on replica"),
    ],
)  # fmt: skip
def test_the_raisers_reason_is_kept_verbatim(
    app: Flask,
    client: FlaskClient,
    raise_it: t.Callable[[], t.NoReturn],
    code: int,
    message: str,
) -> None:
    app.add_url_rule("/fail", "fail", raise_it)

    r = client.get("/fail")
    assert assert_envelope(r, code) == envelope(code, PAGE_TEXTS[code],
                                                          message)  # fmt: skip


@pytest.mark.parametrize(
    "message",
    [
        "",
        "plain",
        "Ünïcödé — 日本語 ✓ 🚀",
        "Quotes \" and ' and \\ backslash",
        "<script>alert('x')</script> &amp; <b>bold</b>",
        "line\nbreak\ttab\x00nul\x1f",
        "\u2028\u2029\ufeff",
        "\ud800",
    ],
)
@pytest.mark.parametrize(
    ("code", "text"), [(401, "Unauthorized"), (420, "Unknown Error")]
)
def test_the_body_is_the_compact_json_of_the_envelope(
    app: Flask, client: FlaskClient, code: int, text: str, message: str
) -> None:
    # The bytes Flask's default JSON provider writes: compact, ASCII, keys in the
    # documented order, a trailing newline.
    @app.get("/fail")
    def fail() -> t.NoReturn:
        abort_with(code, message)

    r = client.get("/fail")
    expected = json.dumps(envelope(code, text, message), separators=(",", ":")) + "\n"
    assert r.data == expected.encode("ascii")


def test_routing_404_uses_the_pages_message(client: FlaskClient) -> None:
    r = client.get("/no/such/thing")
    assert assert_envelope(r, 404) == envelope(404, "Not Found", PAGE_MESSAGES[404])


def test_routing_405_keeps_allow(app: Flask, client: FlaskClient) -> None:
    @app.route("/items", methods=["GET", "POST"])
    def items() -> str:
        return "ok"

    r = client.delete("/items")
    assert sorted(r.headers["Allow"].split(", ")) == ["GET", "HEAD", "OPTIONS", "POST"]
    assert assert_envelope(r, 405) == envelope(
        405, "Method Not Allowed", PAGE_MESSAGES[405]
    )


@pytest.mark.parametrize(
    ("data", "content_type", "code", "text", "message"),
    [
        ("{bad json", "application/json", 400, "Bad Request", PAGE_MESSAGES[400]),
        # Flask gives its own reason for this one; it is kept.
        ("a=1", "text/plain", 415, "Unsupported Media Type",
         "Did not attempt to load JSON data because the request Content-Type was not"
         " 'application/json'."),
    ],
)  # fmt: skip
def test_request_body_errors(
    app: Flask,
    client: FlaskClient,
    data: str,
    content_type: str,
    code: int,
    text: str,
    message: str,
) -> None:
    @app.post("/orders")
    def orders() -> t.Any:
        return request.json

    r = client.post("/orders", data=data, content_type=content_type)
    assert assert_envelope(r, code) == envelope(code, text, message)


def test_max_content_length_413(app: Flask, client: FlaskClient) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10

    @app.post("/upload")
    def upload() -> str:
        return request.get_data(as_text=True)

    r = client.post("/upload", data="x" * 100)
    assert assert_envelope(r, 413) == envelope(
        413,
        "Request Entity Too Large",
        "The data value transmitted exceeds the capacity limit.",
    )


def test_werkzeug_headers_are_kept(app: Flask, client: FlaskClient) -> None:
    challenge = WWWAuthenticate("bearer", {"realm": "api", "error": "invalid_token"})

    @app.get("/auth")
    def auth() -> t.NoReturn:
        raise Unauthorized(www_authenticate=challenge)

    @app.get("/slow")
    def slow() -> t.NoReturn:
        raise TooManyRequests(retry_after=30)

    r = client.get("/auth")
    assert r.headers["WWW-Authenticate"] == "Bearer realm=api, error=invalid_token"
    assert assert_envelope(r, 401) == envelope(401, "Unauthorized", PAGE_MESSAGES[401])
    r = client.get("/slow")
    assert r.headers["Retry-After"] == "30"
    assert r.headers["Content-Type"] == "application/json"
    assert assert_envelope(r, 429) == envelope(
        429, "Too Many Requests", PAGE_MESSAGES[429]
    )


def test_custom_get_headers_are_kept_without_their_content_type(
    app: Flask, client: FlaskClient
) -> None:
    class Locked(HTTPException):
        code = 423
        description = "The order is being edited."

        def get_headers(
            self, environ: object = None, scope: object = None
        ) -> list[tuple[str, str]]:
            return [("Content-Type", "text/plain"), ("X-Lock-Owner", "alice")]

    @app.get("/locked")
    def locked() -> t.NoReturn:
        raise Locked()

    r = client.get("/locked")
    assert r.headers.getlist("Content-Type") == ["application/json"]
    assert r.headers["X-Lock-Owner"] == "alice"
    assert assert_envelope(r, 423) == envelope(
        423, "Locked", "The order is being edited."
    )


def test_head_has_the_status_and_headers_without_body(
    app: Flask, client: FlaskClient
) -> None:
    @app.get("/me")
    def me() -> t.NoReturn:
        abort_with(401, "Invalid token.", headers={"WWW-Authenticate": "Bearer"})

    caller = {"X-Request-ID": "req-7"}  # the same id on both answers
    get, head = client.get("/me", headers=caller), client.head("/me", headers=caller)
    assert assert_envelope(head, 401) == {}
    assert head.headers == get.headers


def test_errors_in_blueprints_and_before_request_hooks(
    app: Flask, client: FlaskClient
) -> None:
    bp = Blueprint("shop", __name__, url_prefix="/shop")

    @bp.get("/cart")
    def cart() -> t.NoReturn:
        abort_with(403, "Account is disabled")

    app.register_blueprint(bp)

    @app.before_request
    def closed() -> None:
        if request.path == "/closed":
            abort_with(403, "Insufficient permissions")

    assert assert_envelope(client.get("/shop/cart"), 403) == envelope(
        403, "Forbidden", "Account is disabled"
    )
    assert assert_envelope(client.get("/shop/nothing"), 404) == envelope(
        404, "Not Found", PAGE_MESSAGES[404]
    )
    assert assert_envelope(client.get("/closed"), 403) == envelope(
        403, "Forbidden", "Insufficient permissions"
    )


def test_redirects_and_codeless_exceptions_are_not_touched(
    app: Flask, client: FlaskClient
) -> None:
    @app.get("/slash/")
    def slash() -> str:
        return "ok"

    @app.get("/custom")
    def custom() -> t.NoReturn:
        abort(Response("teapot body", status=418, mimetype="text/plain"))

    @app.get("/proxy")
    def proxy() -> t.NoReturn:
        raise HTTPException(response=Response("from proxy", status=502))

    @app.get("/not-found-with-response")
    def not_found_with_response() -> t.NoReturn:
        raise NotFound(response=Response("chosen", status=404))

    r = client.get("/slash")
    assert (r.status_code, r.headers["Location"]) == (308, "http://localhost/slash/")
    r = client.get("/custom")
    assert (r.status_code, r.mimetype, r.data) == (418, "text/plain", b"teapot body")
    r = client.get("/proxy")
    assert (r.status_code, r.data) == (502, b"from proxy")
    r = client.get("/not-found-with-response")
    assert (r.status_code, r.data) == (404, b"chosen")


def test_non_error_http_exceptions_keep_werkzeugs_response(
    app: Flask, client: FlaskClient
) -> None:
    class MultipleChoices(HTTPException):
        code = 300
        description = "Pick one."

    @app.get("/choices")
    def choices() -> t.NoReturn:
        raise MultipleChoices()

    r = client.get("/choices")
    assert (r.status_code, r.mimetype) == (300, "text/html")
    assert b"<p>Pick one.</p>" in r.data


def test_unhandled_exception_is_a_500_envelope_without_internals(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    @app.get("/crash")
    def crash() -> t.NoReturn:
        raise RuntimeError("secret: database password is hunter2")

    with caplog.at_level(logging.ERROR):
        r = client.get("/crash", headers={"X-Request-ID": "req-7"})
    assert assert_envelope(r, 500) == envelope(
        500, "Internal Server Error", PAGE_MESSAGES[500]
    )
    assert b"hunter2" not in r.data and b"RuntimeError" not in r.data
    errors = [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
    assert [rec.getMessage() for rec in errors] == [
        "Exception on /crash [GET] [request_id=req-7]"
    ]
    assert errors[0].exc_info is not None
    assert isinstance(errors[0].exc_info[1], RuntimeError)


@pytest.mark.parametrize(
    "config",
    [{"TESTING": True}, {"DEBUG": True}, {"PROPAGATE_EXCEPTIONS": True}],
)
def test_propagation_is_left_to_flask(config: dict[str, bool]) -> None:
    app = Flask(__name__)
    app.config.update(config)
    StatusEnvelope(app)

    @app.get("/crash")
    def crash() -> t.NoReturn:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        app.test_client().get("/crash")


def test_an_error_handler_that_raises_ends_in_a_500_envelope(
    app: Flask, client: FlaskClient
) -> None:
    @app.errorhandler(Forbidden)
    def broken_handler(e: Forbidden) -> t.NoReturn:
        raise KeyError("handler bug: api_key")

    @app.get("/forbidden")
    def forbidden() -> t.NoReturn:
        abort(403)

    r = client.get("/forbidden")
    assert assert_envelope(r, 500) == envelope(
        500, "Internal Server Error", PAGE_MESSAGES[500]
    )


def test_explicit_internal_server_error_keeps_its_reason(
    app: Flask, client: FlaskClient
) -> None:
    @app.get("/fail")
    def fail() -> t.NoReturn:
        raise InternalServerError("Payment provider misconfigured")

    assert assert_envelope(client.get("/fail"), 500) == envelope(
        500, "Internal Server Error", "Payment provider misconfigured"
    )


def test_configured_messages_replace_defaults_only(
    app: Flask, client: FlaskClient
) -> None:
    app.config["STATUS_ENVELOPE_MESSAGES"] = {404: "Nothing here.", 403: "Nope."}

    @app.get("/forbidden")
    def forbidden() -> t.NoReturn:
        abort_with(403, "Token is disabled")

    assert assert_envelope(client.get("/missing"), 404) == envelope(
        404, "Not Found", "Nothing here."
    )
    assert assert_envelope(client.get("/forbidden"), 403) == envelope(
        403, "Forbidden", "Token is disabled"
    )


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/ok", 200),
        ("GET", "/forbidden", 403),
        ("GET", "/no/such/url", 404),
        ("POST", "/ok", 405),
        ("GET", "/limited", 429),
    ],
)
def test_an_error_response_leaves_no_reference_cycle(
    app: Flask, method: str, url: str, status: int
) -> None:
    # A cycle would hold the request until the garbage collector runs: on a flood
    # of errors, that is a tenth of the cost of each request.
    @app.get("/ok")
    def ok() -> dict[str, str]:
        return {"ok": "yes"}

    @app.get("/forbidden")
    def forbidden() -> t.NoReturn:
        abort_with(403, "Token is disabled")

    @app.get("/limited")
    def limited() -> t.NoReturn:
        abort_with(429, retry_after=30)

    requests: list[weakref.ref[Request]] = []

    @app.teardown_request
    def remember(exc: BaseException | None) -> None:
        requests.append(weakref.ref(request._get_current_object()))  # type: ignore[attr-defined]

    environ = EnvironBuilder(path=url, method=method).get_environ()
    statuses: list[str] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: t.Any = None
    ) -> t.Callable[[bytes], object]:
        statuses.append(status)
        return lambda data: None

    gc.collect()
    gc.disable()
    try:
        body = app(environ, start_response)
        b"".join(body)
        assert isinstance(body, ClosingIterator)
        body.close()
        del body, environ
        assert [int(s.split()[0]) for s in statuses] == [status]
        assert [ref() for ref in requests] == [None]
    finally:
        gc.enable()
