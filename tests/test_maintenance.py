"""Maintenance mode: every request answers the 503 envelope with ``Retry-After``."""

from __future__ import annotations

import logging
import typing as t
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Blueprint, Flask, jsonify
from flask.testing import FlaskClient
from flask.typing import ResponseReturnValue

from flask_status_envelope import StatusEnvelope
from flask_status_envelope.testing import assert_envelope

from .conftest import envelope

PAGE_503 = (
    "The server is temporarily unavailable, usually due to maintenance or overload."
)
MAINTENANCE = envelope(503, "Service Unavailable", PAGE_503)


@pytest.fixture
def app(request: pytest.FixtureRequest) -> Flask:
    """An app with a route, a health check in a blueprint, and the extension."""
    app = Flask(request.module.__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config.update(getattr(request, "param", {}))
    StatusEnvelope(app)

    @app.route("/orders", methods=["GET", "POST"])
    def orders() -> ResponseReturnValue:
        return jsonify(orders=[])

    @app.get("/health")
    def health() -> ResponseReturnValue:
        return jsonify(healthy=True)

    ops = Blueprint("ops", __name__)

    @ops.get("/ops/ready")
    def ready() -> ResponseReturnValue:
        return jsonify(ready=True)

    app.register_blueprint(ops)
    return app


def test_off_by_default(app: Flask, client: FlaskClient) -> None:
    assert {k: v for k, v in app.config.items() if "MAINTENANCE" in k} == {
        "STATUS_ENVELOPE_MAINTENANCE": False,
        "STATUS_ENVELOPE_MAINTENANCE_FILE": None,
        "STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER": 300,
        "STATUS_ENVELOPE_MAINTENANCE_EXEMPT": (),
    }
    r = client.get("/orders")
    assert (r.status_code, r.get_json()) == (200, {"orders": []})


@pytest.mark.parametrize("app", [{"STATUS_ENVELOPE_MAINTENANCE": True}], indirect=True)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/orders"),
        ("POST", "/orders"),
        ("GET", "/health"),
        ("GET", "/ops/ready"),
        ("GET", "/no/such/route"),
        ("DELETE", "/orders"),
    ],
)
def test_every_request_answers_503_with_retry_after(
    client: FlaskClient, method: str, path: str
) -> None:
    r = client.open(path, method=method)
    assert r.headers["Retry-After"] == "300"
    assert assert_envelope(r, 503) == MAINTENANCE


@pytest.mark.parametrize("app", [{"STATUS_ENVELOPE_MAINTENANCE": True}], indirect=True)
def test_head_gets_the_status_and_headers_without_a_body(client: FlaskClient) -> None:
    r = client.head("/orders")
    assert r.headers["Retry-After"] == "300"
    assert assert_envelope(r, 503) == {}


@pytest.mark.parametrize(
    ("retry_after", "header"),
    [
        (60, "60"),
        (timedelta(minutes=10, seconds=0.5), "601"),
        (datetime(2026, 11, 26, 6, 0), "Thu, 26 Nov 2026 06:00:00 GMT"),
    ],
)
def test_retry_after_is_configurable(
    app: Flask, client: FlaskClient, retry_after: object, header: str
) -> None:
    app.config["STATUS_ENVELOPE_MAINTENANCE"] = True
    app.config["STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER"] = retry_after
    r = client.get("/orders")
    assert r.headers.getlist("Retry-After") == [header]
    assert assert_envelope(r, 503) == MAINTENANCE


@pytest.mark.parametrize(
    "app",
    [
        {
            "STATUS_ENVELOPE_MAINTENANCE": True,
            "STATUS_ENVELOPE_MAINTENANCE_EXEMPT": {"health", "ops.ready"},
        }
    ],
    indirect=True,
)
@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/health", 200, {"healthy": True}),
        ("/ops/ready", 200, {"ready": True}),
        ("/orders", 503, MAINTENANCE),
    ],
)
def test_exempt_endpoints_keep_answering(
    client: FlaskClient, path: str, status: int, body: object
) -> None:
    r = client.get(path)
    assert (r.status_code, r.get_json()) == (status, body)


def test_the_configured_503_message_is_sent(app: Flask, client: FlaskClient) -> None:
    app.config["STATUS_ENVELOPE_MAINTENANCE"] = True
    app.config["STATUS_ENVELOPE_MESSAGES"] = {503: "Back at 06:00 UTC."}
    r = client.get("/orders")
    assert assert_envelope(r, 503) == envelope(
        503, "Service Unavailable", "Back at 06:00 UTC."
    )


