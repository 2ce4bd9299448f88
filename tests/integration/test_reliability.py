"""Property-based tests: whatever goes in, an error comes out as the envelope.

Every example either gets a valid envelope of the exact shape with the right code, or
fails at the call with a clear programmer error. The budget is fixed
(``derandomize=True``) so that CI runs the same examples in a few seconds.
"""

from __future__ import annotations

import json
import re
import typing as t
from datetime import datetime, timedelta, timezone

import pytest
from flask import Flask, request
from flask.typing import ResponseReturnValue
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException

from flask_status_envelope import (
    StatusEnvelope,
    abort_with,
    envelope_response,
    exception_class,
)
from flask_status_envelope.openapi import envelope_example
from flask_status_envelope.testing import assert_envelope

from .envelope_checks import check_success_or_envelope

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BIG = settings(FUZZ, max_examples=6)
# Any code point, lone surrogates included (Hypothesis leaves them out by default).
ANY_CHAR = st.characters(exclude_categories=())
MARKUP = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "</b>&amp;&lt;",
        "\"quoted\" 'single' `tick`",
        "\\u0000 \\n \\\\",
        "{{ config.SECRET_KEY }}",
        "%s %d {0} {}",
        "\r\n\r\nHTTP/1.1 200 OK\r\n",
        "\x00\x1b[31m\x7f",
        "\ud800\udfff\udc00",
        "\u2028\u2029\ufeff",
    ]
)
MESSAGES = st.one_of(
    st.text(ANY_CHAR, max_size=200),
    st.text(st.characters(codec="ascii"), max_size=50),
    st.lists(st.one_of(MARKUP, st.text(ANY_CHAR, max_size=5)), max_size=6).map("".join),
)
ONE_MB = 1 << 20
HUGE_MESSAGES = st.text(ANY_CHAR, min_size=1, max_size=8).map(
    lambda unit: (unit * (ONE_MB // len(unit) + 1))[:ONE_MB]
)
CODES = st.integers(400, 599)
NOT_CODES = st.one_of(
    st.integers().filter(lambda n: not 400 <= n <= 599),
    st.booleans(),
    st.floats(),
    st.text(max_size=5),
    st.none(),
)
NOT_MESSAGES = st.one_of(st.binary(max_size=5), st.integers(), st.lists(st.text()))


def _create_app() -> Flask:
    app = Flask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    StatusEnvelope(app)

    # The message travels in a JSON body, which carries any str (lone surrogates
    # as \ud800 escapes), so that the whole request goes through Flask.
    @app.post("/abort-with")
    def abort_with_view() -> t.NoReturn:
        data = request.get_json()
        abort_with(data["code"], data["message"])

    @app.post("/raise")
    def raise_view() -> t.NoReturn:
        data = request.get_json()
        raise exception_class(data["code"])(description=data["message"])

    @app.post("/respond")
    def respond_view() -> ResponseReturnValue:
        data = request.get_json()
        return envelope_response(data["code"], data["message"])

    return app


APP = _create_app()


def _as_json_reads(message: str) -> str:
    # JSON joins a surrogate pair written as two code points into one character,
    # in the request as in the response; lone surrogates stay as they are.
    return t.cast(str, json.loads(json.dumps(message)))


def _post(path: str, code: int, message: str | None) -> t.Any:
    data = json.dumps({"code": code, "message": message})
    return APP.test_client().post(path, data=data, content_type="application/json")


@pytest.mark.parametrize("path", ["/abort-with", "/raise", "/respond"])
@FUZZ
@given(code=CODES, message=MESSAGES)
def test_any_message_round_trips(path: str, code: int, message: str) -> None:
    response = _post(path, code, message)
    sent = _as_json_reads(message)
    assert_envelope(response, code, sent)
    # Byte for byte what Flask's default JSON provider writes: compact, ASCII, the
    # keys in the documented order, a trailing newline.
    expected = json.dumps(envelope_example(code, sent), separators=(",", ":"))
    assert response.data == (expected + "\n").encode("ascii")


@pytest.mark.parametrize("path", ["/abort-with", "/raise", "/respond"])
@BIG
@given(code=CODES, message=HUGE_MESSAGES)
def test_one_megabyte_message_round_trips(path: str, code: int, message: str) -> None:
    response = _post(path, code, message)
    assert_envelope(response, code, _as_json_reads(message))


@pytest.mark.parametrize("path", ["/abort-with", "/raise", "/respond"])
@FUZZ
@given(code=CODES)
def test_no_message_sends_the_default(path: str, code: int) -> None:
    response = _post(path, code, None)
    assert_envelope(response, code, envelope_example(code)["status"]["message"])


@FUZZ
@given(code=NOT_CODES)
def test_bad_code_fails_at_the_call(code: t.Any) -> None:
    with pytest.raises(ValueError, match="status code must be an"):
        abort_with(code)
    with pytest.raises(ValueError, match="status code must be an"):
        envelope_response(code)
    with pytest.raises(ValueError, match="status code must be an"):
        StatusEnvelope().register_exception(KeyError, code)


@FUZZ
@given(code=CODES, message=NOT_MESSAGES)
def test_bad_message_fails_at_the_call(code: int, message: t.Any) -> None:
    with pytest.raises(TypeError, match="message must be a str or None"):
        abort_with(code, message)
    with pytest.raises(TypeError, match="message must be a str or None"):
        envelope_response(code, message)
    with pytest.raises(TypeError, match="message must be a str or None"):
        StatusEnvelope().register_exception(KeyError, code, message)


@settings(FUZZ, max_examples=50)
@given(
    messages=st.dictionaries(CODES, MESSAGES, min_size=1, max_size=5), data=st.data()
)
def test_configured_messages_are_sent(
    messages: dict[int, str], data: st.DataObject
) -> None:
    code = data.draw(st.sampled_from(sorted(messages)))
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_MESSAGES"] = messages

    @app.get("/")
    def index() -> t.NoReturn:
        abort_with(code)

    StatusEnvelope(app)
    assert_envelope(app.test_client().get("/"), code, _as_json_reads(messages[code]))


def _key_error_app(code: int, message: str | None, text: str) -> Flask:
    """An app mapping ``LookupError`` to ``code``, whose view raises ``KeyError``."""
    app = Flask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    ext = StatusEnvelope(app)
    ext.register_exception(LookupError, code, message)

    @app.get("/")
    def index() -> t.NoReturn:
        raise KeyError(text)

    return app


@settings(FUZZ, max_examples=50)
@given(code=CODES, message=MESSAGES, text=MESSAGES)
def test_registered_exception_sends_its_message_not_the_error_text(
    code: int, message: str, text: str
) -> None:
    app = _key_error_app(code, message, text)
    assert_envelope(app.test_client().get("/"), code, _as_json_reads(message))


@settings(FUZZ, max_examples=25)
@given(code=CODES, text=MESSAGES)
def test_registered_exception_without_a_message_sends_the_default_not_the_error_text(
    code: int, text: str
) -> None:
    app = _key_error_app(code, None, text)
    assert_envelope(
        app.test_client().get("/"), code, envelope_example(code)["status"]["message"]
    )


TOKEN_CHARS = (
    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)
HEADER_NAMES = st.text(st.sampled_from(TOKEN_CHARS), min_size=1, max_size=20).filter(
    lambda name: name.lower() not in {"content-type", "content-length"}
)
# Visible ASCII, space, tab and ISO-8859-1 letters: all a WSGI server can send.
HEADER_VALUES = st.text(
    st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0xA0, max_codepoint=0xFF),
        st.just("\t"),
    ),
    max_size=40,
)
NEWLINES = st.sampled_from(["\r", "\n", "\r\n", "\n\r"])
_SENDABLE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")


