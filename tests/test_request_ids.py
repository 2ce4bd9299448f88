"""Request ids: on every envelope, reused only when plain, in the 5xx log records."""

from __future__ import annotations

import logging
import re
import typing as t

import pytest
from flask import Flask, after_this_request, g

from flask_status_envelope import (
    StatusEnvelope,
    abort_with,
    deprecated,
    envelope_response,
    request_id,
)
from flask_status_envelope.testing import assert_envelope

from .conftest import envelope

HEX32 = re.compile(r"[0-9a-f]{32}")
SECRET = "database password is hunter2"


def create_app(**config: t.Any) -> Flask:
    app = Flask(__name__)
    app.config.update(PROPAGATE_EXCEPTIONS=False, **config)
    status_envelope = StatusEnvelope(app)
    status_envelope.register_exception(ConnectionError, 502, "The database is away.")

    @app.route("/forbidden")
    def forbidden() -> t.NoReturn:
        abort_with(403, "No.")

    @app.get("/crash")
    def crash() -> t.NoReturn:
        raise RuntimeError(SECRET)

    @app.get("/mapped")
    def mapped() -> t.NoReturn:
        raise ConnectionError(SECRET)

    @app.get("/respond")
    def respond() -> t.Any:
        return envelope_response(409, "Taken.")

    @app.get("/gone")
    @deprecated
    def gone() -> str:
        return "never"

    @app.get("/ok")
    def ok() -> t.Any:
        return {"ok": True}

    return app


ERRORS = [
    ("GET", "/forbidden", 403),
    ("GET", "/no/such/url", 404),
    ("POST", "/forbidden", 405),
    ("GET", "/respond", 409),
    ("GET", "/gone", 410),
    ("GET", "/crash", 500),
    ("GET", "/mapped", 502),
]


