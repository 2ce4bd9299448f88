"""The per-app state: each app its own configuration, read per response."""

from __future__ import annotations

import typing as t

from flask import Flask, Response
from flask.testing import FlaskClient

from flask_status_envelope import StatusEnvelope
from flask_status_envelope.codes import PAGE_MESSAGES
from flask_status_envelope.testing import assert_envelope

from .conftest import envelope


def test_app_factory_and_several_apps_with_their_own_config() -> None:
    ext = StatusEnvelope()

    def create_app(message: str) -> Flask:
        app = Flask(__name__)
        app.config["STATUS_ENVELOPE_MESSAGES"] = {404: message}
        ext.init_app(app)
        return app

    one, two = create_app("one"), create_app("two")
    assert one.extensions["status_envelope"] is not two.extensions["status_envelope"]
    assert assert_envelope(one.test_client().get("/x"), 404) == envelope(
        404, "Not Found", "one"
    )
    assert assert_envelope(two.test_client().get("/x"), 404) == envelope(
        404, "Not Found", "two"
    )
    assert not hasattr(ext, "app")


def test_apps_with_different_messages_for_a_code_each_get_their_own() -> None:
    configured = Flask(__name__)
    configured.config["STATUS_ENVELOPE_MESSAGES"] = {404: "Nothing here."}
    plain = Flask(__name__)
    for app in (configured, plain):
        StatusEnvelope(app)
    for _ in range(2):
        assert assert_envelope(configured.test_client().get("/x"), 404) == envelope(
            404, "Not Found", "Nothing here."
        )
        assert assert_envelope(plain.test_client().get("/x"), 404) == envelope(
            404, "Not Found", PAGE_MESSAGES[404]
        )


def test_config_set_before_init_app_is_kept_and_changes_take_effect() -> None:
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_MESSAGES"] = {404: "First."}
    StatusEnvelope(app)
    client = app.test_client()
    assert assert_envelope(client.get("/x"), 404) == envelope(
        404, "Not Found", "First."
    )
    app.config["STATUS_ENVELOPE_MESSAGES"][404] = "Second."
    assert assert_envelope(client.get("/x"), 404) == envelope(
        404, "Not Found", "Second."
    )
    app.config["STATUS_ENVELOPE_MESSAGES"] = {}
    assert assert_envelope(client.get("/x"), 404) == envelope(
        404, "Not Found", PAGE_MESSAGES[404]
    )


def test_a_response_class_set_after_init_app_is_used(
    app: Flask, client: FlaskClient
) -> None:
    class TaggedResponse(Response):
        def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
            super().__init__(*args, **kwargs)
            self.headers["X-Tagged"] = "yes"

    app.response_class = TaggedResponse
    r = client.get("/missing")
    assert r.headers["X-Tagged"] == "yes"
    assert assert_envelope(r, 404) == envelope(404, "Not Found", PAGE_MESSAGES[404])
