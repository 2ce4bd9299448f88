"""Flask-RESTful: StatusEnvelope(app) answers every error with the envelope."""

from __future__ import annotations

from flask import Flask
from flask_restful import Api, Resource, abort, reqparse

from flask_status_envelope import StatusEnvelope

app = Flask(__name__)
api = Api(app)  # created before the extension: fine too
StatusEnvelope(app)


class Pets(Resource):
    def post(self) -> tuple[dict[str, object], int]:
        parser = reqparse.RequestParser(bundle_errors=True)
        parser.add_argument("name", required=True, location="json")
        parser.add_argument("age", type=int, location="json")
        return dict(parser.parse_args()), 201


class Pet(Resource):
    def get(self, pet_id: int) -> dict[str, object]:
        abort(404, message=f"Pet {pet_id} does not exist.")
        raise AssertionError("unreachable")


api.add_resource(Pets, "/pets")
api.add_resource(Pet, "/pets/<int:pet_id>")
