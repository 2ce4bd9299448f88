"""``abort_with``: raise an error with the envelope's code, message and headers."""

from __future__ import annotations

import typing as t

from werkzeug.exceptions import (
    HTTPException,
    ServiceUnavailable,
    TooManyRequests,
    default_exceptions,
)

from .codes import check_code, check_message
from .headers import HeadersLike, check_headers
from .retry import RetryAfter, format_retry_after, retry_after_value

# Classes made here for codes Werkzeug has none for (420, 599, ...), and subclasses
# of Werkzeug's classes that carry extra headers, each made once.
_EXTRA_CLASSES: dict[int, type[HTTPException]] = {}
_WITH_HEADERS: dict[type[HTTPException], type[HTTPException]] = {}
# Werkzeug's classes of the error codes, for the common call of abort_with.
_PLAIN_CLASSES = {code: c for code, c in default_exceptions.items() if code >= 400}


class _Restorable:
    """Pickles (and copies) an exception whose class is made at runtime.

    pickle finds a class by its module and name, which a made class has not: this
    rebuilds it from its code instead.
    """

    code: int | None

    def __reduce__(self) -> tuple[t.Any, ...]:
        return (_restore, (self.code, "extra_headers" in self.__dict__), self.__dict__)


class _WithHeaders(_Restorable):
    """Adds ``extra_headers`` to Werkzeug's own, as its ``_RetryAfter`` adds
    ``Retry-After``: the headers reach the envelope and Werkzeug's HTML page."""

    extra_headers: list[tuple[str, str]]

    def get_headers(
        self, environ: t.Any = None, scope: t.Any = None
    ) -> list[tuple[str, str]]:
        own = super().get_headers(environ, scope)  # type: ignore[misc]
        return [*own, *self.extra_headers]


def _restore(code: int, with_headers: bool) -> HTTPException:
    cls = exception_class(code)
    if with_headers:
        cls = _with_headers(cls)
    return cls.__new__(cls)


def _with_headers(cls: type[HTTPException]) -> type[HTTPException]:
    made = _WITH_HEADERS.get(cls)
    if made is None:
        # The same name, so that logs and reprs read as Werkzeug's class.
        made = t.cast(
            "type[HTTPException]", type(cls.__name__, (_WithHeaders, cls), {})
        )
        made = _WITH_HEADERS.setdefault(cls, made)
    return made


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
            type(f"HTTPError{code}", (_Restorable, HTTPException), {"code": code}),
        )
        # setdefault: two threads making the class at once still agree on one.
        cls = _EXTRA_CLASSES.setdefault(code, made)
    return cls


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
    # Werkzeug's constructors differ in their positional arguments
    # (MethodNotAllowed(valid_methods, description)): keywords only.
    kwargs: dict[str, t.Any] = {"description": message}
    if retry_after is not None:
        if any(name.lower() == "retry-after" for name, _ in extra):
            raise ValueError(
                "Retry-After was given twice, in headers= and as retry_after=."
                " Pass it once, as retry_after=."
            )
        value = retry_after_value(retry_after)
        if issubclass(cls, (TooManyRequests, ServiceUnavailable)):
            # Werkzeug's own attribute, so that error.retry_after can be read.
            kwargs["retry_after"] = value
        if value == 0 or "retry_after" not in kwargs:
            # Werkzeug sends no Retry-After for 0, nor for other codes.
            extra.append(("Retry-After", format_retry_after(value)))
    if not extra:
        return cls(**kwargs)
    error = _with_headers(cls)(**kwargs)
    error.extra_headers = extra  # type: ignore[attr-defined]
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
    ``@app.errorhandler(403)`` work as with :func:`flask.abort`. With ``headers``
    it is a subclass of that class, which pickles and copies with its headers.

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
        (:class:`~datetime.datetime`, naive means UTC). On 429 and 503 it is also
        the exception's ``retry_after``, as Werkzeug's.
    :raises ValueError: ``code`` is not an int from 400 to 599, a header is invalid,
        or ``retry_after`` is negative.
    :raises TypeError: ``message`` is not a :class:`str`, a header is not a string
        pair, or ``retry_after`` has another type.
    :raises werkzeug.exceptions.HTTPException: Always, when the arguments are valid.

    .. versionadded:: 0.1
    """
    if headers is None and retry_after is None and type(code) is int:
        # The common call, a code and a message, needs no other check (benchmarks/:
        # 1 % of the response).
        cls = _PLAIN_CLASSES.get(code)
        if cls is not None and (message is None or type(message) is str):
            raise cls(description=message)
    raise make_error(code, message, headers=headers, retry_after=retry_after)
