"""Every 429 and 503 carries one Retry-After: the raiser's, or the default.

Flask-Limiter's own is in ``tests/integrations/test_limiter_retry_after.py``.
"""

from __future__ import annotations

import typing as t
from datetime import timedelta

import flask
import pytest
from flask import Flask

from flask_status_envelope import StatusEnvelope, abort_with, envelope_response


class Overloaded(Exception):
    pass


def create_app(**config: t.Any) -> Flask:
    app = Flask(__name__)
    app.config.update(PROPAGATE_EXCEPTIONS=False, **config)
    StatusEnvelope(app).register_exception(Overloaded, 503)

    @app.get("/abort-with/<int:code>")
    def with_abort_with(code: int) -> t.NoReturn:
        abort_with(code)

    @app.get("/abort-with/<int:code>/30")
    def with_abort_with_30(code: int) -> t.NoReturn:
        abort_with(code, retry_after=30)

    @app.get("/flask-abort/<int:code>")
    def with_flask_abort(code: int) -> t.NoReturn:
        flask.abort(code)

    @app.get("/flask-abort/<int:code>/30")
    def with_flask_abort_30(code: int) -> t.NoReturn:
        flask.abort(code, retry_after=30)

    @app.get("/respond/<int:code>")
    def respond(code: int) -> t.Any:
        return envelope_response(code)

    @app.get("/respond/<int:code>/30")
    def respond_30(code: int) -> t.Any:
        return envelope_response(code, headers={"Retry-After": "30"})

    @app.get("/mapped")
    def mapped() -> t.NoReturn:
        raise Overloaded

    return app


def retry_after(response: t.Any) -> list[str]:
    return t.cast("list[str]", response.headers.getlist("Retry-After"))


SOURCES = [
    "/abort-with/{code}",
    "/flask-abort/{code}",
    "/respond/{code}",
]


@pytest.mark.parametrize("code", [429, 503])
@pytest.mark.parametrize("path", SOURCES)
def test_without_a_value_the_default_is_sent(path: str, code: int) -> None:
    response = create_app().test_client().get(path.format(code=code))
    assert (response.status_code, retry_after(response)) == (code, ["60"])


def test_a_mapped_503_gets_the_default() -> None:
    response = create_app().test_client().get("/mapped")
    assert (response.status_code, retry_after(response)) == (503, ["60"])


@pytest.mark.parametrize("code", [429, 503])
@pytest.mark.parametrize("path", [p + "/30" for p in SOURCES])
def test_the_raisers_value_wins(path: str, code: int) -> None:
    response = create_app().test_client().get(path.format(code=code))
    assert (response.status_code, retry_after(response)) == (code, ["30"])


def test_maintenance_sends_its_own() -> None:
    app = create_app(
        STATUS_ENVELOPE_MAINTENANCE=True, STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER=120
    )
    response = app.test_client().get("/abort-with/400")
    assert (response.status_code, retry_after(response)) == (503, ["120"])


@pytest.mark.parametrize(
    ("value", "header"),
    [(120, ["120"]), (timedelta(minutes=2), ["120"]), (0, ["0"]), (None, [])],
)
@pytest.mark.parametrize("code", [429, 503])
def test_the_default_is_configurable(
    value: object, header: list[str], code: int
) -> None:
    app = create_app(STATUS_ENVELOPE_DEFAULT_RETRY_AFTER=value)
    response = app.test_client().get(f"/abort-with/{code}")
    assert (response.status_code, retry_after(response)) == (code, header)


@pytest.mark.parametrize("code", [400, 404, 500, 502, 504])
def test_other_codes_get_none(code: int) -> None:
    response = create_app().test_client().get(f"/abort-with/{code}")
    assert (response.status_code, retry_after(response)) == (code, [])


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        (-1, ValueError, "^STATUS_ENVELOPE_DEFAULT_RETRY_AFTER: retry_after must not"),
        ("60", TypeError, "^STATUS_ENVELOPE_DEFAULT_RETRY_AFTER must be whole seconds"),
        (1.5, TypeError, "^STATUS_ENVELOPE_DEFAULT_RETRY_AFTER must be whole seconds"),
    ],
)
def test_a_bad_default_is_refused_at_init_app(
    value: object, error: type[Exception], match: str
) -> None:
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_DEFAULT_RETRY_AFTER"] = value
    with pytest.raises(error, match=match):
        StatusEnvelope(app)
