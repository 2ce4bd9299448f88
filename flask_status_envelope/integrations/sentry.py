"""Sentry: every server error reaches Sentry once, tagged with the request id.

sentry-sdk's Flask integration captures what Flask sends on
``got_request_exception``, which Flask sends only from ``handle_exception``: the
unhandled exceptions. An exception answered by a ``register_exception`` mapping is
*handled* (an error handler answered it), so Sentry never sees it, except through
sentry-sdk's logging integration when the mapping logs it; with that integration
turned off it is lost. :func:`capture_mapped` captures it explicitly; sentry-sdk's
``DedupeIntegration`` (a default integration) drops the logging integration's copy
of the same exception object, so it arrives once either way.

The tag ``request_id`` is added by a global event processor, so it is on every
event captured during a request (the Flask integration's, the logging
integration's, this module's, the app's own), and the id is only made when an
event is.

sentry-sdk is never imported here: importing it costs about 90 ms, and an app that
uses Sentry has imported it (``sentry_sdk.init()`` comes before the app is made,
as Sentry's docs say) by the time the extension needs it.

``init_app`` calls :func:`init_sentry`, and the ``register_exception`` handler of a
5xx calls :func:`capture_mapped` *before* it logs the exception.
"""

from __future__ import annotations

import sys
import typing as t

from flask import current_app, has_request_context, request

from ..state import state_or_none

_registered = False


def init_sentry() -> None:
    """Register the event processor that tags events with the request id.

    Once per process, and only if ``sentry_sdk`` is imported; :func:`capture_mapped`
    registers it too, for apps that import sentry-sdk after ``init_app``.
    """
    sentry_sdk = sys.modules.get("sentry_sdk")
    if sentry_sdk is not None:
        _register(sentry_sdk)


def capture_mapped(error: BaseException) -> None:
    """Send ``error``, answered by a ``register_exception`` 5xx, to Sentry.

    Does nothing without sentry-sdk or an active client.
    """
    sentry_sdk = sys.modules.get("sentry_sdk")
    if sentry_sdk is None or not sentry_sdk.get_client().is_active():
        return
    _register(sentry_sdk)
    sentry_sdk.capture_exception(error)


def _register(sentry_sdk: t.Any) -> None:
    global _registered
    if _registered:
        return
    _registered = True
    sentry_sdk.scope.add_global_event_processor(_tag_request_id)


def _tag_request_id(event: dict[str, t.Any], hint: object) -> dict[str, t.Any]:
    # Never raises: sentry-sdk drops an event whose processor fails.
    if not has_request_context():
        return event
    state = state_or_none(current_app._get_current_object())  # type: ignore[attr-defined]
    settings = None if state is None else state.request_ids
    if settings is None:
        return event
    tags = event.get("tags")
    if not isinstance(tags, dict):
        tags = event["tags"] = {}
    req = request._get_current_object()  # type: ignore[attr-defined]
    tags.setdefault("request_id", settings.id_for(req))
    return event
