"""Retiring endpoints: ``@deprecated``, its headers, and 410 Gone after the sunset.

A deprecated endpoint announces itself on every response with ``Deprecation``
(RFC 9745), ``Sunset`` (RFC 8594) and ``Link`` headers, and answers the 410 envelope
from its sunset on. ``schedule`` parses and checks a schedule, ``marking`` puts
it on views and blueprints and finds it again, ``hook`` applies it to requests.
"""

from __future__ import annotations

from .hook import deprecated_endpoint_called
from .marking import deprecated, endpoint_deprecation, view_deprecation
from .schedule import Deprecation

__all__ = [
    "Deprecation",
    "deprecated",
    "deprecated_endpoint_called",
    "endpoint_deprecation",
    "view_deprecation",
]
