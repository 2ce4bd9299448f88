"""Retiring endpoints: ``@deprecated``, its headers, and 410 Gone after the sunset.

A deprecated endpoint announces itself on every response with ``Deprecation``
(RFC 9745), ``Sunset`` (RFC 8594) and ``Link`` headers, and answers the 410 envelope
from its sunset on.

``@deprecated`` only *marks* the view function, class or blueprint; the behaviour
comes from the check that the extension's ``before_request`` hook runs first of all
the app's hooks, which registers the headers with :func:`flask.after_this_request`
for the requests of deprecated endpoints. Marking instead of
wrapping is what makes both decorator orders work: above ``@app.get`` the function
is already registered, and it is still the same object that gets marked.
"""

from __future__ import annotations

import difflib
import re
import time
import typing as t
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import partial

from blinker import Namespace
from flask import Blueprint, Flask, Response, after_this_request, current_app
from flask.views import View
from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date

from .aborting import make_error
from .codes import check_message

if t.TYPE_CHECKING:
    from flask.blueprints import BlueprintSetupState

#: The attribute ``@deprecated`` sets on a view function, a view class or a
#: blueprint. Its value is the :class:`Deprecation`.
ATTRIBUTE = "status_envelope_deprecation"

#: The phases of a deprecated endpoint, as the :data:`deprecated_endpoint_called`
#: signal reports them.
DEPRECATED = "deprecated"
BROWNOUT = "brownout"
SUNSET = "sunset"

_STATE_KEY = "status_envelope_deprecation"
# RFC 3986 URI-references have no spaces, controls, quotes or angle brackets; any
# of these would break the Link header's syntax or split the response.
_BAD_LINK_CHARS = re.compile(r'[\x00-\x20\x7f"<>]|[^\x00-\x7f]')

_signals = Namespace()

#: Sent on every call of a deprecated endpoint, after its response is made, with
#: the app as sender and the keyword arguments ``endpoint`` (the endpoint name),
#: ``state`` (``"deprecated"``, ``"brownout"`` or ``"sunset"``: where the endpoint
#: is in its schedule, also when :data:`STATUS_ENVELOPE_ENFORCE_SUNSET` is off and
#: the view was served anyway) and ``deprecation`` (its :class:`Deprecation`).
#:
#: .. code-block:: python
#:
#:     @deprecated_endpoint_called.connect_via(app)
#:     def count(sender, endpoint, state, deprecation, **extra):
#:         statsd.incr(f"deprecated.{endpoint}.{state}")
#:
#: .. versionadded:: 0.1
deprecated_endpoint_called = _signals.signal(
    "deprecated-endpoint-called",
    doc="Sent on every call of a deprecated endpoint.",
)

DateLike = date | datetime | str
_T = t.TypeVar("_T")


