"""Where the extension answers: :data:`STATUS_ENVELOPE_SCOPE`.

``None`` (the default) is the whole app. Otherwise a list of URL path prefixes
(``"/api"``: ``/api`` and ``/api/...``, not ``/apis``) and blueprint names (``"api"``,
dotted for nested ones, ``"api.v1"``). A blueprint covers the URL space it was
registered with (:mod:`flask_status_envelope.url_space`) and its views' errors.
Outside the scope the app answers as it would without the extension:
:func:`answer_out_of_scope`.

Without a scope nothing here runs: :func:`scoped` returns the extension's handlers
as they are. With one, each handler first asks :meth:`Scope.covers`, which for a
request that matched a route is one dict look-up.
"""

from __future__ import annotations

import difflib
import typing as t
from collections.abc import Collection

from flask import Flask, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

from .url_space import Claim, UrlSpace, url_space

if t.TYPE_CHECKING:
    from .state import AppState

_Handler = t.Callable[[t.Any], t.Any]


def init_scope(state: AppState) -> t.Callable[[], None] | None:
    """Check :data:`STATUS_ENVELOPE_SCOPE`; with a scope, keep it in
    ``state.scope`` and return the step that resolves it at the app's first
    request, when every blueprint is registered (a name the app does not have
    fails that request, and every request until it is fixed).

    :raises TypeError: The value is not ``None`` or a collection of strings.
    :raises ValueError: The value is empty or an item is neither a path nor a
        blueprint name.
    """
    app = state.app
    state.config.setdefault("STATUS_ENVELOPE_SCOPE", None)
    items = check_scope(state.config["STATUS_ENVELOPE_SCOPE"])
    if items is None:
        return None
    scope = state.scope = LazyScope(app, items)

    def resolve() -> None:
        scope.built = build_scope(app, items)

    return resolve


class LazyScope:
    """The scope of one app, resolved at its first request."""

    __slots__ = ("app", "built", "items")

    def __init__(self, app: Flask, items: tuple[str, ...]) -> None:
        self.app = app
        self.items = items
        self.built: Scope | None = None

    def get(self) -> Scope | None:
        """The scope; ``None`` while it cannot be resolved (the request check
        raises why)."""
        if self.built is None:
            try:
                self.built = build_scope(self.app, self.items)
            except ValueError:
                return None
        return self.built


def scoped(state: AppState, handler: _Handler, registered_for: type) -> _Handler:
    """Return the error handler to register for ``registered_for``: ``handler``
    itself without a scope, else one that answers out of scope as the app would
    without the extension."""
    lazy = state.scope
    if lazy is None:
        return handler
    app = state.app

    def in_scope_only(error: t.Any) -> t.Any:
        scope = lazy.built or lazy.get()  # built at the first request
        if scope is not None:
            req = request._get_current_object()  # type: ignore[attr-defined]
            # Scope.covers(), inline: a method call is 1 % of the response.
            verdict = scope.rules.get(id(req.url_rule))
            if not (scope.covers_url(req) if verdict is None else verdict):
                return answer_out_of_scope(app, error, registered_for)
        return handler(error)

    in_scope_only.__wrapped__ = handler  # type: ignore[attr-defined]
    return in_scope_only


# -- Checking and resolving the items -----------------------------------------------

_UNDER, _MAYBE, _OUTSIDE = 2, 1, 0


