"""The samples of ``docs/validation.rst``: what each source of field errors answers,
as the page's table and first sample show it."""

from __future__ import annotations

import json
import re
import typing as t
from pathlib import Path

import pytest
from werkzeug.test import TestResponse

from ..conftest import envelope, load_example

PAGE = (Path(__file__).parent.parent.parent / "docs" / "validation.rst").read_text()

REQUIRED = "Missing data for required field."


def body_of(response: TestResponse) -> t.Any:
    """The JSON body, after checking that it is sent as JSON."""
    assert response.mimetype == "application/json", response.data
    return json.loads(response.get_data(as_text=True))


def body(code: int, text: str, *errors: tuple[str, str]) -> dict[str, t.Any]:
    return {
        "status": {
            "code": code,
            "text": text,
            "message": "; ".join(f"{field}: {message}" for field, message in errors),
            "errors": [
                {"field": field, "message": message} for field, message in errors
            ],
        }
    }


@pytest.mark.parametrize(
    ("row", "path", "kwargs", "expected"),
    [
        (
            "``POST /orders`` with a bad email         422    ``json.customer``",
            "/orders",
            {"json": {"customer": "nope", "items": []}},
            body(
                422,
                "Unprocessable Entity",
                ("json.customer", "Not a valid email address."),
            ),
        ),
        (
            "``POST /orders`` with ``{`` as body       400    ``json._schema``",
            "/orders",
            {"data": "{", "content_type": "application/json"},
            body(400, "Bad Request", ("json._schema", "Invalid JSON body.")),
        ),
        (
            "``POST /imports``, second order bad       422    ``1.customer``,"
            " ``1.items.0.name``",
            "/imports",
            {
                "json": [
                    {"customer": "ada@example.com", "items": []},
                    {"items": [{"name": 1}]},
                ]
            },
            body(
                422,
                "Unprocessable Entity",
                ("1.customer", REQUIRED),
                ("1.items.0.name", "Not a valid string."),
            ),
        ),
        (
            "``POST /refunds`` with ``amount: -1``     422    ``amount``, ``order_id``",
            "/refunds",
            {"json": {"amount": -1}},
            body(
                422,
                "Unprocessable Entity",
                ("amount", "Input should be greater than 0"),
                ("order_id", "Field required"),
            ),
        ),
        (
            "``POST /coupons/ab-c``                    400    ``code``",
            "/coupons/ab-c",
            {},
            body(400, "Bad Request", ("code", "Letters and digits only.")),
        ),
    ],
)
def test_validation_sample(
    row: str, path: str, kwargs: dict[str, t.Any], expected: dict[str, t.Any]
) -> None:
    client = load_example("validation_example").app.test_client()
    response = client.post(path, **kwargs)
    assert (response.status_code, body_of(response)) == (
        expected["status"]["code"],
        expected,
    )
    assert row in PAGE


def test_the_pages_first_sample_is_what_webargs_answers() -> None:
    sample = re.search(r"UNPROCESSABLE ENTITY\n.*?\n\n(.*?\n)\n", PAGE, re.S)
    assert sample is not None
    shown = json.loads(sample.group(1))
    client = load_example("validation_example").app.test_client()
    response = client.post("/orders", json={"customer": "nope", "items": [{}]})
    assert (response.status_code, body_of(response)) == (422, shown)


def test_valid_requests_pass() -> None:
    client = load_example("validation_example").app.test_client()
    order = {"customer": "ada@example.com", "items": [{"name": "tea", "qty": 2}]}
    assert client.post("/orders", json=order).get_json() == order
    assert client.post("/imports", json=[order]).get_json() == {"imported": 1}
    refund = {"order_id": 7, "amount": 2.5}
    assert client.post("/refunds", json=refund).get_json() == refund
    assert client.post("/coupons/SPRING26").get_json() == {"code": "SPRING26"}


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            {"STATUS_ENVELOPE_VALIDATION_STATUS": 400},
            body(400, "Bad Request", ("amount", "Field required")),
        ),
        (
            {"STATUS_ENVELOPE_FIELD_ERRORS": False},
            envelope(422, "Unprocessable Entity", "amount: Field required"),
        ),
    ],
)
def test_configuration(config: dict[str, t.Any], expected: dict[str, t.Any]) -> None:
    from flask import Flask, request

    from flask_status_envelope import StatusEnvelope

    refund_model = load_example("validation_example").Refund
    app = Flask(__name__)
    app.config.update(config)
    StatusEnvelope(app)

    @app.post("/refunds")
    def refund() -> dict[str, t.Any]:
        return dict(refund_model.model_validate(request.get_json()).model_dump())

    response = app.test_client().post("/refunds", json={"order_id": 7})
    assert (response.status_code, body_of(response)) == (
        expected["status"]["code"],
        expected,
    )
