from __future__ import annotations

import gc
import json
import logging
import typing as t
import weakref

import pytest
from flask import Blueprint, Flask, Request, Response, abort, request
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
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
from werkzeug.test import EnvironBuilder, TestResponse

from flask_status_envelope import StatusEnvelope, abort_with, deprecated
from flask_status_envelope.codes import PAGE_MESSAGES, PAGE_TEXTS

from .conftest import body_of, envelope

PAGE_ERROR_CODES = sorted(PAGE_MESSAGES)


class InsufficientBalance(Forbidden):
    description = "Insufficient balance"


def answer(response: TestResponse) -> tuple[int, t.Any]:
    """The status and the JSON body of an envelope response, to compare at once."""
    return response.status_code, body_of(response)


@pytest.mark.parametrize("code", PAGE_ERROR_CODES)
def test_every_page_code_has_the_pages_text_and_message(
    app: Flask, client: FlaskClient, code: int
) -> None:
    @app.get("/fail")
    def fail() -> None:
        abort(code)

    r = client.get("/fail")
    assert r.status_code == code
    assert r.headers["Content-Type"] == "application/json"
    assert body_of(r) == envelope(code, PAGE_TEXTS[code], PAGE_MESSAGES[code])


def test_body_is_compact_utf8_json_in_contract_order(
    app: Flask, client: FlaskClient
) -> None:
    @app.get("/me")
    def me() -> None:
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
    app: Flask, client: FlaskClient, raise_it: object, code: int, message: str
) -> None:
    app.add_url_rule("/fail", "fail", raise_it)  # type: ignore[arg-type]

    r = client.get("/fail")
    assert (r.status_code, body_of(r)) == (code, envelope(code, PAGE_TEXTS[code],
                                                          message))  # fmt: skip


@pytest.mark.parametrize(
    "message",
    [
        "Ünïcödé — 日本語 ✓ 🚀",
        "Quotes \" and ' and \\ backslash",
        "<script>alert('x')</script> &amp; <b>bold</b>",
        "line\nbreak\ttab\x00nul",
        "",
    ],
)
def test_messages_round_trip_as_data(
    app: Flask, client: FlaskClient, message: str
) -> None:
    @app.get("/fail")
    def fail() -> None:
        abort_with(409, message)

    r = client.get("/fail")
    assert answer(r) == (409, envelope(409, "Conflict", message))


def test_routing_404_uses_the_pages_message(client: FlaskClient) -> None:
    r = client.get("/no/such/thing")
    assert r.status_code == 404
    assert body_of(r) == envelope(404, "Not Found", PAGE_MESSAGES[404])


def test_routing_405_keeps_allow(app: Flask, client: FlaskClient) -> None:
    @app.route("/items", methods=["GET", "POST"])
    def items() -> str:
        return "ok"

    r = client.delete("/items")
    assert r.status_code == 405
    assert sorted(r.headers["Allow"].split(", ")) == ["GET", "HEAD", "OPTIONS", "POST"]
    assert body_of(r) == envelope(405, "Method Not Allowed", PAGE_MESSAGES[405])


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
    def orders() -> object:
        return request.json

    r = client.post("/orders", data=data, content_type=content_type)
    assert (r.status_code, body_of(r)) == (code, envelope(code, text, message))


def test_max_content_length_413(app: Flask, client: FlaskClient) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10

    @app.post("/upload")
    def upload() -> str:
        return request.get_data(as_text=True)

    r = client.post("/upload", data="x" * 100)
    assert r.status_code == 413
    assert body_of(r) == envelope(
        413,
        "Request Entity Too Large",
        "The data value transmitted exceeds the capacity limit.",
    )