def _abort_response(code: int, **kwargs: t.Any) -> t.Any:
    with APP.test_request_context():
        try:
            abort_with(code, **kwargs)
        except HTTPException as error:
            return APP.make_response(APP.handle_user_exception(error))


@FUZZ
@given(code=CODES, name=HEADER_NAMES, value=HEADER_VALUES)
def test_valid_headers_are_sent_as_given(code: int, name: str, value: str) -> None:
    for response in (
        _abort_response(code, headers={name: value}),
        envelope_response(code, headers=[(name, value)]),
    ):
        assert response.status_code == code
        assert response.headers.getlist(name)[-1] == value


@FUZZ
@given(
    code=CODES,
    name=HEADER_NAMES,
    before=HEADER_VALUES,
    newline=NEWLINES,
    after=st.text(ANY_CHAR, max_size=20),
)
def test_cr_lf_in_a_header_value_is_refused_at_the_call(
    code: int, name: str, before: str, newline: str, after: str
) -> None:
    value = before + newline + after
    with pytest.raises(ValueError, match="CR, LF or other control character"):
        abort_with(code, headers={name: value})
    with pytest.raises(ValueError, match="CR, LF or other control character"):
        envelope_response(code, headers={name: value})


@FUZZ
@given(code=CODES, name=HEADER_NAMES, before=HEADER_VALUES, newline=NEWLINES)
def test_cr_lf_in_a_header_name_is_refused_at_the_call(
    code: int, name: str, before: str, newline: str
) -> None:
    with pytest.raises(ValueError, match="not a valid HTTP field name"):
        abort_with(code, headers={name + newline + before: "x"})


