"""Request ids in the log: every line of a request, and the 5xx lines, carry it."""

from __future__ import annotations

import logging
import typing as t

from flask import Flask

from flask_status_envelope import StatusEnvelope, request_id
from flask_status_envelope.request_ids import LOG_FILTER

# "-" for the lines logged outside a request (at start-up, in a CLI command).
FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"


def log_handler(stream: t.TextIO | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(FORMAT, defaults={"request_id": "-"}))
    # On the handler, the filter also reaches the records of other loggers
    # (your modules' own, libraries'), not only those of app.logger.
    handler.addFilter(LOG_FILTER)
    return handler


def configure_logging() -> None:
    """Call first thing, before the app exists (Flask then adds no handler)."""
    logging.basicConfig(level=logging.INFO, handlers=[log_handler()])


def create_app() -> Flask:
    app = Flask(__name__)
    StatusEnvelope(app)

    @app.get("/orders/<int:order>")
    def order(order: int) -> dict[str, object]:
        logging.getLogger("shop.orders").info("looking up order %s", order)
        return {"order": order, "request_id": request_id()}

    @app.get("/crash")
    def crash() -> t.NoReturn:
        raise RuntimeError("the database password is hunter2")

    return app
