"""OpenTelemetry: a new request id is the trace id of the request's span.

The real SDK (a TracerProvider with an in-memory exporter) and the real Flask
instrumentation. Its ``before_request`` hook, which starts the span, runs after the
extension's (the extension's check comes first of all hooks), so the id is made
when first needed, by then inside the span.
"""

from __future__ import annotations

import logging
import re
import typing as t

import pytest
from flask import Flask
from opentelemetry.instrumentation.flask import FlaskInstrumentor
from opentelemetry.instrumentation.wsgi import OpenTelemetryMiddleware
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind, format_trace_id

from flask_status_envelope import StatusEnvelope, abort_with, deprecated, request_id

HEX32 = re.compile(r"[0-9a-f]{32}")
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
        FlaskInstrumentor().instrument_app(app, tracer_provider=provider)  # type: ignore[no-untyped-call]
    StatusEnvelope(app).register_exception(ConnectionError, 502)
    if not instrument_first:
        FlaskInstrumentor().instrument_app(app, tracer_provider=provider)  # type: ignore[no-untyped-call]

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
        FlaskInstrumentor().uninstrument_app(app)  # type: ignore[no-untyped-call]


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


# The extension answers some requests from its own check, before every hook of the
# app: maintenance (503) and endpoints past their sunset (410). OpenTelemetry's
# Flask instrumentation starts its span in a before_request hook, which then never
# runs. These tests pin down what a user sees, as docs/production.rst describes it.

OTEL_FLASK_LOGGER = "opentelemetry.instrumentation.flask"


def early_app(**config: t.Any) -> Flask:
    app = Flask(__name__)
    app.config.update(PROPAGATE_EXCEPTIONS=False, **config)
    StatusEnvelope(app)

    @app.get("/items")
    def items() -> str:
        return "ok"

    @app.get("/v1/report")
    @deprecated(since="2020-01-01", sunset="2021-01-01")
    def report() -> str:
        return "never"

    return app


EARLY = [
    pytest.param(
        {"STATUS_ENVELOPE_MAINTENANCE": True}, "/items", 503, id="maintenance"
    ),
    pytest.param({}, "/v1/report", 410, id="sunset"),
]


@pytest.mark.parametrize(("config", "path", "code"), EARLY)
def test_flask_instrumentation_has_no_span_for_an_early_answer(
    exporter: InMemorySpanExporter,
    caplog: pytest.LogCaptureFixture,
    config: dict[str, t.Any],
    path: str,
    code: int,
) -> None:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = early_app(**config)
    FlaskInstrumentor().instrument_app(app, tracer_provider=provider)  # type: ignore[no-untyped-call]
    try:
        client = app.test_client()
        responses = [
            client.get(path, headers={"traceparent": TRACEPARENT}) for _ in range(3)
        ]
    finally:
        FlaskInstrumentor().uninstrument_app(app)  # type: ignore[no-untyped-call]
    ids = [r.headers["X-Request-ID"] for r in responses]
    assert [r.status_code for r in responses] == [code] * 3
    # Still one id per request, but a random one: no span, so no trace id, and
    # the caller's traceparent is not read either.
    assert all(HEX32.fullmatch(rid) for rid in ids)
    assert len(set(ids)) == 3
    assert TRACEPARENT[3:35] not in ids
    assert exporter.get_finished_spans() == ()
    # And the instrumentation logs a warning for every such response.
    warnings = [
        r.getMessage()
        for r in caplog.records
        if r.name == OTEL_FLASK_LOGGER and r.levelno == logging.WARNING
    ]
    assert (
        warnings
        == [
            "Flask environ's OpenTelemetry span missing at _start_response"
            f"({responses[0].status})"
        ]
        * 3
    )


@pytest.mark.parametrize(("config", "path", "code"), EARLY)
def test_the_wsgi_middleware_gives_an_early_answer_its_span(
    exporter: InMemorySpanExporter,
    caplog: pytest.LogCaptureFixture,
    config: dict[str, t.Any],
    path: str,
    code: int,
) -> None:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = early_app(**config)
    app.wsgi_app = OpenTelemetryMiddleware(  # type: ignore[method-assign]
        app.wsgi_app, tracer_provider=provider
    )
    client = app.test_client()
    # The middleware ends its span (and leaves its context) when the server
    # closes the response: each is closed before the next request, as a server
    # does.
    with client.get(path) as new:
        pass
    with client.get(path, headers={"traceparent": TRACEPARENT}) as continued:
        pass
    spans = [s for s in exporter.get_finished_spans() if s.kind is SpanKind.SERVER]
    assert [new.status_code, continued.status_code] == [code, code]
    assert [new.headers["X-Request-ID"], continued.headers["X-Request-ID"]] == [
        format_trace_id(span.context.trace_id) for span in spans
    ]
    assert continued.headers["X-Request-ID"] == TRACEPARENT[3:35]
    assert [r for r in caplog.records if r.name.startswith("opentelemetry")] == []
