"""A deprecation schedule: when an endpoint is deprecated, when it is gone, the
brownouts between, and the headers it sends; parsed and checked once, when the
endpoint is decorated."""

from __future__ import annotations

import re
import typing as t
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from werkzeug.http import http_date

from ..codes import check_message
from ..headers import check_uri

#: The phases of a deprecated endpoint, as the ``deprecated_endpoint_called``
#: signal reports them.
DEPRECATED = "deprecated"
BROWNOUT = "brownout"
SUNSET = "sunset"

#: What the moments of a schedule may be given as.
DateLike = date | datetime | str

# RFC 3986 URI-references have no spaces, controls, quotes or angle brackets; any
# of these would break the Link header's syntax or split the response.
_BAD_LINK_CHARS = re.compile(r'[\x00-\x20\x7f"<>]|[^\x00-\x7f]')


@dataclass(frozen=True)
class Deprecation:
    """The deprecation schedule of an endpoint, as made by :func:`deprecated`.

    All moments are timezone-aware UTC :class:`~datetime.datetime` objects in
    whole seconds. The header values are computed once, when the endpoint is
    decorated.

    .. versionadded:: 0.1
    """

    #: When the endpoint was (or will be) deprecated, sent as ``Deprecation``.
    since: datetime
    #: When it stops working (410 from then on), or ``None`` for never.
    sunset: datetime | None
    #: Where to go instead, sent as ``Link: <...>; rel="successor-version"``.
    successor: str | None
    #: Where the deprecation is explained, sent as ``Link: <...>; rel="deprecation"``.
    info: str | None
    #: The message of the 410 envelope; ``None`` for the default 410 message.
    message: str | None
    #: ``(start, end)`` windows before the sunset that already answer 410.
    brownouts: tuple[tuple[datetime, datetime], ...]
    #: ``True`` for a bare ``@deprecated``, which is gone now whatever the clock says.
    retired: bool
    #: The headers every response of the endpoint carries, in order.
    headers: tuple[tuple[str, str], ...]
    #: The ``Link`` value alone (``None`` without successor and info).
    link: str | None
    # The same moments as Unix seconds, for the per-request comparison.
    _sunset_at: float | None = field(init=False, repr=False, compare=False)
    _brownouts_at: tuple[tuple[float, float], ...] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        sunset = None if self.sunset is None else self.sunset.timestamp()
        object.__setattr__(self, "_sunset_at", sunset)
        windows = tuple((s.timestamp(), e.timestamp()) for s, e in self.brownouts)
        object.__setattr__(self, "_brownouts_at", windows)

    def state_at(self, now: datetime) -> str:
        """Return where the endpoint is in its schedule at ``now``.

        :param now: The moment; naive means UTC.
        :returns: ``"sunset"`` on and after the sunset (always for a bare
            ``@deprecated``), ``"brownout"`` inside a brownout window, else
            ``"deprecated"``.
        """
        return self._state(utc(now).timestamp())

    def _state(self, now: float) -> str:
        if self.retired:
            return SUNSET
        sunset = self._sunset_at
        if sunset is not None and now >= sunset:
            return SUNSET
        for start, end in self._brownouts_at:
            if start <= now < end:
                return BROWNOUT
        return DEPRECATED


def build(
    *,
    since: object,
    sunset: object,
    successor: object,
    info: object,
    message: object,
    brownouts: object,
) -> Deprecation:
    """Return the checked schedule for the arguments of ``@deprecated``."""
    sunset_at = None if sunset is None else _parse_moment("sunset", sunset)
    # Only a decoration that says nothing but, at most, the 410 message retires the
    # endpoint now; a successor, a link or brownouts announce a deprecation.
    retired = (
        since is None
        and sunset is None
        and successor is None
        and info is None
        and not brownouts
    )
    if since is not None:
        since_at = _parse_moment("since", since)
        if sunset_at is not None and sunset_at < since_at:
            raise ValueError(
                f"sunset={sunset!r} is earlier than since={since!r}. An endpoint is"
                " deprecated first and removed later: swap them or fix the date."
            )
    else:
        since_at = datetime.now(timezone.utc).replace(microsecond=0)
        if sunset_at is not None and sunset_at < since_at:
            since_at = sunset_at
    if retired:
        sunset_at = since_at
    _check_link("successor", successor)
    _check_link("info", info)
    checked_message = check_message(message)
    windows = _parse_brownouts(brownouts)
    for index, (start_at, _end_at) in enumerate(windows):
        if sunset_at is not None and not retired and start_at >= sunset_at:
            raise ValueError(
                f"brownouts[{index}] starts on or after sunset={sunset!r}, when the"
                " endpoint answers 410 anyway. Brownouts belong before the sunset."
            )
    link = ", ".join(
        f'<{uri}>; rel="{rel}"'
        for uri, rel in ((successor, "successor-version"), (info, "deprecation"))
        if uri is not None
    )
    headers = [("Deprecation", f"@{int(since_at.timestamp())}")]
    if sunset_at is not None:
        headers.append(("Sunset", http_date(sunset_at)))
    return Deprecation(
        since=since_at,
        sunset=sunset_at,
        successor=t.cast("str | None", successor),
        info=t.cast("str | None", info),
        message=checked_message,
        brownouts=windows,
        retired=retired,
        headers=tuple(headers),
        link=link or None,
    )


def utc(moment: datetime) -> datetime:
    """Return ``moment`` in UTC; naive means UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _parse_moment(name: str, value: object) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        if text[-1:] in ("Z", "z"):
            # datetime.fromisoformat() accepts "Z" only from Python 3.11 on.
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"{name}={value!r} is not an ISO-8601 date or datetime. Write it as"
                " '2026-12-31' or '2026-12-31T12:00:00Z', or pass a date or"
                " datetime."
            ) from None
    else:
        raise TypeError(
            f"{name} must be a date, a datetime or an ISO-8601 string, got"
            f" {type(value).__name__} {value!r}."
        )
    return utc(moment).replace(microsecond=0)


def _check_link(name: str, value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be a URI string or None, got {type(value).__name__}"
            f" {value!r}."
        )
    check_uri(name, value, _BAD_LINK_CHARS, " that can be sent in a Link header")


def _parse_brownouts(
    brownouts: object,
) -> tuple[tuple[datetime, datetime], ...]:
    if isinstance(brownouts, (str, bytes)) or not isinstance(brownouts, Iterable):
        raise TypeError(
            "brownouts must be a list of (start, end) pairs, got"
            f" {type(brownouts).__name__} {brownouts!r}."
        )
    windows = []
    for index, window in enumerate(brownouts):
        try:
            start, end = window
        except (TypeError, ValueError):
            raise TypeError(
                f"brownouts[{index}] must be a (start, end) pair, got {window!r}."
            ) from None
        start_at = _parse_moment(f"brownouts[{index}] start", start)
        end_at = _parse_moment(f"brownouts[{index}] end", end)
        if end_at <= start_at:
            raise ValueError(
                f"brownouts[{index}] ends ({end!r}) before it starts ({start!r})."
                " Give the window as (start, end)."
            )
        windows.append((start_at, end_at))
    return tuple(windows)
