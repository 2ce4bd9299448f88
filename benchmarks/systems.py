"""The systems compared by the benchmark, each as a WSGI app with the same URLs.

Every system answers the same requests (:data:`PATHS`) the way its documentation
says to. A system that has no way to answer a path lacks it in its ``paths`` and is
reported as n/a. Logging of unhandled exceptions is disabled on every app alike, so
the 500 path measures the error handling, not the formatting of a traceback.
"""

from __future__ import annotations

import importlib.util
import json
import typing as t
from dataclasses import dataclass, field
from functools import partial

from flask import Flask, abort
from werkzeug.exceptions import HTTPException, TooManyRequests

#: The message every "abort" path sends.
MESSAGE = "Token is disabled"
#: The message of the 410 and 429 paths.
GONE = "This endpoint is deprecated."
SLOW_DOWN = "Slow down."
RETRY_AFTER = 30

#: path name -> (method, URL). The order is the order of the table.
PATHS: dict[str, tuple[str, str]] = {
    "200 JSON": ("GET", "/ok"),
    "abort 403": ("GET", "/forbidden"),
    "unknown URL 404": ("GET", "/no/such/url"),
    "405": ("POST", "/forbidden"),
    "unhandled 500": ("GET", "/boom"),
    "deprecated 410": ("GET", "/gone"),
    "429 retry_after": ("GET", "/limited"),
}

#: The 200 JSON body of the floor: a dict as large as an envelope.
OK_BODY = {"status": {"code": 200, "text": "OK", "message": "Token is enabled"}}

FLOOR = ("flask", "200 JSON")


@dataclass
class System:
    """One system under test."""

    name: str
    label: str
    build: t.Callable[[], Flask]
    paths: tuple[str, ...]
    note: str = ""
    requires: tuple[str, ...] = field(default=())
    #: Put before every URL of :data:`PATHS`: where the system mounts its views.
    prefix: str = ""

    def missing(self) -> list[str]:
        """The modules this system needs that are not installed."""
        return [m for m in self.requires if importlib.util.find_spec(m) is None]


def _quiet(app: Flask) -> Flask:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.logger.disabled = True
    return app


def _boom() -> t.NoReturn:
    raise RuntimeError("database password is hunter2")


def flask_floor() -> Flask:
    """Plain Flask: a view returning a dict (the floor) and Flask's HTML errors."""
    app = _quiet(Flask("floor"))

    @app.get("/ok")
    def ok() -> t.Any:
        return OK_BODY

    _add_flask_error_views(app)
    return app


def _add_flask_error_views(app: Flask) -> None:
    @app.get("/forbidden")
    def forbidden() -> t.NoReturn:
        abort(403, MESSAGE)

    @app.get("/boom")
    def boom() -> t.NoReturn:
        _boom()

    @app.get("/gone")
    def gone() -> t.NoReturn:
        abort(410, GONE)

    @app.get("/limited")
    def limited() -> t.NoReturn:
        abort(429, SLOW_DOWN, retry_after=RETRY_AFTER)


def flask_handwritten() -> Flask:
    """The JSON handler of Flask's docs ("Generic Exception Handlers")."""
    app = _quiet(Flask("handwritten"))

    @app.errorhandler(HTTPException)
    def handle_exception(e: HTTPException) -> t.Any:
        """Return JSON instead of HTML for HTTP errors."""
        # start with the correct headers and status code from the error
        response = e.get_response()
        # replace the body with JSON
        response.data = json.dumps(
            {
                "code": e.code,
                "name": e.name,
                "description": e.description,
            }
        )
        response.content_type = "application/json"
        return response

    _add_flask_error_views(app)
    return app