def test_a_file_switches_it_at_runtime(tmp_path: Path) -> None:
    flag = tmp_path / "maintenance"
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_MAINTENANCE_FILE"] = str(flag)
    app.config["STATUS_ENVELOPE_MAINTENANCE_EXEMPT"] = ["health"]
    StatusEnvelope(app)
    app.add_url_rule("/orders", "orders", lambda: jsonify(orders=[]))
    app.add_url_rule("/health", "health", lambda: jsonify(healthy=True))
    client = app.test_client()

    def answers() -> list[tuple[int, object]]:
        responses = [client.get(p) for p in ("/orders", "/health")]
        return [(r.status_code, r.get_json()) for r in responses]

    before = answers()
    flag.touch()
    during = answers()
    flag.unlink()
    after = answers()
    serving = [(200, {"orders": []}), (200, {"healthy": True})]
    assert (before, during, after) == (
        serving,
        [(503, MAINTENANCE), (200, {"healthy": True})],
        serving,
    )


def test_a_path_object_works_too(tmp_path: Path) -> None:
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_MAINTENANCE_FILE"] = tmp_path
    StatusEnvelope(app)
    r = app.test_client().get("/anything")
    assert r.headers["Retry-After"] == "300"
    assert assert_envelope(r, 503) == MAINTENANCE


def test_the_config_switches_it_at_runtime(app: Flask, client: FlaskClient) -> None:
    answers = []
    for on in (False, True, False):
        app.config["STATUS_ENVELOPE_MAINTENANCE"] = on
        r = client.get("/orders")
        answers.append((r.status_code, r.get_json()))
    assert answers == [(200, {"orders": []}), (503, MAINTENANCE), (200, {"orders": []})]


def test_a_user_503_handler_still_wins(app: Flask, client: FlaskClient) -> None:
    @app.errorhandler(503)
    def mine(error: Exception) -> ResponseReturnValue:
        return jsonify(mine=True), 503

    app.config["STATUS_ENVELOPE_MAINTENANCE"] = True
    r = client.get("/orders")
    assert (r.status_code, r.get_json()) == (503, {"mine": True})


@pytest.mark.parametrize(
    ("config", "error", "match"),
    [
        (
            {"STATUS_ENVELOPE_MAINTENANCE": "yes"},
            TypeError,
            r"STATUS_ENVELOPE_MAINTENANCE must be True or False, got str 'yes'\."
            r" To switch it from outside, set STATUS_ENVELOPE_MAINTENANCE_FILE",
        ),
        (
            {"STATUS_ENVELOPE_MAINTENANCE": 1},
            TypeError,
            r"must be True or False, got int 1\.",
        ),
        (
            {"STATUS_ENVELOPE_MAINTENANCE_FILE": 42},
            TypeError,
            r"STATUS_ENVELOPE_MAINTENANCE_FILE must be a path \(str or PathLike\)"
            r" or None, got int 42\.",
        ),
        (
            {"STATUS_ENVELOPE_MAINTENANCE_EXEMPT": "health"},
            TypeError,
            r"STATUS_ENVELOPE_MAINTENANCE_EXEMPT must be a collection of endpoint"
            r" names, got str 'health'\. Write e\.g\. \{'health'\}",
        ),
        (
            {"STATUS_ENVELOPE_MAINTENANCE_EXEMPT": [len]},
            TypeError,
            r"must be a collection of endpoint names, got list \[<built-in",
        ),
        (
            {"STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER": -1},
            ValueError,
            r"^STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER: retry_after must not be"
            r" negative, got -1\.",
        ),
        (
            {"STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER": 2.5},
            TypeError,
            r"^STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER: retry_after must be whole"
            r" seconds \(int\), a timedelta or a datetime, got float 2\.5\.",
        ),
        (
            {"STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER": None},
            TypeError,
            r"^STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER: .* got NoneType None\.",
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


def test_a_misspelt_exempt_endpoint_is_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = Flask(__name__)
    app.config.update(
        STATUS_ENVELOPE_MAINTENANCE=True,
        STATUS_ENVELOPE_MAINTENANCE_EXEMPT={"helth"},
        PROPAGATE_EXCEPTIONS=False,
    )
    StatusEnvelope(app)

    @app.get("/health")
    def health() -> str:
        return "ok"

    client = app.test_client()
    with caplog.at_level(logging.ERROR):
        codes = [client.get("/health").status_code for _ in range(3)]
    assert codes == [503, 503, 503]
    assert [rec.getMessage() for rec in caplog.records] == [
        "STATUS_ENVELOPE_MAINTENANCE_EXEMPT names 'helth', which is not an endpoint"
        " of this app, so nothing is exempt under that name. Did you mean 'health'?"
    ]
