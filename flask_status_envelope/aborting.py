"""``abort_with``: raise an error with the envelope's code, message and headers."""

from __future__ import annotations

import typing as t
import weakref
from functools import partial

from werkzeug.exceptions import HTTPException, default_exceptions

from .codes import check_code, check_message
from .headers import HeadersLike, check_headers
from .retry import RetryAfter, format_retry_after

# Werkzeug's classes for the error codes, for the fast path of ``abort_with``.
_ERROR_CLASSES: dict[int, type[HTTPException]] = {
    code: cls for code, cls in default_exceptions.items() if 400 <= code <= 599
}
# Codes Werkzeug has no class for (420, 599, ...) get a plain subclass, made once.
_EXTRA_CLASSES: dict[int, type[HTTPException]] = {}


def exception_class(code: int) -> type[HTTPException]:
    """Return Werkzeug's exception class for ``code``.

    For a code Werkzeug has no class for, a subclass of
    :class:`~werkzeug.exceptions.HTTPException` with that ``code`` is made once and
    reused. Flask refuses ``@app.errorhandler(420)`` for such a code; register a
    handler for this class instead:

    .. code-block:: python

        @app.errorhandler(exception_class(420))
        def calm_down(error): ...

    :param code: An HTTP status from 400 to 599.
    :raises ValueError: ``code`` is not an int from 400 to 599.

    .. versionadded:: 0.1
    """
    check_code(code)
    cls = default_exceptions.get(code) or _EXTRA_CLASSES.get(code)
    if cls is None:
        made = t.cast(
            "type[HTTPException]",
            type(f"HTTPError{code}", (HTTPException,), {"code": code}),
        )
        # setdefault: two threads making the class at once still agree on one.
        cls = _EXTRA_CLASSES.setdefault(code, made)
    return cls


def _headers_with_extra(
    error_ref: weakref.ReferenceType[HTTPException],
    extra: list[tuple[str, str]],
    environ: t.Any = None,
    scope: t.Any = None,
) -> list[tuple[str, str]]:
    # Only callable through the error's own attribute, so the error is alive.
    error = t.cast(HTTPException, error_ref())
    return [*type(error).get_headers(error, environ, scope), *extra]


def make_error(
    code: int,
    message: str | None = None,
    *,
    headers: HeadersLike | None = None,
    retry_after: RetryAfter | None = None,
) -> HTTPException:
    """Return the exception :func:`abort_with` raises, without raising it.

    The arguments are those of :func:`abort_with`.
    """
    cls = exception_class(code)
    check_message(message)
    extra = check_headers(headers)
    if retry_after is not None:
        if extra and any(name.lower() == "retry-after" for name, _ in extra):
            raise ValueError(
                "Retry-After was given twice, in headers= and as retry_after=."
                " Pass it once, as retry_after=."
            )
        extra.append(("Retry-After", format_retry_after(retry_after)))
    # Werkzeug's constructors differ in their positional arguments
    # (MethodNotAllowed(valid_methods, description)), so the keyword is the only
    # safe way to pass the message.
    error = cls(description=message)
    if extra:
        # Per instance, so that the headers also reach Werkzeug's own HTML page when
        # an app without the extension or a user's handler renders the error.
        # A weak reference: the error holding a strong one to itself would be a
        # reference cycle left to the garbage collector on every response.
        error.get_headers = partial(  # type: ignore[method-assign]
            _headers_with_extra, weakref.ref(error), extra
        )
    return error


def abort_with(
    code: int,
    message: str | None = None,
    *,
    headers: HeadersLike | None = None,
    retry_after: RetryAfter | None = None,
) -> t.NoReturn:
    """Raise the error for ``code``, with ``message`` as the envelope's message.

    The exception is Werkzeug's own class for the code (``abort_with(403)`` raises
    :class:`~werkzeug.exceptions.Forbidden`), so ``except Forbidden`` and
    ``@app.errorhandler(403)`` work as with :func:`flask.abort`.

    .. code-block:: python

        abort_with(403, "Token is disabled")
        abort_with(429, retry_after=30)

    :param code: The HTTP status, an int from 400 to 599. A code Werkzeug has no
        class for, such as 420, works too.
    :param message: Why the request failed, sent verbatim as the envelope's
        ``message``. ``None`` sends the default message for the code.
    :param headers: Extra response headers, such as ``WWW-Authenticate``.
    :param retry_after: Sets ``Retry-After``: seconds to wait (:class:`int` or
        :class:`~datetime.timedelta`) or the moment to try again
        (:class:`~datetime.datetime`, naive means UTC).
    :raises ValueError: ``code`` is not an int from 400 to 599, a header is invalid,
        or ``retry_after`` is negative.
    :raises TypeError: ``message`` is not a :class:`str`, a header is not a string
        pair, or ``retry_after`` has another type.
    :raises werkzeug.exceptions.HTTPException: Always, when the arguments are valid.

    .. versionadded:: 0.1
    """
    if (
        headers is None
        and retry_after is None
        and (message is None or type(message) is str)
        and type(code) is int
    ):
        # The common call, a code and a message, needs no other check.
        cls = _ERROR_CLASSES.get(code)
        if cls is not None:
            raise cls(description=message)
    raise make_error(code, message, headers=headers, retry_after=retry_after)


__all__ = [
    "abort_with",
    "exception_class",
    "make_error",
]