def apiflask_app(*, envelope: bool = False) -> Flask:
    """APIFlask with its ``abort`` (JSON errors are on by default); with
    ``envelope``, ``StatusEnvelope(app)`` on it too, and nothing else changed."""
    from apiflask import APIFlask
    from apiflask import abort as api_abort

    app = _quiet(APIFlask("apiflask"))
    if envelope:
        from flask_status_envelope import StatusEnvelope

        StatusEnvelope(app)

    @app.get("/ok")
    def ok() -> t.Any:
        return OK_BODY

    @app.get("/forbidden")
    def forbidden() -> t.NoReturn:
        api_abort(403, MESSAGE)

    @app.get("/boom")
    def boom() -> t.NoReturn:
        _boom()

    @app.get("/gone")
    def gone() -> t.NoReturn:
        api_abort(410, GONE)

    @app.get("/limited")
    def limited() -> t.NoReturn:
        api_abort(429, SLOW_DOWN, headers={"Retry-After": str(RETRY_AFTER)})

    return app


def smorest_app() -> Flask:
    """flask-smorest with its ``abort``, views in a smorest ``Blueprint``."""
    from flask_smorest import Api, Blueprint
    from flask_smorest import abort as sm_abort

    app = _quiet(Flask("smorest"))
    app.config.update(API_TITLE="bench", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    api = Api(app)
    blp = Blueprint("bench", "bench")

    @blp.route("/forbidden", methods=["GET"])
    def forbidden() -> t.NoReturn:
        sm_abort(403, message=MESSAGE)

    @blp.route("/boom", methods=["GET"])
    def boom() -> t.NoReturn:
        _boom()

    @blp.route("/gone", methods=["GET"])
    def gone() -> t.NoReturn:
        sm_abort(410, message=GONE)

    @blp.route("/limited", methods=["GET"])
    def limited() -> t.NoReturn:
        sm_abort(429, message=SLOW_DOWN, headers={"Retry-After": str(RETRY_AFTER)})

    api.register_blueprint(blp)
    return app


def restx_app() -> Flask:
    """flask-restx with its ``abort``; ``catch_all_404s`` so unknown URLs get JSON."""
    from flask_restx import Api, Resource
    from flask_restx import abort as rx_abort

    app = _quiet(Flask("restx"))
    api = Api(app, catch_all_404s=True, doc=False)

    @api.route("/forbidden")
    class Forbidden(Resource):  # type: ignore[misc]
        def get(self) -> t.NoReturn:
            rx_abort(403, MESSAGE)

    @api.route("/boom")
    class Boom(Resource):  # type: ignore[misc]
        def get(self) -> t.NoReturn:
            _boom()

    @api.route("/gone")
    class Gone(Resource):  # type: ignore[misc]
        def get(self) -> t.NoReturn:
            rx_abort(410, GONE)

    @api.route("/limited")
    class Limited(Resource):  # type: ignore[misc]
        def get(self) -> t.NoReturn:
            # restx's abort takes no headers; it keeps those of a Werkzeug exception.
            raise TooManyRequests(SLOW_DOWN, retry_after=RETRY_AFTER)

    return app


def envelope_app(
    *, deprecation: bool = False, scope: bool = False, **config: t.Any
) -> Flask:
    """This extension: ``abort_with``; with ``deprecation``, also a view retired
    with a bare ``@deprecated`` (so every request pays for the deprecation check);
    with ``scope``, the views under ``/api``, a scope of three prefixes (``/api``,
    ``/v1``, ``/v2``) and an HTML page outside it. (App routes, not a blueprint:
    Flask's own blueprint dispatch costs 3 % of a request, which is no part of
    the scope.) ``config`` goes to ``app.config`` before the extension is
    initialised."""
    from flask_status_envelope import StatusEnvelope, abort_with, deprecated

    app = _quiet(Flask("envelope"))
    app.config.update(config)
    prefix = ""
    if scope:
        app.config["STATUS_ENVELOPE_SCOPE"] = ["/api", "/v1", "/v2"]
        prefix = "/api"
        app.get("/")(lambda: "<h1>Home</h1>")
    StatusEnvelope(app)

    @app.get(f"{prefix}/ok")
    def ok() -> t.Any:
        return OK_BODY

    @app.get(f"{prefix}/forbidden")
    def forbidden() -> t.NoReturn:
        abort_with(403, MESSAGE)

    @app.get(f"{prefix}/boom")
    def boom() -> t.NoReturn:
        _boom()

    @app.get(f"{prefix}/limited")
    def limited() -> t.NoReturn:
        abort_with(429, SLOW_DOWN, retry_after=RETRY_AFTER)

    if deprecation:

        @app.get(f"{prefix}/gone")
        @deprecated
        def gone() -> t.Any:
            return OK_BODY

    return app


def envelope_metrics_app() -> Flask:
    """This extension with its Prometheus counters on, in a registry of its own."""
    from prometheus_client import CollectorRegistry

    return envelope_app(
        STATUS_ENVELOPE_METRICS=True,
        STATUS_ENVELOPE_METRICS_REGISTRY=CollectorRegistry(),
    )


_ERRORS = ("abort 403", "unknown URL 404", "405", "unhandled 500")
_ALL_ERRORS = (*_ERRORS, "deprecated 410", "429 retry_after")


def systems() -> list[System]:
    """Every system, in the order of the table."""
    return [
        System(
            "flask",
            "Flask returning a 200 JSON dict (floor)",
            flask_floor,
            ("200 JSON",),
        ),
        System(
            "flask-html",
            "Flask's default HTML error page",
            flask_floor,
            _ALL_ERRORS,
            "410 and 429 via flask.abort(410/429, ..., retry_after=30)",
        ),
        System(
            "handwritten",
            "Flask docs' hand-written HTTPException JSON handler",
            flask_handwritten,
            _ALL_ERRORS,
        ),
        System(
            "apiflask",
            "APIFlask abort",
            apiflask_app,
            _ALL_ERRORS,
            requires=("apiflask",),
        ),
        System(
            "apiflask + envelope",
            "APIFlask abort with StatusEnvelope(app)",
            partial(apiflask_app, envelope=True),
            ("200 JSON", *_ALL_ERRORS),
            requires=("apiflask",),
        ),
        System(
            "flask-smorest",
            "flask-smorest abort",
            smorest_app,
            _ALL_ERRORS,
            requires=("flask_smorest",),
        ),
        System(
            "flask-restx",
            "flask-restx abort",
            restx_app,
            _ALL_ERRORS,
            "429 raises werkzeug TooManyRequests (restx abort takes no headers)",
            requires=("flask_restx",),
        ),
        System(
            "flask-status-envelope",
            "flask-status-envelope (this extension)",
            envelope_app,
            ("200 JSON", *_ERRORS, "429 retry_after"),
        ),
        System(
            "- request ids",
            "flask-status-envelope with STATUS_ENVELOPE_REQUEST_ID_HEADER = None",
            partial(envelope_app, STATUS_ENVELOPE_REQUEST_ID_HEADER=None),
            ("200 JSON", *_ERRORS, "429 retry_after"),
        ),
        System(
            "- ids, - problem+json",
            "flask-status-envelope with request ids off and problem+json never: the"
            " core alone",
            partial(
                envelope_app,
                STATUS_ENVELOPE_REQUEST_ID_HEADER=None,
                STATUS_ENVELOPE_PROBLEM_DETAILS="never",
            ),
            ("200 JSON", *_ERRORS, "429 retry_after"),
        ),
        System(
            "+ deprecation",
            "flask-status-envelope with a deprecated endpoint in the app",
            partial(envelope_app, deprecation=True),
            ("200 JSON", "deprecated 410"),
        ),
        System(
            "+ metrics",
            "flask-status-envelope with STATUS_ENVELOPE_METRICS on",
            envelope_metrics_app,
            ("200 JSON", *_ERRORS, "429 retry_after"),
            requires=("prometheus_client",),
        ),
        System(
            "+ scope",
            "flask-status-envelope with STATUS_ENVELOPE_SCOPE of three prefixes,"
            " the API under /api",
            partial(envelope_app, scope=True),
            ("200 JSON", "abort 403", "unknown URL 404", "405"),
            prefix="/api",
        ),
    ]
