"""Prometheus counters of error envelopes and deprecated calls (extra ``[metrics]``).

With :data:`STATUS_ENVELOPE_METRICS` on, two counters are kept in the default
registry of ``prometheus_client`` or in :data:`STATUS_ENVELOPE_METRICS_REGISTRY`:

``status_envelope_errors_total{code, endpoint}``
    Every error envelope the app sends. ``endpoint`` is the Flask endpoint name,
    or ``<unmatched>`` when routing found none (the router's 404 and 405): label
    values stay bounded, a raw path never becomes one.
``status_envelope_deprecated_calls_total{endpoint, state}``
    Every call of a deprecated endpoint, ``state`` as
    :data:`~flask_status_envelope.deprecated_endpoint_called` reports it.

The counters are made once per registry, so several apps in one process (or one
app created twice, as tests do) share them instead of failing on a duplicate
registration.

Under gunicorn, use prometheus_client's multiprocess mode: set
``PROMETHEUS_MULTIPROC_DIR`` to an empty directory *before* ``prometheus_client``
is imported (in the environment gunicorn starts with: the value class is chosen
when ``prometheus_client.values`` is imported), and serve ``/metrics`` from a
fresh ``CollectorRegistry`` with a ``MultiProcessCollector``. Counters need no
``child_exit`` hook; ``multiprocess.mark_process_dead`` only matters for live
gauges.

``init_app`` calls :func:`init_metrics` and keeps the result on the app's state
(``state.metrics``); ``envelope.respond`` calls :meth:`Metrics.count_error` once per
error envelope it sends. ``prometheus_client`` is imported only when metrics are on.
"""

from __future__ import annotations

import threading
import typing as t
import weakref

from .deprecation import deprecated_endpoint_called

if t.TYPE_CHECKING:
    from prometheus_client import CollectorRegistry, Counter

    from .state import AppState

#: The counter of error envelopes (its name without ``_total``, as
#: prometheus_client keeps it).
ERRORS = "status_envelope_errors"
#: The counter of calls of deprecated endpoints.
DEPRECATED_CALLS = "status_envelope_deprecated_calls"
#: The ``endpoint`` label when routing found no endpoint.
UNMATCHED = "<unmatched>"

_ERRORS_LABELS = ("code", "endpoint")
_DEPRECATED_LABELS = ("endpoint", "state")

_lock = threading.Lock()
# Made once per registry, by identity; a registry that is dropped takes its entry.
_by_registry: weakref.WeakKeyDictionary[t.Any, tuple[Counter, Counter]] = (
    weakref.WeakKeyDictionary()
)


class Metrics:
    """The counters one app increments."""

    __slots__ = ("_children", "deprecated_calls", "errors")

    def __init__(self, errors: Counter, deprecated_calls: Counter) -> None:
        self.errors = errors
        self.deprecated_calls = deprecated_calls
        # (code, endpoint) -> the labelled child: ``labels()`` takes a lock and
        # builds a tuple of strings per call, a third of the cost of counting.
        # Bounded by codes x endpoints.
        self._children: dict[tuple[int, str | None], t.Any] = {}

    def count_error(self, code: int, endpoint: str | None) -> None:
        """Count one error envelope; ``endpoint`` is ``request.endpoint``."""
        child = self._children.get((code, endpoint))
        if child is None:
            child = self._children.setdefault(
                (code, endpoint),
                self.errors.labels(
                    str(code), UNMATCHED if endpoint is None else endpoint
                ),
            )
        child.inc()

    def count_deprecated_call(
        self, sender: object, *, endpoint: str, state: str, **extra: object
    ) -> None:
        """Receiver of :data:`deprecated_endpoint_called`."""
        self.deprecated_calls.labels(endpoint, state).inc()


def init_metrics(state: AppState) -> Metrics | None:
    """Set the metrics configuration defaults; return the app's counters or ``None``.

    :raises TypeError: A setting has the wrong type.
    :raises RuntimeError: Metrics are on but ``prometheus_client`` is missing.
    """
    config = state.config
    config.setdefault("STATUS_ENVELOPE_METRICS", False)
    config.setdefault("STATUS_ENVELOPE_METRICS_REGISTRY", None)
    on = config["STATUS_ENVELOPE_METRICS"]
    if not isinstance(on, bool):
        raise TypeError(
            f"STATUS_ENVELOPE_METRICS must be True or False, got {type(on).__name__}"
            f" {on!r}. Convert strings from the environment first, or use"
            " app.config.from_prefixed_env()."
        )
    if not on:
        return None
    try:
        import prometheus_client
    except ImportError:
        raise RuntimeError(
            "STATUS_ENVELOPE_METRICS is on but prometheus_client is not installed."
            " Install it with: pip install 'flask-status-envelope[metrics]'"
        ) from None
    registry = config["STATUS_ENVELOPE_METRICS_REGISTRY"]
    if registry is None:
        registry = prometheus_client.REGISTRY
    elif not isinstance(registry, prometheus_client.CollectorRegistry):
        raise TypeError(
            "STATUS_ENVELOPE_METRICS_REGISTRY must be a prometheus_client"
            f" CollectorRegistry or None, got {type(registry).__name__} {registry!r}."
            " Pass e.g. prometheus_client.CollectorRegistry(), or None for the"
            " default registry."
        )
    metrics = Metrics(*_counters(registry))
    # weak=False: the receiver is a bound method of an object only the app's
    # state holds. Blinker drops it when the app (the sender) is collected.
    deprecated_endpoint_called.connect(
        metrics.count_deprecated_call, sender=state.app, weak=False
    )
    return metrics


def _counters(registry: CollectorRegistry) -> tuple[Counter, Counter]:
    with _lock:
        found = _by_registry.get(registry)
        if found is None:
            found = _by_registry[registry] = (
                _counter(
                    registry,
                    ERRORS,
                    "Error envelopes sent, by status code and Flask endpoint.",
                    _ERRORS_LABELS,
                ),
                _counter(
                    registry,
                    DEPRECATED_CALLS,
                    "Calls of deprecated endpoints, by endpoint and state.",
                    _DEPRECATED_LABELS,
                ),
            )
        return found


def _counter(
    registry: CollectorRegistry, name: str, documentation: str, labels: tuple[str, ...]
) -> Counter:
    from prometheus_client import Counter

    try:
        return Counter(name, documentation, labels, registry=registry)
    except ValueError:
        # Registered before this module kept it: the module was imported again
        # (importlib.reload, a second copy on sys.path). Reuse it if it is ours.
        existing = registry._names_to_collectors.get(name)
        if isinstance(existing, Counter) and tuple(existing._labelnames) == labels:
            return existing
        raise ValueError(
            f"The metric {name + '_total'!r} is already registered in {registry!r}"
            " by another collector. Pass a registry of your own as"
            " STATUS_ENVELOPE_METRICS_REGISTRY."
        ) from None


__all__ = ["DEPRECATED_CALLS", "ERRORS", "UNMATCHED", "Metrics", "init_metrics"]
