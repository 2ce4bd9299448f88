"""The logging sample of ``docs/production.rst``, run as the guide shows it.

Its other samples need libraries the core tests do not install: production_metrics
is run by ``tests/integrations/test_production_examples.py``, production_switches
by ``tests/integration/test_production_switches.py``.
"""

from __future__ import annotations

import io
import logging
import re
import typing as t

import pytest

from ..conftest import load_example

HEX32 = "[0-9a-f]{32}"


@pytest.fixture
def log() -> t.Iterator[io.StringIO]:
    """What the guide's handler writes, on the root logger for the test."""
    stream = io.StringIO()
    handler = load_example("production_logging").log_handler(stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def lines(stream: io.StringIO) -> list[str]:
    # Each line without its timestamp; tracebacks left out.
    return [
        line.split(" ", 2)[2]
        for line in stream.getvalue().splitlines()
        if re.match(r"\d{4}-\d\d-\d\d ", line)
    ]


def test_every_line_of_a_request_carries_its_id(log: io.StringIO) -> None:
    client = load_example("production_logging").create_app().test_client()
    response = client.get("/orders/7", headers={"X-Request-ID": "lb-1234"})
    assert response.get_json() == {"order": 7, "request_id": "lb-1234"}
    assert lines(log) == ["INFO [lb-1234] shop.orders: looking up order 7"]


def test_a_500_line_carries_the_id_twice_and_no_secret(log: io.StringIO) -> None:
    app = load_example("production_logging").create_app()
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/crash")
    rid = response.headers["X-Request-ID"]
    assert re.fullmatch(HEX32, rid)
    assert lines(log) == [
        f"ERROR [{rid}] docs_production_logging: Exception on /crash [GET]"
        f" [request_id={rid}]"
    ]
    assert "hunter2" not in response.get_data(as_text=True)


def test_a_line_outside_a_request_has_a_dash(log: io.StringIO) -> None:
    load_example("production_logging").create_app()
    logging.getLogger("shop.startup").info("ready")
    assert lines(log) == ["INFO [-] shop.startup: ready"]
