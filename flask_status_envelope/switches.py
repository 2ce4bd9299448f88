"""Fleet switches in Redis: maintenance mode and retired endpoints for every process.

With :data:`STATUS_ENVELOPE_SWITCHES_URL` set, every process of every host reads two
keys (under :data:`STATUS_ENVELOPE_SWITCHES_PREFIX`, ``status_envelope:`` by
default) and keeps what it read for :data:`STATUS_ENVELOPE_SWITCHES_TTL` seconds:

``status_envelope:maintenance``
    A string. Present means maintenance is on; its value is the ``Retry-After`` in
    seconds, or empty for :data:`STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER`.
``status_envelope:retired``
    A set of endpoint names that answer the 410 envelope now (a kill switch).

Both are read in one round trip (a pipeline of ``GET`` and ``SMEMBERS``), at most
once per TTL per process, never once per request: a request inside the TTL costs
one clock read and a comparison. When the TTL has passed, one thread reads Redis
while the others of the process wait for its answer (bounded by the socket
timeouts), so no thread serves older state than another.

When Redis does not answer, requests keep being served: for one TTL with the last
known state, then with the switches off, or (``STATUS_ENVELOPE_SWITCHES_FAIL =
"closed"``) in maintenance with :data:`STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER`.
Redis is asked again once per TTL; one WARNING is logged when it stops answering
and one INFO when it answers again.

``init_app`` calls :func:`init_switches` and keeps the result on the app's state
(``state.switches``); the extension's request check calls
:meth:`SwitchReader.error_for` with the endpoint, after the maintenance check of
config and file. The CLI (``cli.py``) writes the keys with :class:`SwitchStore`.
"""

from __future__ import annotations

import difflib
import os
import threading
import time
import typing as t
import weakref
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from werkzeug.exceptions import HTTPException

from .aborting import make_error

if t.TYPE_CHECKING:
    import logging

    import redis

    from .state import AppState

#: The default prefix of the keys.
DEFAULT_PREFIX = "status_envelope:"
#: The key suffixes; the keys are ``prefix + MAINTENANCE`` and ``prefix + RETIRED``.
MAINTENANCE = "maintenance"
RETIRED = "retired"
#: The default of ``STATUS_ENVELOPE_SWITCHES_TTL``, in seconds.
DEFAULT_TTL = 2
#: The default of ``STATUS_ENVELOPE_SWITCHES_FAIL``.
DEFAULT_FAIL = "open"
#: How long one read may wait for Redis, in seconds (connect, then each reply).
#: A Redis that drops packets delays the one request that refreshes by about this.
SOCKET_TIMEOUT = 0.25
#: How long the CLI waits for Redis.
CLI_TIMEOUT = 2.0
_FAIL_MODES = ("open", "closed")
_SCHEMES = ("redis", "rediss", "unix")


@dataclass(frozen=True)
class Switches:
    """What the switches say at one moment."""

    #: Maintenance is switched on.
    maintenance: bool = False
    #: Its ``Retry-After`` in seconds; ``None`` for the app's configured one.
    retry_after: int | None = None
    #: The endpoints that answer 410 now.
    retired: frozenset[str] = frozenset()


OFF = Switches()
#: ``STATUS_ENVELOPE_SWITCHES_FAIL = "closed"`` without an answer from Redis.
CLOSED = Switches(maintenance=True)


