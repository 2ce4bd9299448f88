"""problem+json (RFC 9457): the Accept negotiation, the exact responses in each
mode, the problem types and the settings."""

from __future__ import annotations

import typing as t

import pytest
from flask import Flask, Response, abort
from werkzeug.test import TestResponse

from flask_status_envelope import StatusEnvelope, abort_with, envelope_response
from flask_status_envelope.codes import default_message
from flask_status_envelope.problem import prefers_problem, render_problem

PROBLEM = "application/problem+json"
JSON = "application/json"
USER_7 = (
    b'{"type":"about:blank","title":"Not Found","status":404,'
    b'"detail":"User 7 does not exist."}\n'
)
USER_7_ENVELOPE = (
    b'{"status":{"code":404,"text":"Not Found","message":"User 7 does not exist."}}\n'
)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, False),
        ("", False),
        ("application/problem+json", True),
        ("APPLICATION/Problem+JSON", True),
        ("application/problem+json; charset=utf-8", True),
        ("application/problem+json;q=0.9", True),
        ("application/problem+json;q=0", False),
        ("application/problem+json;q=0.000", False),
        # application/json does not ask for it, and a tie goes to the envelope.
        ("application/json", False),
        ("application/problem+json, application/json", False),
        ("application/json, application/problem+json", False),
        ("application/json;q=0.5, application/problem+json", True),
        ("application/problem+json;q=0.5, application/json;q=0.9", False),
        ("application/problem+json;q=0.51, application/json;q=0.5", True),
        ("application/json; charset=utf-8;q=0.2, application/problem+json;q=0.3", True),
        # Wildcards ask for nothing in particular, and count for application/json.
        ("*/*", False),
        ("application/*", False),
        ("application/*+json", False),
        ("application/problem+json, */*", False),
        ("application/problem+json;q=0.9, */*;q=0.1", True),
        ("application/problem+json;q=0.9, application/*", False),
        # The most specific range gives application/json its quality (RFC 9110).
        (
            "application/*;q=0.9, application/json;q=0.1,"
            " application/problem+json;q=0.5",
            True,
        ),
        ("*/*;q=1, application/json;q=0.1, application/problem+json;q=0.5", True),
        ("text/html, application/problem+json;q=0.9", True),
        ("application/problem+xml", False),
        ("application/problem+json-seq", False),
        # Not a qvalue: the range is ignored.
        ("application/problem+json;q=abc", False),
        ("application/problem+json;q=nan", False),
        ("application/problem+json;q=2", False),
        ("application/problem+json;q=0.8, application/json;q=x", True),
        (
            "application/problem+json;q=0.2, application/problem+json;q=0.8, "
            "application/json;q=0.5",
            True,
        ),
        ("application/problem+json, " + "x/y, " * 200, True),  # long: not cached
    ],
)
def test_prefers_problem(accept: str | None, expected: bool) -> None:
    assert prefers_problem(accept) is expected


def problem_app(**config: t.Any) -> Flask:
    app = Flask(__name__)
    # Request ids (random per request) have tests of their own; here the headers
    # are exactly the problem details' unless a test turns them on.
    config.setdefault("STATUS_ENVELOPE_REQUEST_ID_HEADER", None)
    app.config.update(PROPAGATE_EXCEPTIONS=False, **config)
    StatusEnvelope(app)

    @app.get("/users/<int:user_id>")
    def user(user_id: int) -> t.NoReturn:
        abort_with(404, f"User {user_id} does not exist.")

    @app.post("/users")
    def create_user() -> t.NoReturn:
        abort(400, {"name": ["Missing data for required field."]})

    return app