def test_werkzeug_headers_are_kept(app: Flask, client: FlaskClient) -> None:
    challenge = WWWAuthenticate("bearer", {"realm": "api", "error": "invalid_token"})

    @app.get("/auth")
    def auth() -> None:
        raise Unauthorized(www_authenticate=challenge)

    @app.get("/slow")
    def slow() -> None:
        raise TooManyRequests(retry_after=30)

    r = client.get("/auth")
    assert r.headers["WWW-Authenticate"] == "Bearer realm=api, error=invalid_token"
    assert answer(r) == (401, envelope(401, "Unauthorized", PAGE_MESSAGES[401]))
    r = client.get("/slow")
    assert r.headers["Retry-After"] == "30"
    assert r.headers["Content-Type"] == "application/json"
    assert answer(r) == (429, envelope(429, "Too Many Requests", PAGE_MESSAGES[429]))


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
    def locked() -> None:
        raise Locked()

    r = client.get("/locked")
    assert r.headers.getlist("Content-Type") == ["application/json"]
    assert r.headers["X-Lock-Owner"] == "alice"
    assert answer(r) == (423, envelope(423, "Locked", "The order is being edited."))


def test_head_has_the_status_and_headers_without_body(
    app: Flask, client: FlaskClient
) -> None:
    @app.get("/me")
    def me() -> None:
        abort_with(401, "Invalid token.", headers={"WWW-Authenticate": "Bearer"})

    get, head = client.get("/me"), client.head("/me")
    assert (head.status_code, head.data) == (401, b"")
    assert head.headers == get.headers


def test_errors_in_blueprints_before_request_and_async_views(
    app: Flask, client: FlaskClient
) -> None:
    bp = Blueprint("shop", __name__, url_prefix="/shop")

    @bp.get("/cart")
    def cart() -> None:
        abort_with(403, "Account is disabled")

    @bp.get("/checkout")
    async def checkout() -> None:
        abort_with(403, "Insufficient balance")

    app.register_blueprint(bp)

    @app.before_request
    def closed() -> None:
        if request.path == "/closed":
            abort_with(403, "Insufficient permissions")

    assert answer(client.get("/shop/cart")) == (
        403,
        envelope(403, "Forbidden", "Account is disabled"),
    )
    assert answer(client.get("/shop/checkout")) == (
        403,
        envelope(403, "Forbidden", "Insufficient balance"),
    )
    assert answer(client.get("/shop/nothing")) == (
        404,
        envelope(404, "Not Found", PAGE_MESSAGES[404]),
    )
    assert answer(client.get("/closed")) == (
        403,
        envelope(403, "Forbidden", "Insufficient permissions"),
    )


def test_users_own_handlers_win(app: Flask, client: FlaskClient) -> None:
    bp = Blueprint("legacy", __name__, url_prefix="/legacy")

    @bp.get("/x")
    def legacy_x() -> None:
        abort(403)

    @bp.errorhandler(Forbidden)
    def bp_forbidden(e: Forbidden) -> tuple[str, int]:
        return "blueprint says no", 403

    app.register_blueprint(bp)

    @app.errorhandler(404)
    def app_not_found(e: NotFound) -> tuple[str, int]:
        return "app says missing", 404

    @app.get("/forbidden")
    def forbidden() -> None:
        abort(403)

    r = client.get("/legacy/x")
    assert (r.status_code, r.data) == (403, b"blueprint says no")
    r = client.get("/nowhere")
    assert (r.status_code, r.data) == (404, b"app says missing")
    assert answer(client.get("/forbidden")) == (
        403,
        envelope(403, "Forbidden", PAGE_MESSAGES[403]),
    )


def test_a_users_httpexception_handler_registered_first_is_kept() -> None:
    app = Flask(__name__)

    @app.errorhandler(HTTPException)
    def mine(e: HTTPException) -> tuple[str, int]:
        return "mine", e.code or 500

    StatusEnvelope(app)
    r = app.test_client().get("/missing")
    assert (r.status_code, r.data) == (404, b"mine")


def test_redirects_and_codeless_exceptions_are_not_touched(
    app: Flask, client: FlaskClient
) -> None:
    @app.get("/slash/")
    def slash() -> str:
        return "ok"

    @app.get("/custom")
    def custom() -> None:
        abort(Response("teapot body", status=418, mimetype="text/plain"))

    @app.get("/proxy")
    def proxy() -> None:
        raise HTTPException(response=Response("from proxy", status=502))

    @app.get("/not-found-with-response")
    def not_found_with_response() -> None:
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
    def choices() -> None:
        raise MultipleChoices()

    r = client.get("/choices")
    assert (r.status_code, r.mimetype) == (300, "text/html")
    assert b"<p>Pick one.</p>" in r.data