@pytest.mark.parametrize(("method", "path", "code"), ERRORS)
def test_every_envelope_carries_a_new_id(method: str, path: str, code: int) -> None:
    client = create_app().test_client()
    first = client.open(path, method=method)
    second = client.open(path, method=method)
    assert (first.status_code, second.status_code) == (code, code)
    assert HEX32.fullmatch(first.headers["X-Request-ID"])
    assert HEX32.fullmatch(second.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    assert first.headers.getlist("X-Request-ID") == [first.headers["X-Request-ID"]]


def test_the_maintenance_503_carries_an_id() -> None:
    response = create_app(STATUS_ENVELOPE_MAINTENANCE=True).test_client().get("/ok")
    assert response.status_code == 503
    assert HEX32.fullmatch(response.headers["X-Request-ID"])


@pytest.mark.parametrize(
    "incoming",
    [
        "a",
        "x" * 128,
        "Req-1.2_3:4",
        "0af7651916cd43dd8448eb211c80319c",
        "ABC-def-123",
    ],
)
@pytest.mark.parametrize(("method", "path", "code"), ERRORS)
def test_a_plain_incoming_id_is_reused(
    incoming: str, method: str, path: str, code: int
) -> None:
    response = (
        create_app()
        .test_client()
        .open(path, method=method, headers={"X-Request-ID": incoming})
    )
    assert (response.status_code, response.headers["X-Request-ID"]) == (code, incoming)


INVALID = [
    "",
    "x" * 129,
    "has space",
    "semi;colon",
    "slash/y",
    "<script>",
    'quote"',
    "tab\tx",
    "caf\xe9",
    "a,b",
]


@pytest.mark.parametrize("incoming", INVALID)
def test_another_incoming_value_is_replaced(incoming: str) -> None:
    response = (
        create_app().test_client().get("/forbidden", headers={"X-Request-ID": incoming})
    )
    assert response.status_code == 403
    assert HEX32.fullmatch(response.headers["X-Request-ID"])


@pytest.mark.parametrize("incoming", ["evil-" + "y" * 200, "evil value", "evil<b>"])
def test_a_replaced_value_is_never_logged(
    incoming: str, caplog: pytest.LogCaptureFixture
) -> None:
    response = (
        create_app().test_client().get("/crash", headers={"X-Request-ID": incoming})
    )
    assert response.status_code == 500
    [record] = caplog.records
    assert record.request_id == response.headers["X-Request-ID"]  # type: ignore[attr-defined]
    assert HEX32.fullmatch(record.request_id)  # type: ignore[attr-defined]
    assert "evil" not in caplog.text


def test_header_none_turns_the_header_off() -> None:
    app = create_app(STATUS_ENVELOPE_REQUEST_ID_HEADER=None)
    client = app.test_client()
    for method, path, code in ERRORS:
        response = client.open(path, method=method, headers={"X-Request-ID": "mine"})
        assert response.status_code == code
        assert "X-Request-ID" not in response.headers


def test_header_none_logs_no_id(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(STATUS_ENVELOPE_REQUEST_ID_HEADER=None)
    app.test_client().get("/crash")
    [record] = caplog.records
    assert not hasattr(record, "request_id")
    assert record.getMessage() == "Exception on /crash [GET]"


def test_a_header_name_of_its_own() -> None:
    app = create_app(STATUS_ENVELOPE_REQUEST_ID_HEADER="X-Correlation-ID")
    response = app.test_client().get(
        "/forbidden", headers={"X-Correlation-ID": "corr-1", "X-Request-ID": "other"}
    )
    assert response.headers["X-Correlation-ID"] == "corr-1"
    assert "X-Request-ID" not in response.headers


@pytest.mark.parametrize(
    ("path", "code", "text", "message"),
    [
        ("/forbidden", 403, "Forbidden", "No."),
        ("/respond", 409, "Conflict", "Taken."),
        ("/mapped", 502, "Bad Gateway", "The database is away."),
    ],
)
def test_in_body_adds_the_id_to_the_status_object(
    path: str, code: int, text: str, message: str
) -> None:
    app = create_app(STATUS_ENVELOPE_REQUEST_ID_IN_BODY=True)
    response = app.test_client().get(path, headers={"X-Request-ID": "req-7"})
    expected = envelope(code, text, message)
    expected["status"]["request_id"] = "req-7"
    assert assert_envelope(response, code) == expected
    assert response.headers["X-Request-ID"] == "req-7"


def test_the_body_has_no_id_by_default() -> None:
    response = create_app().test_client().get("/forbidden")
    assert assert_envelope(response, 403) == envelope(403, "Forbidden", "No.")


def test_success_responses_carry_the_id_when_asked() -> None:
    app = create_app(STATUS_ENVELOPE_REQUEST_ID_ON_SUCCESS=True)
    client = app.test_client()
    made = client.get("/ok")
    reused = client.get("/ok", headers={"X-Request-ID": "ok-1"})
    assert made.status_code == reused.status_code == 200
    assert HEX32.fullmatch(made.headers["X-Request-ID"])
    assert reused.headers["X-Request-ID"] == "ok-1"
    # Error envelopes carry it once, not once per feature.
    error = client.get("/forbidden")
    assert len(error.headers.getlist("X-Request-ID")) == 1


def test_success_responses_carry_no_id_by_default() -> None:
    response = create_app().test_client().get("/ok")
    assert response.status_code == 200
    assert "X-Request-ID" not in response.headers


@pytest.mark.parametrize("incoming", [None, "given-1"])
def test_the_same_id_all_through_one_request(incoming: str | None) -> None:
    app = create_app()
    seen: list[str] = []

    @app.before_request
    def before() -> None:
        seen.append(request_id())

        @after_this_request
        def after(response: t.Any) -> t.Any:
            seen.append(request_id())
            return response

    @app.get("/inside")
    def inside() -> t.NoReturn:
        g.seen = request_id()
        seen.append(request_id())
        abort_with(409)

    headers = {} if incoming is None else {"X-Request-ID": incoming}
    response = app.test_client().get("/inside", headers=headers)
    assert response.status_code == 409
    assert seen == [response.headers["X-Request-ID"]] * 3


def test_request_id_needs_a_request() -> None:
    app = create_app()
    with (
        app.app_context(),
        pytest.raises(RuntimeError, match="needs an active request"),
    ):
        request_id()


def test_request_id_needs_the_extension() -> None:
    app = Flask(__name__)
    with (
        app.test_request_context(),
        pytest.raises(RuntimeError, match="has no StatusEnvelope"),
    ):
        request_id()


def test_an_envelope_outside_a_request_has_no_id() -> None:
    with create_app().app_context():
        response = envelope_response(409)
    assert "X-Request-ID" not in response.headers


def test_the_callers_own_header_is_kept() -> None:
    app = create_app()

    @app.get("/own")
    def own() -> t.Any:
        return envelope_response(409, headers={"X-Request-ID": "from-upstream"})

    response = app.test_client().get("/own")
    assert response.headers.getlist("X-Request-ID") == ["from-upstream"]


def _broken_messages(app: Flask) -> None:
    # Past init_app's checks: bytes cannot be a JSON string, so the envelope fails
    # and the last resort answers.
    app.config["STATUS_ENVELOPE_MESSAGES"] = {404: b"not a str"}


@pytest.mark.parametrize(
    ("path", "setup", "message"),
    [
        ("/crash", None, "Exception on /crash [GET]"),
        ("/mapped", None, "Exception on /mapped [GET]"),
        (
            "/no/such/url",
            _broken_messages,
            "flask-status-envelope could not build an envelope",
        ),
    ],
    ids=["unhandled", "mapped", "last-resort"],
)
@pytest.mark.parametrize("incoming", [None, "trace-me.1"])
def test_the_5xx_log_record_carries_the_id(
    path: str,
    setup: t.Callable[[Flask], None] | None,
    message: str,
    incoming: str | None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = create_app()
    if setup is not None:
        setup(app)
    headers = {} if incoming is None else {"X-Request-ID": incoming}
    response = app.test_client().get(path, headers=headers)
    assert response.status_code >= 500
    rid = response.headers["X-Request-ID"]
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.request_id == rid  # type: ignore[attr-defined]
    assert record.getMessage() == f"{message} [request_id={rid}]"
    assert record.exc_info is not None


def test_an_id_given_with_extra_is_kept(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app()

    @app.get("/log")
    def log() -> str:
        app.logger.warning("mine", extra={"request_id": "explicit"})
        return "ok"

    app.test_client().get("/log")
    [record] = caplog.records
    assert (record.request_id, record.getMessage()) == ("explicit", "mine")  # type: ignore[attr-defined]


def test_records_of_the_request_get_the_attribute(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = create_app()

    @app.get("/log")
    def log() -> str:
        app.logger.warning("order %s looked up", 7)
        return request_id()

    response = app.test_client().get("/log")
    [record] = caplog.records
    # A plain record keeps its text; only records of exceptions get the id in it.
    assert (record.request_id, record.getMessage()) == (  # type: ignore[attr-defined]
        response.get_data(as_text=True),
        "order 7 looked up",
    )


def test_two_apps_keep_their_own_settings() -> None:
    on = create_app(STATUS_ENVELOPE_REQUEST_ID_HEADER="X-Trace")
    off = create_app(STATUS_ENVELOPE_REQUEST_ID_HEADER=None)
    assert "X-Trace" in on.test_client().get("/forbidden").headers
    assert "X-Trace" not in off.test_client().get("/forbidden").headers


@pytest.mark.parametrize(
    ("config", "error", "match"),
    [
        ({"STATUS_ENVELOPE_REQUEST_ID_HEADER": 42}, TypeError, "header name or None"),
        (
            {"STATUS_ENVELOPE_REQUEST_ID_HEADER": "X Request"},
            ValueError,
            "'X Request' is not a header name",
        ),
        (
            {"STATUS_ENVELOPE_REQUEST_ID_IN_BODY": "yes"},
            TypeError,
            "STATUS_ENVELOPE_REQUEST_ID_IN_BODY must be True or False",
        ),
        (
            {"STATUS_ENVELOPE_REQUEST_ID_ON_SUCCESS": 1},
            TypeError,
            "STATUS_ENVELOPE_REQUEST_ID_ON_SUCCESS must be True or False",
        ),
    ],
)
def test_bad_settings_are_refused_at_init_app(
    config: dict[str, t.Any], error: type[Exception], match: str
) -> None:
    app = Flask(__name__)
    app.config.update(config)
    with pytest.raises(error, match=match):
        StatusEnvelope(app)