@FUZZ
@given(
    code=CODES,
    headers=st.lists(
        st.tuples(
            st.one_of(HEADER_NAMES, st.text(ANY_CHAR, max_size=10)),
            st.text(ANY_CHAR, max_size=20),
        ),
        max_size=3,
    ),
)
def test_any_header_is_sent_sendable_or_refused_at_the_call(
    code: int, headers: list[tuple[str, str]]
) -> None:
    try:
        response = envelope_response(code, headers=headers)
    except ValueError as error:
        assert re.search(
            "field name|control character|cannot carry|cannot be set", str(error)
        )
        return
    assert response.status_code == code
    for name, value in headers:
        assert name in response.headers
        assert _SENDABLE.fullmatch(value)
        value.encode("latin-1")


OFFSETS = st.timedeltas(
    min_value=timedelta(hours=-23, minutes=-59),
    max_value=timedelta(hours=23, minutes=59),
)
RETRY_AFTERS = st.one_of(
    st.integers(),
    st.timedeltas(),
    st.datetimes(),
    st.datetimes(timezones=st.builds(timezone, OFFSETS)),
)
_RETRY_AFTER = re.compile(
    r"\d+|(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT"
)


@FUZZ
@given(code=CODES, retry_after=RETRY_AFTERS)
# Dates that exist in their zone but not in UTC, where HTTP dates are written.
@example(429, datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))))
@example(503, datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))))
def test_any_retry_after_is_sent_valid_or_refused_at_the_call(
    code: int, retry_after: t.Any
) -> None:
    try:
        response = _abort_response(code, retry_after=retry_after)
    except ValueError as error:
        assert str(error).startswith("retry_after must not be negative") or (
            "an HTTP date can carry" in str(error)
        )
        return
    assert response.status_code == code
    assert json.loads(response.get_data())["status"]["code"] == code
    assert _RETRY_AFTER.fullmatch(response.headers["Retry-After"])


REQUEST_APP = Flask(__name__)
REQUEST_APP.config.update(
    PROPAGATE_EXCEPTIONS=False, MAX_CONTENT_LENGTH=1024, SECRET_KEY="s3cr3t-k3y"
)
StatusEnvelope(REQUEST_APP).register_exception(TimeoutError, 504)


@REQUEST_APP.route("/json", methods=["POST", "PUT"])
def json_view() -> ResponseReturnValue:
    return {"got": request.get_json()}


@REQUEST_APP.post("/form")
def form_view() -> ResponseReturnValue:
    return {"got": request.form.to_dict()}


@REQUEST_APP.get("/users/<int:user_id>")
def user_view(user_id: int) -> t.NoReturn:
    abort_with(404, f"User {user_id} does not exist")


@REQUEST_APP.get("/crash")
def crash_view() -> t.NoReturn:
    raise RuntimeError("secret")


@REQUEST_APP.get("/slow")
def slow_view() -> t.NoReturn:
    raise TimeoutError("secret")


@REQUEST_APP.get("/slash/")
def slash_view() -> ResponseReturnValue:
    return {"ok": True}


#: The answers the app may give that are not errors.
GOOD = {200, 308}
PATHS = st.one_of(
    st.sampled_from(
        ["/json", "/form", "/users/7", "/crash", "/slow", "/slash", "/slash/"]
    ),
    st.builds("/users/{}".format, st.text(st.characters(codec="ascii"), max_size=10)),
    st.lists(
        st.one_of(
            st.characters(
                min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="?#"
            ),
            st.sampled_from(["%", "%zz", "%ff", "%E0%A4%A", "%00", "%2F", "%C3%28"]),
        ),
        max_size=30,
    ).map(lambda parts: "/" + "".join(parts)),
)
METHODS = st.one_of(
    st.sampled_from(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
    st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), min_size=1, max_size=10),
)
CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "multipart/form-data; boundary=x",
        "text/plain",
        "application/json; charset=latin-1",
    ]
)
BODIES = st.one_of(
    st.binary(max_size=2048),
    st.text(ANY_CHAR, max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.builds(
        json.dumps, st.recursive(st.none() | st.integers() | st.text(), st.lists)
    ).map(str.encode),
)


@settings(FUZZ, max_examples=400)
@given(path=PATHS, method=METHODS, body=BODIES, content_type=CONTENT_TYPES)
def test_any_request_gets_a_success_or_an_envelope(
    path: str, method: str, body: bytes, content_type: str
) -> None:
    response = REQUEST_APP.test_client().open(
        path, method=method, data=body, content_type=content_type
    )
    check_success_or_envelope(response, GOOD)
    assert "s3cr3t" not in response.get_data(as_text=True)
