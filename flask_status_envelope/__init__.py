"""One JSON status envelope for every error of a Flask API."""

from __future__ import annotations

from .aborting import abort_with, exception_class
from .deprecation import (
    Deprecation,
    deprecated,
    deprecated_endpoint_called,
    endpoint_deprecation,
    view_deprecation,
)
from .envelope import envelope_response
from .extension import StatusEnvelope
from .request_ids import request_id

__version__ = "0.2.0.dev0"

__all__ = [
    "Deprecation",
    "StatusEnvelope",
    "__version__",
    "abort_with",
    "deprecated",
    "deprecated_endpoint_called",
    "endpoint_deprecation",
    "envelope_response",
    "exception_class",
    "request_id",
    "view_deprecation",
]
