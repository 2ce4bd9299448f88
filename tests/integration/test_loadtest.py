"""The load test of ``benchmarks/loadtest.py``, at a size CI can afford.

The full run (``python benchmarks/loadtest.py --requests 20000``) is documented in
``docs/reliability.rst``; this one starts the same real gunicorn (2 gthread workers) on
the demo app and sends a few thousand requests of the same mix.
"""

from __future__ import annotations

import pytest

from ..conftest import ROOT, load_module

_PATH = ROOT / "benchmarks" / "loadtest.py"
loadtest = load_module(_PATH, "loadtest")

FORBIDDEN = loadtest.Case("failing", "GET", "/admin", 403, "Token is disabled")
GOOD_BODY = (
    b'{"status":{"code":403,"text":"Forbidden","message":"Token is disabled"}}\n'
)
JSON_HEADERS = {"content-type": "application/json"}


@pytest.mark.slow
def test_demo_under_gunicorn_takes_the_mix() -> None:
    # max_seconds only guards against a hang; speed and memory are figures, reported
    # in the printout (and by the CI load test), not pass/fail conditions here.
    report = loadtest.run(3000, warmup=500, clients=4, max_seconds=120.0)
    lines = report.lines()
    print("\n".join(lines))
    assert report.examples == []
    # 3000 requests in all, as asked: the warm-up is part of them.
    assert (report.sent, report.answered, report.lost) == (3000, 3000, 0)
    assert sum(report.by_kind.values()) == 3000
    assert lines[0].startswith("requests sent:        3000 of 3000 (")
    assert lines[0].endswith("; the first 500 as warm-up)")
    assert (report.wrong_codes, report.malformed_envelopes, report.leaks) == (0, 0, 0)
    assert report.logged_errors == report.server_errors > 0
    assert report.workers_restarted is False
    assert len(report.rss_end) == 2


@pytest.mark.parametrize(("sent", "ok"), [(3000, True), (2999, False)])
def test_a_run_cut_short_fails(sent: int, ok: bool) -> None:
    # Stopped by --max-seconds before all 3000 were sent, every one answered well.
    report = loadtest.Report(requested=3000, sent=sent, answered=sent)
    report.rss_end = {1: 0, 2: 0}  # two workers, no RSS growth
    assert report.ok is ok


@pytest.mark.parametrize(
    ("requests", "warmup"), [(1000, 1000), (500, 1000), (1000, -1)]
)
def test_warmup_is_part_of_the_requests(requests: int, warmup: int) -> None:
    with pytest.raises(
        ValueError,
        match=rf"^warmup={warmup} must be at least 0 and less than requests={requests}",
    ):
        loadtest.run(requests, warmup=warmup)


@pytest.mark.parametrize(
    ("code", "headers", "body", "expected"),
    [
        (403, JSON_HEADERS, GOOD_BODY, []),
        (500, JSON_HEADERS, GOOD_BODY, ["wrong code 500 for GET /admin"]),
        (403, {"content-type": "text/html"}, GOOD_BODY, ["envelope: Content-Type"]),
        (403, JSON_HEADERS, b"<h1>Forbidden</h1>", ["envelope: b'<h1>"]),
        (403, JSON_HEADERS, GOOD_BODY.replace(b"Token", b"Tok"), ["envelope: b'"]),
        (403, JSON_HEADERS, GOOD_BODY.replace(b"}}", b',"x":1}}'), ["envelope: b'"]),
        (403, JSON_HEADERS, GOOD_BODY + b"Traceback", ["leak b'Traceback'"]),
        (
            403,
            JSON_HEADERS,
            GOOD_BODY.replace(b"Token", b"hunter2"),
            ["leak b'hunter2'"],
        ),
    ],
)
def test_the_checks_catch_wrong_answers(
    code: int, headers: dict[str, str], body: bytes, expected: list[str]
) -> None:
    problems = loadtest.check_answer(FORBIDDEN, code, headers, body, b"HTTP/1.1")
    # The first problem found (if any) starts with the expected text; zip's strict
    # check fails the test when one is found and none expected, or the other way.
    first = [p[: len(e)] for p, e in zip(problems[:1], expected, strict=True)]
    assert first == expected