def check_scope(value: object) -> tuple[str, ...] | None:
    """Check a :data:`STATUS_ENVELOPE_SCOPE` value; return its items.

    :raises TypeError: Not ``None`` or a collection of strings.
    :raises ValueError: Empty, or an item is neither a path nor a blueprint name.
    """
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Collection):
        raise TypeError(
            "STATUS_ENVELOPE_SCOPE must be None (the whole app) or a list of URL"
            " prefixes and blueprint names, got"
            f" {type(value).__name__} {value!r}. Write e.g. ['/api'] or ['api']."
        )
    if not value:
        raise ValueError(
            "STATUS_ENVELOPE_SCOPE is empty, so the extension would answer nothing."
            " Use None for the whole app, or list the URL prefixes and blueprints."
        )
    items = []
    for item in value:
        if not isinstance(item, str):
            raise TypeError(
                "STATUS_ENVELOPE_SCOPE items are URL prefixes ('/api') or blueprint"
                f" names ('api'), got {type(item).__name__} {item!r}."
            )
        if item.startswith("/"):
            if "<" in item or ">" in item or "?" in item or "#" in item:
                raise ValueError(
                    f"STATUS_ENVELOPE_SCOPE item {item!r} is not a plain URL path: a"
                    " prefix has no converters, query or fragment. To cover a"
                    " blueprint's URLs whatever its prefix, give its name."
                )
        elif not item or "/" in item or item != item.strip():
            hint = f" For a URL prefix write {'/' + item.strip().lstrip('/')!r}."
            raise ValueError(
                f"STATUS_ENVELOPE_SCOPE item {item!r} is neither a URL prefix, which"
                f" starts with '/', nor a blueprint name.{hint if item else ''}"
            )
        items.append(item)
    return tuple(items)


class Scope:
    """Answers whether a request is in :data:`STATUS_ENVELOPE_SCOPE`; made by
    :func:`build_scope`."""

    __slots__ = (
        "_everything",
        "_exact",
        "_heads",
        "_names",
        "rules",
        "_slashed",
        "_space",
    )

    def __init__(
        self,
        space: UrlSpace,
        prefixes: tuple[str, ...],
        names: frozenset[str],
        rules: dict[int, bool],
    ) -> None:
        self._space = space
        self._everything = "" in prefixes
        self._exact = frozenset(prefixes)
        self._slashed = tuple(prefix + "/" for prefix in prefixes)
        self._names = names
        #: id(rule) -> verdict, for the rules whose every URL is in or out of scope.
        self.rules = rules
        # Where the covered blueprints' routes start: a 405 elsewhere is none of
        # theirs, without routing again.
        self._heads = space.heads([e for name in names for e in space.endpoints(name)])

    def covers(self, request: t.Any) -> bool:
        """Tell whether the extension answers this request's errors.

        One dict look-up for a request that matched a route; routing errors and
        routes with converters that may or may not fall under a prefix look at
        the URL.

        :param request: The request object itself, not the proxy.
        """
        verdict = self.rules.get(id(request.url_rule))  # not None's id
        return self.covers_url(request) if verdict is None else verdict

    def covers_url(self, request: t.Any) -> bool:
        """Tell by its URL whether the extension answers this request's errors."""
        if self._everything:
            return True
        path = request.path
        if path in self._exact or path.startswith(self._slashed):
            return True
        if not self._names:
            return False
        names = self._names
        for registration in self._space.find(request):
            if registration.name in names:
                return True
        if request.url_rule is None:
            # A 405 on a view of a covered blueprint that claims no URL space.
            for endpoint in self._space.owners(request, self._heads):
                if endpoint.rpartition(".")[0] in names:
                    return True
        return False


def build_scope(app: Flask, items: Collection[str]) -> Scope:
    """Resolve checked :data:`STATUS_ENVELOPE_SCOPE` items against ``app``'s routes
    and blueprints; call it once all are registered (at the first request).

    :raises ValueError: A blueprint name the app does not have, or a blueprint
        registered before the app tracked registrations, whose URL prefix is
        therefore unknown.
    """
    prefixes = tuple(item.rstrip("/") for item in items if item.startswith("/"))
    wanted = [item for item in items if not item.startswith("/")]
    known = sorted(app.blueprints)
    for name in wanted:
        if name not in app.blueprints:
            raise ValueError(_unknown_name_message(name, known))
    names = frozenset(
        registered
        for registered in known
        if any(
            registered == name or registered.startswith(name + ".") for name in wanted
        )
    )
    space = url_space(app)
    unseen = sorted(names & space.untracked)
    if unseen:
        raise ValueError(
            f"STATUS_ENVELOPE_SCOPE names the blueprint {unseen[0]!r}, which was"
            " registered before StatusEnvelope.init_app(), so the URL prefix and"
            " subdomain it was registered with are unknown. Call init_app() before"
            " app.register_blueprint(), or give its URL prefix instead."
        )
    endpoints = frozenset().union(*(space.endpoints(name) for name in names))
    claims = [claim for claim in space.claims if claim.registration.name in names]
    rules = {}
    for rule in app.url_map.iter_rules():
        verdict = _rule_verdict(space.mode, rule, prefixes, claims, endpoints)
        if verdict is not None:
            rules[id(rule)] = verdict
    return Scope(space, prefixes, names, rules)


