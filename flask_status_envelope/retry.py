"""``Retry-After`` values: how long a client should wait before trying again."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from werkzeug.http import http_date

#: What ``retry_after=`` accepts: seconds to wait, or the moment to try again.
RetryAfter = int | timedelta | datetime

_SECOND = timedelta(seconds=1)

#: The default of :data:`STATUS_ENVELOPE_DEFAULT_RETRY_AFTER`, in seconds.
DEFAULT_RETRY_AFTER = 60


def format_retry_after(value: RetryAfter) -> str:
    """Return ``value`` as a ``Retry-After`` header value (RFC 9110 10.2.3).

    Seconds (:class:`int` or :class:`~datetime.timedelta`) become delta-seconds; a
    :class:`~datetime.datetime` (naive means UTC, an aware one is converted to UTC)
    becomes an IMF-fixdate such as ``Wed, 25 Nov 2026 21:00:00 GMT``. Fractions of
    a second are rounded up, in both forms, so that a client never comes back
    before the given time.

    .. code-block:: python

        format_retry_after(30)  # "30"
        format_retry_after(timedelta(seconds=1.2))  # "2"
        format_retry_after(datetime(2026, 11, 25, 21))
        # "Wed, 25 Nov 2026 21:00:00 GMT"

    :param value: Seconds to wait, or the moment to try again.
    :raises TypeError: ``value`` is a :class:`bool`, a :class:`float`, a
        :class:`~datetime.date` without a time, or another type.
    :raises ValueError: ``value`` is a negative number of seconds, or a datetime
        that is out of range in UTC.

    .. versionadded:: 0.1
    """
    moment_or_seconds = retry_after_value(value)
    if isinstance(moment_or_seconds, datetime):
        return http_date(moment_or_seconds)
    return str(moment_or_seconds)


def retry_after_value(value: RetryAfter) -> int | datetime:
    """Return ``value`` as Werkzeug's ``retry_after`` takes it: whole seconds, or an
    aware UTC :class:`~datetime.datetime` in whole seconds, rounded up.

    :raises TypeError: As :func:`format_retry_after`.
    :raises ValueError: As :func:`format_retry_after`.
    """
    if isinstance(value, bool) or not isinstance(value, (int, timedelta, datetime)):
        hint = ""
        if isinstance(value, float):
            hint = " Round it first, e.g. math.ceil(value), or pass a timedelta."
        raise TypeError(
            f"retry_after must be whole seconds (int), a timedelta or a datetime,"
            f" got {type(value).__name__} {value!r}.{hint}"
        )
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        try:
            if value.microsecond:
                # http_date() drops the fraction, which would be up to a second early.
                value = value.replace(microsecond=0) + _SECOND
            http_date(value)  # refuses what an HTTP date cannot carry
        except OverflowError:
            raise ValueError(
                f"retry_after {value!r} is not a date in UTC years 1 to 9999, which"
                " is all an HTTP date can carry. Pass a nearer datetime."
            ) from None
        return value
    if isinstance(value, int):
        negative, seconds = value < 0, value
    else:
        # Exact integer arithmetic: total_seconds() is a float and loses
        # microseconds on long durations.
        negative = value < timedelta(0)
        seconds = value.days * 86400 + value.seconds + (1 if value.microseconds else 0)
    if negative:
        raise ValueError(
            f"retry_after must not be negative, got {value!r}. Pass 0 or more"
            " seconds, or the datetime when the client may try again."
        )
    return seconds


def check_default_retry_after(value: object) -> None:
    """Check :data:`STATUS_ENVELOPE_DEFAULT_RETRY_AFTER`: seconds, or ``None``.

    :raises TypeError: ``value`` is not an :class:`int`, a
        :class:`~datetime.timedelta` or ``None``.
    :raises ValueError: ``value`` is negative.
    """
    if value is None:
        return
    if isinstance(value, datetime) or not isinstance(value, (int, timedelta)):
        raise TypeError(
            "STATUS_ENVELOPE_DEFAULT_RETRY_AFTER must be whole seconds (int), a"
            f" timedelta or None, got {type(value).__name__} {value!r}. A fixed"
            " moment would soon be in the past; give a delay."
        )
    try:
        format_retry_after(value)
    except (TypeError, ValueError) as e:
        raise type(e)(f"STATUS_ENVELOPE_DEFAULT_RETRY_AFTER: {e}") from None
