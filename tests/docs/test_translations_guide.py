"""The samples of ``docs/translations.rst``: lazy messages of the app's catalog, the
page's defaults in the request's language, ``Content-Language`` and ``Vary``."""

from __future__ import annotations

import json
import re
import typing as t
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask

from flask_status_envelope.codes import PAGE_MESSAGES

from ..conftest import envelope, load_example

PAGE = (Path(__file__).parent.parent.parent / "docs" / "translations.rst").read_text()

NOT_YOURS = "This order belongs to another customer."
NOT_YOURS_DE = "Diese Bestellung gehört einem anderen Kunden."
NOT_FOUND_DE = "Die angeforderten Daten existieren nicht oder wurden nicht gefunden."
NOT_FOUND_JA = "リクエストされたデータは存在しないか、見つかりません。"


def app_catalog(folder: Path) -> str:
    """The app's own German catalog, compiled as ``pybabel compile`` would."""
    catalog = Catalog(locale="de")
    catalog.add(NOT_YOURS, NOT_YOURS_DE)
    (folder / "de" / "LC_MESSAGES").mkdir(parents=True)
    with (folder / "de" / "LC_MESSAGES" / "messages.mo").open("wb") as file:
        write_mo(file, catalog)
    return str(folder)


@pytest.fixture
def guide_app(tmp_path: Path) -> Flask:
    """The guide's app, with its own catalog.

    Not named ``app``: pytest-flask would push its context around the test, and
    every request of the test would share one ``g``, where Flask-Babel keeps the
    request's locale.
    """
    catalog = Catalog(locale="de")
    catalog.add(NOT_YOURS, NOT_YOURS_DE)
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as file:
        write_mo(file, catalog)
    example = load_example("translations_example")
    return t.cast(
        Flask, example.create_app(BABEL_TRANSLATION_DIRECTORIES=str(tmp_path))
    )


def answer(app: Flask, path: str, language: str) -> tuple[int, t.Any, str | None, str]:
    response = app.test_client().get(path, headers={"Accept-Language": language})
    assert response.mimetype == "application/json", response.data
    return (
        response.status_code,
        json.loads(response.get_data(as_text=True)),
        response.headers.get("Content-Language"),
        response.headers["Vary"],
    )


@pytest.mark.parametrize(
    ("path", "language", "code", "message", "content_language"),
    [
        # The app's lazy message, from its own catalog: no Content-Language.
        ("/orders/2", "de", 403, NOT_YOURS_DE, None),
        ("/orders/2", "fr", 403, NOT_YOURS, None),
        # The page's default, from the package's catalogs.
        ("/nowhere", "de", 404, NOT_FOUND_DE, "de"),
        ("/nowhere", "ja;q=0.9, de;q=0.5", 404, NOT_FOUND_JA, "ja"),
        ("/nowhere", "ko", 404, PAGE_MESSAGES[404], None),
        ("/nowhere", "en", 404, PAGE_MESSAGES[404], None),
    ],
)
def test_translations_sample(
    guide_app: Flask,
    path: str,
    language: str,
    code: int,
    message: str,
    content_language: str | None,
) -> None:
    text = {403: "Forbidden", 404: "Not Found"}[code]
    assert answer(guide_app, path, language) == (
        code,
        envelope(code, text, message),
        content_language,
        # Accept: the body may be problem+json on request (docs/problem.rst).
        "Accept, Accept-Language",
    )


def test_one_lazy_message_follows_each_request(guide_app: Flask) -> None:
    languages = ["de", "en", "de", "fr"]
    messages = [
        answer(guide_app, "/orders/2", lang)[1]["status"]["message"]
        for lang in languages
    ]
    assert messages == [NOT_YOURS_DE, NOT_YOURS, NOT_YOURS_DE, NOT_YOURS]


def test_the_pages_sample_is_what_the_app_answers(guide_app: Flask) -> None:
    sample = re.search(r"Accept-Language: de\n\n(.*?)\n\n(.*?\n)\n", PAGE, re.S)
    assert sample is not None
    head = [line.strip() for line in sample.group(1).splitlines()]
    shown = json.loads(sample.group(2))
    response = guide_app.test_client().get(
        "/nowhere", headers={"Accept-Language": "de"}
    )
    sent = {f"{name}: {value}" for name, value in response.headers.items()}
    assert head[0] == "HTTP/1.1 404 NOT FOUND"
    assert set(head[1:]) <= sent
    assert (response.status_code, json.loads(response.get_data())) == (404, shown)


def test_the_pages_language_list_is_the_shipped_catalogs() -> None:
    from flask_status_envelope.integrations.babel import catalogs

    listed = re.findall(r"\(``(\w+)``\)", PAGE.split("The package ships catalogs")[1])
    assert sorted(listed[:7]) == sorted(catalogs())
    codes = ", ".join(str(code) for code in sorted(PAGE_MESSAGES)[:-1])
    assert f"({codes} and {max(PAGE_MESSAGES)})" in " ".join(PAGE.split())


def test_flask_abort_takes_a_lazy_string_too(tmp_path: Path) -> None:
    from flask import abort, request
    from flask_babel import Babel  # type: ignore[import-untyped]

    from flask_status_envelope import StatusEnvelope

    example = load_example("translations_example")
    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = app_catalog(tmp_path)
    StatusEnvelope(app)
    Babel(app, locale_selector=lambda: request.args.get("lang"))

    @app.get("/")
    def index() -> str:
        abort(403, example.NOT_YOURS)

    client = app.test_client()
    assert [client.get(f"/?lang={lang}").get_json() for lang in ("de", "en")] == [
        envelope(403, "Forbidden", NOT_YOURS_DE),
        envelope(403, "Forbidden", NOT_YOURS),
    ]