@dataclass(frozen=True)
class Deprecation:
    """The deprecation schedule of an endpoint, as made by :func:`deprecated`.

    All moments are timezone-aware UTC :class:`~datetime.datetime` objects in
    whole seconds. The header values are computed once, when the endpoint is
    decorated.

    .. versionadded:: 0.1
    """

    #: When the endpoint was (or will be) deprecated, sent as ``Deprecation``.
    since: datetime
    #: When it stops working (410 from then on), or ``None`` for never.
    sunset: datetime | None
    #: Where to go instead, sent as ``Link: <...>; rel="successor-version"``.
    successor: str | None
    #: Where the deprecation is explained, sent as ``Link: <...>; rel="deprecation"``.
    info: str | None
    #: The message of the 410 envelope; ``None`` for the default 410 message.
    message: str | None
    #: ``(start, end)`` windows before the sunset that already answer 410.
    brownouts: tuple[tuple[datetime, datetime], ...]
    #: ``True`` for a bare ``@deprecated``, which is gone now whatever the clock says.
    retired: bool
    #: The headers every response of the endpoint carries, in order.
    headers: tuple[tuple[str, str], ...]
    #: The ``Link`` value alone (``None`` without successor and info).
    link: str | None
    # The same moments as Unix seconds, for the per-request comparison.
    _sunset_at: float | None = field(init=False, repr=False, compare=False)
    _brownouts_at: tuple[tuple[float, float], ...] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        sunset = None if self.sunset is None else self.sunset.timestamp()
        object.__setattr__(self, "_sunset_at", sunset)
        windows = tuple((s.timestamp(), e.timestamp()) for s, e in self.brownouts)
        object.__setattr__(self, "_brownouts_at", windows)

    def state_at(self, now: datetime) -> str:
        """Return where the endpoint is in its schedule at ``now``.

        :param now: The moment; naive means UTC.
        :returns: ``"sunset"`` on and after the sunset (always for a bare
            ``@deprecated``), ``"brownout"`` inside a brownout window, else
            ``"deprecated"``.
        """
        return self._state(_utc(now).timestamp())

    def _state(self, now: float) -> str:
        if self.retired:
            return SUNSET
        sunset = self._sunset_at
        if sunset is not None and now >= sunset:
            return SUNSET
        for start, end in self._brownouts_at:
            if start <= now < end:
                return BROWNOUT
        return DEPRECATED


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
    target: t.Any = None,
    /,
    *,
    since: DateLike | None = None,
    sunset: DateLike | None = None,
    successor: str | None = None,
    info: str | None = None,
    message: str | None = None,
    brownouts: Iterable[tuple[DateLike, DateLike]] = (),
    **unknown: object,
) -> t.Any:
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
    :class:`~flask_status_envelope.StatusEnvelope`, whose ``before_request`` hook
    applies the schedule, before the app's other hooks. A blueprint must be
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
        argument has the wrong type, or a keyword is unknown.
    :raises ValueError: A date cannot be parsed, ``sunset`` is earlier than
        ``since``, a brownout ends before it starts or starts after the sunset, or
        ``successor``/``info`` holds characters that are not allowed in a URI (CR,
        LF, other controls, spaces, quotes, angle brackets, non-ASCII).
    :raises AssertionError: The blueprint was already registered (Flask's own
        error for late setup).

    .. versionadded:: 0.1
    """
    if unknown:
        _refuse_unknown(unknown)
    schedule = _build(
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


_KEYWORDS = ("since", "sunset", "successor", "info", "message", "brownouts")


def _refuse_unknown(unknown: dict[str, object]) -> t.NoReturn:
    name = next(iter(unknown))
    close = difflib.get_close_matches(name, _KEYWORDS, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise TypeError(
        f"deprecated() got an unknown keyword argument {name!r}.{hint} It takes"
        f" {', '.join(_KEYWORDS)}."
    )


def _mark(schedule: Deprecation, target: _T) -> _T:
    if isinstance(target, Blueprint):
        # record() first: it refuses a blueprint already registered, which must not
        # be left half marked.
        target.record(partial(_register_prefix, schedule))
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


def _build(
    *,
    since: object,
    sunset: object,
    successor: object,
    info: object,
    message: object,
    brownouts: object,
) -> Deprecation:
    sunset_at = None if sunset is None else _parse_moment("sunset", sunset)
    # Only a decoration that says nothing but, at most, the 410 message retires the
    # endpoint now; a successor, a link or brownouts announce a deprecation.
    retired = (
        since is None
        and sunset is None
        and successor is None
        and info is None
        and not brownouts
    )
    if since is not None:
        since_at = _parse_moment("since", since)
        if sunset_at is not None and sunset_at < since_at:
            raise ValueError(
                f"sunset={sunset!r} is earlier than since={since!r}. An endpoint is"
                " deprecated first and removed later: swap them or fix the date."
            )
    else:
        since_at = datetime.now(timezone.utc).replace(microsecond=0)
        if sunset_at is not None and sunset_at < since_at:
            since_at = sunset_at
    if retired:
        sunset_at = since_at
    _check_link("successor", successor)
    _check_link("info", info)
    checked_message = check_message(message)
    windows = _parse_brownouts(brownouts)
    for index, (start_at, _end_at) in enumerate(windows):
        if sunset_at is not None and not retired and start_at >= sunset_at:
            raise ValueError(
                f"brownouts[{index}] starts on or after sunset={sunset!r}, when the"
                " endpoint answers 410 anyway. Brownouts belong before the sunset."
            )
    link = ", ".join(
        f'<{uri}>; rel="{rel}"'
        for uri, rel in ((successor, "successor-version"), (info, "deprecation"))
        if uri is not None
    )
    headers = [("Deprecation", f"@{int(since_at.timestamp())}")]
    if sunset_at is not None:
        headers.append(("Sunset", http_date(sunset_at)))
    return Deprecation(
        since=since_at,
        sunset=sunset_at,
        successor=t.cast("str | None", successor),
        info=t.cast("str | None", info),
        message=checked_message,
        brownouts=windows,
        retired=retired,
        headers=tuple(headers),
        link=link or None,
    )


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _parse_moment(name: str, value: object) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        if text[-1:] in ("Z", "z"):
            # datetime.fromisoformat() accepts "Z" only from Python 3.11 on.
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"{name}={value!r} is not an ISO-8601 date or datetime. Write it as"
                " '2026-12-31' or '2026-12-31T12:00:00Z', or pass a date or"
                " datetime."
            ) from None
    else:
        raise TypeError(
            f"{name} must be a date, a datetime or an ISO-8601 string, got"
            f" {type(value).__name__} {value!r}."
        )
    return _utc(moment).replace(microsecond=0)


def _check_link(name: str, value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be a URI string or None, got {type(value).__name__}"
            f" {value!r}."
        )
    bad = _BAD_LINK_CHARS.search(value)
    if not value or bad:
        found = repr(bad.group()) if bad else "nothing"
        raise ValueError(
            f"{name}={value!r} is not a URI that can be sent in a Link header: it"
            f" contains {found}. CR, LF, other control characters, spaces, quotes"
            " and angle brackets are not allowed; percent-encode them (and any"
            " non-ASCII character), e.g. with urllib.parse.quote()."
        )


def _parse_brownouts(
    brownouts: object,
) -> tuple[tuple[datetime, datetime], ...]:
    if isinstance(brownouts, (str, bytes)) or not isinstance(brownouts, Iterable):
        raise TypeError(
            "brownouts must be a list of (start, end) pairs, got"
            f" {type(brownouts).__name__} {brownouts!r}."
        )
    windows = []
    for index, window in enumerate(brownouts):
        try:
            start, end = window
        except (TypeError, ValueError):
            raise TypeError(
                f"brownouts[{index}] must be a (start, end) pair, got {window!r}."
            ) from None
        start_at = _parse_moment(f"brownouts[{index}] start", start)
        end_at = _parse_moment(f"brownouts[{index}] end", end)
        if end_at <= start_at:
            raise ValueError(
                f"brownouts[{index}] ends ({end!r}) before it starts ({start!r})."
                " Give the window as (start, end)."
            )
        windows.append((start_at, end_at))
    return tuple(windows)


# -- Looking up the schedule of an endpoint ----------------------------------------


def _own(obj: object) -> Deprecation | None:
    # Only the object's own mark: a class that inherits from a deprecated view
    # class is not deprecated itself.
    marked = getattr(obj, "__dict__", {}).get(ATTRIBUTE)
    return marked if isinstance(marked, Deprecation) else None


def _function_deprecation(func: object) -> Deprecation | None:
    # functools.wraps copies the mark to a wrapper; __wrapped__ finds it when a
    # decorator above @deprecated copied only the name.
    for _ in range(100):
        marked = _own(func)
        if marked is not None or func is None:
            return marked
        func = getattr(func, "__wrapped__", None)
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


# -- Per-app state and the request hooks -------------------------------------------


class _State:
    """Per-app deprecation state, kept in ``app.extensions``."""

    __slots__ = ("by_endpoint", "marked", "prefixes", "warned")

    def __init__(self) -> None:
        # Endpoints with a schedule for any method, found on the first request:
        # marks are set at import time and routes cannot be added after an app's
        # first request, so every other request is told apart with one set look-up.
        self.marked: frozenset[str] | None = None
        # (endpoint, method) -> schedule; filled on first use. Routes cannot be
        # added after an app's first request, so the answer never goes stale.
        self.by_endpoint: dict[tuple[str, str], Deprecation | None] = {}
        # (url prefix, blueprint name, schedule) of deprecated blueprints, for
        # routing errors under their prefix; longest prefix first.
        self.prefixes: list[tuple[str, str, Deprecation]] = []
        # Endpoints already logged in this process.
        self.warned: dict[str, object] = {}


def _state_of(app: t.Any) -> _State:
    state = app.extensions.get(_STATE_KEY)
    if state is None:
        state = app.extensions[_STATE_KEY] = _State()
    return t.cast(_State, state)


def _register_prefix(schedule: Deprecation, setup: BlueprintSetupState) -> None:
    prefix = (setup.url_prefix or "").rstrip("/")
    if setup.name_prefix and not setup.blueprint.url_prefix:
        # A nested blueprint without a prefix of its own shares its parent's: the
        # parent's unknown URLs are not this blueprint's.
        return
    if not prefix:
        # Without a prefix the blueprint shares the app's URL space: only its
        # own endpoints are deprecated, not every unknown URL.
        return
    name = ".".join(p for p in (setup.name_prefix, setup.name) if p)
    state = _state_of(setup.app)
    state.prefixes.append((prefix, name, schedule))
    state.prefixes.sort(key=lambda entry: len(entry[0]), reverse=True)


def _init_deprecation(app: Flask) -> Callable[[t.Any], HTTPException | None]:
    """Set the deprecation configuration defaults and return ``app``'s check.

    Called once by :meth:`StatusEnvelope.init_app
    <flask_status_envelope.StatusEnvelope.init_app>`, whose one ``before_request``
    hook calls the check with the request, before every other hook of the app. The
    check returns the 410 error to raise, so that the hook can let maintenance mode
    answer first.
    """
    app.config.setdefault("STATUS_ENVELOPE_ENFORCE_SUNSET", True)
    app.config.setdefault("STATUS_ENVELOPE_DEPRECATION_CLOCK", None)
    enforce = app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"]
    if not isinstance(enforce, bool):
        raise TypeError(
            "STATUS_ENVELOPE_ENFORCE_SUNSET must be True or False, got"
            f" {type(enforce).__name__} {enforce!r}. Convert strings from the"
            " environment first, or use app.config.from_prefixed_env()."
        )
    clock = app.config["STATUS_ENVELOPE_DEPRECATION_CLOCK"]
    if clock is not None and not callable(clock):
        raise TypeError(
            "STATUS_ENVELOPE_DEPRECATION_CLOCK must be None or a function that"
            f" returns the current datetime, got {type(clock).__name__} {clock!r}."
        )
    state = _state_of(app)

    def check_deprecation(req: t.Any) -> HTTPException | None:
        # Requests to endpoints that are not deprecated, nearly all of them, cost one
        # set look-up here and nothing after the view.
        if not _may_be_deprecated(app, state, req):
            return None
        found = _find(app, state, req)
        if found is None:
            return None
        endpoint, schedule = found
        phase = schedule._state(_now(app))
        # Registered before anything else can answer, so that every response of the
        # endpoint carries the headers: the view's, an error envelope, a 500, or the
        # answer of a later before_request hook (authentication, rate limits).
        after_this_request(partial(_add_headers, schedule))
        if endpoint is not None:
            # Here, once per request: Flask runs after_this_request functions
            # again when an after_request hook fails.
            deprecated_endpoint_called.send(
                app,
                _async_wrapper=app.ensure_sync,
                endpoint=endpoint,
                state=phase,
                deprecation=schedule,
            )
            _warn_once(app, endpoint, schedule)
        if phase != DEPRECATED and app.config["STATUS_ENVELOPE_ENFORCE_SUNSET"]:
            # The core's own exception: the same envelope as every other 410, also
            # through a user's @app.errorhandler(410).
            return make_error(410, schedule.message)
        return None

    return check_deprecation


def _may_be_deprecated(app: Flask, state: _State, req: t.Any) -> bool:
    """Tell whether the request's endpoint, or its URL for a routing error, may be
    deprecated; ``False`` is certain, ``True`` needs :func:`_find`."""
    marked = state.marked
    if marked is None:
        marked = state.marked = frozenset(
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if any(
                endpoint_deprecation(rule.endpoint, method, app=app) is not None
                for method in rule.methods or ("GET",)
            )
        )
    endpoint = req.endpoint
    if endpoint is None:
        return bool(state.prefixes)
    return endpoint in marked


def _now(app: Flask) -> float:
    clock = app.config["STATUS_ENVELOPE_DEPRECATION_CLOCK"]
    if clock is None:
        return time.time()
    moment = clock()
    if not isinstance(moment, datetime):
        raise TypeError(
            "STATUS_ENVELOPE_DEPRECATION_CLOCK must return a datetime, got"
            f" {type(moment).__name__} {moment!r}."
        )
    return _utc(moment).timestamp()


def _find(
    app: Flask, state: _State, req: t.Any
) -> tuple[str | None, Deprecation] | None:
    """Return the endpoint and schedule of the request, if deprecated."""
    endpoint = req.endpoint
    if endpoint is None:
        if not state.prefixes or req.routing_exception is None:
            return None
        code = getattr(req.routing_exception, "code", None)
        if code is None or not 400 <= code <= 499:
            return None  # e.g. a redirect to the URL with a trailing slash
        path = req.path
        for prefix, _name, schedule in state.prefixes:
            if path == prefix or path.startswith(prefix + "/"):
                return None, schedule
        return None
    key = (endpoint, req.method)
    try:
        found = state.by_endpoint[key]
    except KeyError:
        found = state.by_endpoint[key] = endpoint_deprecation(
            endpoint, req.method, app=app
        )
    return None if found is None else (endpoint, found)


def _add_headers(schedule: Deprecation, response: Response) -> Response:
    """Add the deprecation headers to a response of a deprecated endpoint."""
    headers = response.headers
    # One pass over the headers (werkzeug's ``in`` raises and catches a KeyError
    # per missing name): a Deprecation or Sunset the view set itself is kept.
    present = set()
    links = []
    for name, value in headers:
        lowered = name.lower()
        present.add(lowered)
        if lowered == "link":
            links.append(value)
    for name, value in schedule.headers:
        if name.lower() not in present:
            headers.add(name, value)
    if schedule.link is not None:
        if links:
            # One field, appended to the view's own links: never clobbered.
            links.append(schedule.link)
            headers.set("Link", ", ".join(links))
        else:
            headers.add("Link", schedule.link)
    return response


def _warn_once(app: Flask, endpoint: str, schedule: Deprecation) -> None:
    warned = _state_of(app).warned
    if endpoint in warned:
        return
    first = object()
    if warned.setdefault(endpoint, first) is not first:
        return  # another thread logged it a moment ago
    if schedule.retired:
        when = "it is retired"
    elif schedule.sunset is not None:
        when = f"its sunset is {http_date(schedule.sunset)}"
    else:
        when = "it has no sunset date"
    app.logger.warning(
        "Deprecated endpoint %r was called (%s). Logged once per process.",
        endpoint,
        when,
    )


__all__ = [
    "ATTRIBUTE",
    "Deprecation",
    "deprecated",
    "deprecated_endpoint_called",
    "endpoint_deprecation",
    "view_deprecation",
]
