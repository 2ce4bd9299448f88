"""The Prometheus sample of ``docs/production.rst``, run as the guide shows it."""

from __future__ import annotations

from prometheus_client import REGISTRY

from ..conftest import load_example

ERRORS = "status_envelope_errors_total"


def count(**labels: str) -> float:
    return REGISTRY.get_sample_value(ERRORS, labels) or 0.0


def test_metrics_sample_counts_and_serves_the_counters() -> None:
    app = load_example("production_metrics").create_app()
    client = app.test_client()
    before = count(code="404", endpoint="<unmatched>")
    assert client.get("/no/such/order").status_code == 404
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert count(code="404", endpoint="<unmatched>") == before + 1
    assert (
        f'{ERRORS}{{code="404",endpoint="<unmatched>"}} {before + 1}'
        in response.get_data(as_text=True)
    )


def test_metrics_sample_is_scraped_during_maintenance() -> None:
    app = load_example("production_metrics").create_app()
    app.config["STATUS_ENVELOPE_MAINTENANCE"] = True
    client = app.test_client()
    assert client.get("/no/such/order").status_code == 503
    assert client.get("/metrics").status_code == 200
