"""The envelope is never silently lost under APIFlask, flask-smorest, Flask-RESTful
and flask-restx (issue 12, part 1).

Every test builds a real app with a real framework, in each order of creation
(``StatusEnvelope(app)`` first or the framework first, plus the ways the existing
helpers and blueprints add), and checks what a client sees: the status, the headers
and the exact JSON body. Nothing but the app is faked; the "other extension" of the
takeover tests is a module of its own, so that its handler is not the app's code.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
import types
import typing as t
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import apiflask
import flask
import flask_restful  # type: ignore[import-untyped]
import flask_restful.reqparse  # type: ignore[import-untyped]
import flask_restx  # type: ignore[import-untyped]
import flask_smorest  # type: ignore[import-untyped]
import marshmallow as ma
import pytest
from flask import Blueprint, Flask
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import Conflict, Gone, HTTPException, Locked
from werkzeug.test import TestResponse

from flask_status_envelope import StatusEnvelope, abort_with, deprecated
from flask_status_envelope.openapi import init_apiflask, smorest_api_class
from flask_status_envelope.testing import assert_envelope

# -- What a client must see --------------------------------------------------------

TEXTS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    410: "Gone",
    422: "Unprocessable Entity",
    423: "Locked",
    429: "Too Many Requests",
    500: "Internal Server Error",
}
NOT_FOUND = "The data you requested does not exist or cannot be found."
NOT_ALLOWED = "The HTTP method used is not allowed for this endpoint."
UNAUTHORIZED = (
    "The credentials are not valid. You don't have authorization to access the"
    " resource."
)
SERVER_ERROR = (
    "There is an error on the server. Contact support if this keeps happening."
)
SECRET = "password=hunter2"
RETIRED_HEADERS = {
    "Deprecation": "@1577836800",
    "Sunset": "Fri, 01 Jan 2021 00:00:00 GMT",
    "Link": '</v2/pets>; rel="successor-version"',
}
CHALLENGE = 'Bearer realm="api"'
#: The configuration key that silences the takeover warning (proposed name).
SILENCE_KEY = "STATUS_ENVELOPE_WARN_ON_TAKEOVER"


def envelope(
    code: int, message: str, errors: list[dict[str, str]] | None = None
) -> dict[str, t.Any]:
    """The exact body the contract promises; ``errors`` for validation errors."""
    status: dict[str, t.Any] = {"code": code, "text": TEXTS[code], "message": message}
    if errors is not None:
        status["errors"] = errors
    return {"status": status}


def field_error(name: str, message: str) -> dict[str, str]:
    return {"field": name, "message": message}


#: A header value to expect: exactly this string, one of these strings, or
#: ``None`` for "not sent".
Expected = str | frozenset[str] | None


@dataclass(frozen=True)
class Case:
    """One request and the envelope it must get."""

    id: str
    method: str
    path: str
    code: int
    message: str
    headers: Mapping[str, Expected] = field(default_factory=dict)
    json: object = None
    errors: list[dict[str, str]] | None = None
    #: How many times the same request is sent first (to breach a rate limit).
    warmup: int = 0


def send(client: t.Any, case: Case) -> TestResponse:
    kwargs: dict[str, t.Any] = {} if case.json is None else {"json": case.json}
    for _ in range(case.warmup):
        assert client.open(case.path, method=case.method, **kwargs).status_code < 400
    response: TestResponse = client.open(case.path, method=case.method, **kwargs)
    return response


def header(response: TestResponse, name: str) -> str | None:
    value = response.headers.get(name)
    if name == "Allow" and value is not None:
        # Werkzeug lists the methods in the order of a set.
        return ", ".join(sorted(value.split(", ")))
    return value


#: The headers every envelope is checked for; a case's own expectations win.
BASE_HEADERS: dict[str, Expected] = {
    "Content-Type": "application/json",
    "Allow": None,
    "Retry-After": None,
    "WWW-Authenticate": None,
    "Deprecation": None,
}


def check_headers(response: TestResponse, expected: Mapping[str, Expected]) -> None:
    for name, want in {**BASE_HEADERS, **expected}.items():
        got = header(response, name)
        accepted = want if isinstance(want, frozenset) else {want}
        assert got in accepted, f"{name}: {got!r}, expected {want!r}"


COMMON_CASES = [
    Case("framework-abort", "GET", "/pets/own-abort", 404, "No such pet."),
    Case(
        "abort-with",
        "GET",
        "/pets/abort-with",
        409,
        "Name taken.",
        headers={"X-Pet": "7"},
    ),
    Case("flask-abort", "GET", "/pets/flask-abort", 403, "Not your pet."),
    Case("class-description", "GET", "/pets/locked", 423, "The pet is locked."),
    Case("unknown-url", "GET", "/nowhere", 404, NOT_FOUND),
    Case(
        "method-not-allowed",
        "POST",
        "/pets/only-get",
        405,
        NOT_ALLOWED,
        headers={"Allow": "GET, HEAD, OPTIONS"},
    ),
    Case("unhandled", "GET", "/pets/crash", 500, SERVER_ERROR),
    Case(
        "rate-limit",
        "GET",
        "/pets/limited",
        429,
        "Slow down.",
        headers={"Retry-After": frozenset({"59", "60"})},
        warmup=1,
    ),
    Case(
        "deprecated",
        "GET",
        "/pets/retired",
        410,
        "Use /v2/pets instead.",
        headers=RETIRED_HEADERS,
    ),
    Case(
        "auth",
        "GET",
        "/pets/private",
        401,
        "Invalid token.",
        headers={"WWW-Authenticate": CHALLENGE},
    ),
]


def validation_cases(code: int, missing: str, not_int: str) -> list[Case]:
    """The two validation cases, with the framework's own texts."""
    name = field_error("json.name", missing)
    age = field_error("json.age", not_int)
    return [
        Case(
            "validation",
            "POST",
            "/pets",
            code,
            f"json.name: {missing}",
            json={},
            errors=[name],
        ),
        Case(
            "validation-two-fields",
            "POST",
            "/pets",
            code,
            f"json.age: {not_int}; json.name: {missing}",
            json={"age": "old"},
            errors=[age, name],
        ),
    ]