def wire(r: TestResponse) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers (Allow sorted: Werkzeug lists a set) and body."""
    sent = [
        (name, ", ".join(sorted(value.split(", "))) if name == "Allow" else value)
        for name, value in r.headers.to_wsgi_list()
    ]
    return r.status_code, sent, r.get_data()


def headers(content_type: str, body: bytes, vary: bool) -> list[tuple[str, str]]:
    sent = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    return [*sent, ("Vary", "Accept")] if vary else sent


@pytest.mark.parametrize(
    ("mode", "accept", "content_type", "body", "vary"),
    [
        ("negotiate", PROBLEM, PROBLEM, USER_7, True),
        ("negotiate", "application/problem+json;q=0.9, */*;q=0.1", PROBLEM, USER_7,
         True),
        ("negotiate", JSON, JSON, USER_7_ENVELOPE, True),
        ("negotiate", "*/*", JSON, USER_7_ENVELOPE, True),
        ("negotiate", "text/html", JSON, USER_7_ENVELOPE, True),
        ("negotiate", None, JSON, USER_7_ENVELOPE, True),
        ("always", JSON, PROBLEM, USER_7, False),
        ("always", None, PROBLEM, USER_7, False),
        ("never", PROBLEM, JSON, USER_7_ENVELOPE, False),
        ("never", None, JSON, USER_7_ENVELOPE, False),
    ],
)  # fmt: skip
def test_the_modes(
    mode: str, accept: str | None, content_type: str, body: bytes, vary: bool
) -> None:
    app = problem_app(STATUS_ENVELOPE_PROBLEM_DETAILS=mode)
    sent = {} if accept is None else {"Accept": accept}
    r = app.test_client().get("/users/7", headers=sent)
    assert wire(r) == (404, headers(content_type, body, vary), body)


def test_the_default_mode_is_negotiate() -> None:
    app = problem_app()
    r = app.test_client().get("/users/7", headers={"Accept": PROBLEM})
    assert (app.config["STATUS_ENVELOPE_PROBLEM_DETAILS"], wire(r)) == (
        "negotiate",
        (404, headers(PROBLEM, USER_7, True), USER_7),
    )


def test_field_errors_are_an_extension_member() -> None:
    r = problem_app().test_client().post("/users", headers={"Accept": PROBLEM})
    body = (
        b'{"type":"about:blank","title":"Bad Request","status":400,'
        b'"detail":"name: Missing data for required field.",'
        b'"errors":[{"field":"name","message":"Missing data for required field."}]}\n'
    )
    assert wire(r) == (400, headers(PROBLEM, body, True), body)


@pytest.mark.parametrize(
    "message",
    ['Not "message": "x"}}', "\u00e9\u2603 \\ \n", ""],
)
def test_any_message_is_the_detail(message: str) -> None:
    app = problem_app(STATUS_ENVELOPE_PROBLEM_DETAILS="always")

    @app.get("/odd")
    def odd() -> t.NoReturn:
        abort_with(409, message)

    r = app.test_client().get("/odd")
    body = render_problem(409, message)
    assert (wire(r), r.get_json()["detail"]) == (
        (409, headers(PROBLEM, body, False), body),
        message,
    )


NOT_FOUND = render_problem(404, default_message(404))
NOT_ALLOWED = render_problem(405, default_message(405))
UNAVAILABLE = render_problem(503, default_message(503))


@pytest.mark.parametrize(
    ("method", "url", "config", "code", "body", "extra"),
    [
        ("GET", "/nope", {}, 404, NOT_FOUND, []),
        ("DELETE", "/users/7", {}, 405, NOT_ALLOWED, [("Allow", "GET, HEAD, OPTIONS")]),
        (
            "GET",
            "/users/7",
            {"STATUS_ENVELOPE_MAINTENANCE": True},
            503,
            UNAVAILABLE,
            [("Retry-After", "300")],
        ),
    ],
)  # fmt: skip
def test_the_headers_of_the_error_are_kept(
    method: str,
    url: str,
    config: dict[str, t.Any],
    code: int,
    body: bytes,
    extra: list[tuple[str, str]],
) -> None:
    app = problem_app(**config)
    r = app.test_client().open(url, method=method, headers={"Accept": PROBLEM})
    assert wire(r) == (code, [*headers(PROBLEM, body, True), *extra], body)


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (
            "/users/7",
            b'{"type":"https://example.com/problems/not-found","title":"Not Found",'
            b'"status":404,"detail":"User 7 does not exist."}\n',
        ),
        (
            "/forbidden",  # no type configured for 403
            b'{"type":"about:blank","title":"Forbidden","status":403,'
            b'"detail":"The operation is not allowed, permission can\'t be given."}\n',
        ),
    ],
)
def test_problem_types_per_code(url: str, body: bytes) -> None:
    app = problem_app(
        STATUS_ENVELOPE_PROBLEM_DETAILS="always",
        STATUS_ENVELOPE_PROBLEM_TYPES={404: "https://example.com/problems/not-found"},
    )

    @app.get("/forbidden")
    def forbidden() -> t.NoReturn:
        abort(403)

    r = app.test_client().get(url)
    assert wire(r)[2] == body


def test_a_vary_of_the_app_joins_accept() -> None:
    app = problem_app()

    @app.after_request
    def cors(response: Response) -> Response:
        response.vary.add("Origin")  # as Flask-CORS does
        return response

    r = app.test_client().get("/users/7")
    assert (r.status_code, r.headers.getlist("Vary")) == (404, ["Accept, Origin"])


def test_envelope_response_negotiates_too() -> None:
    app = problem_app()

    @app.get("/auth")
    def auth() -> Response:
        return envelope_response(401, "Invalid token.")

    r = app.test_client().get("/auth", headers={"Accept": PROBLEM})
    body = (
        b'{"type":"about:blank","title":"Unauthorized","status":401,'
        b'"detail":"Invalid token."}\n'
    )
    assert wire(r) == (401, headers(PROBLEM, body, True), body)


def test_envelope_response_outside_a_request_is_the_envelope() -> None:
    app = problem_app(STATUS_ENVELOPE_PROBLEM_DETAILS="negotiate")
    with app.app_context():
        r = envelope_response(401, "Invalid token.")
    body = b'{"status":{"code":401,"text":"Unauthorized","message":"Invalid token."}}\n'
    assert (r.status_code, r.headers.to_wsgi_list(), r.get_data()) == (
        401,
        headers(JSON, body, True),
        body,
    )


@pytest.mark.parametrize(
    ("kwargs", "body"),
    [
        (
            {"code": 403, "detail": 'Token "x" is disabled \u00e9\u2603\n'},
            b'{"type":"about:blank","title":"Forbidden","status":403,'
            b'"detail":"Token \\"x\\" is disabled \\u00e9\\u2603\\n"}\n',
        ),
        (
            {
                "code": 422,
                "detail": "Invalid input.",
                "type_uri": "https://example.com/problems/invalid",
                "extensions": {
                    "errors": [{"field": "amount", "message": "Too big."}],
                    "request_id": "abc-123",
                },
            },
            b'{"type":"https://example.com/problems/invalid",'
            b'"title":"Unprocessable Entity","status":422,"detail":"Invalid input.",'
            b'"errors":[{"field":"amount","message":"Too big."}],'
            b'"request_id":"abc-123"}\n',
        ),
        (
            {"code": 599, "detail": "", "extensions": {}},
            b'{"type":"about:blank","title":"Unknown Error",'
            b'"status":599,"detail":""}\n',
        ),
    ],
)
def test_render_problem_exact_bytes(kwargs: dict[str, t.Any], body: bytes) -> None:
    assert render_problem(**kwargs) == body


def test_render_problem_refuses_a_reserved_member() -> None:
    with pytest.raises(ValueError, match="'instance' is defined by RFC 9457"):
        render_problem(404, "x", extensions={"instance": "/users/7"})


@pytest.mark.parametrize(
    ("config", "error", "match"),
    [
        (
            {"STATUS_ENVELOPE_PROBLEM_DETAILS": True},
            TypeError,
            "must be 'negotiate', 'always' or 'never', got bool True",
        ),
        (
            {"STATUS_ENVELOPE_PROBLEM_DETAILS": "sometimes"},
            ValueError,
            "'sometimes' is not 'negotiate'",
        ),
        ({"STATUS_ENVELOPE_PROBLEM_DETAILS": "NEGOTIATE"}, ValueError, "'NEGOTIATE'"),
        (
            {"STATUS_ENVELOPE_PROBLEM_TYPES": ["about:blank"]},
            TypeError,
            "must be a dict of status code to type URI",
        ),
        (
            {"STATUS_ENVELOPE_PROBLEM_TYPES": {200: "about:blank"}},
            ValueError,
            "STATUS_ENVELOPE_PROBLEM_TYPES: ",
        ),
        (
            {"STATUS_ENVELOPE_PROBLEM_TYPES": {404: None}},
            TypeError,
            r"\[404\] must be a URI string, got NoneType",
        ),
        (
            {"STATUS_ENVELOPE_PROBLEM_TYPES": {404: ""}},
            ValueError,
            r"\[404\]='' is not a URI: it contains nothing",
        ),
        (
            {"STATUS_ENVELOPE_PROBLEM_TYPES": {404: "https://x/a b"}},
            ValueError,
            "contains ' '. Percent-encode",
        ),
        (
            {"STATUS_ENVELOPE_PROBLEM_TYPES": {404: "https://x/\u00e9"}},
            ValueError,
            "contains '\u00e9'",
        ),
        (
            {"STATUS_ENVELOPE_PROBLEM_TYPES": {404: 'https://x/"'}},
            ValueError,
            "contains '\"'",
        ),
    ],
)
def test_bad_settings_fail_at_init_app(
    config: dict[str, t.Any], error: type[Exception], match: str
) -> None:
    app = Flask(__name__)
    app.config.update(config)
    with pytest.raises(error, match=match):
        StatusEnvelope(app)
