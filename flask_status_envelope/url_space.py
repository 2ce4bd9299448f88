"""The URL space of an app's blueprints: which registration a URL belongs to.

Flask gives a blueprint no URL space of its own: a 404 or 405 from routing reaches no
view, so ``request.blueprint`` is ``None`` and only app-level handlers see it. The
URL space is the prefix (and subdomain) a blueprint was *registered* with, which
Flask computes in a :class:`~flask.blueprints.BlueprintSetupState` and then forgets.
This module keeps it: :func:`track_registrations` (called by ``init_app``) makes every
later registration on an app record its setup state, :func:`claim_blueprint` does it
for one blueprint whenever and wherever it is registered (``@deprecated`` uses it),
and :func:`url_space` turns the records into one structure, built once per app at
its first request (routes cannot change afterwards), that answers "whose URL is
this?" for routing errors, on the right subdomain or host.

The scope (:mod:`flask_status_envelope.scope`) and deprecation both use it.
"""

from __future__ import annotations

import typing as t
import weakref
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import partial

import flask.globals as _flask_globals
from flask import Flask
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import Map, PathConverter, Rule

if t.TYPE_CHECKING:
    from flask.sansio.blueprints import Blueprint as AnyBlueprint
    from flask.sansio.blueprints import BlueprintSetupState

# -- Recording registrations -------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    """One registration of a blueprint on an app, as Flask computed it."""

    #: The registered, dotted name: ``"api.v1"`` for ``v1`` nested in ``api``.
    name: str
    #: The blueprint object (one object may be registered under several names).
    blueprint: AnyBlueprint
    #: The final URL prefix, parents' included, as Flask joined it; ``None``.
    url_prefix: str | None
    #: The final subdomain, parents' included; ``None`` for the app's default.
    subdomain: str | None

    @property
    def parent(self) -> str | None:
        """The registered name of the parent blueprint, ``None`` at the top."""
        return self.name.rpartition(".")[0] or None

    @property
    def lineage(self) -> tuple[str, ...]:
        """This name, then the parents' names up to the top: ``("a.b", "a")``."""
        parts = self.name.split(".")
        return tuple(".".join(parts[:n]) for n in range(len(parts), 0, -1))


class _Records:
    """The registrations seen on one app."""

    __slots__ = ("built", "registrations", "untracked")

    def __init__(self) -> None:
        self.registrations: dict[str, Registration] = {}
        # Names registered before track_registrations(), whose setup nobody saw.
        self.untracked: frozenset[str] = frozenset()
        self.built: UrlSpace | None = None


# Per app, outside app.extensions: a deprecated blueprint may be registered (and
# recorded) before the app has the extension. Nothing here refers to the app.
_RECORDS: weakref.WeakKeyDictionary[Flask, _Records] = weakref.WeakKeyDictionary()


def _records(app: Flask, create: bool) -> _Records | None:
    records = _RECORDS.get(app)
    if records is None and create:
        records = _RECORDS[app] = _Records()
    return records


def _store(setup: BlueprintSetupState, create: bool) -> None:
    records = _records(t.cast(Flask, setup.app), create)
    if records is not None:  # else an app that does not track registrations
        name = f"{setup.name_prefix}.{setup.name}".lstrip(".")
        records.registrations[name] = Registration(
            name, setup.blueprint, setup.url_prefix, setup.subdomain
        )


_record_if_tracked = partial(_store, create=False)
_record_always = partial(_store, create=True)


# Why app.blueprints is replaced: the BlueprintSetupState of a registration is the
# only exact source of the URL prefix and subdomain it got (from the Blueprint, from
# register_blueprint(), joined with its parents'); Flask keeps no record of a
# top-level registration's options, and a blueprint's rules cannot stand in (one
# rule "/api/items" is not the prefix "/api"). Blueprint.register() sets
# app.blueprints[name] before it makes that state and runs the blueprint's deferred
# functions (Flask 2.0.1 to 3.2, nested registrations included), so a callback
# appended then sees this very registration. It is appended to deferred_functions
# directly because Blueprint.record() refuses a blueprint already registered on
# any app, the normal case in a test suite that builds an app per test. The dict
# subclass changes nothing else: reads, iteration, copies and Flask's own use of
# app.blueprints behave as for a dict.
class _ObservedBlueprints(dict):  # type: ignore[type-arg]
    __slots__ = ()

    def __setitem__(self, name: str, blueprint: AnyBlueprint) -> None:
        if _record_if_tracked not in blueprint.deferred_functions:
            # Once per blueprint; on an app that does not track, it does nothing.
            blueprint.deferred_functions.append(_record_if_tracked)
        super().__setitem__(name, blueprint)


def track_registrations(app: Flask) -> None:
    """Record every blueprint registration made on ``app`` from now on.

    Called by ``init_app``. Blueprints registered before have no record, unless
    :func:`claim_blueprint` was called for them; :func:`url_space` lists them in
    :attr:`UrlSpace.untracked`.
    """
    records = t.cast(_Records, _records(app, create=True))
    if not isinstance(app.blueprints, _ObservedBlueprints):
        records.untracked = frozenset(app.blueprints) - set(records.registrations)
        app.blueprints = _ObservedBlueprints(app.blueprints)


