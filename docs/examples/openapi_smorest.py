"""OpenAPI with flask-smorest: errors answered and documented as the envelope."""

from __future__ import annotations

import marshmallow as ma
from flask import Flask
from flask_smorest import Blueprint, abort

from flask_status_envelope import StatusEnvelope
from flask_status_envelope.openapi import smorest_api_class

Api = smorest_api_class()

app = Flask(__name__)
app.config.update(API_TITLE="Pets API", API_VERSION="1.0", OPENAPI_VERSION="3.1.0")
StatusEnvelope(app)
api = Api(app)  # after StatusEnvelope

blp = Blueprint("pets", __name__, url_prefix="/pets")


class PetSchema(ma.Schema):
    name = ma.fields.String(required=True)


@blp.route("/<int:pet_id>")
@blp.response(200, PetSchema)
@blp.alt_response(404, response="NOT_FOUND")  # documented as the envelope
def get_pet(pet_id: int) -> dict[str, str]:
    abort(404, message=f"Pet {pet_id} does not exist")


@blp.route("/", methods=["POST"])
@blp.arguments(PetSchema)
@blp.response(201, PetSchema)
def create_pet(pet: dict[str, str]) -> dict[str, str]:
    return pet


api.register_blueprint(blp)
