"""A fleet switched with the CLI through a real Redis.

Two hosts: gunicorn with 2 workers, and a second gunicorn with one (the second
host), all reading one redis-server. ``flask status-envelope ...`` flips the
switches; every process must follow within TTL + 1 s. Then Redis stops: every
request is still served and each process warns once; Redis starts again and the
CLI and the switches work again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .servers import free_port, gunicorn, redis_process, wait_until

APPS = Path(__file__).resolve().parent
TTL = 0.5
DEADLINE = TTL + 1


def get(url: str) -> tuple[int, str, str | None, float]:
    """GET ``url``: status, serving process, Retry-After, seconds taken."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            headers, status = r.headers, r.status
    except urllib.error.HTTPError as e:
        headers, status = e.headers, e.code
    return (
        status,
        headers["X-Worker-Pid"],
        headers["Retry-After"],
        time.monotonic() - start,
    )


class Fleet:
    def __init__(
        self, hosts: list[str], env: dict[str, str], pool: ThreadPoolExecutor
    ) -> None:
        self.hosts = hosts
        self.env = env
        self.pool = pool
        self.pids: set[str] = set()
        self.slowest = 0.0
        #: Seconds from starting the CLI until every process followed, per flip
        #: (the write is in between: an upper bound of the propagation).
        self.propagation: list[float] = []

    def sample(self, path: str) -> dict[str, set[tuple[int, str | None]]]:
        """Ask every host, several requests at once; answers per process."""
        urls = [f"{host}{path}" for host in self.hosts for _ in range(8)]
        seen: dict[str, set[tuple[int, str | None]]] = defaultdict(set)
        for status, pid, retry_after, took in self.pool.map(get, urls):
            seen[pid].add((status, retry_after))
            self.slowest = max(self.slowest, took)
        self.pids.update(seen)
        return seen

    def converge(self, path: str, expected: tuple[int, str | None]) -> dict[str, float]:
        """Poll until every process answers ``expected``; seconds per process."""
        start = time.monotonic()
        reached: dict[str, float] = {}
        while time.monotonic() - start < DEADLINE + 2:
            for pid, answers in self.sample(path).items():
                if answers == {expected}:
                    reached.setdefault(pid, time.monotonic() - start)
                else:
                    reached.pop(pid, None)  # flapped back: not there yet
            if len(reached) == len(self.pids) == 3:
                return reached
            time.sleep(0.05)
        raise AssertionError(f"{path}: not every process answers {expected}: {reached}")

    def cli(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "apps.fleet_app:app",
             "status-envelope", *args],
            cwd=APPS, env={**os.environ, **self.env}, capture_output=True, text=True,
            timeout=30,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        return result.stdout


def flip(
    fleet: Fleet, args: tuple[str, ...], path: str, expected: tuple[int, str | None]
) -> float:
    started = time.monotonic()
    fleet.cli(*args)
    took = time.monotonic() - started
    reached = fleet.converge(path, expected)
    slowest = max(reached.values())
    print(
        f"  {' '.join(args)}: the CLI took {took:.2f} s; then {path} -> {expected[0]}"
        f" on all 3 processes within {slowest:.2f} s (at most {took + slowest:.2f} s"
        " after the write)"
    )
    assert slowest <= DEADLINE
    fleet.propagation.append(round(took + slowest, 3))
    return slowest


def record(fleet: Fleet) -> None:
    """Write the propagation times where ``STATUS_ENVELOPE_FLEET_RESULTS`` says.

    ``docs/_data/fleet-switches.json`` is the file the docs' diagram shows; the
    test writes nothing unless asked.
    """
    out = os.environ.get("STATUS_ENVELOPE_FLEET_RESULTS")
    if out:
        data = {"seconds": fleet.propagation, "ttl": TTL, "processes": 3}
        Path(out).write_text(json.dumps(data, indent=2) + "\n")


