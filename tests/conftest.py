"""The app every test starts from, and helpers to build expected bodies and load
the repository's examples."""

from __future__ import annotations

import importlib.util
import sys
import types
import typing as t
from pathlib import Path

import pytest
from flask import Flask

from flask_status_envelope import StatusEnvelope

#: The repository's top folder.
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def status_envelope() -> StatusEnvelope:
    """The extension object the ``app`` fixture is initialised with."""
    return StatusEnvelope()


@pytest.fixture
def app(request: pytest.FixtureRequest, status_envelope: StatusEnvelope) -> Flask:
    """A production-like app with the extension: errors are not propagated.

    pytest-flask's ``client`` fixture uses it.
    """
    app = Flask(request.module.__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    status_envelope.init_app(app)
    return app


def envelope(
    code: int, text: str, message: str, errors: list[dict[str, str]] | None = None
) -> dict[str, t.Any]:
    """The exact body the contract promises; ``errors`` for validation errors."""
    status: dict[str, t.Any] = {"code": code, "text": text, "message": message}
    if errors is not None:
        status["errors"] = errors
    return {"status": status}


def load_module(path: Path, name: str) -> types.ModuleType:
    """Import a file that is not on ``sys.path``: the demo, docs examples, benchmarks.

    The module is registered in ``sys.modules`` under ``name`` (dataclasses and
    pickling look it up there), replacing an earlier load of the same name.
    """
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_example(name: str) -> types.ModuleType:
    """Import ``docs/examples/<name>.py``, a sample the docs include."""
    return load_module(ROOT / "docs" / "examples" / f"{name}.py", f"docs_{name}")
