"""``docs/examples/wsgi.py`` under real WSGI servers: gunicorn and waitress."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import ROOT, envelope
from .servers import free_port, stop, wait_until

EXAMPLES = ROOT / "docs" / "examples"
BIN = Path(sys.executable).parent
SERVERS = {
    "gunicorn": lambda port: [
        str(BIN / "gunicorn"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "wsgi:app",
    ],
    "waitress": lambda port: [
        str(BIN / "waitress-serve"),
        f"--listen=127.0.0.1:{port}",
        "wsgi:app",
    ],
}


@pytest.fixture(params=sorted(SERVERS), scope="module")
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A real WSGI server running ``docs/examples/wsgi.py``, stopped after.

    Its output goes to a log file (shown if it fails to start), not an unread pipe.
    """
    port = free_port()
    log = tmp_path_factory.mktemp(request.param) / "server.log"
    with contextlib.ExitStack() as stack:
        output = stack.enter_context(log.open("wb"))
        process = subprocess.Popen(
            SERVERS[request.param](port),
            cwd=EXAMPLES,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        stack.callback(stop, process)

        def listening() -> bool:
            if process.poll() is not None:
                raise RuntimeError(
                    f"{request.param} exited with {process.returncode}:\n"
                    + log.read_text(errors="replace")
                )
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True

        wait_until(listening, f"{request.param} on port {port}", timeout=20)
        yield f"http://127.0.0.1:{port}"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "code", "text", "message"),
    [
        ("/users/7", 404, "Not Found", "User 7 does not exist"),
        (
            "/crash",
            500,
            "Internal Server Error",
            "There is an error on the server. Contact support if this keeps happening.",
        ),
    ],
)
def test_under_a_real_server(
    server: str, path: str, code: int, text: str, message: str
) -> None:
    with pytest.raises(urllib.error.HTTPError, match=f"^HTTP Error {code}: ") as info:
        urllib.request.urlopen(server + path, timeout=10)
    error = info.value
    assert error.code == code
    assert error.headers["Content-Type"] == "application/json"
    assert json.loads(error.read()) == envelope(code, text, message)
    error.close()
