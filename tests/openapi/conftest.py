"""Shared by the OpenAPI tests."""

from __future__ import annotations

from flask_status_envelope import deprecated

deprecate = deprecated(since="2026-01-01", sunset="2099-01-01")