def cases_with(validation: list[Case], **changed: Mapping[str, t.Any]) -> list[Case]:
    cases = [replace(case, **changed.get(case.id, {})) for case in COMMON_CASES]
    return cases + validation


MARSHMALLOW_CASES = validation_cases(
    422, "Missing data for required field.", "Not a valid integer."
)
CASES = {
    # APIFlask's own authentication: Flask-HTTPAuth's challenge, the default
    # message (APIFlask gives none).
    "apiflask": cases_with(MARSHMALLOW_CASES, auth={"message": UNAUTHORIZED}),
    "smorest": cases_with(MARSHMALLOW_CASES),
    "restful": cases_with(
        validation_cases(
            400,
            "Missing required parameter in the JSON body",
            "invalid literal for int() with base 10: 'old'",
        )
    ),
    "restx": cases_with(
        validation_cases(
            400,
            "'name' is a required property",
            "'old' is not of type 'integer'",
        )
    ),
}

# -- The apps -----------------------------------------------------------------------


class PetLocked(Locked):
    """A domain error: a Werkzeug subclass with a class-level description."""

    description = "The pet is locked."


class PetError(Exception):
    """A domain error that the user answers with a handler of their own."""


class PetIn(apiflask.Schema):
    name = ma.fields.String(required=True)
    age = ma.fields.Integer()


@dataclass
class Built:
    app: Flask
    #: The framework's ``Api`` object (the APIFlask app itself for APIFlask).
    api: t.Any


#: What a test may do to the app before anything else is created on it.
Setup = Callable[[Flask], None]
View = Callable[..., ResponseReturnValue]
T = t.TypeVar("T")


def plain_views(limiter: Limiter) -> dict[str, tuple[View, list[str]]]:
    """The views every framework serves alike, by path, made anew per app.

    The view of ``/pets/retired`` is not marked yet: a route marks its function, a
    resource its class (see :func:`retire`).
    """

    def ok() -> ResponseReturnValue:
        return {"ok": True}

    def abort_with_view() -> t.NoReturn:
        abort_with(409, "Name taken.", headers={"X-Pet": "7"})

    def flask_abort() -> t.NoReturn:
        flask.abort(403, "Not your pet.")

    def locked() -> t.NoReturn:
        raise PetLocked()

    def only_get() -> ResponseReturnValue:
        return {"ok": True}

    def crash() -> t.NoReturn:
        raise RuntimeError(SECRET)

    def pet_error() -> t.NoReturn:
        raise PetError("pet trouble")

    def limited() -> ResponseReturnValue:
        return {"ok": True}

    def retired() -> ResponseReturnValue:
        return {"ok": True}

    def private() -> t.NoReturn:
        abort_with(401, "Invalid token.", headers={"WWW-Authenticate": CHALLENGE})

    def login() -> t.NoReturn:
        flask.abort(401)

    slow = limiter.limit("1 per minute", error_message="Slow down.")
    return {
        "/pets/ok": (ok, ["GET"]),
        "/pets/abort-with": (abort_with_view, ["GET"]),
        "/pets/flask-abort": (flask_abort, ["GET"]),
        "/pets/locked": (locked, ["GET"]),
        "/pets/only-get": (only_get, ["GET"]),
        "/pets/crash": (crash, ["GET"]),
        "/pets/pet-error": (pet_error, ["GET"]),
        "/pets/limited": (slow(limited), ["GET"]),
        "/pets/retired": (retired, ["GET"]),
        "/pets/private": (private, ["GET"]),
        "/pets/login": (login, ["GET"]),
    }


