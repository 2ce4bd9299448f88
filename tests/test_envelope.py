from __future__ import annotations

import json

import pytest
from flask import Flask, Response
from hypothesis import given
from hypothesis import strategies as st

from flask_status_envelope import envelope_response
from flask_status_envelope.codes import PAGE_MESSAGES, status_text
from flask_status_envelope.envelope import message_for, render_body

from .conftest import body_of, envelope


@pytest.mark.parametrize(
    "message",
    ["", "plain", "Ünïcödé 🚀", '"quoted" \\', "<b>&amp;</b>", "\x00\x1f\n", "\ud800"],
)
@pytest.mark.parametrize(
    ("code", "text"), [(401, "Unauthorized"), (420, "Unknown Error")]
)
def test_render_body_is_the_json_of_the_envelope(
    code: int, text: str, message: str
) -> None:
    expected = json.dumps(envelope(code, text, message), separators=(",", ":")) + "\n"
    assert render_body(code, message) == expected.encode("ascii")


def _slow_body(code: int, message: str) -> bytes:
    # The straightforward rendering the fast path must match byte for byte.
    body = {"status": {"code": code, "text": status_text(code), "message": message}}
    return (json.dumps(body, separators=(",", ":")) + "\n").encode("ascii")


@given(
    st.lists(
        st.tuples(st.integers(400, 599), st.text()),
        min_size=1,
        max_size=8,
    )
)
def test_render_body_matches_json_dumps_for_any_messages(
    calls: list[tuple[int, str]],
) -> None:
    # Repeated and alternating codes and messages exercise the per-code cache.
    for code, message in calls * 2:
        assert render_body(code, message) == _slow_body(code, message)
        equal_copy = "".join([message, ""])
        assert render_body(code, equal_copy) == _slow_body(code, message)


@pytest.mark.parametrize(
    ("description", "messages", "expected"),
    [
        (None, None, PAGE_MESSAGES[404]),
        (None, {404: "Configured."}, "Configured."),
        ("The requested URL was not found on the server. If you entered the URL"
         " manually please check your spelling and try again.", {}, PAGE_MESSAGES[404]),
        ("User 7 does not exist", {404: "Configured."}, "User 7 does not exist"),
        (42, None, "42"),
    ],
)  # fmt: skip
def test_message_for(
    description: object, messages: dict[int, str] | None, expected: str
) -> None:
    assert message_for(404, description, messages) == expected


def test_envelope_response_outside_an_app() -> None:
    r = envelope_response(403, "Token is disabled", headers={"X-Reason": "token"})
    assert type(r) is Response
    assert (r.status_code, r.mimetype, r.headers["X-Reason"]) == (
        403,
        "application/json",
        "token",
    )
    assert json.loads(r.get_data()) == envelope(403, "Forbidden", "Token is disabled")
    assert json.loads(envelope_response(404).get_data()) == envelope(
        404, "Not Found", PAGE_MESSAGES[404]
    )


def test_envelope_response_uses_the_apps_config_and_response_class() -> None:
    class MyResponse(Response):
        pass

    app = Flask(__name__)
    app.response_class = MyResponse
    app.config["STATUS_ENVELOPE_MESSAGES"] = {401: "Log in first."}

    @app.before_request
    def require_login() -> Response:
        return envelope_response(401, headers={"WWW-Authenticate": "Bearer"})

    r = app.test_client().get("/anything")
    assert (r.status_code, r.headers["WWW-Authenticate"]) == (401, "Bearer")
    assert body_of(r) == envelope(401, "Unauthorized", "Log in first.")
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
    args: tuple[object, ...], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        envelope_response(*args)  # type: ignore[arg-type]
