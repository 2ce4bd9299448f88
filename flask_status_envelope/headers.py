"""Checks for the extra headers users attach to an error response."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from werkzeug.datastructures import Headers

#: What a caller may pass as ``headers=``: a mapping,
#: :class:`~werkzeug.datastructures.Headers` or an iterable of ``(name, value)`` pairs.
HeadersLike = Mapping[str, str] | Headers | Iterable[tuple[str, str]]

# RFC 9110 5.1 field-name = token; 5.5 field-value = visible chars, SP and HTAB.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# WSGI servers send header values as ISO-8859-1 (PEP 3333); anything beyond it would
# fail in the server after the response was built, leaving the client without one.
_NOT_LATIN_1 = re.compile(r"[^\x00-\xff]")
# The envelope owns these: the body is always its own JSON document.
_RESERVED = frozenset({"content-type", "content-length"})


def check_headers(headers: HeadersLike | None) -> list[tuple[str, str]]:
    """Validate user headers and return them as a list of ``(name, value)`` pairs.

    A header that could split the response (CR, LF or another control character in
    the value), a name that is not an RFC 9110 token, a value that is not a string,
    or a ``Content-Type``/``Content-Length`` that would contradict the JSON body is
    refused where it is passed, never sent. So is a value with a character beyond
    ISO-8859-1, which WSGI servers cannot send.

    :param headers: The headers to check, or ``None`` for none.
    :raises TypeError: ``headers`` is not a mapping or iterable of pairs, or a name
        or value is not a :class:`str`.
    :raises ValueError: A name or value is not allowed in an HTTP header.
    """
    if headers is None:
        return []
    if isinstance(headers, (str, bytes)):
        raise TypeError(
            f"headers must be a mapping or a list of (name, value) pairs, got"
            f" {type(headers).__name__} {headers!r}."
        )
    items: Iterable[tuple[str, str]]
    if isinstance(headers, Headers):
        items = headers.items()
    elif isinstance(headers, Mapping):
        items = headers.items()
    else:
        items = headers
    checked: list[tuple[str, str]] = []
    for item in items:
        try:
            name, value = item
        except (TypeError, ValueError):
            raise TypeError(
                f"Each header must be a (name, value) pair, got {item!r}."
            ) from None
        checked.append((_check_name(name), _check_value(name, value)))
    return checked


def _check_name(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"A header name must be a str, got {name!r}.")
    if not _TOKEN.fullmatch(name):
        raise ValueError(
            f"The header name {name!r} is not a valid HTTP field name: use letters,"
            " digits and -, with no spaces, colons or control characters."
        )
    if name.lower() in _RESERVED:
        raise ValueError(
            f"The header {name!r} cannot be set on an error envelope: the body is"
            " always JSON and its length is computed. Leave it out."
        )
    return name


def _check_value(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(
            f"The value of the header {name!r} must be a str, got"
            f" {type(value).__name__} {value!r}. Convert it with str() first."
        )
    if _BAD_VALUE.search(value):
        raise ValueError(
            f"The value of the header {name!r} contains a CR, LF or other control"
            f" character ({value!r}), which would corrupt the response. Remove it."
        )
    if _NOT_LATIN_1.search(value):
        raise ValueError(
            f"The value of the header {name!r} contains a character that HTTP"
            f" headers cannot carry ({value!r}): only ASCII (and ISO-8859-1) is"
            " allowed. Percent-encode it or put it in the message instead."
        )
    return value


def check_uri(label: str, uri: str, bad: re.Pattern[str], where: str = "") -> str:
    """Return ``uri`` if it is not empty and has none of the ``bad`` characters.

    :param label: How the error names the value (``"successor"``).
    :param bad: The characters the URI may not hold where it is sent.
    :param where: Where it is sent, for the error message
        (``" that can be sent in a Link header"``).
    :raises ValueError: ``uri`` is empty or holds a ``bad`` character.
    """
    found = bad.search(uri)
    if not uri or found:
        what = repr(found.group()) if found else "nothing"
        raise ValueError(
            f"{label}={uri!r} is not a URI{where}: it contains {what}. Percent-encode"
            " spaces, quotes, angle brackets, CR, LF and other control characters,"
            " and any non-ASCII character, e.g. with urllib.parse.quote()."
        )
    return uri
