"""One JSON status envelope for every error of a Flask API."""

from __future__ import annotations

from .aborting import abort_with
from .envelope import envelope_response
from .extension import StatusEnvelope

__version__ = "0.1.0.dev0"

__all__ = [
    "StatusEnvelope",
    "__version__",
    "abort_with",
    "envelope_response",
]
