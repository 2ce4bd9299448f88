"""Maintenance mode: every request answers the 503 envelope with ``Retry-After``.

Maintenance is on while :data:`STATUS_ENVELOPE_MAINTENANCE` is true or while the
file named by :data:`STATUS_ENVELOPE_MAINTENANCE_FILE` exists. The file is the way to
switch every worker of every host at once, without a redeploy or a restart: a
running process cannot see a changed environment variable, and a changed
``app.config`` reaches only the process that changed it, but one ``stat()`` per
request sees a file appear on a shared volume within the next request.
"""

from __future__ import annotations

import difflib
import os
import typing as t
from collections.abc import Collection

from flask import Flask
from werkzeug.exceptions import HTTPException

from .aborting import make_error
from .retry import format_retry_after

if t.TYPE_CHECKING:
    from .state import AppState


def init_maintenance(state: AppState) -> t.Callable[[str | None], HTTPException | None]:
    """Set the maintenance configuration defaults and return the app's check.

    The extension's one request check calls it with the request's endpoint before
    everything else the app runs for a request, so a request during maintenance is
    not authenticated, rate limited or counted. It returns the 503 to raise.

    :raises TypeError: A maintenance setting has the wrong type.
    :raises ValueError: ``STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER`` is negative.
    """
    app = state.app
    config = state.config
    config.setdefault("STATUS_ENVELOPE_MAINTENANCE", False)
    config.setdefault("STATUS_ENVELOPE_MAINTENANCE_FILE", None)
    config.setdefault("STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER", 300)
    config.setdefault("STATUS_ENVELOPE_MAINTENANCE_EXEMPT", ())
    _check_config(config)

    checked_exempt: list[object] = []

    def check_maintenance(endpoint: str | None) -> HTTPException | None:
        # The whole cost when maintenance is off: two dict look-ups, and one stat()
        # if a file is configured.
        if not config["STATUS_ENVELOPE_MAINTENANCE"]:
            path = config["STATUS_ENVELOPE_MAINTENANCE_FILE"]
            if path is None or not os.path.exists(path):
                return None
        exempt = config["STATUS_ENVELOPE_MAINTENANCE_EXEMPT"]
        if endpoint in exempt:
            return None
        if not any(seen is exempt for seen in checked_exempt):
            # Once per value, when it matters: routes are all registered by now, and
            # a misspelt health check would take every instance out of service.
            checked_exempt.append(exempt)
            _log_unknown_exempt(app, exempt)
        return make_error(
            503, retry_after=config["STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER"]
        )

    return check_maintenance


def _log_unknown_exempt(app: Flask, exempt: t.Iterable[str]) -> None:
    endpoints = list(app.view_functions)
    for name in exempt:
        if name not in app.view_functions:
            close = difflib.get_close_matches(name, endpoints, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            app.logger.error(
                "STATUS_ENVELOPE_MAINTENANCE_EXEMPT names %r, which is not an endpoint"
                " of this app, so nothing is exempt under that name.%s",
                name,
                hint,
            )


def _check_config(config: t.Mapping[str, t.Any]) -> None:
    on = config["STATUS_ENVELOPE_MAINTENANCE"]
    if not isinstance(on, bool):
        raise TypeError(
            f"STATUS_ENVELOPE_MAINTENANCE must be True or False, got"
            f" {type(on).__name__} {on!r}. To switch it from outside, set"
            " STATUS_ENVELOPE_MAINTENANCE_FILE instead."
        )
    path = config["STATUS_ENVELOPE_MAINTENANCE_FILE"]
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"STATUS_ENVELOPE_MAINTENANCE_FILE must be a path (str or PathLike) or"
            f" None, got {type(path).__name__} {path!r}."
        )
    exempt = config["STATUS_ENVELOPE_MAINTENANCE_EXEMPT"]
    if (
        isinstance(exempt, str)
        or not isinstance(exempt, Collection)
        or not all(isinstance(endpoint, str) for endpoint in exempt)
    ):
        raise TypeError(
            "STATUS_ENVELOPE_MAINTENANCE_EXEMPT must be a collection of endpoint"
            f" names, got {type(exempt).__name__} {exempt!r}. Write e.g."
            " {'health'} or ['health', 'api.status']."
        )
    try:
        format_retry_after(config["STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER"])
    except (TypeError, ValueError) as e:
        raise type(e)(f"STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER: {e}") from None
