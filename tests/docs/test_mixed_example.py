"""The mixed example (``examples/mixed.py``) answers what the README's "Mixed apps"
section shows: each ``curl`` line there, run as a test-client request."""

from __future__ import annotations

import re
import types
from pathlib import Path

import pytest
from werkzeug.exceptions import Forbidden, HTTPException, NotFound, ServiceUnavailable
from werkzeug.test import TestResponse

from ..conftest import ROOT, load_module

README = (ROOT / "README.md").read_text()
JSON = "application/json"
PROBLEM = "application/problem+json"


@pytest.fixture
def mixed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    monkeypatch.setenv("MIXED_MAINTENANCE_FILE", str(tmp_path / "maintenance"))
    return load_module(ROOT / "examples" / "mixed.py", "mixed_example")


def page(error: HTTPException) -> tuple[str, bytes]:
    """Flask's HTML page for ``error``: its content type and bytes."""
    response = error.get_response()
    return response.headers["Content-Type"], response.get_data()


@pytest.mark.parametrize(
    ("curl", "method", "url", "headers", "data", "status", "sent", "body"),
    [
        (
            "curl -i http://127.0.0.1:5000/nope",
            "GET",
            "/nope",
            {},
            None,
            404,
            [("Content-Type", page(NotFound())[0])],
            page(NotFound())[1],
        ),
        (
            "curl -i http://127.0.0.1:5000/admin",
            "GET",
            "/admin",
            {},
            None,
            403,
            [("Content-Type", page(Forbidden())[0])],
            page(Forbidden())[1],
        ),
        (
            "curl -i http://127.0.0.1:5000/api/nope",
            "GET",
            "/api/nope",
            {},
            None,
            404,
            [("Content-Type", JSON), ("Vary", "Accept")],
            b'{"status":{"code":404,"text":"Not Found","message":"The data you'
            b' requested does not exist or cannot be found."}}\n',
        ),
        (
            "curl -i -X DELETE http://127.0.0.1:5000/api/users/1",
            "DELETE",
            "/api/users/1",
            {},
            None,
            405,
            [("Content-Type", JSON), ("Vary", "Accept"),
             ("Allow", "GET, HEAD, OPTIONS")],
            b'{"status":{"code":405,"text":"Method Not Allowed","message":"The HTTP'
            b' method used is not allowed for this endpoint."}}\n',
        ),
        (
            "curl -i http://127.0.0.1:5000/api/users/7",
            "GET",
            "/api/users/7",
            {},
            None,
            404,
            [("Content-Type", JSON), ("Vary", "Accept")],
            b'{"status":{"code":404,"text":"Not Found","message":"User 7 does not'
            b' exist."}}\n',
        ),
        (
            "curl -i http://127.0.0.1:5000/api/users/7"
            " -H 'Accept: application/problem+json'",
            "GET",
            "/api/users/7",
            {"Accept": PROBLEM},
            None,
            404,
            [("Content-Type", PROBLEM), ("Vary", "Accept")],
            b'{"type":"about:blank","title":"Not Found","status":404,"detail":"User 7'
            b' does not exist."}\n',
        ),
        (
            "curl -i -X POST http://127.0.0.1:5000/api/users"
            " -H 'Content-Type: application/json' \\\n     -d '{}'"
            " -H 'Accept: application/problem+json'",
            "POST",
            "/api/users",
            {"Accept": PROBLEM, "Content-Type": JSON},
            "{}",
            400,
            [("Content-Type", PROBLEM), ("Vary", "Accept")],
            b'{"type":"about:blank","title":"Bad Request","status":400,'
            b'"detail":"name: Missing data for required field.","errors":'
            b'[{"field":"name","message":"Missing data for required field."}]}\n',
        ),
        (
            "curl -i http://127.0.0.1:5000/api/slow",
            "GET",
            "/api/slow",
            {},
            None,
            504,
            [("Content-Type", JSON), ("Vary", "Accept")],
            b'{"status":{"code":504,"text":"Gateway Timeout","message":"The upstream'
            b' timed out."}}\n',
        ),
    ],
)  # fmt: skip
def test_the_readme_curl_lines(
    mixed: types.ModuleType,
    curl: str,
    method: str,
    url: str,
    headers: dict[str, str],
    data: str | None,
    status: int,
    sent: list[tuple[str, str]],
    body: bytes,
) -> None:
    r = (
        mixed.create_app()
        .test_client()
        .open(url, method=method, headers=headers, data=data)
    )
    assert (curl in README, r.status_code, headers_of(r), r.get_data()) == (
        True,
        status,
        sent,
        body,
    )


def headers_of(r: TestResponse) -> list[tuple[str, str]]:
    """The headers but Content-Length and the random X-Request-ID (see
    test_the_api_errors_carry_a_request_id), Allow sorted (Werkzeug lists a set)."""
    return [
        (name, ", ".join(sorted(value.split(", "))) if name == "Allow" else value)
        for name, value in r.headers.to_wsgi_list()
        if name not in ("Content-Length", "X-Request-ID")
    ]


@pytest.mark.parametrize(("url", "has_id"), [("/api/nope", True), ("/nope", False)])
def test_the_api_errors_carry_a_request_id(
    mixed: types.ModuleType, url: str, has_id: bool
) -> None:
    r = mixed.create_app().test_client().get(url)
    rid = r.headers.get("X-Request-ID", "")
    assert (r.status_code, re.fullmatch("[0-9a-f]{32}", rid) is not None) == (
        404,
        has_id,
    )


def test_the_home_page_and_a_user(mixed: types.ModuleType) -> None:
    client = mixed.create_app().test_client()
    home, user = client.get("/"), client.get("/api/users/1")
    assert (home.status_code, home.mimetype, user.status_code, user.get_json()) == (
        200,
        "text/html",
        200,
        {"id": 1, "name": "Ada"},
    )


def test_maintenance_is_app_wide_and_the_health_check_stays_up(
    mixed: types.ModuleType, tmp_path: Path
) -> None:
    client = mixed.create_app().test_client()
    (tmp_path / "maintenance").touch()
    home, api, health = (
        client.get("/"),
        client.get("/api/users/1"),
        client.get("/api/health"),
    )
    assert (
        (home.status_code, home.headers["Content-Type"], home.get_data()),
        home.headers["Retry-After"],
        (api.status_code, api.mimetype, api.headers["Retry-After"]),
        (health.status_code, health.get_json()),
    ) == (
        (503, *page(ServiceUnavailable())),
        "300",
        (503, JSON, "300"),
        (200, {"healthy": True}),
    )