class SwitchStore:
    """The switches of one key prefix in one Redis: read once, or write (CLI)."""

    def __init__(self, url: str, prefix: str, *, timeout: float) -> None:
        try:
            import redis
            from redis.backoff import NoBackoff
            from redis.retry import Retry
        except ImportError:
            raise RuntimeError(
                "STATUS_ENVELOPE_SWITCHES_URL is set but the redis package is not"
                " installed. Install it with: pip install 'flask-status-envelope"
                "[switches]'"
            ) from None
        self.url = url
        self.prefix = prefix
        self.maintenance_key = prefix + MAINTENANCE
        self.retired_key = prefix + RETIRED
        #: What a failed call raises.
        self.errors: tuple[type[Exception], ...] = (redis.RedisError, OSError)
        try:
            self.client: redis.Redis = redis.Redis.from_url(
                url,
                socket_timeout=timeout,
                socket_connect_timeout=timeout,
                # redis-py 6+ retries 3 times with backoff by default: seconds
                # of stall per request. One attempt; the next one after a TTL.
                retry=Retry(NoBackoff(), 0),
                health_check_interval=0,
            )
        except ValueError as e:
            raise ValueError(
                f"STATUS_ENVELOPE_SWITCHES_URL {safe_url(url)!r} is not a Redis URL"
                f" ({e}). Write e.g. 'redis://127.0.0.1:6379/0'."
            ) from None

    def read(self) -> Switches:
        """Read both keys in one round trip.

        :raises redis.RedisError: Redis did not answer in time, or refused.
        """
        pipe = self.client.pipeline(transaction=False)
        pipe.get(self.maintenance_key)
        pipe.smembers(self.retired_key)
        value, members = pipe.execute()
        retired = frozenset(m.decode("utf-8", "replace") for m in members)
        if value is None:
            return Switches(False, None, retired)
        try:
            seconds: int | None = int(value)
        except ValueError:
            seconds = None  # "" (no value given) or junk: the app's own value
        if seconds is not None and seconds < 0:
            seconds = None
        return Switches(True, seconds, retired)

    def set_maintenance(self, retry_after: int | None) -> None:
        """Switch maintenance on, with its ``Retry-After`` in seconds or ``None``."""
        self.client.set(
            self.maintenance_key, "" if retry_after is None else str(retry_after)
        )

    def clear_maintenance(self) -> None:
        """Switch maintenance off."""
        self.client.delete(self.maintenance_key)

    def retire(self, endpoint: str) -> None:
        """Make ``endpoint`` answer 410 on every process."""
        self.client.sadd(self.retired_key, endpoint)

    def restore(self, endpoint: str) -> None:
        """Serve ``endpoint`` again."""
        self.client.srem(self.retired_key, endpoint)


class SwitchReader:
    """The switches as one process sees them: read from Redis at most once per TTL."""

    def __init__(
        self,
        store: SwitchStore,
        *,
        ttl: float,
        fail: str,
        logger: t.Callable[[], logging.Logger],
        maintenance_retry_after: t.Callable[[], t.Any],
        exempt: t.Callable[[], t.Collection[str]],
    ) -> None:
        self.store = store
        self.ttl = ttl
        self.fallback = CLOSED if fail == "closed" else OFF
        #: Returns the app's logger (read when logging, not at init_app: reading
        #: ``app.logger`` early adds Flask's default handler too early).
        self.logger = logger
        self._retry_after = maintenance_retry_after
        self._exempt = exempt
        #: (valid until, on time.monotonic(); what to serve until then). One tuple,
        #: replaced whole, so a reader never sees half of a refresh.
        self._snapshot: tuple[float, Switches] = (0.0, OFF)
        self._known: Switches | None = None
        self._failing_since: float | None = None
        self._lock = threading.Lock()
        # A refresh waits for Redis at most about two socket timeouts; a waiter
        # that gets no answer in that time serves what it has.
        self._wait = 4 * SOCKET_TIMEOUT + 0.5
        _readers.add(self)

    def current(self) -> Switches:
        """Return the switches, reading Redis if the TTL has passed."""
        until, switches = self._snapshot
        if time.monotonic() < until:
            return switches
        return self._refresh()

    def error_for(self, endpoint: str | None) -> HTTPException | None:
        """Return the 503 or 410 the switches give the request, or ``None``."""
        switches = self.current()
        if switches.maintenance and endpoint not in self._exempt():
            retry_after = switches.retry_after
            if retry_after is None:
                retry_after = self._retry_after()
            return make_error(503, retry_after=retry_after)
        if endpoint is not None and endpoint in switches.retired:
            return make_error(410)
        return None

    def _refresh(self) -> Switches:
        if not self._lock.acquire(timeout=self._wait):
            return self._snapshot[1]
        try:
            until, switches = self._snapshot
            if time.monotonic() < until:
                return switches  # another thread refreshed while this one waited
            try:
                switches = self.store.read()
            except self.store.errors as e:
                switches = self._failed(e)
            else:
                self._answered(switches)
            self._snapshot = (time.monotonic() + self.ttl, switches)
            return switches
        finally:
            self._lock.release()

    def _answered(self, switches: Switches) -> None:
        self._known = switches
        if self._failing_since is not None:
            self.logger().info(
                "Redis at %s answers again after %.1f s; fleet switches are read"
                " from it again.",
                safe_url(self.store.url),
                time.monotonic() - self._failing_since,
            )
            self._failing_since = None

    def _failed(self, error: Exception) -> Switches:
        if self._failing_since is None:
            self._failing_since = time.monotonic()
            self.logger().warning(
                "Redis at %s does not answer (%s: %s). Fleet switches: the last"
                " known state for %s s, then %s; Redis is asked again every %s s."
                " Logged once per outage.",
                safe_url(self.store.url),
                type(error).__name__,
                error,
                self.ttl if self._known is not None else 0,
                "maintenance (STATUS_ENVELOPE_SWITCHES_FAIL = 'closed')"
                if self.fallback is CLOSED
                else "switches off",
                self.ttl,
            )
            if self._known is not None:
                return self._known
        return self.fallback

    def _after_fork(self) -> None:
        # A lock held by another thread of the parent at fork() would stay held in
        # the child for ever.
        self._lock = threading.Lock()