def retire(path: str, target: T) -> T:
    """Mark the view or resource class of ``/pets/retired`` deprecated."""
    if path != "/pets/retired":
        return target
    return deprecated(
        since="2020-01-01",
        sunset="2021-01-01",
        successor="/v2/pets",
        message="Use /v2/pets instead.",
    )(target)


def production(app: Flask) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False


def limiter_for(app: Flask) -> Limiter:
    return Limiter(get_remote_address, app=app, storage_uri="memory://")


def build_apiflask(order: str, setup: Setup | None = None) -> Built:
    app = apiflask.APIFlask(__name__)
    production(app)
    if setup is not None:
        setup(app)
    if order in ("extension-first", "init_apiflask"):
        StatusEnvelope(app)
    if order == "init_apiflask":
        init_apiflask(app)
    auth = apiflask.HTTPTokenAuth(scheme="Bearer", realm="api")

    def verify_token(token: str) -> None:
        return None

    auth.verify_token(verify_token)

    @app.get("/pets/own-abort")
    def own_abort() -> t.NoReturn:
        apiflask.abort(404, "No such pet.")

    @app.post("/pets")
    @app.input(PetIn)
    def create(json_data: dict[str, t.Any]) -> ResponseReturnValue:
        return json_data, 201

    views = plain_views(limiter_for(app))
    private = views.pop("/pets/private")[0]
    app.get("/pets/private")(app.auth_required(auth)(private))
    for path, (view, methods) in views.items():
        app.add_url_rule(path, view_func=retire(path, view), methods=methods)
    if order == "framework-first":
        StatusEnvelope(app)
    return Built(app, app)


def build_smorest(
    order: str, setup: Setup | None = None, api_class: type[t.Any] | None = None
) -> Built:
    app = Flask(__name__)
    production(app)
    app.config.update(API_TITLE="Pets", API_VERSION="1", OPENAPI_VERSION="3.1.0")
    if setup is not None:
        setup(app)
    cls = api_class or flask_smorest.Api
    if order == "framework-first":
        api = cls(app)
    else:
        StatusEnvelope(app)
        api = (smorest_api_class(cls) if order == "smorest_api_class" else cls)(app)
    blp = flask_smorest.Blueprint("pets", __name__)

    def own_abort() -> ResponseReturnValue:
        flask_smorest.abort(404, message="No such pet.")
        raise AssertionError("abort() returned")

    def create(data: dict[str, t.Any]) -> ResponseReturnValue:
        return data, 201

    blp.route("/pets/own-abort")(own_abort)
    blp.route("/pets", methods=["POST"])(blp.arguments(PetIn)(create))
    for path, (view, methods) in plain_views(limiter_for(app)).items():
        blp.add_url_rule(path, view_func=retire(path, view), methods=methods)
    api.register_blueprint(blp)
    if order == "framework-first":
        StatusEnvelope(app)
    return Built(app, api)


def resource(base: t.Any, name: str, **methods: Callable[..., t.Any]) -> t.Any:
    """A resource class of the framework, from functions of ``self``."""
    return type(name, (base,), dict(methods))


def resource_views(base: t.Any, limiter: Limiter) -> list[tuple[t.Any, str]]:
    """The plain views as resources of the framework whose base class is ``base``."""
    resources = []
    for path, (view, _) in plain_views(limiter).items():
        name = path.rpartition("/")[2].replace("-", "_").title().replace("_", "")

        def get(self: object, view: View = view) -> ResponseReturnValue:
            return view()

        resources.append((retire(path, resource(base, name, get=get)), path))
    return resources


def init_extension(app: Flask) -> None:
    StatusEnvelope(app)


def add_api(
    order: str, app: Flask, make_api: Callable[[Flask | Blueprint], t.Any]
) -> tuple[t.Any, Callable[[], None]]:
    """Create the framework's ``Api`` and StatusEnvelope in ``order``.

    Returns the api and what to call once the resources are added.
    """
    if order == "framework-first":
        return make_api(app), lambda: init_extension(app)
    StatusEnvelope(app)
    if order == "blueprint":
        # The Api is set up on the app only when its blueprint is registered.
        bp = Blueprint("v1", __name__)
        return make_api(bp), lambda: app.register_blueprint(bp)
    return make_api(app), lambda: None


