"""STATUS_ENVELOPE_SCOPE on a mixed app: HTML pages and a JSON API blueprint under
/api.

In scope, every kind of error is the envelope (or problem details, on request).
Out of scope, the app answers byte for byte as the same app built without the
extension, and logs the same; maintenance and retired endpoints answer Flask's own
HTML pages for 503 and 410. Then which URLs a scope covers, on paths, subdomains
and hosts, and the errors for a scope the app cannot have.
"""

from __future__ import annotations

import json
import logging
import typing as t
from datetime import datetime, timezone
from functools import partial

import pytest
from flask import Blueprint, Flask, abort, got_request_exception, request
from werkzeug.exceptions import Gone, HTTPException, ServiceUnavailable
from werkzeug.test import TestResponse

from flask_status_envelope import StatusEnvelope, deprecated, envelope_response
from flask_status_envelope.codes import default_message, status_text

AFTER_SUNSET = datetime(2027, 1, 1, tzinfo=timezone.utc)
SCHEDULE: dict[str, t.Any] = {"since": "2026-01-01", "sunset": "2026-06-01"}
JSON = "application/json"
PROBLEM = "application/problem+json"
SCOPES = [["/api"], ["api"]]
READ_ONLY = ["GET", "HEAD", "OPTIONS"]


def make_app(
    extension: bool, user_handler: str | None = None, **config: t.Any
) -> Flask:
    """The mixed app, with or without the extension; everything else the same."""
    app = Flask(__name__)
    app.config.update(
        {
            "PROPAGATE_EXCEPTIONS": False,
            "MAX_CONTENT_LENGTH": 64,
            "STATUS_ENVELOPE_DEPRECATION_CLOCK": lambda: AFTER_SUNSET,
            **config,
        }
    )
    if extension:
        status_envelope = StatusEnvelope()
        status_envelope.register_exception(TimeoutError, 504, "The upstream timed out.")
        status_envelope.init_app(app)
    if user_handler == "exception":

        @app.errorhandler(Exception)
        def everything(error: Exception) -> tuple[str, int]:
            return f"<p>Sorry: {type(error).__name__}</p>", 500

    elif user_handler == "404":

        @app.errorhandler(404)
        def not_found(error: Exception) -> tuple[str, int]:
            return "<p>No such page</p>", 404

    app.get("/")(lambda: "<h1>Home</h1>")
    add_views(app, "page")
    api = Blueprint("api", __name__)
    api.get("/items")(lambda: {"items": []})
    add_views(api, "api")
    app.register_blueprint(api, url_prefix="/api")
    return app


def add_views(target: Flask | Blueprint, name: str) -> None:
    @target.get("/forbidden", endpoint=f"{name}_forbidden")
    def forbidden() -> str:
        abort(403)

    @target.get("/crash", endpoint=f"{name}_crash")
    def crash() -> str:
        raise RuntimeError("hunter2")

    @target.get("/slow", endpoint=f"{name}_slow")
    def slow() -> str:
        raise TimeoutError("upstream-db.internal")

    @target.post("/upload", endpoint=f"{name}_upload")
    def upload() -> str:
        return str(len(request.get_data()))

    @target.get("/old", endpoint=f"{name}_old")
    @deprecated(**SCHEDULE)
    def old() -> str:
        return "old"


def call(app: Flask, method: str, url: str, accept: str) -> TestResponse:
    data = b"x" * 100 if url.endswith("/upload") else None
    return app.test_client().open(
        url, method=method, data=data, headers={"Accept": accept}
    )


def wire(r: TestResponse) -> tuple[str, list[tuple[str, str]], bytes]:
    return r.status, r.headers.to_wsgi_list(), r.get_data()


# (kind, method, page URL, API URL, code in scope, message in scope, Allow)
KINDS = [
    ("view abort", "GET", "/forbidden", "/api/forbidden", 403, None, None),
    ("routing 404", "GET", "/nope", "/api/nope", 404, None, None),
    ("routing 405", "DELETE", "/", "/api/items", 405, None, READ_ONLY),
    ("body too large", "POST", "/upload", "/api/upload", 413, None, None),
    ("unhandled", "GET", "/crash", "/api/crash", 500, None, None),
    ("mapped", "GET", "/slow", "/api/slow", 504, "The upstream timed out.", None),
]
KIND_IDS = [kind[0] for kind in KINDS]