def claim_blueprint(blueprint: AnyBlueprint) -> None:
    """Record every registration of ``blueprint``, on any app, from now on.

    For features that mark a blueprint before it is registered (``@deprecated``),
    whether or not the app has the extension yet.

    :raises AssertionError: The blueprint was registered already (Flask's error).
    """
    blueprint.record(_record_always)  # refuses a registered blueprint


# -- The URL space -----------------------------------------------------------------


class _Rest(PathConverter):
    # Also the empty string and leading slashes: "/api/" and "/api//x" are under /api.
    regex = ".*"


@dataclass(frozen=True)
class Claim:
    """A part of the URL space that a registration owns."""

    #: The registration.
    registration: Registration
    #: The subdomain or host (``host_matching``), as Werkzeug matches it; ``None``
    #: when the app matches neither (every request is on the default subdomain).
    domain: str | None
    #: The path prefix, without a trailing slash; ``""`` for every path.
    prefix: str

    @property
    def dynamic(self) -> bool:
        return "<" in self.prefix or "<" in (self.domain or "")


def _request_adapter() -> t.Any:
    # The MapAdapter Flask bound for the request: its subdomain or host is the one
    # routing used. Flask < 3.2 keeps it on the request context, 3.2 on the app's.
    if _HAS_REQUEST_CTX:
        return _flask_globals.request_ctx.url_adapter
    return _flask_globals.app_ctx.url_adapter


_HAS_REQUEST_CTX = "request_ctx" in vars(_flask_globals)