def build_restful(
    order: str, setup: Setup | None = None, **api_options: t.Any
) -> Built:
    app = Flask(__name__)
    production(app)
    if setup is not None:
        setup(app)
    api, finish = add_api(order, app, lambda on: flask_restful.Api(on, **api_options))

    def own_abort(self: object) -> ResponseReturnValue:
        flask_restful.abort(404, message="No such pet.")
        raise AssertionError("abort() returned")

    def create(self: object) -> ResponseReturnValue:
        parser = flask_restful.reqparse.RequestParser(bundle_errors=True)
        parser.add_argument("name", required=True, location="json")
        parser.add_argument("age", type=int, location="json")
        return parser.parse_args(), 201

    api.add_resource(
        resource(flask_restful.Resource, "Own", get=own_abort), "/pets/own-abort"
    )
    api.add_resource(resource(flask_restful.Resource, "Pets", post=create), "/pets")
    limiter = limiter_for(app)
    for cls, path in resource_views(flask_restful.Resource, limiter):
        api.add_resource(cls, path)
    finish()
    return Built(app, api)


def build_restx(order: str, setup: Setup | None = None, **api_options: t.Any) -> Built:
    app = Flask(__name__)
    production(app)
    if setup is not None:
        setup(app)
    api, finish = add_api(order, app, lambda on: flask_restx.Api(on, **api_options))
    pet = api.model(
        "Pet",
        {
            "name": flask_restx.fields.String(required=True),
            "age": flask_restx.fields.Integer(),
        },
    )

    def own_abort(self: object) -> ResponseReturnValue:
        flask_restx.abort(404, "No such pet.")
        raise AssertionError("abort() returned")

    def create(self: object) -> ResponseReturnValue:
        return flask_restx.marshal(api.payload, pet), 201

    def masked(self: object) -> ResponseReturnValue:
        return {"name": "Rex", "age": 3}

    post = api.expect(pet, validate=True)(create)
    get_masked = api.marshal_with(pet)(masked)
    api.add_resource(
        resource(flask_restx.Resource, "Masked", get=get_masked), "/pets/masked"
    )
    api.add_resource(
        resource(flask_restx.Resource, "Own", get=own_abort), "/pets/own-abort"
    )
    api.add_resource(resource(flask_restx.Resource, "Pets", post=post), "/pets")
    limiter = limiter_for(app)
    for cls, path in resource_views(flask_restx.Resource, limiter):
        api.add_resource(cls, path)
    finish()
    return Built(app, api)


BUILDERS: dict[str, Callable[..., Built]] = {
    "apiflask": build_apiflask,
    "smorest": build_smorest,
    "restful": build_restful,
    "restx": build_restx,
}
#: Every order of creation per framework: the extension first, the framework
#: first, and the variants each framework adds (the existing helpers, an Api on a
#: blueprint registered after the extension).
ORDERS = {
    "apiflask": ["extension-first", "framework-first", "init_apiflask"],
    "smorest": ["extension-first", "framework-first", "smorest_api_class"],
    "restful": ["extension-first", "framework-first", "blueprint"],
    "restx": ["extension-first", "framework-first", "blueprint"],
}
FRAMEWORK_ORDERS = [
    pytest.param(name, order, id=f"{name}-{order}")
    for name, orders in ORDERS.items()
    for order in orders
]


def client_of(built: Built) -> t.Any:
    return built.app.test_client()


# -- Every error answers the envelope ----------------------------------------------


@pytest.mark.parametrize(
    ("framework", "order", "case"),
    [
        pytest.param(name, order, case, id=f"{name}-{order}-{case.id}")
        for name, orders in ORDERS.items()
        for order in orders
        for case in CASES[name]
    ],
)
def test_every_error_answers_the_envelope(
    framework: str, order: str, case: Case
) -> None:
    built = BUILDERS[framework](order)
    response = send(client_of(built), case)
    assert_envelope(response, case.code, case.message)
    assert response.get_json() == envelope(case.code, case.message, case.errors)
    check_headers(response, case.headers)


@pytest.mark.parametrize(("framework", "order"), FRAMEWORK_ORDERS)
def test_nothing_of_an_unhandled_exception_is_sent(framework: str, order: str) -> None:
    response = client_of(BUILDERS[framework](order)).get("/pets/crash")
    assert (response.status_code, response.get_json()) == (
        500,
        envelope(500, SERVER_ERROR),
    )
    assert SECRET not in response.get_data(as_text=True)


@pytest.mark.parametrize("framework", ["restful", "restx"])
def test_catch_all_404s_answer_the_envelope(framework: str) -> None:
    # With catch_all_404s the framework answers unknown URLs itself; restx would
    # add "You have requested this URI [...] but did you mean ...".
    built = BUILDERS[framework]("extension-first", catch_all_404s=True)
    response = client_of(built).get("/pets/own-abor")
    assert_envelope(response, 404, NOT_FOUND)
    assert response.get_json() == envelope(404, NOT_FOUND)


# -- What the user registered still wins -------------------------------------------


def mine_409(error: HTTPException) -> ResponseReturnValue:
    return {"mine": 409}, 409