def test_unhandled_exception_is_a_500_envelope_without_internals(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    @app.get("/crash")
    def crash() -> None:
        raise RuntimeError("secret: database password is hunter2")

    with caplog.at_level(logging.ERROR):
        r = client.get("/crash")
    assert r.status_code == 500
    assert body_of(r) == envelope(500, "Internal Server Error", PAGE_MESSAGES[500])
    assert b"hunter2" not in r.data and b"RuntimeError" not in r.data
    errors = [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
    assert [rec.getMessage() for rec in errors] == ["Exception on /crash [GET]"]
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
    def crash() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        app.test_client().get("/crash")


def test_an_error_handler_that_raises_ends_in_a_500_envelope(
    app: Flask, client: FlaskClient
) -> None:
    @app.errorhandler(Forbidden)
    def broken_handler(e: Forbidden) -> None:
        raise KeyError("handler bug: api_key")

    @app.get("/forbidden")
    def forbidden() -> None:
        abort(403)

    r = client.get("/forbidden")
    assert r.status_code == 500
    assert body_of(r) == envelope(500, "Internal Server Error", PAGE_MESSAGES[500])


def test_explicit_internal_server_error_keeps_its_reason(
    app: Flask, client: FlaskClient
) -> None:
    @app.get("/fail")
    def fail() -> None:
        raise InternalServerError("Payment provider misconfigured")

    assert answer(client.get("/fail")) == (
        500,
        envelope(500, "Internal Server Error", "Payment provider misconfigured"),
    )


def test_configured_messages_replace_defaults_only(
    app: Flask, client: FlaskClient
) -> None:
    app.config["STATUS_ENVELOPE_MESSAGES"] = {404: "Nothing here.", 403: "Nope."}

    @app.get("/forbidden")
    def forbidden() -> None:
        abort_with(403, "Token is disabled")

    assert answer(client.get("/missing")) == (
        404,
        envelope(404, "Not Found", "Nothing here."),
    )
    assert answer(client.get("/forbidden")) == (
        403,
        envelope(403, "Forbidden", "Token is disabled"),
    )


def test_config_set_before_init_app_is_kept_and_changes_take_effect() -> None:
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_MESSAGES"] = {404: "First."}
    StatusEnvelope(app)
    client = app.test_client()
    assert answer(client.get("/x")) == (404, envelope(404, "Not Found", "First."))
    app.config["STATUS_ENVELOPE_MESSAGES"][404] = "Second."
    assert answer(client.get("/x")) == (404, envelope(404, "Not Found", "Second."))
    app.config["STATUS_ENVELOPE_MESSAGES"] = {}
    assert answer(client.get("/x")) == (
        404,
        envelope(404, "Not Found", PAGE_MESSAGES[404]),
    )


@pytest.mark.parametrize(
    ("messages", "error", "match"),
    [
        ([(404, "x")], TypeError, "must be a dict of status code to message, got list"),
        ({"404": "x"}, ValueError, r"STATUS_ENVELOPE_MESSAGES: .*got '404' \(str\)"),
        ({200: "x"}, ValueError, "STATUS_ENVELOPE_MESSAGES: .*got 200"),
        ({404: b"x"}, TypeError, r"STATUS_ENVELOPE_MESSAGES\[404\] must be a str"),
    ],
)
def test_bad_configuration_fails_at_init_app(
    messages: object, error: type[Exception], match: str
) -> None:
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_MESSAGES"] = messages
    with pytest.raises(error, match=match):
        StatusEnvelope(app)


def test_app_factory_and_several_apps_with_their_own_config() -> None:
    ext = StatusEnvelope()

    def create_app(message: str) -> Flask:
        app = Flask(__name__)
        app.config["STATUS_ENVELOPE_MESSAGES"] = {404: message}
        ext.init_app(app)
        return app

    one, two = create_app("one"), create_app("two")
    assert one.extensions["status_envelope"] is not two.extensions["status_envelope"]
    assert answer(one.test_client().get("/x")) == (
        404,
        envelope(404, "Not Found", "one"),
    )
    assert answer(two.test_client().get("/x")) == (
        404,
        envelope(404, "Not Found", "two"),
    )
    assert not hasattr(ext, "app")


def test_an_app_without_the_extension_is_untouched() -> None:
    StatusEnvelope(Flask("with"))
    r = Flask("without").test_client().get("/missing")
    assert (r.status_code, r.mimetype) == (404, "text/html")


def test_second_registration_says_what_to_do(app: Flask) -> None:
    with pytest.raises(
        RuntimeError,
        match="A 'StatusEnvelope' instance has already been registered on this Flask"
        " app. Import and use that instance instead.",
    ):
        StatusEnvelope(app)


class UpstreamTimeout(TimeoutError):
    pass


def test_register_exception_before_and_after_init_app() -> None:
    ext = StatusEnvelope()
    ext.register_exception(TimeoutError, 504)
    before = Flask("before")
    ext.init_app(before)
    after = Flask("after")
    ext.init_app(after)
    ext.register_exception(ConnectionError, 502, message="The bank is not answering.")

    for app in (before, after):

        @app.get("/timeout")
        def timeout() -> None:
            raise UpstreamTimeout("db-7.internal:5432 timed out after 30s")

        @app.get("/refused")
        def refused() -> None:
            raise ConnectionRefusedError("10.0.0.7 refused")

        client = app.test_client()
        r = client.get("/timeout")
        assert (r.status_code, body_of(r)) == (
            504,
            envelope(504, "Gateway Timeout", PAGE_MESSAGES[504]),
        )
        r = client.get("/refused")
        assert (r.status_code, body_of(r)) == (
            502,
            envelope(502, "Bad Gateway", "The bank is not answering."),
        )


def test_register_exception_again_changes_the_answer(
    app: Flask, client: FlaskClient
) -> None:
    ext = app.extensions["status_envelope"].extension
    ext.register_exception(LookupError, 404)
    ext.register_exception(LookupError, 400, message="Unknown key.")

    @app.get("/lookup")
    def lookup() -> None:
        raise KeyError("internal_key")

    assert answer(client.get("/lookup")) == (
        400,
        envelope(400, "Bad Request", "Unknown key."),
    )


def test_register_exception_keeps_a_users_handler(
    app: Flask, client: FlaskClient
) -> None:
    @app.errorhandler(TimeoutError)
    def mine(e: TimeoutError) -> tuple[str, int]:
        return "mine", 599

    app.extensions["status_envelope"].extension.register_exception(TimeoutError, 504)

    @app.get("/t")
    def t() -> None:
        raise TimeoutError()

    r = client.get("/t")
    assert (r.status_code, r.data) == (599, b"mine")


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (
            (TimeoutError(), 504),
            TypeError,
            "takes an exception class, got TimeoutError",
        ),
        ((int, 504), TypeError, "takes an exception class, got <class 'int'>"),
        ((NotFound, 410), TypeError, "'NotFound' is an HTTPException"),
        ((TimeoutError, 200), ValueError, "from 400 to 599, got 200"),
        ((TimeoutError, "504"), ValueError, r"got '504' \(str\)"),
        ((TimeoutError, 504, b"slow"), TypeError, "message must be a str or None"),
    ],
)
def test_register_exception_rejects_bad_arguments(
    args: tuple[object, ...], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        StatusEnvelope().register_exception(*args)  # type: ignore[arg-type]


@given(st.text())
@settings(max_examples=50, deadline=None)
def test_the_envelope_has_the_same_bytes_as_a_json_dumps_rendering(
    message: str,
) -> None:
    app = Flask(__name__)
    StatusEnvelope(app)

    @app.get("/forbidden")
    def forbidden() -> None:
        abort_with(403, message)

    r = app.test_client().get("/forbidden")
    expected = {"status": {"code": 403, "text": "Forbidden", "message": message}}
    assert r.status_code == 403
    assert r.mimetype == "application/json"
    assert r.data == (json.dumps(expected, separators=(",", ":")) + "\n").encode()


def test_apps_with_different_messages_for_a_code_each_get_their_own() -> None:
    configured = Flask(__name__)
    configured.config["STATUS_ENVELOPE_MESSAGES"] = {404: "Nothing here."}
    plain = Flask(__name__)
    for app in (configured, plain):
        StatusEnvelope(app)
    for _ in range(2):
        assert answer(configured.test_client().get("/x")) == (
            404,
            envelope(404, "Not Found", "Nothing here."),
        )
        assert answer(plain.test_client().get("/x")) == (
            404,
            envelope(404, "Not Found", PAGE_MESSAGES[404]),
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
    def forbidden() -> None:
        abort_with(403, "Token is disabled")

    @app.get("/limited")
    def limited() -> None:
        abort_with(429, retry_after=30)

    requests: list[weakref.ref[Request]] = []

    @app.teardown_request
    def remember(exc: BaseException | None) -> None:
        requests.append(weakref.ref(request._get_current_object()))  # type: ignore[attr-defined]

    environ = EnvironBuilder(path=url, method=method).get_environ()
    statuses: list[str] = []
    gc.collect()
    gc.disable()
    try:
        body = app(environ, lambda s, h, e=None: statuses.append(s))
        b"".join(body)
        body.close()  # type: ignore[attr-defined]
        del body, environ
        assert [int(s.split()[0]) for s in statuses] == [status]
        assert [ref() for ref in requests] == [None]
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("maintenance", "code", "message", "retry_after"),
    [
        (True, 503, PAGE_MESSAGES[503], "300"),
        (False, 410, PAGE_MESSAGES[410], None),
    ],
)
def test_maintenance_answers_before_a_retired_endpoint(
    app: Flask,
    client: FlaskClient,
    maintenance: bool,
    code: int,
    message: str,
    retry_after: str | None,
) -> None:
    # Both checks run in the extension's one before_request hook: maintenance
    # answers every request, and a deprecated endpoint's headers are on that answer.
    app.config["STATUS_ENVELOPE_MAINTENANCE"] = maintenance

    @app.get("/v0/report")
    @deprecated(since="2026-01-01", sunset="2026-02-01")
    def report() -> str:
        return "never"

    r = client.get("/v0/report")
    assert (r.status_code, body_of(r)) == (
        code,
        envelope(code, PAGE_TEXTS[code], message),
    )
    assert (
        r.headers["Deprecation"],
        r.headers["Sunset"],
        r.headers.get("Retry-After"),
    ) == (
        "@1767225600",
        "Sun, 01 Feb 2026 00:00:00 GMT",
        retry_after,
    )


def test_init_app_after_the_first_request_changes_nothing() -> None:
    app = Flask(__name__)
    app.test_client().get("/")
    with pytest.raises(AssertionError, match="can no longer be called on the app"):
        StatusEnvelope(app)
    assert "status_envelope" not in app.extensions
    assert app.before_request_funcs == {}


@pytest.mark.parametrize("maintenance", [True, False])
def test_cors_preflights_pass_maintenance_and_retired_endpoints(
    app: Flask, client: FlaskClient, maintenance: bool
) -> None:
    app.config["STATUS_ENVELOPE_MAINTENANCE"] = maintenance

    @app.get("/v0/report")
    @deprecated(since="2026-01-01", sunset="2026-02-01")
    def report() -> str:
        return "never"

    r = client.options("/v0/report")
    assert (r.status_code, r.data) == (200, b"")
    assert (sorted(r.headers["Allow"].split(", ")), r.headers["Sunset"]) == (
        ["GET", "HEAD", "OPTIONS"],
        "Sun, 01 Feb 2026 00:00:00 GMT",
    )


def test_explicit_options_views_still_answer_maintenance(
    app: Flask, client: FlaskClient
) -> None:
    app.config["STATUS_ENVELOPE_MAINTENANCE"] = True

    @app.route("/things", methods=["OPTIONS"])
    def things() -> str:
        return "mine"

    r = client.options("/things")
    assert (r.status_code, body_of(r)) == (
        503,
        envelope(503, "Service Unavailable", PAGE_MESSAGES[503]),
    )


def test_a_response_class_set_after_init_app_is_used(
    app: Flask, client: FlaskClient
) -> None:
    class TaggedResponse(Response):
        def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
            super().__init__(*args, **kwargs)
            self.headers["X-Tagged"] = "yes"

    app.response_class = TaggedResponse
    r = client.get("/missing")
    assert (r.status_code, r.headers["X-Tagged"], body_of(r)) == (
        404,
        "yes",
        envelope(404, "Not Found", PAGE_MESSAGES[404]),
    )
