"""Load test: the demo app under real gunicorn, with good, failing, malformed requests.

Run it from the repository root (only on 127.0.0.1, bounded in requests and time)::

    .venv/bin/python benchmarks/loadtest.py --requests 20000

It starts ``gunicorn --workers 2 --worker-class gthread`` on ``examples/demo.py``,
sends the requests over raw sockets (so malformed requests really are sent
malformed) from a few client threads on keep-alive connections, checks every
answer, and prints:

- requests sent and answered, by kind (``--requests`` in all, the warm-up included);
- wrong status codes, malformed envelopes (not the exact JSON shape, wrong text or
  message, missing headers) and leaked internals (exception texts, class names,
  tracebacks, host names, file paths);
- server errors logged, which must be exactly one per 5xx answer;
- each worker's RSS once it has loaded the app, after a warm-up and at the end.

It exits with status 1 if any figure is off (a wrong answer, a leak, a lost request,
a restarted worker, RSS growth from boot of 8 MiB or more), and always stops gunicorn.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
MIB = 1024 * 1024
#: The demo's MAX_CONTENT_LENGTH is 1 MiB; this body is over it.
OVERSIZED = b'{"amount": "' + b"x" * (MIB + 1024) + b'"}'

#: What must never reach a client: the demo's exception texts, class names,
#: traceback markers, file paths.
SECRETS = (
    b"hunter2",
    b"secret",
    b"password",
    b"upstream-db",
    b"internal:5432",
    b"10.0.0.7",
    b"refused",
    b"Traceback",
    b"RuntimeError",
    b"TimeoutError",
    b"ConnectionError",
    b"ConnectionRefusedError",
    b'File "',
    b".py",
    str(ROOT).encode(),
)

PAGE_400 = (
    "The parameter you submitted is not valid. Please recheck request body before"
    " submitting the request."
)
PAGE_404 = "The data you requested does not exist or cannot be found."
PAGE_405 = "The HTTP method used is not allowed for this endpoint."
PAGE_500 = "There is an error on the server. Contact support if this keeps happening."
TEXTS = {
    200: "OK",
    201: "Created",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Request Entity Too Large",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
    502: "Bad Gateway",
    504: "Gateway Timeout",
}


@dataclasses.dataclass(frozen=True)
class Case:
    """One kind of request and the answer it must get."""

    kind: str  # "good", "failing" or "malformed"
    method: str
    path: str
    code: int
    message: str | None = None  # None: any message (the envelope is still checked)
    body: bytes = b""
    content_type: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    must_have: tuple[str, ...] = ()  # response headers that must be present
    weight: int = 1
    # The server may close the connection after answering: gunicorn drains at most
    # 64 KiB of a body the app did not read, then closes (as most servers do).
    closes: bool = False
    chunked: bool = False  # send the body with Transfer-Encoding: chunked


JSON = "application/json"
CASES = [
    # Good requests.
    Case("good", "GET", "/", 200, weight=6),
    Case("good", "GET", "/me", 200, headers=(("Authorization", "Bearer demo-token"),)),
    Case("good", "POST", "/orders", 201, body=b'{"amount": 5}', content_type=JSON),
    Case(
        "good",
        "POST",
        "/orders",
        201,
        body=b'{"amount": 7, "note": "chunked"}',
        content_type=JSON,
        chunked=True,
    ),
    Case("good", "OPTIONS", "/admin", 200, must_have=("Allow",)),
    # Failing requests: the app's own errors.
    Case(
        "failing",
        "GET",
        "/me",
        401,
        "Invalid token.",
        must_have=("WWW-Authenticate",),
        weight=2,
    ),
    Case("failing", "GET", "/admin", 403, "Token is disabled", weight=2),
    Case(
        "failing",
        "POST",
        "/orders",
        403,
        "Insufficient balance",
        body=b'{"amount": 500}',
        content_type=JSON,
    ),
    Case(
        "failing",
        "POST",
        "/orders",
        400,
        "The 'amount' field is required.",
        body=b"{}",
        content_type=JSON,
    ),
    Case("failing", "GET", "/users/7", 404, "User 7 does not exist", weight=2),
    Case("failing", "GET", "/crash", 500, PAGE_500, weight=2),
    Case(
        "failing",
        "GET",
        "/upstream/slow",
        504,
        "The server did not receive a timely response from an upstream server.",
    ),
    Case(
        "failing",
        "GET",
        "/upstream/down",
        502,
        "The server received an invalid response from an upstream server.",
    ),
    Case("failing", "HEAD", "/crash", 500),
    Case("failing", "HEAD", "/admin", 403),
    Case("failing", "HEAD", "/nope", 404),
    Case(
        "failing",
        "GET",
        "/users/99999999999999999999",
        404,
        "User 99999999999999999999 does not exist",
    ),
    # Malformed requests.
    Case(
        "malformed",
        "POST",
        "/orders",
        400,
        PAGE_400,
        body=b'{"amount": 5',
        content_type=JSON,
        weight=2,
    ),
    Case(
        "malformed",
        "POST",
        "/orders",
        400,
        PAGE_400,
        body=b'{"amount": "\xff\xfe"}',
        content_type=JSON,
    ),
    Case(
        "malformed", "POST", "/orders", 415, body=b"amount=5", content_type="text/plain"
    ),
    Case("malformed", "POST", "/orders", 400, PAGE_400, content_type=JSON),
    Case(
        "malformed",
        "POST",
        "/orders",
        400,
        PAGE_400,
        body=b'{"amount": 5, "note": "chunked but cut',
        content_type=JSON,
        chunked=True,
    ),
    Case(
        "malformed",
        "POST",
        "/orders",
        413,
        body=OVERSIZED,
        content_type=JSON,
        closes=True,
    ),
    Case("malformed", "GET", "/users/%zz", 404, PAGE_404),
    Case("malformed", "GET", "/users/-1", 404, PAGE_404),
    Case("malformed", "GET", "/admin/", 404, PAGE_404),
    Case("malformed", "GET", "/users/%ff%fe%", 404, PAGE_404),
    Case("malformed", "GET", "/%E0%A4%A/%C3%28", 404, PAGE_404),
    Case("malformed", "GET", "/nope/unknown?x=%zz&y=%", 404, PAGE_404, weight=2),
    Case("malformed", "DELETE", "/admin", 405, PAGE_405, must_have=("Allow",)),
    Case("malformed", "PUT", "/", 405, PAGE_405, must_have=("Allow",)),
    Case("malformed", "POST", "/crash", 405, PAGE_405, must_have=("Allow",)),
    Case("malformed", "GET", "/orders", 405, PAGE_405, must_have=("Allow",)),
    Case("malformed", "BREW", "/admin", 405, PAGE_405, must_have=("Allow",)),
]


@dataclasses.dataclass
class Report:
    """The figures of one run."""

    requested: int = 0  # the warm-up included
    warmup: int = 0  # how many of the requests are the warm-up
    sent: int = 0  # the warm-up included
    answered: int = 0
    by_kind: collections.Counter[str] = dataclasses.field(
        default_factory=collections.Counter
    )
    wrong_codes: int = 0
    malformed_envelopes: int = 0
    leaks: int = 0
    lost: int = 0  # connection errors, timeouts, unparsable responses
    server_errors: int = 0  # 5xx answers
    logged_errors: int = 0  # "Exception on ..." lines in gunicorn's error log
    rss_start: dict[int, int] = dataclasses.field(default_factory=dict)
    rss_warm: dict[int, int] = dataclasses.field(default_factory=dict)
    rss_end: dict[int, int] = dataclasses.field(default_factory=dict)
    workers_restarted: bool = False
    seconds: float = 0.0
    examples: list[str] = dataclasses.field(default_factory=list)

    @property
    def rss_growth(self) -> int:
        """The largest growth of a worker's RSS from after the warm-up to the end."""
        return max(
            (self.rss_end[pid] - self.rss_warm.get(pid, 0) for pid in self.rss_end),
            default=0,
        )

    @property
    def rss_growth_from_boot(self) -> int:
        """The largest growth of a worker's RSS from boot to the end."""
        return max(
            (self.rss_end[pid] - self.rss_start.get(pid, 0) for pid in self.rss_end),
            default=0,
        )

    @property
    def ok(self) -> bool:
        """Whether every figure is within the promise."""
        return (
            self.sent == self.requested
            and self.answered == self.sent
            and self.wrong_codes == 0
            and self.malformed_envelopes == 0
            and self.leaks == 0
            and self.lost == 0
            and self.logged_errors == self.server_errors
            and not self.workers_restarted
            and len(self.rss_end) == 2
            and self.rss_growth_from_boot < 8 * MIB
        )

    def problem(self, text: str) -> None:
        """Keep the first few problems as examples for the printout."""
        if len(self.examples) < 10:
            self.examples.append(text)

    def lines(self) -> list[str]:
        """The printout."""
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(self.by_kind.items()))
        rss = ", ".join(
            f"pid {pid}: {self.rss_start.get(pid, 0) / MIB:.1f} -> "
            f"{self.rss_warm.get(pid, 0) / MIB:.1f} -> "
            f"{self.rss_end[pid] / MIB:.1f} MiB"
            for pid in sorted(self.rss_end)
        )
        return [
            f"requests sent:        {self.sent} of {self.requested} ({kinds};"
            f" the first {self.warmup} as warm-up)",
            f"requests answered:    {self.answered}",
            f"lost (no answer):     {self.lost}",
            f"wrong status codes:   {self.wrong_codes}",
            f"malformed envelopes:  {self.malformed_envelopes}",
            f"leaked internals:     {self.leaks}",
            f"5xx answers / logged: {self.server_errors} / {self.logged_errors}",
            f"workers restarted:    {'yes' if self.workers_restarted else 'no'}",
            f"worker RSS (boot -> warm -> end): {rss}",
            f"max RSS growth from boot: {self.rss_growth_from_boot / MIB:.2f} MiB"
            " (limit 8)",
            f"max RSS growth after warm-up: {self.rss_growth / MIB:.2f} MiB",
            f"time: {self.seconds:.1f} s ({self.answered / max(self.seconds, 1e-9):.0f}"
            " requests/s, informational)",
            *(f"problem: {example}" for example in self.examples),
            "RESULT: OK" if self.ok else "RESULT: FAILED",
        ]


