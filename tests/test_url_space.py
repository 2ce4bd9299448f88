"""The URL space of an app's blueprints: every registration recorded as Flask made
it, and which registrations a URL belongs to, on the right subdomain or host."""

from __future__ import annotations

import typing as t
from collections.abc import Callable

import pytest
from flask import Blueprint, Flask, request, url_for

from flask_status_envelope.url_space import (
    claim_blueprint,
    track_registrations,
    url_space,
)


def tracked_app(**options: t.Any) -> Flask:
    app = Flask(__name__, **options)
    track_registrations(app)
    return app


def view(name: str) -> Callable[..., str]:
    def answer(**values: t.Any) -> str:
        return name

    answer.__name__ = name
    return answer


def registrations(app: Flask) -> dict[str, tuple[str | None, str | None]]:
    return {
        name: (found.url_prefix, found.subdomain)
        for name, found in url_space(app).registrations.items()
    }


def found_for(app: Flask, url: str, method: str = "GET") -> list[str]:
    """The names of the registrations whose URL space holds ``url``."""
    with app.test_request_context(url, method=method):
        req = request._get_current_object()  # type: ignore[attr-defined]
        return [found.name for found in url_space(app).find(req)]


# -- Every source of a prefix -------------------------------------------------------


def prefix_on_blueprint(app: Flask) -> None:
    api = Blueprint("api", __name__, url_prefix="/api")
    api.get("/items")(view("items"))
    app.register_blueprint(api)


def prefix_at_registration(app: Flask) -> None:
    api = Blueprint("api", __name__)
    api.get("/items")(view("items"))
    app.register_blueprint(api, url_prefix="/api")


def registration_overrides_blueprint(app: Flask) -> None:
    api = Blueprint("api", __name__, url_prefix="/old")
    api.get("/items")(view("items"))
    app.register_blueprint(api, url_prefix="/api")


def nested_prefix_on_child(app: Flask) -> None:
    api = Blueprint("api", __name__, url_prefix="/api")
    v1 = Blueprint("v1", __name__, url_prefix="/v1")
    v1.get("/items")(view("items"))
    api.register_blueprint(v1)
    app.register_blueprint(api)


def nested_prefix_at_registrations(app: Flask) -> None:
    api = Blueprint("api", __name__)
    v1 = Blueprint("v1", __name__)
    v1.get("/items")(view("items"))
    api.register_blueprint(v1, url_prefix="/v1")
    app.register_blueprint(api, url_prefix="/api")


def nested_without_own_prefix(app: Flask) -> None:
    api = Blueprint("api", __name__)
    v1 = Blueprint("v1", __name__)
    v1.get("/items")(view("items"))
    api.register_blueprint(v1)
    app.register_blueprint(api, url_prefix="/api")


def registered_twice_by_name(app: Flask) -> None:
    api = Blueprint("api", __name__)
    api.get("/items")(view("items"))
    app.register_blueprint(api, url_prefix="/api")
    app.register_blueprint(api, url_prefix="/api2", name="api2")


def nested_subdomains(app: Flask) -> None:
    api = Blueprint("api", __name__, subdomain="api")
    v1 = Blueprint("v1", __name__, subdomain="v1")
    v1.get("/items")(view("items"))
    api.register_blueprint(v1, url_prefix="/v1")
    app.register_blueprint(api)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (prefix_on_blueprint, {"api": ("/api", None)}),
        (prefix_at_registration, {"api": ("/api", None)}),
        (registration_overrides_blueprint, {"api": ("/api", None)}),
        (nested_prefix_on_child, {"api": ("/api", None), "api.v1": ("/api/v1", None)}),
        (
            nested_prefix_at_registrations,
            {"api": ("/api", None), "api.v1": ("/api/v1", None)},
        ),
        (nested_without_own_prefix, {"api": ("/api", None), "api.v1": ("/api", None)}),
        (registered_twice_by_name, {"api": ("/api", None), "api2": ("/api2", None)}),
        (nested_subdomains, {"api": (None, "api"), "api.v1": ("/v1", "v1.api")}),
    ],
)
def test_registrations_as_flask_made_them(
    build: Callable[[Flask], None], expected: dict[str, tuple[str | None, str | None]]
) -> None:
    app = tracked_app()
    build(app)
    assert registrations(app) == expected
    assert url_space(app).untracked == frozenset()


def test_a_blueprint_registered_on_another_app_first() -> None:
    # Module-level blueprints registered on one app per test: record() refuses them
    # from the second registration on, the recording must not.
    api = Blueprint("api", __name__)
    api.get("/items")(view("items"))
    first = tracked_app()
    first.register_blueprint(api, url_prefix="/first")
    second = tracked_app()
    second.register_blueprint(api, url_prefix="/second")
    assert registrations(first) == {"api": ("/first", None)}
    assert registrations(second) == {"api": ("/second", None)}


