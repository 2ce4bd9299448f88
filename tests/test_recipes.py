"""The integration recipes of ``docs/recipes.rst``, run with the real libraries."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import types
import typing as t
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from .conftest import body_of, envelope, load_example
from .servers import free_port, stop, wait_until

EXAMPLES = Path(__file__).parent.parent / "docs" / "examples"
BIN = Path(sys.executable).parent
UNAUTHORIZED = envelope(401, "Unauthorized", "Invalid token.")


@pytest.fixture(scope="module")
def httpauth() -> types.ModuleType:
    return load_example("recipe_httpauth")


@pytest.mark.parametrize(
    ("headers", "status", "body"),
    [
        ({}, 401, UNAUTHORIZED),
        ({"Authorization": "Bearer wrong"}, 401, UNAUTHORIZED),
        ({"Authorization": "Bearer secret-token"}, 200, {"user": "ada"}),
    ],
)
def test_httpauth(
    httpauth: types.ModuleType, headers: dict[str, str], status: int, body: object
) -> None:
    response = httpauth.app.test_client().get("/me", headers=headers)
    assert (response.status_code, body_of(response)) == (status, body)


def test_httpauth_keeps_www_authenticate(httpauth: types.ModuleType) -> None:
    response = httpauth.app.test_client().get("/me")
    assert (
        response.headers["WWW-Authenticate"] == 'Bearer realm="Authentication Required"'
    )
    assert (response.status_code, body_of(response)) == (401, UNAUTHORIZED)


@pytest.fixture(scope="module")
def jwt() -> types.ModuleType:
    return load_example("recipe_jwt")


def make_token(jwt: types.ModuleType, expires: timedelta) -> str:
    from flask_jwt_extended import create_access_token

    with jwt.app.app_context():
        return str(create_access_token("ada", expires_delta=expires))


def no_token(jwt: types.ModuleType) -> dict[str, str]:
    return {}


def garbage_token(jwt: types.ModuleType) -> dict[str, str]:
    return {"Authorization": "Bearer not.a.jwt"}


def expired_token(jwt: types.ModuleType) -> dict[str, str]:
    return {"Authorization": "Bearer " + make_token(jwt, timedelta(seconds=-10))}


@pytest.mark.parametrize(
    ("headers_for", "challenge", "message"),
    [
        (no_token, "Bearer", "A bearer token is required."),
        (garbage_token, 'Bearer error="invalid_token"', "Invalid token."),
        (expired_token, 'Bearer error="invalid_token"', "The token has expired."),
    ],
)
def test_jwt_errors(
    jwt: types.ModuleType,
    headers_for: t.Callable[[types.ModuleType], dict[str, str]],
    challenge: str,
    message: str,
) -> None:
    response = jwt.app.test_client().get("/me", headers=headers_for(jwt))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == challenge
    assert body_of(response) == envelope(401, "Unauthorized", message)


def test_jwt_tampered_signature(jwt: types.ModuleType) -> None:
    token = make_token(jwt, timedelta(minutes=5))
    response = jwt.app.test_client().get(
        "/me", headers={"Authorization": f"Bearer {token[:-2]}xx"}
    )
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert (response.status_code, body_of(response)) == (401, UNAUTHORIZED)


def test_jwt_valid_token(jwt: types.ModuleType) -> None:
    token = make_token(jwt, timedelta(minutes=5))
    response = jwt.app.test_client().get(
        "/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert (response.status_code, body_of(response)) == (200, {"user": "ada"})
    assert "WWW-Authenticate" not in response.headers


@pytest.fixture(scope="module")
def cors() -> types.ModuleType:
    module = load_example("recipe_cors")
    module.app.config["PROPAGATE_EXCEPTIONS"] = False

    @module.app.get("/crash")
    def crash() -> str:
        raise RuntimeError("boom")

    return module


@pytest.mark.parametrize(
    ("method", "path", "code", "text", "message"),
    [
        ("get", "/orders/7", 404, "Not Found", "Order 7 does not exist"),
        (
            "get",
            "/missing",
            404,
            "Not Found",
            "The data you requested does not exist or cannot be found.",
        ),
        (
            "post",
            "/orders/7",
            405,
            "Method Not Allowed",
            "The HTTP method used is not allowed for this endpoint.",
        ),
        (
            "get",
            "/crash",
            500,
            "Internal Server Error",
            "There is an error on the server. Contact support if this keeps happening.",
        ),
    ],
)
def test_cors_headers_on_errors(
    cors: types.ModuleType, method: str, path: str, code: int, text: str, message: str
) -> None:
    response = getattr(cors.app.test_client(), method)(
        path, headers={"Origin": "https://app.example.com"}
    )
    assert response.status_code == code
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert body_of(response) == envelope(code, text, message)


def test_cors_other_origin_gets_no_grant(cors: types.ModuleType) -> None:
    response = cors.app.test_client().get(
        "/orders/7", headers={"Origin": "https://evil.example.com"}
    )
    assert "Access-Control-Allow-Origin" not in response.headers
    assert (response.status_code, body_of(response)) == (
        404,
        envelope(404, "Not Found", "Order 7 does not exist"),
    )


SERVERS = {
    "gunicorn": lambda port: [
        str(BIN / "gunicorn"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "wsgi:app",
    ],
    "waitress": lambda port: [
        str(BIN / "waitress-serve"),
        f"--listen=127.0.0.1:{port}",
        "wsgi:app",
    ],
}


@pytest.fixture(params=sorted(SERVERS), scope="module")
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A real WSGI server running ``docs/examples/wsgi.py``, stopped after.

    Its output goes to a log file (shown if it fails to start), not an unread pipe.
    """
    port = free_port()
    log = tmp_path_factory.mktemp(request.param) / "server.log"
    with contextlib.ExitStack() as stack:
        output = stack.enter_context(log.open("wb"))
        process = subprocess.Popen(
            SERVERS[request.param](port),
            cwd=EXAMPLES,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        stack.callback(stop, process)

        def listening() -> bool:
            if process.poll() is not None:
                raise RuntimeError(
                    f"{request.param} exited with {process.returncode}:\n"
                    + log.read_text(errors="replace")
                )
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True

        wait_until(listening, f"{request.param} on port {port}", timeout=20)
        yield f"http://127.0.0.1:{port}"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "code", "text", "message"),
    [
        ("/users/7", 404, "Not Found", "User 7 does not exist"),
        (
            "/crash",
            500,
            "Internal Server Error",
            "There is an error on the server. Contact support if this keeps happening.",
        ),
    ],
)
def test_under_a_real_server(
    server: str, path: str, code: int, text: str, message: str
) -> None:
    with pytest.raises(urllib.error.HTTPError, match=f"^HTTP Error {code}: ") as info:
        urllib.request.urlopen(server + path, timeout=10)
    error = info.value
    assert error.code == code
    assert error.headers["Content-Type"] == "application/json"
    assert json.loads(error.read()) == envelope(code, text, message)
    error.close()