_readers: weakref.WeakSet[SwitchReader] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for reader in list(_readers):
        reader._after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def init_switches(state: AppState) -> SwitchReader | None:
    """Set the switches configuration defaults; return the app's reader or ``None``.

    Nothing connects here: the first request that needs the switches does.

    :raises TypeError: A setting has the wrong type.
    :raises ValueError: A setting is out of range, or the URL is not a Redis URL.
    :raises RuntimeError: A URL is set but the ``redis`` package is missing.
    """
    app = state.app
    config = state.config
    config.setdefault("STATUS_ENVELOPE_SWITCHES_URL", None)
    config.setdefault("STATUS_ENVELOPE_SWITCHES_TTL", DEFAULT_TTL)
    config.setdefault("STATUS_ENVELOPE_SWITCHES_FAIL", DEFAULT_FAIL)
    config.setdefault("STATUS_ENVELOPE_SWITCHES_PREFIX", DEFAULT_PREFIX)
    url, ttl, fail, prefix = check_config(config)
    if url is None:
        return None
    return SwitchReader(
        SwitchStore(url, prefix, timeout=SOCKET_TIMEOUT),
        ttl=ttl,
        fail=fail,
        logger=lambda: app.logger,
        maintenance_retry_after=lambda: config[
            "STATUS_ENVELOPE_MAINTENANCE_RETRY_AFTER"
        ],
        exempt=lambda: config.get("STATUS_ENVELOPE_MAINTENANCE_EXEMPT", ()),
    )


def check_config(config: t.Mapping[str, t.Any]) -> tuple[str | None, float, str, str]:
    """Check the switches settings; return URL, TTL, fail mode and prefix."""
    url = config["STATUS_ENVELOPE_SWITCHES_URL"]
    if url is not None and not isinstance(url, str):
        raise TypeError(
            "STATUS_ENVELOPE_SWITCHES_URL must be a Redis URL or None, got"
            f" {type(url).__name__}. Write e.g. 'redis://127.0.0.1:6379/0'."
        )
    if url is not None and _scheme(url) not in _SCHEMES:
        raise ValueError(
            f"STATUS_ENVELOPE_SWITCHES_URL {safe_url(url)!r} is not a Redis URL,"
            " which starts with redis://, rediss:// or unix://, e.g."
            " 'redis://127.0.0.1:6379/0'."
        )
    ttl = config["STATUS_ENVELOPE_SWITCHES_TTL"]
    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)):
        raise TypeError(
            "STATUS_ENVELOPE_SWITCHES_TTL must be a number of seconds, got"
            f" {type(ttl).__name__} {ttl!r}."
        )
    if not ttl > 0:
        raise ValueError(
            f"STATUS_ENVELOPE_SWITCHES_TTL must be more than 0 seconds, got {ttl!r}:"
            " every request would ask Redis."
        )
    fail = config["STATUS_ENVELOPE_SWITCHES_FAIL"]
    if fail not in _FAIL_MODES:
        close = difflib.get_close_matches(str(fail), _FAIL_MODES, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"STATUS_ENVELOPE_SWITCHES_FAIL must be 'open' (switches off while Redis"
            f" does not answer) or 'closed' (maintenance), got {fail!r}.{hint}"
        )
    prefix = config["STATUS_ENVELOPE_SWITCHES_PREFIX"]
    if not isinstance(prefix, str) or not prefix:
        raise TypeError(
            "STATUS_ENVELOPE_SWITCHES_PREFIX must be a non-empty str, got"
            f" {type(prefix).__name__} {prefix!r}."
        )
    return url, float(ttl), fail, prefix


def _scheme(url: str) -> str:
    try:
        return urlsplit(url).scheme
    except ValueError:
        return ""


def safe_url(url: str) -> str:
    """Return ``url`` without its password, for messages and logs."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.rpartition("@")[2]
        user = parts.username or ""
        return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))
    except ValueError:
        return "<the configured URL>"


__all__ = [
    "CLI_TIMEOUT",
    "CLOSED",
    "DEFAULT_FAIL",
    "DEFAULT_PREFIX",
    "DEFAULT_TTL",
    "MAINTENANCE",
    "OFF",
    "RETIRED",
    "SOCKET_TIMEOUT",
    "SwitchReader",
    "SwitchStore",
    "Switches",
    "check_config",
    "init_switches",
    "safe_url",
]