def test_registered_before_tracking_is_untracked() -> None:
    app = Flask(__name__)
    early = Blueprint("early", __name__)
    app.register_blueprint(early, url_prefix="/early")
    track_registrations(app)
    late = Blueprint("late", __name__)
    app.register_blueprint(late, url_prefix="/late")
    space = url_space(app)
    assert (registrations(app), space.untracked) == (
        {"late": ("/late", None)},
        frozenset({"early"}),
    )


def test_a_claimed_blueprint_is_recorded_whenever_it_is_registered() -> None:
    app = Flask(__name__)
    legacy = Blueprint("legacy", __name__)
    claim_blueprint(legacy)
    app.register_blueprint(legacy, url_prefix="/v0")
    track_registrations(app)
    assert (registrations(app), url_space(app).untracked) == (
        {"legacy": ("/v0", None)},
        frozenset(),
    )


def test_claiming_a_registered_blueprint_is_refused() -> None:
    bp = Blueprint("late", __name__)
    Flask(__name__).register_blueprint(bp)
    with pytest.raises(AssertionError, match="before registering it"):
        claim_blueprint(bp)


def test_an_app_without_tracking_gets_nothing() -> None:
    api = Blueprint("api", __name__)
    tracked_app().register_blueprint(api, url_prefix="/api")
    plain = Flask(__name__)
    plain.register_blueprint(api, url_prefix="/api")
    assert (type(plain.blueprints), plain.extensions, registrations(plain)) == (
        dict,
        {},
        {},
    )


def test_app_blueprints_behaves_as_a_dict() -> None:
    # Tracking replaces app.blueprints: reads, iteration, copies, comparisons and
    # Flask's own (nested) registration work as on the dict Flask made.
    app = tracked_app()
    api = Blueprint("api", __name__)
    v1 = Blueprint("v1", __name__)
    v1.get("/items")(view("items"))
    api.register_blueprint(v1, url_prefix="/v1")
    app.register_blueprint(api, url_prefix="/api")
    blueprints = app.blueprints
    assert isinstance(blueprints, dict)
    assert (
        list(blueprints),
        blueprints["api.v1"],
        blueprints.get("nope"),
        "api" in blueprints,
        len(blueprints),
        dict(blueprints),
        blueprints == {"api": api, "api.v1": v1},
        sorted(blueprints.items()),
        [bp.name for bp in app.iter_blueprints()],
    ) == (
        ["api", "api.v1"],
        v1,
        None,
        True,
        2,
        {"api": api, "api.v1": v1},
        True,
        [("api", api), ("api.v1", v1)],
        ["api", "v1"],
    )
    r = app.test_client().get("/api/v1/items")
    assert (r.status_code, r.get_data(as_text=True)) == (200, "items")
    with app.test_request_context():
        assert url_for("api.v1.items") == "/api/v1/items"


def test_tracking_twice_keeps_the_records() -> None:
    app = tracked_app()
    app.register_blueprint(Blueprint("api", __name__), url_prefix="/api")
    track_registrations(app)
    assert (registrations(app), url_space(app).untracked) == (
        {"api": ("/api", None)},
        frozenset(),
    )


def test_kept_from_the_first_request_on() -> None:
    app = tracked_app()
    app.register_blueprint(Blueprint("api", __name__), url_prefix="/api")
    before = url_space(app)
    assert url_space(app) is not before  # routes may still change
    app.test_client().get("/")
    assert url_space(app) is url_space(app)


# -- Whose URL is it ------------------------------------------------------------------


@pytest.fixture
def path_app() -> Flask:
    app = tracked_app()
    api = Blueprint("api", __name__)
    api.get("/items")(view("items"))  # a single rule: "/api/items" is not the prefix
    v1 = Blueprint("v1", __name__)
    v1.get("/things")(view("things"))
    api.register_blueprint(v1, url_prefix="/v1")
    shared = Blueprint("shared", __name__)  # no prefix of its own
    shared.get("/shared")(view("shared"))
    api.register_blueprint(shared)
    app.register_blueprint(api, url_prefix="/api/")
    pages = Blueprint("pages", __name__)  # no prefix at all
    pages.get("/contact")(view("contact"))
    app.register_blueprint(pages)
    app.get("/api/health")(view("health"))
    return app


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("/api", ["api"]),
        ("/api/", ["api"]),
        ("/api/nope", ["api"]),
        ("/api//nope", ["api"]),
        ("/api/items", ["api"]),
        ("/api/health", ["api"]),
        ("/api/v1", ["api.v1", "api"]),
        ("/api/v1/nope", ["api.v1", "api"]),
        ("/api/v1x", ["api"]),
        ("/apis", []),
        ("/apis/nope", []),
        ("/ap", []),
        ("/contact", []),
        ("/", []),
    ],
)
def test_find_by_prefix_at_a_segment_boundary(
    path_app: Flask, url: str, names: list[str]
) -> None:
    assert found_for(path_app, url) == names


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("/en/manual", ["site"]),
        ("/en/nope", ["site"]),
        ("/en", ["site"]),
        ("/api/nope", ["api", "site"]),
        ("/", []),
    ],
)
def test_find_by_a_prefix_with_a_converter(url: str, names: list[str]) -> None:
    app = tracked_app()
    site = Blueprint("site", __name__, url_prefix="/<lang>")
    site.get("/manual")(view("manual"))
    app.register_blueprint(site)
    app.register_blueprint(Blueprint("api", __name__), url_prefix="/api")
    # Static prefixes first, as Werkzeug's router tries them first.
    assert found_for(app, url) == names