# --- the client ----------------------------------------------------------------------


def _request_bytes(case: Case, port: int) -> bytes:
    lines = [f"{case.method} {case.path} HTTP/1.1", f"Host: {HOST}:{port}"]
    lines += [f"{name}: {value}" for name, value in case.headers]
    if case.content_type is not None:
        lines.append(f"Content-Type: {case.content_type}")
    body = case.body
    if case.chunked:
        lines.append("Transfer-Encoding: chunked")
        chunks = [body[i : i + 7] for i in range(0, len(body), 7)]
        body = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
    elif case.body or case.method in {"POST", "PUT"}:
        lines.append(f"Content-Length: {len(case.body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class _Connection:
    """A keep-alive HTTP/1.1 connection over a raw socket."""

    def __init__(self, port: int, timeout: float) -> None:
        self.port = port
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.buffer = b""

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = None
        self.buffer = b""

    def _recv(self) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buffer += chunk

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            self._recv()
        head, self.buffer = self.buffer.split(marker, 1)
        return head

    def _read_exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._recv()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def exchange(
        self, request: bytes, head_only: bool
    ) -> tuple[int, dict[str, str], bytes, bytes]:
        """Send ``request``; return the status, headers, body and raw head."""
        if self.sock is None:
            self.sock = socket.create_connection((HOST, self.port), self.timeout)
        try:
            self.sock.sendall(request)
        except OSError:
            # The server may answer and close before reading all of a large body;
            # the answer is still there to read.
            pass
        raw_head = self._read_until(b"\r\n\r\n")
        status_line, *header_lines = raw_head.decode("latin-1").split("\r\n")
        code = int(status_line.split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if head_only:
            body = b""
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while size := int(self._read_until(b"\r\n").split(b";")[0], 16):
                parts.append(self._read_exactly(size))
                self._read_exactly(2)
            self._read_until(b"\r\n")
            body = b"".join(parts)
        else:
            body = self._read_exactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return code, headers, body, raw_head


def check_answer(
    case: Case, code: int, headers: dict[str, str], body: bytes, raw_head: bytes
) -> list[str]:
    """Return what is wrong with one answer (empty when it is right)."""
    problems = []
    if code != case.code:
        problems.append(f"wrong code {code} for {case.method} {case.path}")
    raw = raw_head + b"\r\n" + body
    for secret in SECRETS:
        if secret.lower() in raw.lower():
            problems.append(f"leak {secret!r} in {case.method} {case.path}")
    if case.code < 400 or code < 400:
        return problems
    if headers.get("content-type") != "application/json":
        problems.append(f"envelope: Content-Type {headers.get('content-type')!r}")
    for name in case.must_have:
        if name.lower() not in headers:
            problems.append(f"envelope: no {name} header on {case.path}")
    if case.method == "HEAD":
        if body:
            problems.append("envelope: HEAD answer has a body")
        return problems
    try:
        document = json.loads(body)
        status = document["status"]
        shape_ok = (
            list(document) == ["status"]
            and list(status) == ["code", "text", "message"]
            and status["code"] == code
            and status["text"] == TEXTS[code]
            and isinstance(status["message"], str)
            and (case.message is None or status["message"] == case.message)
        )
    except (ValueError, KeyError, TypeError):
        shape_ok = False
    if not shape_ok:
        problems.append(f"envelope: {body[:200]!r} for {case.method} {case.path}")
    return problems


def _client(
    port: int,
    plan: list[Case],
    report: Report,
    lock: threading.Lock,
    deadline: float,
    timeout: float,
) -> None:
    connection = _Connection(port, timeout)
    try:
        for case in plan:
            if time.monotonic() > deadline:
                break
            request = _request_bytes(case, port)
            with lock:
                report.sent += 1
                report.by_kind[case.kind] += 1
            try:
                answer = connection.exchange(request, case.method == "HEAD")
            except (OSError, ValueError, IndexError) as error:
                connection.close()
                with lock:
                    report.lost += 1
                    report.problem(f"lost {case.method} {case.path}: {error!r}")
                continue
            if case.closes:
                connection.close()
            problems = check_answer(case, *answer)
            with lock:
                report.answered += 1
                report.server_errors += answer[0] >= 500
                for problem in problems:
                    report.wrong_codes += problem.startswith("wrong code")
                    report.leaks += problem.startswith("leak")
                    report.malformed_envelopes += problem.startswith("envelope")
                    report.problem(problem)
    finally:
        connection.close()


def send(
    port: int,
    requests: int,
    report: Report,
    *,
    clients: int,
    seed: int,
    deadline: float,
    timeout: float = 30.0,
) -> None:
    """Send ``requests`` requests of the mix from ``clients`` threads."""
    rng = random.Random(seed)
    weights = [case.weight for case in CASES]
    plan = rng.choices(CASES, weights, k=requests)
    lock = threading.Lock()
    threads = [
        threading.Thread(
            target=_client,
            args=(port, plan[i::clients], report, lock, deadline, timeout),
        )
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# --- the server ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _workers(master: int) -> list[int]:
    path = Path(f"/proc/{master}/task/{master}/children")
    return sorted(int(pid) for pid in path.read_text().split())


def _rss(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) * 1024 if match else 0


# A gunicorn hook that marks each worker once it has loaded the app, so that the
# boot RSS is taken with the app in memory and before the first request.
_HOOKS = """
def post_worker_init(worker):
    open({directory!r} + "/booted-%d" % worker.pid, "w").close()
"""


def _wait_workers(directory: Path, count: int, timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        booted = sorted(int(p.name[7:]) for p in directory.glob("booted-*"))
        if len(booted) == count:
            return booted
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not boot {count} workers in {timeout} s")


def _wait_ready(port: int, server: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        connection = _Connection(port, 2.0)
        try:
            code = connection.exchange(_request_bytes(CASES[0], port), False)[0]
            if code == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer on {HOST}:{port} in {timeout} s")


def run(
    requests: int = 20000,
    *,
    clients: int = 8,
    threads: int = 4,
    warmup: int = 1000,
    max_seconds: float = 600.0,
    seed: int = 7,
) -> Report:
    """Start gunicorn on the demo app, send the mix, stop gunicorn; return figures.

    :param requests: Requests to send in all, the warm-up included.
    :param clients: Client threads, each with its own keep-alive connection.
    :param threads: gthread threads per gunicorn worker.
    :param warmup: How many of the ``requests`` are sent first, before the RSS
        baseline is taken; fewer than ``requests``.
    :param max_seconds: Give up sending after this long (the run then fails).
    :param seed: Seed of the request mix, for the same mix on every run.
    :raises ValueError: if ``warmup`` is negative or not less than ``requests``.
    """
    if not 0 <= warmup < requests:
        raise ValueError(
            f"warmup={warmup!r} must be at least 0 and less than requests={requests!r}"
            " (the warm-up is part of the requests)"
        )
    report = Report(requested=requests, warmup=warmup)
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="loadtest-") as tmp:
        error_log = Path(tmp) / "error.log"
        hooks = Path(tmp) / "hooks.py"
        hooks.write_text(_HOOKS.format(directory=tmp))
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(hooks),
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--max-requests",
            "0",
            "--timeout",
            "60",
            "--error-logfile",
            str(error_log),
            "--chdir",
            str(ROOT / "examples"),
            "demo:app",
        ]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with open(Path(tmp) / "output.log", "wb") as output:
            server = subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT, env=env
            )
            try:
                workers = _wait_workers(Path(tmp), 2, 30.0)
                _wait_ready(port, server, 30.0)
                report.rss_start = {pid: _rss(pid) for pid in workers}
                started = time.monotonic()
                deadline = started + max_seconds
                warm = Report()
                send(
                    port,
                    warmup,
                    warm,
                    clients=clients,
                    seed=seed + 1,
                    deadline=deadline,
                )
                report.rss_warm = {pid: _rss(pid) for pid in workers}
                send(
                    port,
                    requests - warmup,
                    report,
                    clients=clients,
                    seed=seed,
                    deadline=deadline,
                )
                report.seconds = time.monotonic() - started
                report.rss_end = {pid: _rss(pid) for pid in _workers(server.pid)}
                report.workers_restarted = sorted(report.rss_end) != workers
                # The warm-up's figures count too: every answer is checked.
                for name in ("wrong_codes", "malformed_envelopes", "leaks", "lost"):
                    setattr(report, name, getattr(report, name) + getattr(warm, name))
                report.examples += warm.examples
                server_errors = report.server_errors + warm.server_errors
                report.sent += warm.sent
                report.answered += warm.answered
                report.by_kind += warm.by_kind
                report.server_errors = server_errors
            finally:
                server.terminate()
                try:
                    server.wait(15)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
        log = error_log.read_text(errors="replace") if error_log.exists() else ""
        report.logged_errors = log.count("] ERROR in app: Exception on ")
    return report


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run the load test and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--requests", type=int, default=20000, help="in all, the warm-up included"
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--warmup", type=int, default=1000, help="how many of them are sent first"
    )
    parser.add_argument("--max-seconds", type=float, default=600.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if not 0 <= args.warmup < args.requests:
        parser.error("--warmup must be at least 0 and less than --requests")
    report = run(
        args.requests,
        clients=args.clients,
        threads=args.threads,
        warmup=args.warmup,
        max_seconds=args.max_seconds,
        seed=args.seed,
    )
    print("\n".join(report.lines()))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
