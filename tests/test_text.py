"""Message text: str and lazy strings, rendered when a response is built."""

from __future__ import annotations

import typing as t
from collections import UserString

import pytest

from flask_status_envelope.text import check_text, is_lazy, is_text, render_text


class Shout(str):
    def __str__(self) -> str:
        return self.upper()


LAZY = [UserString("Nope.")]
NOT_TEXT = [b"Nope.", 42, 4.2, True, object(), ["Nope."], {"a": "b"}]


@pytest.mark.parametrize("value", LAZY)
def test_lazy_strings(value: object) -> None:
    assert (is_lazy(value), is_text(value), check_text(value)) == (True, True, value)


@pytest.mark.parametrize("value", ["Nope.", "", Shout("nope.")])
def test_str_is_text_not_lazy(value: str) -> None:
    assert (is_lazy(value), is_text(value), check_text(value)) == (False, True, value)


def test_none_passes_the_check() -> None:
    assert check_text(None) is None


@pytest.mark.parametrize("value", NOT_TEXT)
def test_other_objects_are_refused(value: object) -> None:
    assert (is_lazy(value), is_text(value)) == (False, False)
    with pytest.raises(TypeError, match="^message must be a str or None, got"):
        check_text(value)
    with pytest.raises(TypeError, match="^not message text"):
        render_text(value)


def test_the_refusal_names_the_setting_and_the_fix() -> None:
    with pytest.raises(
        TypeError,
        match=r"^STATUS_ENVELOPE_MESSAGES\[404\] must be a str or None, got bytes"
        r" b'x'\. Decode bytes first, e\.g\. message\.decode\('utf-8'\)\. A lazy"
        r" string \(lazy_gettext\(\), a UserString\) is accepted too\.$",
    ):
        check_text(b"x", "STATUS_ENVELOPE_MESSAGES[404]")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("Nope.", "Nope."),
        # A str subclass is sent as the text it holds, not its __str__.
        (Shout("nope."), "nope."),
        (UserString("Nope."), "Nope."),
    ],
)
def test_render_text(value: t.Any, text: str) -> None:
    rendered = render_text(value)
    assert (rendered, type(rendered)) == (text, str)
