"""The status-code page: reason phrases and default messages.

The texts are copied from the API's published status-code page (kept verbatim in
``tests/data/status-codes.txt``, which the tests compare against). Everything here
is computed once at import time so that the error path only does dictionary look-ups.
"""

from __future__ import annotations

import re
import typing as t

from werkzeug.exceptions import default_exceptions
from werkzeug.http import HTTP_STATUS_CODES

from .text import check_text

#: The page's *Text* column for the error codes it lists.
PAGE_TEXTS: dict[int, str] = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

#: The page's *Description* column, without the "Example messages include ..."
#: sentences and the pointer to a "Rate Limits" section that an API using this
#: extension does not have.
PAGE_MESSAGES: dict[int, str] = {
    400: (
        "The parameter you submitted is not valid. Please recheck request body"
        " before submitting the request."
    ),
    401: (
        "The credentials are not valid. You don't have authorization to access"
        " the resource."
    ),
    403: "The operation is not allowed, permission can't be given.",
    404: "The data you requested does not exist or cannot be found.",
    405: "The HTTP method used is not allowed for this endpoint.",
    410: "The requested endpoint has been deprecated and is no longer available.",
    429: "The request limit has been exceeded. Try again later.",
    500: "There is an error on the server. Contact support if this keeps happening.",
    502: "The server received an invalid response from an upstream server.",
    503: (
        "The server is temporarily unavailable, usually due to maintenance or overload."
    ),
    504: "The server did not receive a timely response from an upstream server.",
}

_TAG = re.compile(r"<[^>]+>")


def _plain(text: str) -> str:
    # Werkzeug writes a few descriptions for its HTML page (411 has <code>...</code>);
    # the envelope carries data, not markup.
    return _TAG.sub("", text)


#: Werkzeug's stock description per code, exactly as its exception classes carry it.
#: A raised exception whose description is one of these gave no reason of its own.
STOCK_DESCRIPTIONS: dict[int, str] = {
    code: cls.description
    for code, cls in default_exceptions.items()
    if cls.description is not None
}

#: Every error code's text: the page's, else the standard reason phrase.
TEXTS: dict[int, str] = {
    code: text for code, text in HTTP_STATUS_CODES.items() if 400 <= code <= 599
}
TEXTS.update(PAGE_TEXTS)

#: Every error code's default message: the page's, else Werkzeug's description as
#: plain text, else the reason phrase.
DEFAULT_MESSAGES: dict[int, str] = {
    code: _plain(description) for code, description in STOCK_DESCRIPTIONS.items()
}
for _code, _text in TEXTS.items():
    DEFAULT_MESSAGES.setdefault(_code, _text)
DEFAULT_MESSAGES.update(PAGE_MESSAGES)

#: The reason phrase used for codes that have none (e.g. 420, 599), as Werkzeug's
#: :attr:`~werkzeug.exceptions.HTTPException.name` does.
UNKNOWN_TEXT = "Unknown Error"


def status_text(code: int) -> str:
    """Return the reason phrase the envelope uses for ``code``.

    :param code: An HTTP status code from 400 to 599.
    """
    return TEXTS.get(code, UNKNOWN_TEXT)


def default_message(code: int) -> str:
    """Return the page's message for ``code``, ignoring any app configuration.

    Codes the page does not list fall back to Werkzeug's description, then to the
    reason phrase.

    :param code: An HTTP status code from 400 to 599.
    """
    return DEFAULT_MESSAGES.get(code) or status_text(code)


def check_code(code: object) -> int:
    """Return ``code`` if it is an error status this extension can send.

    :raises ValueError: ``code`` is not an :class:`int` (``bool`` is refused too)
        or is outside 400-599.
    """
    if not isinstance(code, int) or isinstance(code, bool):
        raise ValueError(
            f"The status code must be an int from 400 to 599, got {code!r}"
            f" ({type(code).__name__}). Pass the number, e.g. 403."
        )
    if not 400 <= code <= 599:
        raise ValueError(
            f"The status code must be an error status from 400 to 599, got {code!r}."
            " Use a 4xx code for a client error or a 5xx code for a server error."
        )
    return code


def check_message(message: object) -> t.Any:
    """Return ``message`` if it is a message the envelope can carry, or ``None``.

    Text is a :class:`str` or a lazy string (Flask-Babel's ``lazy_gettext``, a
    :class:`collections.UserString`), rendered per response.

    :raises TypeError: ``message`` is neither text nor ``None``.
    """
    return check_text(message)
