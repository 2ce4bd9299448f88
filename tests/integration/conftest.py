"""Fixtures of the integration tests: real servers, started by the test run."""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest

from .servers import redis_server


@pytest.fixture
def redis_url(tmp_path: Path) -> t.Iterator[str]:
    """The URL of a real ``redis-server``, started for the test and stopped after."""
    with redis_server(tmp_path) as url:
        yield url
