"""Lazy strings of Babel and Flask-Babel are message text (text.py)."""

from __future__ import annotations

import pytest
from babel.support import LazyProxy
from flask import Flask
from flask_babel import Babel, lazy_gettext  # type: ignore[import-untyped]

from flask_status_envelope.text import check_text, is_lazy, is_text, render_text


@pytest.mark.parametrize("value", [lazy_gettext("Nope."), LazyProxy(lambda: "Nope.")])
def test_babel_lazy_strings(value: object) -> None:
    assert (is_lazy(value), is_text(value), check_text(value)) == (True, True, value)


def test_a_lazy_proxy_renders_its_text() -> None:
    rendered = render_text(LazyProxy(lambda: "Nope."))
    assert (rendered, type(rendered)) == ("Nope.", str)


def test_a_lazy_proxy_to_something_else_is_refused() -> None:
    with pytest.raises(TypeError, match="^not message text: LazyProxy$"):
        render_text(LazyProxy(lambda: 42))


def test_lazy_gettext_renders_in_the_request() -> None:
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context("/"):
        assert render_text(lazy_gettext("Nope.")) == "Nope."