def mine_pet_error(error: PetError) -> ResponseReturnValue:
    return {"mine": "pet"}, 418


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize(
    ("path", "handled", "handler", "code", "body"),
    [
        pytest.param("/pets/abort-with", 409, mine_409, 409, {"mine": 409}, id="code"),
        pytest.param(
            "/pets/pet-error",
            PetError,
            mine_pet_error,
            418,
            {"mine": "pet"},
            id="exception-class",
        ),
    ],
)
@pytest.mark.parametrize(("framework", "order"), FRAMEWORK_ORDERS)
def test_the_users_app_errorhandler_wins(
    framework: str,
    order: str,
    path: str,
    handled: int | type[Exception],
    handler: Callable[[t.Any], ResponseReturnValue],
    code: int,
    body: dict[str, t.Any],
    when: str,
) -> None:
    def register(app: Flask) -> None:
        app.register_error_handler(handled, handler)

    built = BUILDERS[framework](order, register if when == "before" else None)
    if when == "after":
        register(built.app)
    response = client_of(built).get(path)
    assert (response.status_code, response.get_json()) == (code, body)


def on_api(api: t.Any, handled: type[Exception] | None) -> t.Any:
    return api.errorhandler(handled)


def on_namespace(api: t.Any, handled: type[Exception] | None) -> t.Any:
    return api.default_namespace.errorhandler(handled)


def as_default(api: t.Any, handled: type[Exception] | None) -> t.Any:
    # The bare @api.errorhandler: every exception that is no HTTPException.
    return api.errorhandler


# restx adds "message" (str() of the error) to what a handler of the Api returns,
# unless ERROR_INCLUDE_MESSAGE is off: that is restx's way with the user's handler.
@pytest.mark.parametrize(
    ("register", "handled", "path", "code", "body"),
    [
        pytest.param(
            on_api,
            PetError,
            "/pets/pet-error",
            418,
            {"mine": "pet", "message": "pet trouble"},
            id="api-class",
        ),
        pytest.param(
            on_api,
            Conflict,
            "/pets/abort-with",
            409,
            {"mine": 409, "message": "409 Conflict: Name taken."},
            id="api-http-exception",
        ),
        pytest.param(
            on_namespace,
            PetError,
            "/pets/pet-error",
            418,
            {"mine": "pet", "message": "pet trouble"},
            id="namespace-class",
        ),
        pytest.param(
            as_default,
            None,
            "/pets/pet-error",
            418,
            {"mine": "pet", "message": "pet trouble"},
            id="default-handler",
        ),
    ],
)
@pytest.mark.parametrize("order", ORDERS["restx"])
def test_restx_errorhandler_wins(
    order: str,
    register: Callable[[t.Any, type[Exception] | None], t.Any],
    handled: type[Exception] | None,
    path: str,
    code: int,
    body: dict[str, t.Any],
) -> None:
    built = build_restx(order)
    mine_body = {"mine": body["mine"]}

    def mine(error: Exception) -> ResponseReturnValue:
        return dict(mine_body), code

    register(built.api, handled)(mine)
    response = client_of(built).get(path)
    assert (response.status_code, response.get_json()) == (code, body)


@pytest.mark.parametrize("order", ORDERS["restx"])
def test_restx_mask_errors_answer_the_envelope(order: str) -> None:
    # restx's own handler for a bad X-Fields header answers {"message": ...}, 400.
    built = build_restx(order)
    response = client_of(built).get("/pets/masked", headers={"X-Fields": "{name"})
    message = "Mask parse error: Missing closing bracket"
    assert_envelope(response, 400, message)
    assert response.get_json() == envelope(400, message)


@pytest.mark.parametrize(
    ("framework", "realm"), [("restful", "flask-restful"), ("restx", "flask-restx")]
)
def test_serve_challenge_on_401_adds_its_challenge_to_the_envelope(
    framework: str, realm: str
) -> None:
    built = BUILDERS[framework]("extension-first", serve_challenge_on_401=True)
    response = client_of(built).get("/pets/login")
    assert_envelope(response, 401, UNAUTHORIZED)
    assert response.get_json() == envelope(401, UNAUTHORIZED)
    check_headers(response, {"WWW-Authenticate": f'Basic realm="{realm}"'})


@pytest.mark.parametrize("order", ORDERS["restful"])
def test_restful_errors_mapping_wins(order: str) -> None:
    errors = {"PetError": {"message": "A pet error.", "status": 418}}
    built = build_restful(order, errors=errors)
    response = client_of(built).get("/pets/pet-error")
    assert (response.status_code, response.get_json()) == (
        418,
        {"message": "A pet error.", "status": 418},
    )


