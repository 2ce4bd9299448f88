"""Translated messages: the page's defaults follow Flask-Babel's locale, and the
app's own messages are lazy strings of its own catalog."""

from __future__ import annotations

import typing as t

from flask import Flask, Response, request
from flask_babel import Babel
from flask_babel import lazy_gettext as _l

from flask_status_envelope import StatusEnvelope, abort_with

LANGUAGES = ["en", "de", "fr", "ja"]

# Translated when a response is built, in that request's locale.
NOT_YOURS = _l("This order belongs to another customer.")


def select_locale() -> str | None:
    return request.accept_languages.best_match(LANGUAGES)


def create_app(**config: t.Any) -> Flask:
    app = Flask(__name__)
    app.config.update(config)
    StatusEnvelope(app)
    Babel(app, locale_selector=select_locale)

    @app.after_request
    def vary_on_language(response: Response) -> Response:
        # The selector reads Accept-Language, so caches must key on it.
        response.vary.add("Accept-Language")
        return response

    @app.get("/orders/<int:order_id>")
    def get_order(order_id: int) -> dict[str, int]:
        if order_id != 1:
            abort_with(403, NOT_YOURS)
        return {"id": order_id}

    return app
