"""flask-restx: StatusEnvelope(app) answers every error with the envelope."""

from __future__ import annotations

from flask import Flask
from flask_restx import Api, Resource, abort, fields

from flask_status_envelope import StatusEnvelope

app = Flask(__name__)
StatusEnvelope(app)
api = Api(app)

pet = api.model("Pet", {"name": fields.String(required=True), "age": fields.Integer()})


@api.route("/pets")
class Pets(Resource):
    @api.expect(pet, validate=True)
    def post(self) -> tuple[dict[str, object], int]:
        return api.payload, 201


@api.route("/pets/<int:pet_id>")
class Pet(Resource):
    def get(self, pet_id: int) -> dict[str, object]:
        abort(404, f"Pet {pet_id} does not exist.")
        raise AssertionError("unreachable")
