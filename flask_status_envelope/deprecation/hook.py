"""The request check of deprecated endpoints: their headers, the signal, the log
line, and 410 Gone when their schedule says so.

The extension's one request check calls :func:`init_deprecation`'s check first of
everything the app runs for a request, so every response of a deprecated endpoint
carries the headers: the view's, an error envelope, a 500, or the answer of a later
hook (authentication, rate limits).
"""

from __future__ import annotations

import time
import typing as t
from datetime import datetime
from functools import partial

from blinker import Namespace
from flask import Flask, Response, after_this_request
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.http import http_date

from ..aborting import make_error
from ..url_space import UrlSpace, url_space
from .marking import blueprint_deprecation, endpoint_deprecation
from .schedule import DEPRECATED, Deprecation, utc

if t.TYPE_CHECKING:
    from ..state import AppState

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


class DeprecationState:
    """What the check knows about one app's deprecated endpoints."""

    __slots__ = ("by_endpoint", "heads", "marked", "routing", "space", "warned")

    def __init__(self) -> None:
        # Endpoints with a schedule for any method, found on the first request:
        # routes cannot be added after it, so every other request is told apart
        # with one set look-up.
        self.marked: frozenset[str] | None = None
        # (endpoint, method) -> schedule, filled on first use.
        self.by_endpoint: dict[tuple[str, str], Deprecation | None] = {}
        # The app's URL space, for routing errors, which reach no endpoint; whether
        # any of them may be a deprecated one's (a 405 of a deprecated route, a
        # URL under a deprecated blueprint's prefix); the fixed beginnings of the
        # marked endpoints' rules, to skip the routing that finds a 405's owners.
        self.space: UrlSpace | None = None
        self.routing = False
        self.heads: tuple[str, ...] = ()
        # Endpoints already logged in this process.
        self.warned: dict[str, object] = {}

    def find_marked(self, app: Flask) -> frozenset[str]:
        """Find the deprecated endpoints and URL spaces, once all routes exist."""
        space = self.space = url_space(app)
        marked = self.marked = frozenset(
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if any(
                endpoint_deprecation(rule.endpoint, method, app=app) is not None
                for method in rule.methods or ("GET",)
            )
        )
        self.heads = space.heads(marked)
        self.routing = bool(marked) or any(
            blueprint_deprecation(app, claim.registration.lineage) is not None
            for claim in space.claims
        )
        return marked


class DeprecationCheck:
    """The check of one app: call it with the request's endpoint and request.

    It returns the 410 error to raise, so that the caller can let maintenance mode
    answer first. :attr:`watched` tells which requests need the call at all.
    """

    __slots__ = ("app", "config", "state", "watched")

    def __init__(self, app: Flask, state: DeprecationState) -> None:
        self.app = app
        self.config = app.config
        self.state = state
        #: The endpoints to check (``None`` among them for routing errors, when
        #: one may be deprecated); ``None`` until the app's first request, when
        #: all routes exist. Any other request costs one set look-up.
        self.watched: frozenset[str | None] | None = None

    def __call__(self, endpoint: str | None, req: t.Any) -> HTTPException | None:
        if self.watched is None:
            marked = self.state.find_marked(self.app)
            self.watched = marked | {None} if self.state.routing else marked
            if endpoint not in self.watched:
                return None
        app = self.app
        found = _find(app, self.state, endpoint, req)
        if found is None:
            return None
        name, schedule = found
        phase = schedule._state(_now(app))
        after_this_request(partial(_add_headers, schedule))
        if name is not None:
            # Here, once per request: Flask runs after_this_request functions
            # again when an after_request hook fails.
            deprecated_endpoint_called.send(
                app,
                _async_wrapper=app.ensure_sync,
                endpoint=name,
                state=phase,
                deprecation=schedule,
            )
            _warn_once(app, self.state, name, schedule)
        if phase != DEPRECATED and self.config["STATUS_ENVELOPE_ENFORCE_SUNSET"]:
            # The core's own exception: the same envelope as every other 410, also
            # through a user's @app.errorhandler(410).
            return make_error(410, schedule.message)
        return None


def init_deprecation(state: AppState) -> DeprecationCheck:
    """Set the deprecation configuration defaults and return the app's check.

    :raises TypeError: A deprecation setting has the wrong type.
    """
    config = state.config
    config.setdefault("STATUS_ENVELOPE_ENFORCE_SUNSET", True)
    config.setdefault("STATUS_ENVELOPE_DEPRECATION_CLOCK", None)
    enforce = config["STATUS_ENVELOPE_ENFORCE_SUNSET"]
    if not isinstance(enforce, bool):
        raise TypeError(
            "STATUS_ENVELOPE_ENFORCE_SUNSET must be True or False, got"
            f" {type(enforce).__name__} {enforce!r}. Convert strings from the"
            " environment first, or use app.config.from_prefixed_env()."
        )
    clock = config["STATUS_ENVELOPE_DEPRECATION_CLOCK"]
    if clock is not None and not callable(clock):
        raise TypeError(
            "STATUS_ENVELOPE_DEPRECATION_CLOCK must be None or a function that"
            f" returns the current datetime, got {type(clock).__name__} {clock!r}."
        )
    state.deprecation = DeprecationState()
    return DeprecationCheck(state.app, state.deprecation)


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
    return utc(moment).timestamp()


def _find(
    app: Flask, state: DeprecationState, endpoint: str | None, req: t.Any
) -> tuple[str | None, Deprecation] | None:
    """Return the endpoint and schedule of the request, if deprecated."""
    if endpoint is None:
        error = req.routing_exception
        code = getattr(error, "code", None)
        space = state.space
        if space is None or code is None or not 400 <= code <= 499:
            return None  # e.g. a redirect to the URL with a trailing slash
        if isinstance(error, MethodNotAllowed):
            # The URL is a route's: deprecated only when all its routes are (one
            # live for another method keeps the URL alive), with the schedule of
            # the first for an allowed method.
            owners = space.owners(req, state.heads)
            marked = state.marked or frozenset()
            if not owners or not all(owner in marked for owner in owners):
                return None
            for method in sorted(error.valid_methods or ("GET",)):
                schedule = endpoint_deprecation(owners[0], method, app=app)
                if schedule is not None:
                    return None, schedule
            return None
        # Another routing error: the schedule of the most specific registration
        # whose URL space holds the URL, else of its nearest deprecated parent, as
        # for its endpoints (endpoint_deprecation).
        places = space.find(req)
        schedule = blueprint_deprecation(app, places[0].lineage) if places else None
        return None if schedule is None else (None, schedule)
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


def _warn_once(
    app: Flask, state: DeprecationState, endpoint: str, schedule: Deprecation
) -> None:
    warned = state.warned
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
