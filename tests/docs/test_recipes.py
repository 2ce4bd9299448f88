"""The integration recipes of ``docs/recipes.rst``, run with the real libraries."""

from __future__ import annotations

import types
import typing as t
from datetime import timedelta

import pytest
from flask import Flask

from flask_status_envelope.testing import assert_envelope

from ..conftest import envelope, load_example

"""The integration recipes of ``docs/recipes.rst``, run with the real libraries."""
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
    assert (response.status_code, response.get_json()) == (status, body)


def test_httpauth_keeps_www_authenticate(httpauth: types.ModuleType) -> None:
    response = httpauth.app.test_client().get("/me")
    assert (
        response.headers["WWW-Authenticate"] == 'Bearer realm="Authentication Required"'
    )
    assert assert_envelope(response, 401) == UNAUTHORIZED


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
    assert response.headers["WWW-Authenticate"] == challenge
    assert assert_envelope(response, 401) == envelope(401, "Unauthorized", message)


def test_jwt_tampered_signature(jwt: types.ModuleType) -> None:
    token = make_token(jwt, timedelta(minutes=5))
    response = jwt.app.test_client().get(
        "/me", headers={"Authorization": f"Bearer {token[:-2]}xx"}
    )
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert assert_envelope(response, 401) == UNAUTHORIZED


def test_jwt_valid_token(jwt: types.ModuleType) -> None:
    token = make_token(jwt, timedelta(minutes=5))
    response = jwt.app.test_client().get(
        "/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert (response.status_code, response.get_json()) == (200, {"user": "ada"})
    assert "WWW-Authenticate" not in response.headers


@pytest.fixture(scope="module")
def cors() -> types.ModuleType:
    module = load_example("recipe_cors")
    app: Flask = module.app
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/crash")
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
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert assert_envelope(response, code) == envelope(code, text, message)


def test_cors_other_origin_gets_no_grant(cors: types.ModuleType) -> None:
    response = cors.app.test_client().get(
        "/orders/7", headers={"Origin": "https://evil.example.com"}
    )
    assert "Access-Control-Allow-Origin" not in response.headers
    assert assert_envelope(response, 404) == envelope(
        404, "Not Found", "Order 7 does not exist"
    )