def mine_processor(error: apiflask.HTTPError) -> t.Any:
    return (
        {"mine": error.status_code, "message": error.message},
        error.status_code,
        error.headers,
    )


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize(
    ("path", "code", "body"),
    [
        ("/pets/own-abort", 404, {"mine": 404, "message": "No such pet."}),
        # APIFlask hands Werkzeug errors to the processor with their name as
        # message: that is APIFlask's way, and the user chose it.
        ("/pets/flask-abort", 403, {"mine": 403, "message": "Forbidden"}),
        ("/nowhere", 404, {"mine": 404, "message": "Not Found"}),
    ],
)
@pytest.mark.parametrize("order", ORDERS["apiflask"])
def test_apiflask_error_processor_of_the_user_wins(
    order: str, when: str, path: str, code: int, body: object
) -> None:
    def register(app: Flask) -> None:
        t.cast(apiflask.APIFlask, app).error_processor(mine_processor)

    built = build_apiflask(order, register if when == "before" else None)
    if when == "after":
        register(built.app)
    response = client_of(built).get(path)
    assert (response.status_code, response.get_json()) == (code, body)


async def mine_async_processor(error: apiflask.HTTPError) -> t.Any:
    return {"mine": error.status_code}, error.status_code


def test_an_async_error_processor_of_the_user_wins_without_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # APIFlask keeps it wrapped by Flask's ensure_sync: still the user's own.
    built = build_apiflask("extension-first")
    # (APIFlask's types say a processor is sync; its docs and code take async.)
    register = t.cast(apiflask.APIFlask, built.app).error_processor
    t.cast(Callable[[t.Any], t.Any], register)(mine_async_processor)
    with caplog.at_level(logging.WARNING):
        response = client_of(built).get("/nowhere")
    assert (response.status_code, response.get_json()) == (404, {"mine": 404})
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


class MyApi(flask_smorest.Api):  # type: ignore[misc]
    """The user's own flask-smorest Api, with its own error body."""

    def handle_http_exception(self, error: HTTPException) -> ResponseReturnValue:
        return {"mine": error.code}, t.cast(int, error.code)


@pytest.mark.parametrize("order", ["extension-first", "framework-first"])
def test_smorest_api_subclass_of_the_user_wins(order: str) -> None:
    built = build_smorest(order, api_class=MyApi)
    response = client_of(built).get("/pets/flask-abort")
    assert (response.status_code, response.get_json()) == (403, {"mine": 403})


# -- Another extension taking over: one warning, never a silent loss ---------------

ACME_SOURCE = '''
"""A third-party extension that answers HTTP errors its own way."""

from werkzeug.exceptions import HTTPException


def handle_http(error):
    return {"acme": error.code}, error.code


def process(error):
    return {"acme": error.status_code}, error.status_code


class AcmeErrors:
    def __init__(self, app):
        app.register_error_handler(HTTPException, handle_http)
'''


