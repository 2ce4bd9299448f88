"""The pytest plugin, as a project that installs the package gets it."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


PLUGIN_TEST = """
import pytest
from flask import Flask
from flask_status_envelope import StatusEnvelope

@pytest.fixture
def app():
    app = Flask(__name__)
    app.config["TESTING"] = True
    StatusEnvelope(app)

    @app.get("/crash")
    def crash():
        raise RuntimeError("boom")

    return app

def test_500(app, no_propagation, assert_envelope):
    response = app.test_client().get("/crash")
    assert_envelope(response, 500)

def test_propagates(app):
    with pytest.raises(RuntimeError, match="boom"):
        app.test_client().get("/crash")

def test_readable_failure(app, no_propagation, assert_envelope):
    assert_envelope(app.test_client().get("/crash"), 404)
"""


def test_pytest_plugin_is_loaded_by_entry_point(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(PLUGIN_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "E * AssertionError: not the envelope for 404:",
            "E *  - status is 500, expected 404",
            "E *  - status.code is 500, expected 404",
            "E *  - status.text is 'Internal Server Error', expected 'Not Found'",
            'E * body: \'{"status":{"code":500,*',
        ]
    )


def test_pytest_plugin_can_be_disabled(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(PLUGIN_TEST)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-p", "no:status_envelope"
    )
    result.assert_outcomes(passed=1, errors=2)
    result.stdout.fnmatch_lines(["*fixture 'no_propagation' not found*"])