# -- Out of scope: as without the extension -------------------------------------------


@pytest.mark.parametrize("scope", SCOPES, ids=str)
@pytest.mark.parametrize("accept", [JSON, PROBLEM, "text/html"])
@pytest.mark.parametrize("user_handler", [None, "exception", "404"])
@pytest.mark.parametrize(("kind", "method", "url", "_a", "_c", "_m", "_h"), KINDS)
def test_out_of_scope_byte_for_byte_as_without_the_extension(
    scope: list[str],
    accept: str,
    user_handler: str | None,
    kind: str,
    method: str,
    url: str,
    _a: str,
    _c: int,
    _m: str | None,
    _h: list[str] | None,
) -> None:
    with_it = make_app(True, user_handler, STATUS_ENVELOPE_SCOPE=scope)
    without = make_app(False, user_handler)
    assert wire(call(with_it, method, url, accept)) == wire(
        call(without, method, url, accept)
    )


@pytest.mark.parametrize("url", ["/crash", "/slow"])
def test_out_of_scope_logs_and_signals_as_without_the_extension(
    caplog: pytest.LogCaptureFixture, url: str
) -> None:
    seen = []
    for app in (make_app(True, STATUS_ENVELOPE_SCOPE=["/api"]), make_app(False)):
        signalled: list[type[BaseException]] = []
        caplog.clear()
        with (
            got_request_exception.connected_to(partial(record_signal, signalled), app),
            caplog.at_level(logging.DEBUG),
        ):
            call(app, "GET", url, JSON)
        logs = [
            (r.name, r.levelname, r.getMessage(), r.exc_info and r.exc_info[0])
            for r in caplog.records
        ]
        seen.append((logs, signalled))
    raised = seen[1][1][0]
    assert (
        seen[0]
        == seen[1]
        == (
            [("tests.test_scope", "ERROR", f"Exception on {url} [GET]", raised)],
            [raised],
        )
    )


def record_signal(
    into: list[type[BaseException]],
    sender: Flask,
    exception: BaseException,
    **extra: t.Any,
) -> None:
    into.append(type(exception))


def flask_page(error: HTTPException) -> tuple[int, str | None, bytes]:
    """What Flask sends for an HTTPException nobody handles."""
    app = Flask(__name__)

    @app.get("/")
    def raise_it() -> str:
        raise error

    r = app.test_client().get("/")
    return r.status_code, r.headers.get("Content-Type"), r.get_data()


def test_out_of_scope_maintenance_is_flasks_503_page() -> None:
    app = make_app(
        True, STATUS_ENVELOPE_SCOPE=["/api"], STATUS_ENVELOPE_MAINTENANCE=True
    )
    r = call(app, "GET", "/", JSON)
    assert (r.status_code, r.headers.get("Content-Type"), r.get_data()) == flask_page(
        ServiceUnavailable(retry_after=300)
    )
    assert (r.headers.get("Retry-After"), r.headers.get("Vary")) == ("300", None)


def test_out_of_scope_a_user_503_page_wins_in_maintenance() -> None:
    app = make_app(
        True, STATUS_ENVELOPE_SCOPE=["/api"], STATUS_ENVELOPE_MAINTENANCE=True
    )
    app.register_error_handler(503, lambda e: ("<p>Back soon</p>", 503))
    r = call(app, "GET", "/", JSON)
    assert (r.status_code, r.get_data(as_text=True)) == (503, "<p>Back soon</p>")


def test_out_of_scope_a_retired_page_is_flasks_410_page_with_the_headers() -> None:
    r = call(make_app(True, STATUS_ENVELOPE_SCOPE=["api"]), "GET", "/old", JSON)
    assert (r.status_code, r.headers.get("Content-Type"), r.get_data()) == flask_page(
        Gone()
    )
    assert (r.headers.get("Deprecation"), r.headers.get("Sunset")) == (
        "@1767225600",
        "Mon, 01 Jun 2026 00:00:00 GMT",
    )


