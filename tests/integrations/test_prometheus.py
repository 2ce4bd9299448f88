"""Prometheus counters: every error envelope by code and endpoint; deprecated calls."""

from __future__ import annotations

import sys
import typing as t
from datetime import datetime, timezone

import pytest
from flask import Flask
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest

from flask_status_envelope import (
    StatusEnvelope,
    abort_with,
    deprecated,
    envelope_response,
)

ERRORS = "status_envelope_errors_total"
DEPRECATED = "status_envelope_deprecated_calls_total"


def create_app(registry: CollectorRegistry | None, **config: t.Any) -> Flask:
    app = Flask(__name__)
    app.config.update(
        PROPAGATE_EXCEPTIONS=False,
        STATUS_ENVELOPE_METRICS=True,
        STATUS_ENVELOPE_METRICS_REGISTRY=registry,
        **config,
    )
    StatusEnvelope(app).register_exception(ConnectionError, 502)

    @app.route("/forbidden")
    def forbidden() -> t.NoReturn:
        abort_with(403, "No.")

    @app.get("/items/<int:item>")
    def item(item: int) -> t.NoReturn:
        abort_with(404)

    @app.get("/crash")
    def crash() -> t.NoReturn:
        raise RuntimeError("boom")

    @app.get("/mapped")
    def mapped() -> t.NoReturn:
        raise ConnectionError("db")

    @app.get("/respond")
    def respond() -> t.Any:
        return envelope_response(409)

    @app.get("/ok")
    def ok() -> t.Any:
        return {"ok": True}

    @app.get("/health")
    def health() -> str:
        return "ok"

    return app


def count(registry: CollectorRegistry, name: str, **labels: str) -> float:
    return registry.get_sample_value(name, labels) or 0.0


@pytest.fixture
def registry() -> CollectorRegistry:
    return CollectorRegistry()


@pytest.mark.parametrize(
    ("method", "path", "code", "endpoint"),
    [
        ("GET", "/forbidden", "403", "forbidden"),
        ("GET", "/items/7", "404", "item"),
        ("GET", "/no/such/url", "404", "<unmatched>"),
        ("POST", "/forbidden", "405", "<unmatched>"),
        ("GET", "/respond", "409", "respond"),
        ("GET", "/crash", "500", "crash"),
        ("GET", "/mapped", "502", "mapped"),
    ],
)
def test_every_error_envelope_is_counted(
    registry: CollectorRegistry, method: str, path: str, code: str, endpoint: str
) -> None:
    client = create_app(registry).test_client()
    for _ in range(3):
        assert client.open(path, method=method).status_code == int(code)
    assert count(registry, ERRORS, code=code, endpoint=endpoint) == 3
    # Nothing else was counted.
    total = sum(
        s.value
        for metric in registry.collect()
        for s in metric.samples
        if s.name == ERRORS
    )
    assert total == 3


def test_maintenance_503s_are_counted(registry: CollectorRegistry) -> None:
    app = create_app(
        registry,
        STATUS_ENVELOPE_MAINTENANCE=True,
        STATUS_ENVELOPE_MAINTENANCE_EXEMPT={"health"},
    )
    client = app.test_client()
    assert client.get("/ok").status_code == 503
    assert client.get("/nowhere").status_code == 503
    assert client.get("/health").status_code == 200
    assert count(registry, ERRORS, code="503", endpoint="ok") == 1
    assert count(registry, ERRORS, code="503", endpoint="<unmatched>") == 1


def test_a_raw_path_is_never_a_label(registry: CollectorRegistry) -> None:
    client = create_app(registry).test_client()
    for n in range(20):
        client.get(f"/secret-{n}/path")
    exposition = generate_latest(registry).decode()
    assert "secret" not in exposition
    assert count(registry, ERRORS, code="404", endpoint="<unmatched>") == 20


def test_successes_are_not_counted(registry: CollectorRegistry) -> None:
    client = create_app(registry).test_client()
    assert client.get("/ok").status_code == 200
    assert [
        s for metric in registry.collect() for s in metric.samples if s.name == ERRORS
    ] == []


def test_off_by_default() -> None:
    registry = CollectorRegistry()
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_METRICS_REGISTRY"] = registry
    StatusEnvelope(app)
    app.test_client().get("/no/such/url")
    assert list(registry.collect()) == []


def _at(moment: str) -> t.Callable[[], datetime]:
    return lambda: datetime.fromisoformat(moment).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("now", "state", "status"),
    [
        ("2026-03-01T12:00:00", "deprecated", 200),
        ("2026-06-01T12:00:00", "brownout", 410),
        ("2027-02-01T12:00:00", "sunset", 410),
    ],
)
def test_deprecated_calls_are_counted_by_state(
    registry: CollectorRegistry, now: str, state: str, status: int
) -> None:
    app = create_app(registry, STATUS_ENVELOPE_DEPRECATION_CLOCK=_at(now))

    @app.get("/v1/report")
    @deprecated(
        since="2026-01-01",
        sunset="2027-01-01",
        brownouts=[("2026-06-01T00:00:00", "2026-06-02T00:00:00")],
    )
    def report() -> str:
        return "report"

    client = app.test_client()
    for _ in range(2):
        assert client.get("/v1/report").status_code == status
    assert count(registry, DEPRECATED, endpoint="report", state=state) == 2


def test_several_apps_share_the_default_registry() -> None:
    before = count(REGISTRY, ERRORS, code="403", endpoint="forbidden")
    apps = [create_app(None) for _ in range(3)]
    for app in apps:
        assert app.test_client().get("/forbidden").status_code == 403
    assert count(REGISTRY, ERRORS, code="403", endpoint="forbidden") == before + 3


def test_several_apps_share_a_registry_of_their_own(
    registry: CollectorRegistry,
) -> None:
    first, second = create_app(registry), create_app(registry)
    first.test_client().get("/forbidden")
    second.test_client().get("/forbidden")
    assert count(registry, ERRORS, code="403", endpoint="forbidden") == 2


def test_a_name_taken_by_another_collector_is_refused(
    registry: CollectorRegistry,
) -> None:
    from prometheus_client import Gauge

    Gauge("status_envelope_errors_total", "not ours", registry=registry)
    with pytest.raises(ValueError, match="already registered .* by another collector"):
        create_app(registry)


@pytest.mark.parametrize(
    ("config", "error", "match"),
    [
        (
            {"STATUS_ENVELOPE_METRICS": "yes"},
            TypeError,
            "^STATUS_ENVELOPE_METRICS must be True or False",
        ),
        (
            {"STATUS_ENVELOPE_METRICS": True, "STATUS_ENVELOPE_METRICS_REGISTRY": {}},
            TypeError,
            "^STATUS_ENVELOPE_METRICS_REGISTRY must be a prometheus_client"
            " CollectorRegistry",
        ),
    ],
)
def test_bad_settings_are_refused_at_init_app(
    config: dict[str, t.Any], error: type[Exception], match: str
) -> None:
    app = Flask(__name__)
    app.config.update(config)
    with pytest.raises(error, match=match):
        StatusEnvelope(app)


def test_metrics_without_prometheus_client_name_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A None entry makes the import fail, as if the package were not installed.
    monkeypatch.setitem(sys.modules, "prometheus_client", None)
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_METRICS"] = True
    with pytest.raises(
        RuntimeError, match=r"pip install 'flask-status-envelope\[metrics\]'"
    ):
        StatusEnvelope(app)
