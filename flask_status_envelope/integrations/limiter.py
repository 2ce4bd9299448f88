"""Flask-Limiter integration: a breached rate limit answers the 429 envelope.

Flask-Limiter raises :class:`flask_limiter.RateLimitExceeded` (a
:class:`~werkzeug.exceptions.TooManyRequests`) from its ``before_request`` hook or
from a decorated view. Its description is the limit itself (``"10 per 1 minute"``)
unless the limit has an ``error_message``, and it sets ``Retry-After`` only when
``headers_enabled`` is on. The core's handler for
:class:`~werkzeug.exceptions.HTTPException` hands that class to
``_rate_limit_envelope``, which sends the page's 429 message (or the limit's own
``error_message``) and always a ``Retry-After``.

Nothing here needs the limiter to be created before or after
:class:`~flask_status_envelope.StatusEnvelope`: the limiters of the current app are
found per breach in ``app.extensions["limiter"]``. Without Flask-Limiter installed,
nothing is imported and nothing is registered.
"""

from __future__ import annotations

import math
import time
import typing as t
from functools import partial

from flask import current_app
from werkzeug.exceptions import HTTPException

from ..envelope import exception_headers, respond

if t.TYPE_CHECKING:
    from flask import Response
    from flask_limiter import Limiter, RateLimitExceeded

    from ..state import AppState


def init_limiter(state: AppState) -> None:
    """Let the app's envelope handler answer Flask-Limiter's breaches.

    Does nothing when Flask-Limiter is not installed. Imported here, not with the
    package, so that apps without a limiter never pay for importing it.

    :param state: The app's extension state.
    """
    try:
        from flask_limiter import RateLimitExceeded
    except ImportError:  # the "limiter" extra is not installed
        return
    state.handlers_by_type[RateLimitExceeded] = partial(_rate_limit_envelope, state)


def _rate_limit_envelope(state: AppState, error: HTTPException) -> Response:
    """Return the 429 envelope for a :class:`flask_limiter.RateLimitExceeded`.

    The message is the limit's own ``error_message`` when it has one, else the
    app's ``STATUS_ENVELOPE_MESSAGES[429]``, else the page's 429 message, never the
    limit's text. Headers the exception carries are kept, and ``Retry-After`` is
    added, in whole seconds of at least 1, when it is missing. Flask-Limiter's own
    headers (``headers_enabled``) are added after this, by its ``after_request``
    hook, and are left as they are.

    :param state: The app's extension state.
    :param error: The exception Flask-Limiter raised.
    """
    breach = t.cast("RateLimitExceeded", error)
    description = breach.description if breach.limit.error_message else None
    headers = exception_headers(error)
    if not any(name.lower() == "retry-after" for name, _ in headers):
        # With headers_enabled, Flask-Limiter's after_request hook then sets its own
        # value, the later of this one and its reset; this one is never later, so
        # Flask-Limiter's value is sent as it computes it.
        headers.append(("Retry-After", str(_seconds_until_reset(state, breach))))
    return respond(state, 429, description, headers)


def _seconds_until_reset(state: AppState, error: RateLimitExceeded) -> int:
    """Return the whole seconds, at least 1, until the breached limit resets.

    The breached limit is the ``current_limit`` of the app's limiter that raised
    ``error`` (Flask-Limiter keeps one per limiter and request). When it cannot be
    read (no limiter marks a breach, or the storage fails), the length of the
    limit's window is returned: a client that waits that long is never early.

    :param state: The app's extension state.
    :param error: The :class:`flask_limiter.RateLimitExceeded` being answered.
    """
    limiters: t.Iterable[Limiter] = current_app.extensions.get("limiter", ())
    for limiter in limiters:
        request_limit = limiter.current_limit
        if request_limit is not None and request_limit.breached:
            try:
                reset = request_limit.window[0]
            except Exception:
                state.app.logger.warning(
                    "flask-status-envelope could not read when the rate limit"
                    " %s resets; sending its window length as Retry-After",
                    request_limit.limit,
                    exc_info=True,
                )
                return max(1, request_limit.limit.get_expiry())
            return max(1, math.ceil(reset - time.time()))
    return max(1, error.limit.limit.get_expiry())
