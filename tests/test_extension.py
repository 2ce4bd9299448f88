"""The extension: set-up on an app, ``register_exception``, and the one request
check that runs before everything else."""

from __future__ import annotations

import typing as t

import pytest
from flask import Blueprint, Flask, abort
from flask.testing import FlaskClient
from werkzeug.exceptions import Forbidden, HTTPException, NotFound

from flask_status_envelope import StatusEnvelope, deprecated
from flask_status_envelope.codes import PAGE_MESSAGES, PAGE_TEXTS
from flask_status_envelope.testing import assert_envelope

from .conftest import envelope


def test_users_own_handlers_win(app: Flask, client: FlaskClient) -> None:
    bp = Blueprint("legacy", __name__, url_prefix="/legacy")

    @bp.get("/x")
    def legacy_x() -> t.NoReturn:
        abort(403)

    @bp.errorhandler(Forbidden)
    def bp_forbidden(e: Forbidden) -> tuple[str, int]:
        return "blueprint says no", 403

    app.register_blueprint(bp)

    @app.errorhandler(404)
    def app_not_found(e: NotFound) -> tuple[str, int]:
        return "app says missing", 404

    @app.get("/forbidden")
    def forbidden() -> t.NoReturn:
        abort(403)

    r = client.get("/legacy/x")
    assert (r.status_code, r.data) == (403, b"blueprint says no")
    r = client.get("/nowhere")
    assert (r.status_code, r.data) == (404, b"app says missing")
    assert assert_envelope(client.get("/forbidden"), 403) == envelope(
        403, "Forbidden", PAGE_MESSAGES[403]
    )


def test_a_users_httpexception_handler_registered_first_is_kept() -> None:
    app = Flask(__name__)

    @app.errorhandler(HTTPException)
    def mine(e: HTTPException) -> tuple[str, int]:
        return "mine", e.code or 500

    StatusEnvelope(app)
    r = app.test_client().get("/missing")
    assert (r.status_code, r.data) == (404, b"mine")


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


def test_init_app_after_the_first_request_changes_nothing() -> None:
    app = Flask(__name__)
    app.test_client().get("/")
    with pytest.raises(AssertionError, match="can no longer be called on the app"):
        StatusEnvelope(app)
    assert "status_envelope" not in app.extensions
    assert (app.url_value_preprocessors, app.before_request_funcs) == ({}, {})
    assert app.error_handler_spec[None][None] == {}


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
        def timeout() -> t.NoReturn:
            raise UpstreamTimeout("db-7.internal:5432 timed out after 30s")

        @app.get("/refused")
        def refused() -> t.NoReturn:
            raise ConnectionRefusedError("10.0.0.7 refused")

        client = app.test_client()
        r = client.get("/timeout")
        assert assert_envelope(r, 504) == envelope(
            504, "Gateway Timeout", PAGE_MESSAGES[504]
        )
        r = client.get("/refused")
        assert assert_envelope(r, 502) == envelope(
            502, "Bad Gateway", "The bank is not answering."
        )


def test_register_exception_again_changes_the_answer(
    status_envelope: StatusEnvelope, app: Flask, client: FlaskClient
) -> None:
    status_envelope.register_exception(LookupError, 404)
    status_envelope.register_exception(LookupError, 400, message="Unknown key.")

    @app.get("/lookup")
    def lookup() -> t.NoReturn:
        raise KeyError("internal_key")

    assert assert_envelope(client.get("/lookup"), 400) == envelope(
        400, "Bad Request", "Unknown key."
    )


def test_register_exception_keeps_a_users_handler(
    status_envelope: StatusEnvelope, app: Flask, client: FlaskClient
) -> None:
    @app.errorhandler(TimeoutError)
    def mine(e: TimeoutError) -> tuple[str, int]:
        return "mine", 599

    status_envelope.register_exception(TimeoutError, 504)

    @app.get("/t")
    def timeout() -> t.NoReturn:
        raise TimeoutError()

    r = client.get("/t")
    assert (r.status_code, r.data) == (599, b"mine")


def test_register_exception_works_after_the_apps_first_request(
    status_envelope: StatusEnvelope, app: Flask, client: FlaskClient
) -> None:
    @app.get("/slow")
    def slow() -> t.NoReturn:
        raise UpstreamTimeout("db-7.internal:5432 timed out after 30s")

    assert assert_envelope(client.get("/missing"), 404) == envelope(
        404, "Not Found", PAGE_MESSAGES[404]
    )
    status_envelope.register_exception(TimeoutError, 504, "The database is slow.")
    assert assert_envelope(client.get("/slow"), 504) == envelope(
        504, "Gateway Timeout", "The database is slow."
    )


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
    args: tuple[t.Any, ...], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        StatusEnvelope().register_exception(*args)


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
    # Both checks run in the extension's one request check: maintenance answers
    # every request, and a deprecated endpoint's headers are on that answer.
    app.config["STATUS_ENVELOPE_MAINTENANCE"] = maintenance

    @app.get("/v0/report")
    @deprecated(since="2026-01-01", sunset="2026-02-01")
    def report() -> str:
        return "never"

    r = client.get("/v0/report")
    assert assert_envelope(r, code) == envelope(code, PAGE_TEXTS[code], message)
    assert (
        r.headers["Deprecation"],
        r.headers["Sunset"],
        r.headers.get("Retry-After"),
    ) == (
        "@1767225600",
        "Sun, 01 Feb 2026 00:00:00 GMT",
        retry_after,
    )


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
    assert assert_envelope(r, 503) == envelope(
        503, "Service Unavailable", PAGE_MESSAGES[503]
    )


def test_the_request_check_runs_before_the_apps_url_value_preprocessors() -> None:
    # Registered before the extension, the app's preprocessor (which would load a
    # tenant from the database) still comes after the check, so maintenance
    # answers without it.
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_MAINTENANCE"] = True
    seen: list[str | None] = []

    @app.url_value_preprocessor
    def load_tenant(endpoint: str | None, values: dict[str, t.Any] | None) -> None:
        seen.append(endpoint)

    StatusEnvelope(app)
    app.get("/orders")(lambda: "orders")
    r = app.test_client().get("/orders")
    assert assert_envelope(r, 503) == envelope(
        503, "Service Unavailable", PAGE_MESSAGES[503]
    )
    assert seen == []
