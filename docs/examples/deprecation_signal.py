"""Counting who still calls deprecated endpoints, with the signal."""

from __future__ import annotations

from collections import Counter

from flask import Flask, request

from flask_status_envelope import Deprecation, deprecated_endpoint_called

#: Calls per (endpoint, state, client); send it to your metrics system instead.
calls: Counter[tuple[str, str, str]] = Counter()


def count_deprecated_calls(app: Flask) -> None:
    @deprecated_endpoint_called.connect_via(app)
    def count(
        sender: Flask, endpoint: str, state: str, deprecation: Deprecation
    ) -> None:
        client = request.headers.get("User-Agent", "unknown")
        calls[endpoint, state, client] += 1