def test_envelope_response_is_the_envelope_anywhere() -> None:
    app = make_app(True, STATUS_ENVELOPE_SCOPE=["/api"])
    app.get("/login", endpoint="login")(
        lambda: envelope_response(401, "Invalid token.")
    )
    r = call(app, "GET", "/login", JSON)
    assert (r.status_code, r.get_json()) == (
        401,
        {"status": {"code": 401, "text": "Unauthorized", "message": "Invalid token."}},
    )


# -- In scope: the envelope, or problem details on request ----------------------------


def envelope_body(code: int, message: str) -> dict[str, t.Any]:
    return {"status": {"code": code, "text": status_text(code), "message": message}}


def problem_body(code: int, message: str) -> dict[str, t.Any]:
    return {
        "type": "about:blank",
        "title": status_text(code),
        "status": code,
        "detail": message,
    }


BODIES = {JSON: envelope_body, PROBLEM: problem_body}
# Accept header -> the media type it gets.
ACCEPTS = {JSON: JSON, PROBLEM: PROBLEM, "*/*": JSON, "text/html": JSON}


def answer(r: TestResponse) -> tuple[int, str, t.Any, str | None, list[str] | None]:
    allow = r.headers.get("Allow")
    return (
        r.status_code,
        r.headers["Content-Type"],
        json.loads(r.get_data()),
        r.headers.get("Vary"),
        None if allow is None else sorted(allow.split(", ")),
    )


@pytest.mark.parametrize("scope", SCOPES, ids=str)
@pytest.mark.parametrize("accept", list(ACCEPTS))
@pytest.mark.parametrize(
    ("kind", "method", "_p", "url", "code", "message", "allow"), KINDS
)
def test_in_scope(
    scope: list[str],
    accept: str,
    kind: str,
    method: str,
    _p: str,
    url: str,
    code: int,
    message: str | None,
    allow: list[str] | None,
) -> None:
    r = call(make_app(True, STATUS_ENVELOPE_SCOPE=scope), method, url, accept)
    media = ACCEPTS[accept]
    body = BODIES[media](code, message or default_message(code))
    assert answer(r) == (code, media, body, "Accept", allow)


@pytest.mark.parametrize("scope", SCOPES, ids=str)
@pytest.mark.parametrize("accept", [JSON, PROBLEM])
@pytest.mark.parametrize(
    ("config", "url", "code", "header", "value"),
    [
        ({"STATUS_ENVELOPE_MAINTENANCE": True}, "/api/items", 503, "Retry-After",
         "300"),
        ({}, "/api/old", 410, "Deprecation", "@1767225600"),
    ],
)  # fmt: skip
def test_in_scope_maintenance_and_retired(
    scope: list[str],
    accept: str,
    config: dict[str, t.Any],
    url: str,
    code: int,
    header: str,
    value: str,
) -> None:
    app = make_app(True, STATUS_ENVELOPE_SCOPE=scope, **config)
    r = call(app, "GET", url, accept)
    body = BODIES[accept](code, default_message(code))
    assert (answer(r), r.headers.get(header)) == (
        (code, accept, body, "Accept", None),
        value,
    )


def test_in_scope_the_users_handler_for_a_code_still_wins() -> None:
    app = make_app(True, "404", STATUS_ENVELOPE_SCOPE=["/api"])
    r = call(app, "GET", "/api/nope", JSON)
    assert (r.status_code, r.get_data(as_text=True)) == (404, "<p>No such page</p>")


# -- Which URLs a scope covers ---------------------------------------------------------


def view(name: str) -> t.Callable[..., str]:
    """A view that fails: the answer tells whether its URL is in scope."""

    def fail(**values: t.Any) -> str:
        abort(403)

    fail.__name__ = name
    return fail