@pytest.mark.parametrize(
    ("method", "url", "owners"),
    [
        ("POST", "/api/items", ("api.items",)),
        ("POST", "/api/shared", ("api.shared.shared",)),
        ("POST", "/contact", ("pages.contact",)),
        ("POST", "/api/health", ("health",)),
        ("GET", "/api/nope", ()),
        ("GET", "/contact", ()),
    ],
)
def test_owners_of_a_405(
    path_app: Flask, method: str, url: str, owners: tuple[str, ...]
) -> None:
    with path_app.test_request_context(url, method=method):
        req = request._get_current_object()  # type: ignore[attr-defined]
        assert url_space(path_app).owners(req) == owners


@pytest.mark.parametrize(
    ("name", "endpoints"),
    [
        ("api", {"api.items", "api.v1.things", "api.shared.shared"}),
        ("api.v1", {"api.v1.things"}),
        ("pages", {"pages.contact"}),
        ("nope", set()),
    ],
)
def test_endpoints_of_a_blueprint_and_its_nested_ones(
    path_app: Flask, name: str, endpoints: set[str]
) -> None:
    assert url_space(path_app).endpoints(name) == endpoints


@pytest.fixture
def subdomain_app() -> Flask:
    app = tracked_app(subdomain_matching=True)
    app.config["SERVER_NAME"] = "example.test"
    api = Blueprint("api", __name__, subdomain="api")  # no prefix: all of api.
    api.get("/items")(view("items"))
    app.register_blueprint(api)
    v1 = Blueprint("v1", __name__, url_prefix="/v1", subdomain="partners")
    v1.get("/status")(view("partner_status"))
    app.register_blueprint(v1)
    users = Blueprint("users", __name__, url_prefix="/u", subdomain="<user>")
    users.get("/home")(view("home"))
    app.register_blueprint(users)
    app.get("/v1/status")(view("status"))
    return app


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("http://api.example.test/anything", ["api"]),
        ("http://api.example.test/v1/nope", ["api"]),
        ("http://partners.example.test/v1/nope", ["v1"]),
        ("http://partners.example.test/other", []),
        ("http://example.test/v1/nope", []),
        ("http://example.test/anything", []),
        ("http://alice.example.test/u/nope", ["users"]),
        ("http://alice.example.test/other", []),
    ],
)
def test_find_on_subdomains(subdomain_app: Flask, url: str, names: list[str]) -> None:
    assert found_for(subdomain_app, url) == names


@pytest.fixture
def host_app() -> Flask:
    app = tracked_app(host_matching=True, static_host="example.test")
    v1 = Blueprint("v1", __name__, url_prefix="/v1")
    v1.get("/items", host="api.example.test")(view("items"))
    app.register_blueprint(v1)
    app.get("/v1/status", host="example.test")(view("status"))
    return app


@pytest.mark.parametrize(
    ("method", "url", "names"),
    [
        ("GET", "http://api.example.test/v1/nope", ["v1"]),
        ("POST", "http://api.example.test/v1/items", ["v1"]),
        ("GET", "http://example.test/v1/nope", []),
        ("POST", "http://example.test/v1/status", []),
    ],
)
def test_find_on_hosts(
    host_app: Flask, method: str, url: str, names: list[str]
) -> None:
    assert found_for(host_app, url, method) == names


def test_a_blueprint_on_a_subdomain_the_app_does_not_match_claims_nothing() -> None:
    app = tracked_app()  # no subdomain_matching: every request is on the default
    api = Blueprint("api", __name__, url_prefix="/v1", subdomain="api")
    app.register_blueprint(api)
    assert (url_space(app).claims, found_for(app, "http://api.localhost/v1/x")) == (
        (),
        [],
    )


def test_heads_of_rules(path_app: Flask) -> None:
    space = url_space(path_app)
    assert space.heads(["api.items", "api.v1.things", "health", "nope"]) == (
        "/api/health",
        "/api/items",
        "/api/v1/things",
    )
    converter = tracked_app()
    converter.get("/items/<int:item_id>")(view("item"))
    converter.get("/")(view("index"))
    assert url_space(converter).heads(["item", "index"]) == ("/", "/items")


@pytest.mark.parametrize(
    ("heads", "owners"),
    [(("/api/items",), ("api.items",)), (("/contact",), ()), ((), ())],
)
def test_owners_only_under_the_heads(
    path_app: Flask, heads: tuple[str, ...], owners: tuple[str, ...]
) -> None:
    with path_app.test_request_context("/api/items", method="POST"):
        req = request._get_current_object()  # type: ignore[attr-defined]
        assert url_space(path_app).owners(req, heads) == owners
