from __future__ import annotations

from flask import Flask, abort
from werkzeug.exceptions import Forbidden, NotFound

from flask_status_envelope import StatusEnvelope, abort_with


class InsufficientBalance(Forbidden):
    """A domain error: its class-level description is its message."""

    description = "Insufficient balance"


app = Flask(__name__)
app.config["STATUS_ENVELOPE_MESSAGES"] = {
    404: "Nothing lives at this address.",
    500: "Something broke on our side. We have been told.",
}
StatusEnvelope(app)


@app.get("/users/<int:user_id>")
def get_user(user_id: int) -> dict[str, int]:
    abort(404, f"User {user_id} does not exist")  # the raiser's reason


@app.get("/orders/<int:order_id>")
def get_order(order_id: int) -> dict[str, int]:
    raise NotFound()  # no reason given: the configured 404 message


@app.post("/pay")
def pay() -> dict[str, str]:
    raise InsufficientBalance()


@app.get("/admin")
def admin() -> dict[str, str]:
    abort_with(403)  # not configured: the status page's 403 message


@app.get("/teapot")
def teapot() -> dict[str, str]:
    abort(418)  # not on the status page: Werkzeug's description


@app.get("/crash")
def crash() -> dict[str, str]:
    raise RuntimeError("db password is hunter2")  # never sent
