"""OpenTelemetry: a new request id is the trace id of the request's span.

The real SDK (a TracerProvider with an in-memory exporter) and the real Flask
instrumentation. Its ``before_request`` hook, which starts the span, runs after the
extension's (the extension's check comes first of all hooks), so the id is made
when first needed, by then inside the span.
"""

from __future__ import annotations

import logging
import typing as t

import pytest
from flask import Flask
from opentelemetry.instrumentation.flask import FlaskInstrumentor
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind, format_trace_id

from flask_status_envelope import StatusEnvelope, abort_with, request_id

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


def create_app(
    exporter: InMemorySpanExporter, *, instrument_first: bool = False
) -> t.Iterator[Flask]:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = Flask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    if instrument_first:
        FlaskInstrumentor().instrument_app(app, tracer_provider=provider)
    StatusEnvelope(app).register_exception(ConnectionError, 502)
    if not instrument_first:
        FlaskInstrumentor().instrument_app(app, tracer_provider=provider)

    @app.get("/forbidden")
    def forbidden() -> t.NoReturn:
        abort_with(403)

    @app.get("/crash")
    def crash() -> t.NoReturn:
        raise RuntimeError("boom")

    @app.get("/mapped")
    def mapped() -> t.NoReturn:
        raise ConnectionError("db")

    @app.get("/id")
    def the_id() -> str:
        return request_id()

    try:
        yield app
    finally:
        FlaskInstrumentor().uninstrument_app(app)


@pytest.fixture(params=[False, True], ids=["instrumented-after", "instrumented-before"])
def app(
    request: pytest.FixtureRequest, exporter: InMemorySpanExporter
) -> t.Iterator[Flask]:
    yield from create_app(exporter, instrument_first=request.param)


def server_span(exporter: InMemorySpanExporter) -> ReadableSpan:
    [span] = [s for s in exporter.get_finished_spans() if s.kind is SpanKind.SERVER]
    return span


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/forbidden", 403),
        ("/no/such/url", 404),
        ("/crash", 500),
        ("/mapped", 502),
        ("/id", 200),
    ],
)
def test_a_new_id_is_the_trace_id(
    app: Flask, exporter: InMemorySpanExporter, path: str, code: int
) -> None:
    response = app.test_client().get(path)
    assert response.status_code == code
    trace_id = format_trace_id(server_span(exporter).context.trace_id)
    rid = response.headers.get("X-Request-ID") or response.get_data(as_text=True)
    assert rid == trace_id


def test_the_callers_trace_continues_into_the_id(
    app: Flask, exporter: InMemorySpanExporter
) -> None:
    response = app.test_client().get("/forbidden", headers={"traceparent": TRACEPARENT})
    assert format_trace_id(server_span(exporter).context.trace_id) == TRACEPARENT[3:35]
    assert response.headers["X-Request-ID"] == TRACEPARENT[3:35]


def test_a_plain_incoming_id_wins_over_the_trace(
    app: Flask, exporter: InMemorySpanExporter
) -> None:
    response = app.test_client().get("/forbidden", headers={"X-Request-ID": "lb-7"})
    assert response.headers["X-Request-ID"] == "lb-7"


def test_the_5xx_log_record_has_the_trace_id(
    app: Flask, exporter: InMemorySpanExporter, caplog: pytest.LogCaptureFixture
) -> None:
    response = app.test_client().get("/crash")
    trace_id = format_trace_id(server_span(exporter).context.trace_id)
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.request_id == trace_id == response.headers["X-Request-ID"]  # type: ignore[attr-defined]


def test_without_a_span_the_id_is_random(exporter: InMemorySpanExporter) -> None:
    # OpenTelemetry imported and set up, but this app is not instrumented.
    app = Flask(__name__)
    StatusEnvelope(app)
    response = app.test_client().get("/nowhere")
    assert len(response.headers["X-Request-ID"]) == 32
    assert exporter.get_finished_spans() == ()