def _unknown_name_message(name: str, known: list[str]) -> str:
    # A nested blueprint is registered under its parents' names: "api.v1".
    close = [k for k in known if k.rpartition(".")[2] == name]
    close = close or difflib.get_close_matches(name, known, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    has = (
        "Its blueprints are " + ", ".join(repr(k) for k in known) + "."
        if known
        else "It has no blueprints."
    )
    return (
        f"STATUS_ENVELOPE_SCOPE names the blueprint {name!r}, which this app does"
        f" not have.{hint} {has} A URL prefix starts with '/', e.g. '/{name}'."
    )


def _rule_verdict(
    mode: str,
    rule: Rule,
    prefixes: tuple[str, ...],
    claims: list[Claim],
    endpoints: frozenset[str],
) -> bool | None:
    """True or False when every URL of ``rule`` is in or out of scope, else None."""
    if rule.endpoint in endpoints:
        return True  # a view of a covered blueprint
    relations = [_path_relation(rule.rule, prefix) for prefix in prefixes]
    rule_domain = rule.host if mode == "host" else rule.subdomain
    for claim in claims:
        relation = _path_relation(rule.rule, claim.prefix)
        if claim.domain is not None:
            relation = min(relation, _domain_relation(rule_domain, claim.domain))
        relations.append(relation)
    best = max(relations, default=_OUTSIDE)
    return None if best == _MAYBE else best == _UNDER


def _path_relation(rule: str, prefix: str) -> int:
    """Whether every, some or none of the paths of ``rule`` are under ``prefix``."""
    if not prefix:
        return _UNDER
    if "<" in prefix:
        return _MAYBE
    head, dynamic, _ = rule.partition("<")
    if not dynamic:
        return _UNDER if rule == prefix or rule.startswith(prefix + "/") else _OUTSIDE
    fixed = head[: head.rfind("/") + 1]  # the whole segments before the first part
    if fixed.startswith(prefix + "/"):
        return _UNDER
    return _MAYBE if (prefix + "/").startswith(fixed) else _OUTSIDE


def _domain_relation(rule_domain: str | None, claim_domain: str) -> int:
    if rule_domain is None:
        return _MAYBE  # the map's default, compared at request time
    if "<" in rule_domain or "<" in claim_domain:
        return _MAYBE
    return _UNDER if rule_domain == claim_domain else _OUTSIDE


# -- Answering outside the scope -----------------------------------------------------


def next_handler(
    app: Flask, error: BaseException, registered_for: type[BaseException]
) -> t.Callable[[t.Any], t.Any] | None:
    """Return the handler Flask would have chosen for ``error`` without the one the
    extension registered on the app for ``registered_for``; ``None`` if none.

    Flask looks for handlers by code, then by class along the MRO, the blueprints'
    before the app's; it found the extension's at the app level for
    ``registered_for``, so only the app's handlers for the classes after it in the
    MRO (a user's ``@app.errorhandler(Exception)``) are left.
    """
    handlers = app.error_handler_spec[None][None]
    if not handlers:
        return None
    mro = type(error).__mro__
    start = mro.index(registered_for) + 1 if registered_for in mro else len(mro)
    for cls in mro[start:]:
        handler = handlers.get(cls)
        if handler is not None:
            return t.cast("t.Callable[[t.Any], t.Any]", handler)
    return None


def answer_out_of_scope(
    app: Flask, error: BaseException, registered_for: type[BaseException]
) -> t.Any:
    """Answer ``error`` as the app would without the extension.

    The next handler Flask would have found, if any; else an HTTP error is
    returned for Flask to render (its HTML page) and any other exception raised
    again, so Flask logs it and answers its 500 as for any unhandled exception.
    Call it from an error handler only.
    """
    handler = next_handler(app, error, registered_for)
    if handler is not None:
        return app.ensure_sync(handler)(error)
    if isinstance(error, HTTPException):
        return error
    raise error