class UrlSpace:
    """Whose URL is a request's, for one app: built by :func:`url_space`."""

    def __init__(
        self,
        app: Flask,
        registrations: Mapping[str, Registration],
        untracked: frozenset[str],
    ) -> None:
        url_map = app.url_map
        #: Every recorded registration, by registered name, in registration order.
        self.registrations = dict(registrations)
        #: Names of blueprints registered before the app tracked registrations.
        self.untracked = untracked - set(registrations)
        #: Where Werkzeug matches: "host", "subdomain", or the path only.
        self.mode = (
            "host"
            if url_map.host_matching
            else "subdomain"
            if app.subdomain_matching
            else "path"
        )
        endpoints: dict[str, set[str]] = {name: set() for name in app.blueprints}
        hosts: dict[str, set[str]] = {}
        rules: dict[str, list[str]] = {}
        for rule in url_map.iter_rules():
            rules.setdefault(rule.endpoint, []).append(rule.rule)
            name = rule.endpoint.rpartition(".")[0]
            while name:
                endpoints.setdefault(name, set()).add(rule.endpoint)
                hosts.setdefault(name, set()).add(rule.host or "")
                name = name.rpartition(".")[0]
        self._endpoints = {name: frozenset(found) for name, found in endpoints.items()}
        self._rules = rules
        default = url_map.default_subdomain or ""
        claims: list[Claim] = []
        for registration in self.registrations.values():
            prefix = self._claimed_prefix(app, registration)
            if prefix is None:
                continue
            subdomain = registration.subdomain
            domain = default if subdomain is None else subdomain
            if self.mode == "path":
                # Flask matches every request against the default subdomain only.
                domains: Collection[str | None] = (None,) if domain == default else ()
            elif self.mode == "subdomain":
                domains = (domain,)
            else:
                domains = sorted(hosts.get(registration.name, set()) - {""})
            claims.extend(Claim(registration, d, prefix) for d in domains)
        #: What each registration claims: (registration, domain, prefix).
        self.claims: tuple[Claim, ...] = tuple(claims)
        static: dict[str | None, list[tuple[str, str, Registration]]] = {}
        for claim in claims:
            if not claim.dynamic:
                entry = (claim.prefix, claim.prefix + "/", claim.registration)
                static.setdefault(claim.domain, []).append(entry)
        for entries in static.values():
            entries.sort(key=lambda entry: len(entry[0]), reverse=True)  # stable
        self._static = {domain: tuple(entries) for domain, entries in static.items()}
        self._dynamic = tuple(
            (self._claim_map(url_map, claim), claim.registration)
            for claim in claims
            if claim.dynamic
        )
        self._needs_domain = self.mode != "path"

    def _claimed_prefix(self, app: Flask, registration: Registration) -> str | None:
        """The path prefix a registration claims: ``""`` for all of its subdomain,
        ``None`` for nothing beyond its views."""
        prefix = (registration.url_prefix or "").rstrip("/")
        parent_name = registration.parent
        parent = self.registrations.get(parent_name) if parent_name else None
        if parent is not None:
            # A nested blueprint with neither prefix nor subdomain of its own shares
            # its parent's URL space; the parent's unknown URLs are not its own.
            if (
                prefix == (parent.url_prefix or "").rstrip("/")
                and registration.subdomain == parent.subdomain
            ):
                return None
        elif parent_name is not None and not _has_own_place(app, registration):
            return None
        if prefix:
            return prefix
        return "" if registration.subdomain is not None else None

    @staticmethod
    def _claim_map(url_map: Map, claim: Claim) -> Map:
        domain = {"host" if url_map.host_matching else "subdomain": claim.domain}
        options: dict[str, t.Any] = {"endpoint": claim.registration.name}
        if claim.domain is not None:
            options.update(domain)
        return Map(
            [
                Rule(claim.prefix or "/", strict_slashes=False, **options),
                Rule(f"{claim.prefix}/<_rest:rest>", **options),
            ],
            default_subdomain=url_map.default_subdomain,
            host_matching=url_map.host_matching,
            merge_slashes=False,
            converters={**url_map.converters, "_rest": _Rest},
        )

    def find(self, request: t.Any) -> tuple[Registration, ...]:
        """Return the registrations whose URL space holds the request's URL, the
        most specific (longest prefix) first; static prefixes before ones with
        converters, as Werkzeug's router prefers them."""
        if not self.claims:
            return ()
        adapter = _request_adapter() if self._needs_domain else None
        domain = None
        if adapter is not None:
            domain = adapter.server_name if self.mode == "host" else adapter.subdomain
        path = request.path
        found = [
            registration
            for prefix, slashed, registration in self._static.get(domain, ())
            if not prefix or path == prefix or path.startswith(slashed)
        ]
        if self._dynamic:
            found.extend(self._find_dynamic(request, adapter))
        return tuple(found)

    def _find_dynamic(self, request: t.Any, adapter: t.Any) -> list[Registration]:
        if adapter is None:
            adapter = _request_adapter()
        found = []
        for claim_map, registration in self._dynamic:
            bound = claim_map.bind(
                adapter.server_name,
                adapter.script_name,
                subdomain=None if self.mode == "host" else adapter.subdomain,
                path_info=request.path,
            )
            if bound.test():
                found.append(registration)
        return found

    def heads(self, endpoints: Collection[str]) -> tuple[str, ...]:
        """Return the fixed beginnings of the paths of ``endpoints``' rules: a path
        that starts with none of them matches none of these rules. For
        :meth:`owners`, whose exact answer costs a routing per method."""
        found = {
            rule.partition("<")[0].rstrip("/") or "/"
            for endpoint in endpoints
            for rule in self._rules.get(endpoint, ())
        }
        return tuple(sorted(found))

    def owners(
        self, request: t.Any, heads: tuple[str, ...] | None = None
    ) -> tuple[str, ...]:
        """Return the endpoints whose rules match the URL of a 405 with another
        method, in method order; ``()`` for any other request, or when ``heads``
        (from :meth:`heads`) are given and the path starts with none of them."""
        error = request.routing_exception
        if not isinstance(error, MethodNotAllowed) or not error.valid_methods:
            return ()
        if heads is not None and not request.path.startswith(heads):
            return ()
        methods = sorted(
            {m for m in error.valid_methods if m not in ("HEAD", "OPTIONS")}
            or error.valid_methods
        )
        adapter = _request_adapter()
        found: list[str] = []
        for method in methods:
            try:
                rule, _values = adapter.match(method=method, return_rule=True)
            except HTTPException:  # a redirect, or no rule for that method after all
                continue
            if rule.endpoint not in found:
                found.append(rule.endpoint)
        return tuple(found)

    def endpoints(self, name: str) -> frozenset[str]:
        """Return the endpoints of the blueprint registered as ``name`` and of the
        blueprints nested in it."""
        return self._endpoints.get(name, frozenset())


def _has_own_place(app: Flask, registration: Registration) -> bool:
    """For a nested registration whose parent's was not recorded: did it get a
    prefix or subdomain of its own? From Flask's own record of nested options."""
    parent = app.blueprints.get(registration.parent or "")
    short = registration.name.rpartition(".")[2]
    blueprint = registration.blueprint
    options: Mapping[str, t.Any] = {}
    for nested, nested_options in getattr(parent, "_blueprints", ()):
        if nested is blueprint and nested_options.get("name", nested.name) == short:
            options = nested_options
            break
    prefix = options.get("url_prefix")
    if prefix is None:
        prefix = blueprint.url_prefix
    subdomain = options.get("subdomain")
    if subdomain is None:
        subdomain = blueprint.subdomain
    return bool((prefix or "").strip("/")) or subdomain is not None


def url_space(app: Flask) -> UrlSpace:
    """Return the URL space of ``app``'s blueprints.

    Built from the recorded registrations; kept from the app's first request on,
    when its routes can no longer change.
    """
    records = _records(app, create=True)
    assert records is not None
    if records.built is not None:
        return records.built
    built = UrlSpace(app, records.registrations, records.untracked)
    if getattr(app, "_got_first_request", False):
        records.built = built
    return built