def in_scope(app: Flask, url: str, method: str = "GET") -> bool:
    """Whether the error at ``url`` is the extension's JSON, not Flask's HTML."""
    r = app.test_client().open(url, method=method)
    assert (r.status_code in (403, 404, 405), r.mimetype in (JSON, "text/html")) == (
        True,
        True,
    )
    return r.mimetype == JSON


def path_app(items: list[str]) -> Flask:
    """HTML pages, an API blueprint whose prefix is given at registration, nested
    blueprints with and without a prefix of their own, a blueprint without prefix,
    and one with a single rule."""
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_SCOPE"] = items
    StatusEnvelope(app)
    app.get("/")(view("index"))
    app.get("/about")(view("about"))
    app.get("/api/health")(view("health"))  # an app route under api's prefix
    app.get("/<lang>/manual")(view("manual"))  # may or may not be under a prefix
    api = Blueprint("api", __name__)
    api.get("/items")(view("items"))
    v1 = Blueprint("v1", __name__)
    v1.get("/things")(view("things"))
    api.register_blueprint(v1, url_prefix="/v1")
    shared = Blueprint("shared", __name__)
    shared.get("/shared")(view("shared"))
    api.register_blueprint(shared)
    app.register_blueprint(api, url_prefix="/api")
    pages = Blueprint("pages", __name__)
    pages.get("/contact")(view("contact"))
    app.register_blueprint(pages)
    shop = Blueprint("shop", __name__)
    shop.get("/items")(view("shop_items"))
    app.register_blueprint(shop, url_prefix="/shop")
    return app


PREFIX_API = [
    ("GET", "/api/items", True),
    ("GET", "/api", True),
    ("GET", "/api/", True),
    ("GET", "/api/nope", True),
    ("POST", "/api/items", True),
    ("GET", "/api/health", True),
    ("GET", "/apis", False),
    ("GET", "/apis/items", False),
    ("GET", "/about", False),
    ("GET", "/nope", False),
    ("POST", "/contact", False),
]
BLUEPRINT_API = [
    ("GET", "/api/items", True),
    ("GET", "/api/v1/things", True),
    ("GET", "/api/nope", True),
    ("GET", "/api/v1/nope", True),
    ("POST", "/api/v1/things", True),
    ("GET", "/api/health", True),  # under the prefix api was registered with
    ("GET", "/apis", False),
    ("GET", "/about", False),
    ("GET", "/contact", False),
    ("GET", "/shop/nope", False),
]
NESTED_WITH_PREFIX = [
    ("GET", "/api/v1/things", True),
    ("GET", "/api/v1/nope", True),
    ("POST", "/api/v1/things", True),
    ("GET", "/api/nope", False),
    ("GET", "/api/items", False),
    ("GET", "/api/health", False),
]
NESTED_WITHOUT_PREFIX = [
    ("GET", "/api/shared", True),
    ("POST", "/api/shared", True),
    ("GET", "/api/nope", False),
    ("POST", "/api/items", False),
]
WITHOUT_PREFIX = [
    ("GET", "/contact", True),
    ("POST", "/contact", True),
    ("GET", "/nope", False),
    ("GET", "/about", False),
    ("POST", "/about", False),
]
SINGLE_RULE = [
    ("GET", "/shop/items", True),
    ("GET", "/shop/nope", True),  # not only "/shop/items", the single rule
    ("GET", "/shop", True),
    ("GET", "/shopping", False),
]
CONVERTER_ROUTE = [
    ("GET", "/en/manual", True),
    ("GET", "/en/nope", True),
    ("GET", "/fr/manual", False),
    ("GET", "/english/manual", False),
]


