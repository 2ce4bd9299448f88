"""``@deprecated`` marks a view, a view class or a blueprint; the look-ups find the
mark of an endpoint.

Marking instead of wrapping is what makes both decorator orders work: above
``@app.get`` the function is already registered, and it is still the same object
that gets marked. The behaviour comes from ``hook``, which the extension's
request check runs.
"""

from __future__ import annotations

import inspect
import typing as t
from collections.abc import Callable, Iterable
from functools import partial

from flask import Blueprint, Flask, current_app
from flask.views import View

from ..url_space import claim_blueprint
from .schedule import DateLike, Deprecation, build

#: The attribute ``@deprecated`` sets on a view function, a view class or a
#: blueprint. Its value is the :class:`Deprecation`.
ATTRIBUTE = "status_envelope_deprecation"

_T = t.TypeVar("_T")


@t.overload
def deprecated(
    target: _T,
    /,
    *,
    since: DateLike | None = None,
    sunset: DateLike | None = None,
    successor: str | None = None,
    info: str | None = None,
    message: str | None = None,
    brownouts: Iterable[tuple[DateLike, DateLike]] = (),
) -> _T: ...


@t.overload
def deprecated(
    target: None = None,
    /,
    *,
    since: DateLike | None = None,
    sunset: DateLike | None = None,
    successor: str | None = None,
    info: str | None = None,
    message: str | None = None,
    brownouts: Iterable[tuple[DateLike, DateLike]] = (),
) -> Callable[[_T], _T]: ...


def deprecated(
    target: object = None,
    /,
    *,
    since: DateLike | None = None,
    sunset: DateLike | None = None,
    successor: str | None = None,
    info: str | None = None,
    message: str | None = None,
    brownouts: Iterable[tuple[DateLike, DateLike]] = (),
) -> object:
    """Mark a view, a view class, one of its methods or a blueprint as deprecated.

    Bare, ``@deprecated()`` or with only ``message``, the endpoint is gone now:
    every request answers the 410 envelope and the view is not called (unless
    :data:`STATUS_ENVELOPE_ENFORCE_SUNSET` is ``False``). With any other argument,
    the view keeps working and every response (success and error envelopes alike)
    carries the deprecation headers; from ``sunset`` on, if there is one, requests
    answer the 410 envelope. :data:`STATUS_ENVELOPE_ENFORCE_SUNSET` set to ``False``
    serves them again.

    .. code-block:: python

        @app.get("/v0/report")
        @deprecated
        def report(): ...

        @app.get("/v1/items")
        @deprecated(since="2026-01-01", sunset="2026-12-31", successor="/v2/items")
        def items(): ...

        deprecated(v1_blueprint, sunset="2027-01-01")

    The decorator returns its target unchanged, with the :class:`Deprecation` in its
    ``status_envelope_deprecation`` attribute, so it works above or below
    ``@app.route``, on :class:`~flask.views.MethodView` classes and their methods
    and on ``async`` views. The app needs a
    :class:`~flask_status_envelope.StatusEnvelope`, whose request check applies
    the schedule before the app's own URL value preprocessors and
    ``before_request`` hooks. A blueprint must be
    marked before it is registered.

    Moments are :class:`~datetime.date` (midnight UTC), :class:`~datetime.datetime`
    (naive means UTC) or ISO-8601 strings (``"2026-12-31"``,
    ``"2026-12-31T12:00:00Z"``), truncated to whole seconds.

    :param target: The view function, view class, method or
        :class:`~flask.Blueprint`; leave it out to get a decorator.
    :param since: When the endpoint was (or will be) deprecated, sent as
        ``Deprecation: @<unix seconds>``. Omitted, it is the moment of decoration,
        or ``sunset`` if that is earlier.
    :param sunset: From when requests answer 410, sent as ``Sunset``. Omitted
        (with ``since`` given), the endpoint keeps working.
    :param successor: The URI of the replacement, sent as
        ``Link: <successor>; rel="successor-version"``.
    :param info: The URI of a page explaining the deprecation, sent as
        ``Link: <info>; rel="deprecation"``.
    :param message: The message of the 410 envelope; ``None`` uses the app's
        message for 410.
    :param brownouts: ``(start, end)`` pairs: windows before the sunset during
        which requests already answer 410, to make clients notice.
    :raises TypeError: ``target`` is not a function, view class or blueprint, an
        argument has the wrong type.
    :raises ValueError: A date cannot be parsed, ``sunset`` is earlier than
        ``since``, a brownout ends before it starts or starts after the sunset, or
        ``successor``/``info`` holds characters that are not allowed in a URI (CR,
        LF, other controls, spaces, quotes, angle brackets, non-ASCII).
    :raises AssertionError: The blueprint was already registered (Flask's own
        error for late setup).

    .. versionadded:: 0.1
    """
    schedule = build(
        since=since,
        sunset=sunset,
        successor=successor,
        info=info,
        message=message,
        brownouts=brownouts,
    )
    if target is None:
        return partial(_mark, schedule)
    return _mark(schedule, target)


