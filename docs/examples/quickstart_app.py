from flask import Flask

from flask_status_envelope import StatusEnvelope, abort_with

app = Flask(__name__)
StatusEnvelope(app)


@app.get("/me")
def me() -> dict[str, str]:
    abort_with(401, "Invalid token.")
