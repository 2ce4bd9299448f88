"""What counts as message text: ``str`` and lazy strings rendered per request.

A lazy string (Flask-Babel's ``LazyString`` from ``lazy_gettext``, Babel's
``LazyProxy``, :class:`collections.UserString`) is kept as it is given and turned into
a ``str`` only when a response is built, so that it follows the locale of the request
being answered. Nothing is imported here: a lazy string's class is looked up in
:data:`sys.modules`, where it must already be if such an object exists.
"""

from __future__ import annotations

import sys
import typing as t
from collections import UserString

#: Lazy string classes by module and name, checked only when their module is loaded.
_LAZY_CLASSES = (
    ("flask_babel.speaklater", "LazyString"),
    ("babel.support", "LazyProxy"),
)


def is_lazy(value: object) -> bool:
    """Tell whether ``value`` is a lazy string: rendered with ``str()`` when used.

    :param value: Any object.
    """
    if isinstance(value, UserString):
        return True
    return any(
        isinstance(value, _loaded_class(module_name, class_name))
        for module_name, class_name in _LAZY_CLASSES
    )


def _loaded_class(module_name: str, class_name: str) -> t.Any:
    # The class if its module is loaded, else a tuple no object is an instance of.
    module = sys.modules.get(module_name)
    return getattr(module, class_name, ()) if module is not None else ()


def is_text(value: object) -> bool:
    """Tell whether ``value`` is a :class:`str` or a lazy string."""
    return isinstance(value, str) or is_lazy(value)


def check_text(value: object, what: str = "message") -> t.Any:
    """Return ``value`` if it is text or ``None``; refuse anything else.

    :param value: The value given by the programmer.
    :param what: How the error names it (``"message"``,
        ``"STATUS_ENVELOPE_MESSAGES[404]"``).
    :raises TypeError: ``value`` is neither text nor ``None``: bytes, a number, any
        other object.
    """
    if value is None or is_text(value):
        return value
    hint = (
        " Decode bytes first, e.g. message.decode('utf-8')."
        if isinstance(value, bytes)
        else ""
    )
    raise TypeError(
        f"{what} must be a str or None, got {type(value).__name__} {value!r}.{hint}"
        " A lazy string (lazy_gettext(), a UserString) is accepted too."
    )


def render_text(value: t.Any) -> str:
    """Return the text of ``value`` now: itself for a ``str``, ``str(value)`` for a
    lazy string.

    Called once per response, inside the request, so that a lazy string is
    translated into the locale of that request. Never ``str()`` of anything else,
    which would send a Python ``repr`` (``b'...'``) to the client.

    :raises TypeError: ``value`` is not text (a config changed after ``init_app``),
        or a lazy string rendered to something else than a ``str``.
    """
    if type(value) is str:
        return value
    if isinstance(value, str):
        return str.__str__(value)  # a str subclass: its plain text
    if is_lazy(value):
        proxy = _loaded_class("babel.support", "LazyProxy")
        # Babel's LazyProxy proxies any object: only a str is text.
        text = value.value if isinstance(value, proxy) else str(value)
        if isinstance(text, str):
            return str.__str__(text)
    raise TypeError(f"not message text: {type(value).__name__}")