@pytest.mark.parametrize(
    ("items", "method", "url", "expected"),
    [(["/api"], *case) for case in PREFIX_API]
    + [(["/api/"], *case) for case in PREFIX_API]
    + [(["api"], *case) for case in BLUEPRINT_API]
    + [(["api.v1"], *case) for case in NESTED_WITH_PREFIX]
    + [(["api.shared"], *case) for case in NESTED_WITHOUT_PREFIX]
    + [(["pages"], *case) for case in WITHOUT_PREFIX]
    + [(["shop"], *case) for case in SINGLE_RULE]
    + [(["/en"], *case) for case in CONVERTER_ROUTE]
    + [(["/"], "GET", "/nope", True), (["/"], "GET", "/about", True)]
    + [(["/about", "pages"], "GET", "/contact", True)]
    + [(["/about", "pages"], "DELETE", "/about", True)]
    + [(["/about", "pages"], "GET", "/api/nope", False)],
)
def test_what_a_scope_covers(
    items: list[str], method: str, url: str, expected: bool
) -> None:
    assert in_scope(path_app(items), url, method) is expected


def subdomain_app(items: list[str]) -> Flask:
    app = Flask(__name__, subdomain_matching=True)
    app.config.update(SERVER_NAME="example.test", STATUS_ENVELOPE_SCOPE=items)
    StatusEnvelope(app)
    api = Blueprint("api", __name__, subdomain="api")  # no prefix, own subdomain
    api.get("/items")(view("items"))
    app.register_blueprint(api)
    v1 = Blueprint("v1", __name__, url_prefix="/v1", subdomain="partners")
    v1.get("/status")(view("partner_status"))
    app.register_blueprint(v1)
    app.get("/v1/status")(view("status"))
    app.get("/")(view("index"))
    return app


def host_app(items: list[str]) -> Flask:
    app = Flask(__name__, host_matching=True, static_host="example.test")
    app.config["STATUS_ENVELOPE_SCOPE"] = items
    StatusEnvelope(app)
    v1 = Blueprint("v1", __name__, url_prefix="/v1")
    v1.get("/items", host="api.example.test")(view("items"))
    app.register_blueprint(v1)
    app.get("/v1/status", host="example.test")(view("status"))
    return app


@pytest.mark.parametrize(
    ("make", "items", "method", "url", "expected"),
    [
        (subdomain_app, ["api"], "GET", "http://api.example.test/anything", True),
        (subdomain_app, ["api"], "POST", "http://api.example.test/items", True),
        (subdomain_app, ["api"], "GET", "http://example.test/anything", False),
        (subdomain_app, ["api"], "GET", "http://partners.example.test/v1/x", False),
        (subdomain_app, ["v1"], "GET", "http://partners.example.test/v1/nope", True),
        (subdomain_app, ["v1"], "POST", "http://partners.example.test/v1/status", True),
        (subdomain_app, ["v1"], "GET", "http://partners.example.test/other", False),
        (subdomain_app, ["v1"], "GET", "http://example.test/v1/nope", False),
        (subdomain_app, ["v1"], "POST", "http://example.test/v1/status", False),
        (subdomain_app, ["/v1"], "POST", "http://example.test/v1/status", True),
        (host_app, ["v1"], "GET", "http://api.example.test/v1/items", True),
        (host_app, ["v1"], "GET", "http://api.example.test/v1/nope", True),
        (host_app, ["v1"], "POST", "http://api.example.test/v1/items", True),
        (host_app, ["v1"], "GET", "http://example.test/v1/nope", False),
        (host_app, ["v1"], "GET", "http://example.test/v1/status", False),
        (host_app, ["v1"], "POST", "http://example.test/v1/status", False),
    ],
)  # fmt: skip
def test_what_a_scope_covers_on_subdomains_and_hosts(
    make: t.Callable[[list[str]], Flask],
    items: list[str],
    method: str,
    url: str,
    expected: bool,
) -> None:
    assert in_scope(make(items), url, method) is expected


@pytest.mark.parametrize(
    ("method", "url"),
    [("GET", "http://example.test/v1/nope"), ("POST", "http://example.test/v1/status")],
)
def test_another_host_is_byte_for_byte_as_without_the_extension(
    method: str, url: str
) -> None:
    without = Flask(__name__, host_matching=True, static_host="example.test")
    without.get("/v1/status", host="example.test")(view("status"))
    answers = [
        wire(app.test_client().open(url, method=method))
        for app in (host_app(["v1"]), without)
    ]
    assert answers[0] == answers[1]


