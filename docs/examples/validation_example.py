"""Validation errors: one ``errors`` list, whichever library found them."""

from __future__ import annotations

import typing as t

import marshmallow as ma
import pydantic
from flask import Flask, abort, request
from webargs.flaskparser import use_args

from flask_status_envelope import StatusEnvelope

app = Flask(__name__)
StatusEnvelope(app)


class ItemSchema(ma.Schema):
    name = ma.fields.String(required=True)
    qty = ma.fields.Integer(validate=ma.validate.Range(min=1))


class OrderSchema(ma.Schema):
    customer = ma.fields.Email(required=True)
    items = ma.fields.List(ma.fields.Nested(ItemSchema), required=True)


class Refund(pydantic.BaseModel):
    order_id: int
    amount: float = pydantic.Field(gt=0)


@app.post("/orders")
@use_args(OrderSchema(), location="json")  # webargs: 422, under "json"
def create_order(order: dict[str, t.Any]) -> dict[str, t.Any]:
    return order


@app.post("/imports")
def import_orders() -> dict[str, t.Any]:
    # Raised in the view: STATUS_ENVELOPE_VALIDATION_STATUS (422), no location.
    orders = OrderSchema(many=True).load(request.get_json())
    return {"imported": len(orders)}


@app.post("/refunds")
def refund() -> dict[str, t.Any]:
    # pydantic's errors too: each loc becomes a dotted path.
    return Refund.model_validate(request.get_json()).model_dump()


@app.post("/coupons/<code>")
def redeem(code: str) -> dict[str, str]:
    if not code.isalnum():
        # A dict (or list) of messages as the description is read as field errors.
        abort(400, {"code": ["Letters and digits only."]})
    return {"code": code}
