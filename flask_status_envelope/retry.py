"""``Retry-After`` values: how long a client should wait before trying again."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

from werkzeug.http import http_date

#: What ``retry_after=`` accepts: seconds to wait, or the moment to try again.
RetryAfter = int | timedelta | datetime


def format_retry_after(value: RetryAfter) -> str:
    """Return ``value`` as a ``Retry-After`` header value (RFC 9110 10.2.3).

    Seconds (:class:`int` or :class:`~datetime.timedelta`, rounded up to whole
    seconds) become delta-seconds; a :class:`~datetime.datetime` (naive means UTC)
    becomes an IMF-fixdate.

    :param value: Seconds to wait, or the moment to try again.
    :raises TypeError: ``value`` is a :class:`bool`, a :class:`float` or another
        type.
    :raises ValueError: ``value`` is a negative number of seconds, or a datetime
        that is out of range in UTC.
    """
    if isinstance(value, bool) or not isinstance(value, (int, timedelta, datetime)):
        raise TypeError(
            f"retry_after must be whole seconds (int), a timedelta or a datetime,"
            f" got {type(value).__name__} {value!r}."
        )
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        try:
            return http_date(value)
        except OverflowError:
            raise ValueError(
                f"retry_after {value!r} is not a date in UTC years 1 to 9999, which"
                " is all an HTTP date can carry. Pass a nearer datetime."
            ) from None
    seconds = value if isinstance(value, int) else value.total_seconds()
    if seconds < 0:
        raise ValueError(
            f"retry_after must not be negative, got {value!r}. Pass 0 or more"
            " seconds, or the datetime when the client may try again."
        )
    return str(math.ceil(seconds))
