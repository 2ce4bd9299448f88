"""The WSGI entry point a production server imports.

.. code-block:: console

    $ gunicorn --bind 127.0.0.1:8000 wsgi:app
    $ waitress-serve --listen=127.0.0.1:8000 wsgi:app
"""

from __future__ import annotations

from flask import Flask

from flask_status_envelope import StatusEnvelope, abort_with

status_envelope = StatusEnvelope()


def create_app() -> Flask:
    app = Flask(__name__)
    status_envelope.init_app(app)

    @app.get("/users/<int:user_id>")
    def user(user_id: int) -> dict[str, int]:
        abort_with(404, f"User {user_id} does not exist")

    @app.get("/crash")
    def crash() -> str:
        raise RuntimeError("secret: database password is hunter2")

    return app


app = create_app()