def _mark(schedule: Deprecation, target: _T) -> _T:
    if isinstance(target, Blueprint):
        # Its registrations are recorded for routing errors in its URL space,
        # which reach no view, whenever it is registered (also before init_app).
        # First: it refuses a blueprint already registered, which must not be
        # left half marked.
        claim_blueprint(target)
        setattr(target, ATTRIBUTE, schedule)
    elif isinstance(target, type):
        if not issubclass(target, View):
            raise TypeError(
                f"@deprecated can mark a view class (a flask.views.View such as a"
                f" MethodView), got the class {target.__name__!r}."
            )
        setattr(target, ATTRIBUTE, schedule)
    elif callable(target):
        setattr(target, ATTRIBUTE, schedule)
    else:
        raise TypeError(
            "@deprecated marks a view function, a view class or a Blueprint, got"
            f" {type(target).__name__} {target!r}. Pass dates by keyword, e.g."
            " @deprecated(sunset='2026-12-31')."
        )
    return target


def _own(obj: object) -> Deprecation | None:
    # Only the object's own mark: a class that inherits from a deprecated view
    # class is not deprecated itself.
    marked = getattr(obj, "__dict__", {}).get(ATTRIBUTE)
    return marked if isinstance(marked, Deprecation) else None


def _function_deprecation(func: object) -> Deprecation | None:
    # functools.wraps copies the mark to a wrapper; __wrapped__ finds it when a
    # decorator above @deprecated copied only the name.
    try:
        return _own(
            inspect.unwrap(
                t.cast(Callable[..., t.Any], func),
                stop=lambda f: _own(f) is not None,
            )
        )
    except ValueError:  # a __wrapped__ cycle
        return None


def view_deprecation(view: object, method: str = "GET") -> Deprecation | None:
    """Return the :class:`Deprecation` of a view, or ``None`` if it is not deprecated.

    ``view`` is what ``app.view_functions`` holds: a function, or the result of
    :meth:`~flask.views.View.as_view`, whose method for ``method`` is looked at
    first, then the class. A blueprint's deprecation is not considered; use
    :func:`endpoint_deprecation` for that.

    :param view: A view function or ``View.as_view()`` result.
    :param method: The HTTP method, for :class:`~flask.views.MethodView` methods.

    .. versionadded:: 0.1
    """
    view_class = getattr(view, "view_class", None)
    if isinstance(view_class, type):
        handler = getattr(view_class, method.lower(), None)
        if handler is None and method.upper() == "HEAD":
            handler = getattr(view_class, "get", None)
        marked = _function_deprecation(handler) if handler is not None else None
        if marked is not None:
            return marked
        marked = _function_deprecation(view)
        if marked is not None:
            return marked
        return _own(view_class)
    return _function_deprecation(view)


def endpoint_deprecation(
    endpoint: str, method: str = "GET", *, app: Flask | None = None
) -> Deprecation | None:
    """Return the :class:`Deprecation` that applies to ``endpoint``, or ``None``.

    The view's own mark wins over the one of its blueprint, which wins over the
    blueprint's parents. Useful to mark operations ``deprecated: true`` in an
    OpenAPI document.

    .. code-block:: python

        for rule in app.url_map.iter_rules():
            if endpoint_deprecation(rule.endpoint, app=app):
                ...

    :param endpoint: The endpoint name, e.g. ``"v1.items"``.
    :param method: The HTTP method, for :class:`~flask.views.MethodView` methods.
    :param app: The app; ``None`` for :data:`flask.current_app`.

    .. versionadded:: 0.1
    """
    flask_app = current_app if app is None else app
    view = flask_app.view_functions.get(endpoint)
    marked = view_deprecation(view, method) if view is not None else None
    if marked is not None:
        return marked
    name = endpoint.rpartition(".")[0]
    while name:
        marked = _own(flask_app.blueprints.get(name))
        if marked is not None:
            return marked
        name = name.rpartition(".")[0]
    return None


def blueprint_deprecation(app: Flask, lineage: Iterable[str]) -> Deprecation | None:
    """Return the first mark among the blueprints registered under the dotted names
    of ``lineage`` (a blueprint's, then its parents'), or ``None``."""
    for name in lineage:
        marked = _own(app.blueprints.get(name))
        if marked is not None:
            return marked
    return None