@pytest.fixture
def acme(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The other extension, as an installed module outside the app's package."""
    module = types.ModuleType("acme_errors")
    module.__file__ = "/site-packages/acme_errors.py"
    exec(compile(ACME_SOURCE, module.__file__, "exec"), module.__dict__)
    monkeypatch.setitem(sys.modules, "acme_errors", module)
    return module


def errors_twice(built: Built) -> list[tuple[int, object]]:
    client = client_of(built)
    answers = []
    for path in ("/pets/ok", "/nowhere", "/nowhere"):
        response = client.get(path)
        answers.append((response.status_code, response.get_json()))
    return answers


ACME_ANSWERS = [(200, {"ok": True}), (404, {"acme": 404}), (404, {"acme": 404})]


@pytest.mark.parametrize(("framework", "order"), FRAMEWORK_ORDERS)
def test_a_handler_taking_over_logs_one_warning(
    framework: str,
    order: str,
    acme: types.ModuleType,
    caplog: pytest.LogCaptureFixture,
) -> None:
    built = BUILDERS[framework](order)
    acme.AcmeErrors(built.app)
    with caplog.at_level(logging.WARNING):
        client = client_of(built)
        assert client.get("/pets/ok").status_code == 200
        # Not before it matters: no error was answered yet.
        assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
        assert errors_twice(built) == ACME_ANSWERS
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    message = warnings[0].getMessage()
    assert "acme_errors.handle_http" in message
    assert SILENCE_KEY in message


@pytest.mark.parametrize("order", ORDERS["apiflask"])
def test_an_apiflask_error_processor_taking_over_logs_one_warning(
    order: str, acme: types.ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    built = build_apiflask(order)
    t.cast(apiflask.APIFlask, built.app).error_processor(acme.process)
    with caplog.at_level(logging.WARNING):
        assert errors_twice(built) == ACME_ANSWERS
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "acme_errors.process" in warnings[0].getMessage()


@pytest.mark.parametrize(("framework", "order"), FRAMEWORK_ORDERS)
def test_the_takeover_warning_can_be_silenced(
    framework: str,
    order: str,
    acme: types.ModuleType,
    caplog: pytest.LogCaptureFixture,
) -> None:
    built = BUILDERS[framework](order)
    built.app.config[SILENCE_KEY] = False
    acme.AcmeErrors(built.app)
    with caplog.at_level(logging.WARNING):
        assert errors_twice(built) == ACME_ANSWERS
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def own_http_handler(error: HTTPException) -> ResponseReturnValue:
    return {"own": error.code}, t.cast(int, error.code)


@pytest.mark.parametrize(("framework", "order"), FRAMEWORK_ORDERS)
def test_a_handler_of_the_apps_own_code_wins_without_a_warning(
    framework: str, order: str, caplog: pytest.LogCaptureFixture
) -> None:
    # This module is the app's import_name: its handler is the user's.
    built = BUILDERS[framework](order)
    built.app.register_error_handler(HTTPException, own_http_handler)
    with caplog.at_level(logging.WARNING):
        assert errors_twice(built) == [
            (200, {"ok": True}),
            (404, {"own": 404}),
            (404, {"own": 404}),
        ]
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_a_handler_registered_before_the_extension_gives_way(
    acme: types.ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    # The extension created last answers, as it would be for any two extensions.
    app = Flask(__name__)
    acme.AcmeErrors(app)
    StatusEnvelope(app)
    with caplog.at_level(logging.WARNING):
        response = app.test_client().get("/nowhere")
    assert response.get_json() == envelope(404, NOT_FOUND)
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_the_takeover_setting_must_be_a_bool() -> None:
    app = Flask(__name__)
    app.config[SILENCE_KEY] = "no"
    with pytest.raises(TypeError, match=f"{SILENCE_KEY} must be True or False"):
        StatusEnvelope(app)


# -- Details of the resource frameworks ---------------------------------------------

RESOURCE_FRAMEWORKS = [
    pytest.param(flask_restful.Api, flask_restful.Resource, id="restful"),
    pytest.param(flask_restx.Api, flask_restx.Resource, id="restx"),
]


@pytest.mark.parametrize(("api_class", "base"), RESOURCE_FRAMEWORKS)
def test_one_api_serves_each_app_its_own_envelope(
    api_class: Callable[[], t.Any], base: t.Any
) -> None:
    # One Api for several apps, as in an app factory: api.init_app(app).
    api = api_class()

    def gone(self: object) -> t.NoReturn:
        flask.abort(410)

    api.add_resource(resource(base, "Gone", get=gone), "/gone")
    answers = []
    for order in ("extension-first", "framework-first", "without-extension"):
        app = Flask(__name__)
        app.config["STATUS_ENVELOPE_MESSAGES"] = {410: f"Gone ({order})."}
        if order == "extension-first":
            StatusEnvelope(app)
        api.init_app(app)
        if order == "framework-first":
            StatusEnvelope(app)
        answers.append(app.test_client().get("/gone").get_json())
    assert answers == [
        envelope(410, "Gone (extension-first)."),
        envelope(410, "Gone (framework-first)."),
        # The app without the extension keeps the framework's own body.
        {"message": Gone.description},
    ]


def restful_app() -> tuple[Flask, t.Any]:
    app = Flask(__name__)
    StatusEnvelope(app)
    api = flask_restful.Api(app)

    def page(self: object) -> ResponseReturnValue:
        parser = flask_restful.reqparse.RequestParser()
        parser.add_argument("page", type=int, location="args")
        return dict(parser.parse_args())

    def own(self: object) -> t.NoReturn:
        flask_restful.abort(400, message={"name": "Taken."})
        raise AssertionError("abort() returned")

    api.add_resource(resource(flask_restful.Resource, "Page", get=page), "/page")
    api.add_resource(resource(flask_restful.Resource, "Own", get=own), "/own")
    return app, api


def restx_app() -> tuple[Flask, t.Any]:
    app = Flask(__name__)
    StatusEnvelope(app)
    api = flask_restx.Api(app)
    fields = flask_restx.fields
    address = api.model("Address", {"city": fields.String(required=True)})
    pet = api.model(
        "Pet",
        {"address": fields.Nested(address), "tags": fields.List(fields.Integer)},
    )

    def create(self: object) -> ResponseReturnValue:
        return {}, 201

    def page(self: object) -> ResponseReturnValue:
        parser = flask_restx.reqparse.RequestParser()
        parser.add_argument("page", type=int, location="args", required=True)
        return dict(parser.parse_args())

    def own(self: object) -> t.NoReturn:
        flask_restx.abort(400, "Bad pet.", errors={"name": "Taken."})
        raise AssertionError("abort() returned")

    post = api.expect(pet, validate=True)(create)
    api.add_resource(resource(flask_restx.Resource, "Pets", post=post), "/pets")
    api.add_resource(resource(flask_restx.Resource, "Page", get=page), "/page")
    api.add_resource(resource(flask_restx.Resource, "Own", get=own), "/own")
    return app, api


NOT_INT_X = "invalid literal for int() with base 10: 'x'"


@pytest.mark.parametrize(
    ("make_app", "method", "path", "json", "message", "errors"),
    [
        pytest.param(
            restful_app,
            "GET",
            "/page?page=x",
            None,
            f"query.page: {NOT_INT_X}",
            [field_error("query.page", NOT_INT_X)],
            id="restful-reqparse-query",
        ),
        pytest.param(
            restful_app,
            "GET",
            "/own",
            None,
            "name: Taken.",
            [field_error("name", "Taken.")],
            id="restful-own-abort",
        ),
        pytest.param(
            restx_app,
            "POST",
            "/pets",
            {"address": {}, "tags": [1, "a"]},
            "json.address.city: 'city' is a required property;"
            " json.tags.1: 'a' is not of type 'integer'",
            [
                field_error("json.address.city", "'city' is a required property"),
                field_error("json.tags.1", "'a' is not of type 'integer'"),
            ],
            id="restx-nested",
        ),
        pytest.param(
            restx_app,
            "POST",
            "/pets",
            [1],
            "json._schema: [1] is not of type 'object'",
            [field_error("json._schema", "[1] is not of type 'object'")],
            id="restx-whole-payload",
        ),
        pytest.param(
            restx_app,
            "GET",
            "/page",
            None,
            "query.page: Missing required parameter in the query string",
            [
                field_error(
                    "query.page", "Missing required parameter in the query string"
                )
            ],
            id="restx-reqparse-query",
        ),
        pytest.param(
            restx_app,
            "GET",
            "/own",
            None,
            "Bad pet.",
            [field_error("name", "Taken.")],
            id="restx-own-abort",
        ),
    ],
)
def test_validation_errors_of_resources_name_their_fields(
    make_app: Callable[[], tuple[Flask, t.Any]],
    method: str,
    path: str,
    json: object,
    message: str,
    errors: list[dict[str, str]],
) -> None:
    app, _ = make_app()
    response = app.test_client().open(path, method=method, json=json)
    assert_envelope(response, 400, message)
    assert response.get_json() == envelope(400, message, errors)


def mine_400(error: HTTPException) -> ResponseReturnValue:
    return {"mine": getattr(error, "data", None)}, 400


@pytest.mark.parametrize(
    ("make_app", "body"),
    [
        pytest.param(
            restful_app,
            {"mine": {"message": {"page": NOT_INT_X}}},
            id="restful",
        ),
        pytest.param(
            restx_app,
            {
                "mine": {
                    "message": "Input payload validation failed",
                    "errors": {"page": NOT_INT_X},
                }
            },
            id="restx",
        ),
    ],
)
def test_the_users_400_handler_gets_the_frameworks_validation_error(
    make_app: Callable[[], tuple[Flask, t.Any]], body: object
) -> None:
    app, _ = make_app()
    app.register_error_handler(400, mine_400)
    response = app.test_client().get("/page?page=x")
    assert (response.status_code, response.get_json()) == (400, body)


# -- The guide's examples -----------------------------------------------------------

DOCS = Path(__file__).resolve().parent.parent.parent / "docs"
FRAMEWORKS_GUIDE = (DOCS / "frameworks.rst").read_text("utf-8")


def load_example(name: str) -> types.ModuleType:
    """Import ``docs/examples/<name>.py``, a sample the guide includes."""
    spec = importlib.util.spec_from_file_location(
        f"docs_{name}", DOCS / "examples" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as an import would; Flask looks it up there
    spec.loader.exec_module(module)
    return module


AUTHORIZED = {"Authorization": "Bearer secret"}


@pytest.mark.parametrize(
    ("example", "method", "path", "request_headers", "code", "headers"),
    [
        ("frameworks_apiflask", "GET", "/pets/7", AUTHORIZED, 404, {}),
        (
            "frameworks_apiflask",
            "GET",
            "/pets/7",
            {},
            401,
            {"WWW-Authenticate": 'Bearer realm="Authentication Required"'},
        ),
        ("frameworks_apiflask", "POST", "/pets", {}, 422, {}),
        ("frameworks_smorest", "GET", "/pets/7", {}, 404, {}),
        ("frameworks_restful", "GET", "/pets/7", {}, 404, {}),
        ("frameworks_restful", "POST", "/pets", {}, 400, {}),
        ("frameworks_restx", "GET", "/pets/7", {}, 404, {}),
        ("frameworks_restx", "POST", "/pets", {}, 400, {}),
    ],
)
def test_the_guides_examples_answer_what_it_shows(
    example: str,
    method: str,
    path: str,
    request_headers: dict[str, str],
    code: int,
    headers: dict[str, Expected],
) -> None:
    client = load_example(example).app.test_client()
    response = client.open(
        path, method=method, headers=request_headers, json={"age": "old"}
    )
    assert_envelope(response, code)
    check_headers(response, headers)
    # The guide shows this very body.
    assert f"\n    {response.get_data(as_text=True).strip()}\n" in FRAMEWORKS_GUIDE
