"""problem+json (RFC 9457) instead of the envelope, for clients that ask for it.

The same error, the same status and headers, another body:

.. code-block:: json

    {"type": "about:blank", "title": "Not Found", "status": 404,
     "detail": "User 7 does not exist."}

``title`` is the envelope's ``text`` (the reason phrase, as RFC 9457 asks for
``about:blank``), ``detail`` its ``message``; the envelope's other members
(``errors``, ``request_id``) follow as extension members.
:data:`STATUS_ENVELOPE_PROBLEM_DETAILS` chooses when: ``"negotiate"`` (the default)
for a client whose ``Accept`` prefers ``application/problem+json`` to
``application/json``, ``"always"``, or ``"never"``. In ``"negotiate"`` every
envelope response carries ``Vary: Accept``, since it depends on it.
:data:`STATUS_ENVELOPE_PROBLEM_TYPES` gives a ``type`` URI per code.
"""

from __future__ import annotations

import functools
import json
import re
import typing as t
from collections.abc import Mapping
from json.encoder import encode_basestring_ascii as _json_string

from flask import request

from .codes import check_code, status_text
from .headers import check_uri

if t.TYPE_CHECKING:
    from .state import AppState

#: The media type of a problem details body.
PROBLEM_CONTENT_TYPE = "application/problem+json"

#: The ``type`` of a problem that is no more than its status code.
ABOUT_BLANK = "about:blank"

#: The values of :data:`STATUS_ENVELOPE_PROBLEM_DETAILS`.
MODES = ("negotiate", "always", "never")

#: The members RFC 9457 defines; an extension member may not use these names.
RESERVED = frozenset({"type", "title", "status", "detail", "instance"})

# RFC 3986 URI-references have no spaces, controls, quotes or angle brackets.
_BAD_URI_CHARS = re.compile(r'[\x00-\x20\x7f"<>\\^`{|}]|[^\x00-\x7f]')


def init_problem(state: AppState) -> None:
    """Set the problem details configuration defaults and keep the checked
    settings in ``state.problem`` (``None`` for ``"never"``: no cost at all).

    :raises TypeError: A setting has the wrong type.
    :raises ValueError: A setting has a wrong value.
    """
    config = state.config
    config.setdefault("STATUS_ENVELOPE_PROBLEM_DETAILS", "negotiate")
    config.setdefault("STATUS_ENVELOPE_PROBLEM_TYPES", {})
    mode = check_mode(config["STATUS_ENVELOPE_PROBLEM_DETAILS"])
    types = check_types(config["STATUS_ENVELOPE_PROBLEM_TYPES"])
    state.problem = None if mode == "never" else ProblemDetails(mode, types)


def check_mode(value: object) -> str:
    """Check a :data:`STATUS_ENVELOPE_PROBLEM_DETAILS` value and return it.

    :raises TypeError: Not a string.
    :raises ValueError: Not one of ``"negotiate"``, ``"always"``, ``"never"``.
    """
    if not isinstance(value, str):
        raise TypeError(
            "STATUS_ENVELOPE_PROBLEM_DETAILS must be 'negotiate', 'always' or"
            f" 'never', got {type(value).__name__} {value!r}."
        )
    if value not in MODES:
        raise ValueError(
            f"STATUS_ENVELOPE_PROBLEM_DETAILS={value!r} is not 'negotiate' (problem"
            " details for clients that ask for them), 'always' or 'never'."
        )
    return value


def check_types(value: object) -> dict[int, str]:
    """Check a :data:`STATUS_ENVELOPE_PROBLEM_TYPES` value: ``{code: URI}``.

    :raises TypeError: Not a mapping of codes to strings.
    :raises ValueError: A code is not an error status, or a URI is empty or holds
        characters a URI cannot have.
    """
    if not isinstance(value, Mapping):
        raise TypeError(
            "STATUS_ENVELOPE_PROBLEM_TYPES must be a dict of status code to type URI,"
            f" got {type(value).__name__} {value!r}. Write e.g."
            " {404: 'https://example.com/problems/not-found'}."
        )
    checked = {}
    for code, uri in value.items():
        try:
            check_code(code)
        except ValueError as e:
            raise ValueError(f"STATUS_ENVELOPE_PROBLEM_TYPES: {e}") from None
        if not isinstance(uri, str):
            raise TypeError(
                f"STATUS_ENVELOPE_PROBLEM_TYPES[{code}] must be a URI string, got"
                f" {type(uri).__name__} {uri!r}."
            )
        checked[code] = check_uri(
            f"STATUS_ENVELOPE_PROBLEM_TYPES[{code}]", uri, _BAD_URI_CHARS
        )
    return checked


