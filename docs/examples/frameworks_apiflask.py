"""APIFlask: StatusEnvelope(app) answers every error with the envelope."""

from __future__ import annotations

from apiflask import APIFlask, HTTPTokenAuth, Schema, abort
from apiflask.fields import Integer, String

from flask_status_envelope import StatusEnvelope

app = APIFlask(__name__, title="Pets API", version="1.0")
StatusEnvelope(app)  # before or after the routes, nothing else to call
auth = HTTPTokenAuth(scheme="Bearer")


@auth.verify_token
def verify_token(token: str) -> str | None:
    return "alice" if token == "secret" else None


class PetIn(Schema):
    name = String(required=True)
    age = Integer()


@app.post("/pets")
@app.input(PetIn)
def create_pet(json_data: dict[str, object]) -> tuple[dict[str, object], int]:
    return json_data, 201


@app.get("/pets/<int:pet_id>")
@app.auth_required(auth)
def get_pet(pet_id: int) -> dict[str, object]:
    abort(404, f"Pet {pet_id} does not exist.")
