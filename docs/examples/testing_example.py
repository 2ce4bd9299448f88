import pytest
from flask import Flask

from flask_status_envelope import StatusEnvelope, abort_with
from flask_status_envelope.testing import assert_envelope, propagation_off


@pytest.fixture
def app():
    app = Flask(__name__)
    app.config["TESTING"] = True
    StatusEnvelope(app)

    @app.get("/admin")
    def admin():
        abort_with(403, "Token is disabled")

    @app.get("/crash")
    def crash():
        raise RuntimeError("boom")

    return app


def test_forbidden(app):
    response = app.test_client().get("/admin")
    body = assert_envelope(response, 403, "Token is disabled")
    assert body["status"]["text"] == "Forbidden"


def test_crash_propagates_while_testing(app):
    # TESTING=True: the exception reaches the test, with its traceback.
    with pytest.raises(RuntimeError):
        app.test_client().get("/crash")


def test_crash_answers_500(app):
    # The response a client would get in production, for this one request.
    with propagation_off(app):
        response = app.test_client().get("/crash")
    assert_envelope(response, 500)


def test_crash_with_the_fixtures(app, no_propagation, assert_envelope):
    # The same with the pytest plugin's fixtures, for the whole test.
    assert_envelope(app.test_client().get("/crash"), 500)
