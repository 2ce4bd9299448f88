"""The pytest plugin, loaded through the ``pytest11`` entry point.

It adds two fixtures:

``assert_envelope``
    :func:`flask_status_envelope.testing.assert_envelope`, as a fixture.

``no_propagation``
    Needs an ``app`` fixture (as pytest-flask does): for the whole test, unhandled
    exceptions answer the 500 envelope although ``TESTING`` is on (see
    :func:`flask_status_envelope.testing.propagation_off`).
"""

from __future__ import annotations

import typing as t
from collections.abc import Iterator

import pytest
from flask import Flask

from . import testing


@pytest.fixture(name="assert_envelope")
def assert_envelope_fixture() -> t.Callable[..., dict[str, t.Any]]:
    """:func:`flask_status_envelope.testing.assert_envelope`."""
    return testing.assert_envelope


@pytest.fixture
def no_propagation(app: Flask) -> Iterator[None]:
    """Unhandled exceptions answer the 500 envelope during the test."""
    with testing.propagation_off(app):
        yield