# -- A scope the app cannot have -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        ("/api", TypeError, r"must be None \(the whole app\) or a list"),
        (42, TypeError, "got int 42"),
        ([b"/api"], TypeError, "got bytes b'/api'"),
        ([], ValueError, "is empty"),
        (["api/v1"], ValueError, r"'api/v1' is neither .* write '/api/v1'"),
        ([""], ValueError, "'' is neither a URL prefix"),
        ([" api"], ValueError, "' api' is neither"),
        (["/items/<int:id>"], ValueError, "not a plain URL path"),
        (["/api?x=1"], ValueError, "not a plain URL path"),
    ],
)
def test_a_bad_scope_fails_at_init_app(
    value: object, error: type[Exception], match: str
) -> None:
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_SCOPE"] = value
    with pytest.raises(error, match=match):
        StatusEnvelope(app)


@pytest.mark.parametrize(
    ("items", "match"),
    [
        (
            ["/docs", "apii"],
            r"^STATUS_ENVELOPE_SCOPE names the blueprint 'apii', which this app does"
            r" not have\. Did you mean 'api'\? Its blueprints are 'api', 'api\.shared',"
            r" 'api\.v1', 'pages', 'shop'\. A URL prefix starts with '/', e\.g\."
            r" '/apii'\.$",
        ),
        (["v1"], r"'v1', which .* Did you mean 'api\.v1'\?"),  # a nested one's name
    ],
)
def test_an_unknown_blueprint_fails_the_first_request(
    items: list[str], match: str
) -> None:
    app = path_app(items)
    app.config["PROPAGATE_EXCEPTIONS"] = True
    with pytest.raises(ValueError, match=match):
        app.test_client().get("/about")


def test_an_unknown_blueprint_in_an_app_without_blueprints() -> None:
    app = Flask(__name__)
    app.config.update(STATUS_ENVELOPE_SCOPE=["api"], PROPAGATE_EXCEPTIONS=True)
    StatusEnvelope(app)
    with pytest.raises(ValueError, match=r"does not have\. It has no blueprints\."):
        app.test_client().get("/")


def test_in_production_an_unknown_blueprint_is_logged_and_answers_500(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = make_app(True, STATUS_ENVELOPE_SCOPE=["apii"])
    for _ in range(2):  # on every request, until it is fixed
        caplog.clear()
        r = call(app, "GET", "/", JSON)
        assert (
            r.status_code,
            [str(rec.exc_info and rec.exc_info[1]) for rec in caplog.records],
        ) == (
            500,
            [
                "STATUS_ENVELOPE_SCOPE names the blueprint 'apii', which this app does"
                " not have. Did you mean 'api'? Its blueprints are 'api'. A URL prefix"
                " starts with '/', e.g. '/apii'."
            ],
        )


def test_a_blueprint_registered_before_init_app_cannot_be_named() -> None:
    app = Flask(__name__)
    app.config.update(STATUS_ENVELOPE_SCOPE=["api"], PROPAGATE_EXCEPTIONS=True)
    app.register_blueprint(Blueprint("api", __name__), url_prefix="/api")
    StatusEnvelope(app)
    with pytest.raises(
        ValueError,
        match=r"^STATUS_ENVELOPE_SCOPE names the blueprint 'api', which was"
        r" registered before StatusEnvelope\.init_app\(\), so the URL prefix and"
        r" subdomain it was registered with are unknown\. Call init_app\(\) before"
        r" app\.register_blueprint\(\), or give its URL prefix instead\.$",
    ):
        app.test_client().get("/api/nope")


def test_a_prefix_needs_no_registration() -> None:
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_SCOPE"] = ["/api"]
    app.register_blueprint(Blueprint("api", __name__), url_prefix="/api")
    StatusEnvelope(app)
    client = app.test_client()
    answers = [client.get("/api/nope"), client.get("/nope")]
    assert [(r.status_code, r.mimetype) for r in answers] == [
        (404, JSON),
        (404, "text/html"),
    ]
