"""OpenAPI with APIFlask: errors answered and documented as the envelope."""

from __future__ import annotations

from apiflask import APIFlask, Schema, abort
from apiflask.fields import String

from flask_status_envelope import StatusEnvelope
from flask_status_envelope.openapi import error_responses, init_apiflask

app = APIFlask(__name__, title="Pets API", version="1.0")
StatusEnvelope(app)
init_apiflask(app)  # after StatusEnvelope


class PetIn(Schema):
    name = String(required=True)


@app.post("/pets")
@app.input(PetIn)
def create_pet(json_data: dict[str, str]) -> dict[str, str]:
    # A missing "name" answers 422 with the message "json.name: Missing data
    # for required field."
    return json_data


@app.get("/pets/<int:pet_id>")
@app.doc(responses=error_responses(404))
def get_pet(pet_id: int) -> dict[str, int]:
    abort(404, f"Pet {pet_id} does not exist")