class ProblemDetails:
    """The problem details settings of one app, checked at ``init_app``."""

    __slots__ = ("always", "prefixes", "vary")

    def __init__(
        self, mode: str = "negotiate", types: Mapping[int, str] | None = None
    ) -> None:
        #: Problem details whatever the client accepts.
        self.always = mode == "always"
        #: Whether the envelope responses depend on ``Accept``: ``Vary: Accept``.
        self.vary = mode == "negotiate"
        types = types or {}
        #: What comes before the detail, per code: made once, as the envelope's is.
        self.prefixes = {
            code: _prefix(code, types.get(code, ABOUT_BLANK))
            for code in range(400, 600)
        }

    def wanted(self) -> bool:
        """Tell whether the current request, if any, gets problem details."""
        if self.always:
            return True
        try:
            environ = request._get_current_object().environ  # type: ignore[attr-defined]
        except RuntimeError:  # envelope_response() outside a request
            return False
        accept = environ.get("HTTP_ACCEPT")
        # Nearly every request: one substring test (media types ignore case).
        return (
            accept is not None
            and "problem" in accept.lower()
            and prefers_problem(accept)
        )

    def render(self, code: int, envelope: bytes) -> bytes:
        """Return the problem details body of an envelope body for ``code``.

        The envelope is ``{"status":{"code":..,"text":"..","message":"..",...}}``
        as ``envelope.render_body`` writes it: what follows ``"message":`` (the
        message's JSON string, then the other members of ``status``) is copied as
        it is, after ``type``, ``title``, ``status`` and ``detail:``. No JSON is
        parsed, and the members stay in their order.
        """
        # The first: a quote in the text before it is escaped.
        start = envelope.index(b'"message":') + 10
        return self.prefixes[code] + envelope[start:-3] + b"}\n"


def prefers_problem(accept: str | None) -> bool:
    """Tell whether an ``Accept`` header prefers problem details to the envelope.

    Only when it names ``application/problem+json`` itself (a wildcard asks for
    nothing in particular) with a quality strictly higher than that of
    ``application/json``, which is taken from the most specific range that matches
    it (``application/json``, else ``application/*``, else ``*/*``), as RFC 9110
    12.5.1 says. Ties go to the envelope. Parameters other than ``q`` are ignored.

    :param accept: The header's value; ``None`` when the request has none.
    """
    if not accept or "problem+json" not in accept.lower():
        return False
    if len(accept) > 512:
        return _prefers_problem(accept)  # not kept: the cache is for real clients
    return _cached_prefers_problem(accept)


# Werkzeug's MIMEAccept does not fit: it gives application/problem+json quality 0
# for "application/problem+json; charset=utf-8" (parameters must match), counts
# */* as asking for it, and takes the first match by quality, not RFC 9110's most
# specific range ("application/*;q=0.9, application/json;q=0.1": json is 0.1).
def _prefers_problem(accept: str) -> bool:
    best: dict[str, float] = {}
    for part in accept.split(","):
        media, _, params = part.partition(";")
        media = media.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = -1.0
                break
        if not 0.0 <= quality <= 1.0:
            continue  # not a qvalue (NaN included): the range is ignored
        if quality > best.get(media, -1.0):
            best[media] = quality
    problem = best.get(PROBLEM_CONTENT_TYPE, 0.0)
    if problem <= 0.0:
        return False
    for media in ("application/json", "application/*", "*/*"):
        if media in best:
            return problem > best[media]
    return True


_cached_prefers_problem = functools.lru_cache(maxsize=256)(_prefers_problem)


def _prefix(code: int, type_uri: str) -> bytes:
    return (
        f'{{"type":{_json_string(type_uri)},"title":'
        f'{_json_string(status_text(code))},"status":{code},"detail":'
    ).encode("ascii")


def render_problem(
    code: int,
    detail: str,
    type_uri: str = ABOUT_BLANK,
    extensions: Mapping[str, object] | None = None,
) -> bytes:
    """Return the problem details body for ``code`` carrying ``detail``.

    Compact ASCII JSON with Flask's trailing newline, like the envelope's:
    ``type``, ``title``, ``status``, ``detail``, then the extension members in
    their order.

    :param code: The HTTP status, 400-599.
    :param detail: The envelope's message.
    :param type_uri: The problem type, a checked URI.
    :param extensions: Extension members: the envelope's other members.
    :raises ValueError: An extension member uses a name RFC 9457 defines.
    """
    body = _prefix(code, type_uri) + _json_string(detail).encode("ascii")
    if extensions:
        clash = RESERVED.intersection(extensions)
        if clash:
            raise ValueError(
                f"The problem details member {sorted(clash)[0]!r} is defined by RFC"
                " 9457 and cannot carry an envelope member."
            )
        members = json.dumps(extensions, ensure_ascii=True, separators=(",", ":"))
        body += b"," + members[1:-1].encode("ascii")
    return body + b"}\n"
