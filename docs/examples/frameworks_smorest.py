"""flask-smorest: StatusEnvelope(app) answers every error with the envelope."""

from __future__ import annotations

import marshmallow as ma
from flask import Flask
from flask_smorest import Api, Blueprint, abort

from flask_status_envelope import StatusEnvelope

app = Flask(__name__)
app.config.update(API_TITLE="Pets API", API_VERSION="1.0", OPENAPI_VERSION="3.1.0")
StatusEnvelope(app)
api = Api(app)  # created after the extension: fine too

blp = Blueprint("pets", __name__, url_prefix="/pets")


class PetSchema(ma.Schema):
    name = ma.fields.String(required=True)
    age = ma.fields.Integer()


@blp.route("/", methods=["POST"])
@blp.arguments(PetSchema)
@blp.response(201, PetSchema)
def create_pet(pet: dict[str, object]) -> dict[str, object]:
    return pet


@blp.route("/<int:pet_id>")
@blp.response(200, PetSchema)
def get_pet(pet_id: int) -> dict[str, object]:
    abort(404, message=f"Pet {pet_id} does not exist.")


api.register_blueprint(blp)