def outage(fleet: Fleet, seconds: float) -> set[tuple[int, str | None]]:
    """Sample ``/items`` for ``seconds``; every answer seen."""
    fleet.slowest = 0.0
    seen: set[tuple[int, str | None]] = set()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for answers in fleet.sample("/items").values():
            seen |= answers
    return seen


def log_lines(logs: list[Path], text: str) -> int:
    return sum(path.read_text().count(text) for path in logs)


@pytest.mark.slow
def test_a_fleet_follows_the_cli_and_survives_redis_stopping(tmp_path: Path) -> None:
    port = free_port()
    logs = [tmp_path / "host-a.log", tmp_path / "host-b.log"]
    redis_dir = tmp_path / "redis"
    redis_dir.mkdir()
    print()
    with redis_process(redis_dir, port) as (url, _redis):
        env = {"SWITCHES_URL": url, "SWITCHES_TTL": str(TTL)}
        with (
            gunicorn("apps.fleet_app:app", APPS, workers=2, env=env, log=logs[0]) as a,
            gunicorn("apps.fleet_app:app", APPS, workers=1, env=env, log=logs[1]) as b,
            ThreadPoolExecutor(max_workers=8) as pool,
        ):
            fleet = Fleet([a, b], env, pool)
            # gunicorn listens before its workers have booted: wait for all three.
            wait_until(lambda: bool(fleet.sample("/health")) and len(fleet.pids) == 3,
                       "all three gunicorn workers")  # fmt: skip
            assert all(v == {(200, None)} for v in fleet.sample("/items").values())

            flip(
                fleet,
                ("maintenance", "on", "--retry-after", "120"),
                "/items",
                (503, "120"),
            )
            assert all(v == {(200, None)} for v in fleet.sample("/health").values())
            flip(fleet, ("maintenance", "off"), "/items", (200, None))
            flip(fleet, ("retire", "report"), "/report", (410, None))
            assert all(v == {(200, None)} for v in fleet.sample("/items").values())
            flip(fleet, ("restore", "report"), "/report", (200, None))

            # Redis drops packets (paused: connections complete, nothing answers).
            # Every request is still served; only a refresh waits, about one socket
            # timeout; each process warns once, and says when Redis is back.
            os.kill(_redis.pid, signal.SIGSTOP)
            try:
                answers = outage(fleet, 3 * TTL)
            finally:
                os.kill(_redis.pid, signal.SIGCONT)
            paused = log_lines(logs, "does not answer")
            print(
                f"  Redis paused: answers {answers}, slowest request"
                f" {fleet.slowest:.3f} s, {paused} warnings from 3 processes"
            )
            assert answers == {(200, None)}
            assert fleet.slowest < 0.6
            assert 1 <= paused <= 3

            # The switches are read when requests come: keep asking.
            def back() -> bool:
                fleet.sample("/items")
                return log_lines(logs, "answers again") == paused

            wait_until(back, "every process to see Redis again", timeout=DEADLINE + 2)

            # Redis stops: refused at once, nothing waits.
            _redis.terminate()
            _redis.wait(5)
            answers = outage(fleet, 2 * TTL)
            warnings = log_lines(logs, "does not answer")
            print(
                f"  Redis stopped: answers {answers}, slowest request"
                f" {fleet.slowest:.3f} s, {warnings - paused} warnings from 3"
                " processes"
            )
            assert answers == {(200, None)}
            assert fleet.slowest < 0.5
            assert 1 <= warnings - paused <= 3

            # Redis starts again on the same port, empty: the CLI works again, and
            # every process reads the switches again.
            with redis_process(redis_dir, port):
                flip(fleet, ("maintenance", "on"), "/items", (503, "300"))
                assert "maintenance: on" in fleet.cli("maintenance", "status")
                assert log_lines(logs, "does not answer") == warnings
                infos = log_lines(logs, "answers again")
                print(f"  Redis back: {infos} INFO lines")
                assert infos == warnings
    record(fleet)
