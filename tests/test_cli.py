"""``flask status-envelope`` without Redis: the maintenance file, and clear errors.

The commands with Redis are in ``tests/integration/test_cli_redis.py``.
"""

from __future__ import annotations

import time
import typing as t
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask

from flask_status_envelope import StatusEnvelope
from flask_status_envelope.testing import assert_envelope

TTL = 0.2


def create_app(**config: t.Any) -> Flask:
    app = Flask(__name__)
    app.config.update(
        {
            "PROPAGATE_EXCEPTIONS": False,
            "STATUS_ENVELOPE_SWITCHES_TTL": TTL,
            **config,
        }
    )
    StatusEnvelope(app)

    @app.get("/items")
    def items() -> t.Any:
        return {"items": []}

    @app.get("/report")
    def report() -> t.Any:
        return {"report": "ok"}

    return app


def run(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=["status-envelope", *args])


def succeeded(result: Result) -> str:
    assert (result.exit_code, result.exception) == (0, None), result.output
    return result.output


def refused(result: Result, exit_code: int) -> str:
    """The command failed with a message, not a traceback."""
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.output


def later(app: Flask, path: str) -> t.Any:
    time.sleep(TTL + 0.05)
    return app.test_client().get(path)


def test_a_maintenance_file_without_redis(tmp_path: Path) -> None:
    path = tmp_path / "maintenance"
    app = create_app(STATUS_ENVELOPE_MAINTENANCE_FILE=str(path))
    succeeded(run(app, "maintenance", "on"))
    assert path.exists()
    response = app.test_client().get("/items")
    assert_envelope(response, 503)
    assert response.headers["Retry-After"] == "300"
    assert "maintenance: on" in succeeded(run(app, "maintenance", "status"))
    succeeded(run(app, "maintenance", "off"))
    assert not path.exists()
    assert app.test_client().get("/items").status_code == 200
    # Off twice is still off.
    succeeded(run(app, "maintenance", "off"))


def test_a_maintenance_file_refuses_retry_after(tmp_path: Path) -> None:
    path = tmp_path / "maintenance"
    app = create_app(STATUS_ENVELOPE_MAINTENANCE_FILE=str(path))
    output = refused(run(app, "maintenance", "on", "--retry-after", "60"), 2)
    assert "STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER" in output
    assert not path.exists()


@pytest.mark.parametrize("command", [("retire", "report"), ("restore", "report")])
def test_retire_needs_redis(tmp_path: Path, command: tuple[str, ...]) -> None:
    app = create_app(STATUS_ENVELOPE_MAINTENANCE_FILE=str(tmp_path / "m"))
    assert "needs STATUS_ENVELOPE_SWITCHES_URL" in refused(run(app, *command), 1)


@pytest.mark.parametrize(
    "command",
    [
        ("maintenance", "on"),
        ("maintenance", "off"),
        ("retire", "report"),
        ("restore", "report"),
    ],
)
def test_without_any_switch_every_switch_command_is_an_error(
    command: tuple[str, ...],
) -> None:
    output = refused(run(create_app(), *command), 1)
    assert "STATUS_ENVELOPE_SWITCHES_URL" in output


def test_status_without_any_switch_says_so() -> None:
    output = succeeded(run(create_app(), "status"))
    assert "maintenance: off (no switch configured)" in output


def test_an_app_without_the_extension_has_no_group() -> None:
    app = Flask(__name__)
    result = app.test_cli_runner().invoke(args=["status-envelope", "status"])
    assert result.exit_code == 2
    assert "No such command 'status-envelope'" in result.output
