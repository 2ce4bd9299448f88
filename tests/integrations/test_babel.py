"""Translated messages: Flask-Babel's locale picks the default message's language,
and lazy strings render per request."""

from __future__ import annotations

import json
import typing as t
from collections import UserString
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, abort, request
from flask_babel import Babel, lazy_gettext  # type: ignore[import-untyped]
from werkzeug.test import TestResponse

from flask_status_envelope import (
    StatusEnvelope,
    abort_with,
    deprecated,
    envelope_response,
)
from flask_status_envelope.codes import PAGE_MESSAGES, status_text

PACKAGE_TRANSLATIONS = (
    Path(__file__).resolve().parents[2] / "flask_status_envelope" / "translations"
)
LANGUAGES = ["de", "es", "fr", "it", "ja", "pt_BR", "zh_Hans"]

#: A message of the app's own catalog (written by the ``app_catalog`` fixture).
NOT_YOURS = lazy_gettext("Not your order.")
APP_TRANSLATIONS = {"de": "Nicht Ihre Bestellung.", "ja": "ご注文ではありません。"}

DE_404 = "Die angeforderten Daten existieren nicht oder wurden nicht gefunden."
JA_404 = "リクエストされたデータは存在しないか、見つかりません。"
ZH_404 = "您请求的数据不存在或无法找到。"
PT_404 = "Os dados solicitados não existem ou não foram encontrados."
EN_404 = PAGE_MESSAGES[404]


def envelope(code: int, message: str) -> dict[str, t.Any]:
    return {"status": {"code": code, "text": status_text(code), "message": message}}


def answer(response: TestResponse) -> tuple[int, t.Any, str | None]:
    """Status, body and Content-Language, compared in one assertion."""
    assert response.mimetype == "application/json", response.data
    return (
        response.status_code,
        json.loads(response.get_data(as_text=True)),
        response.headers.get("Content-Language"),
    )


def package_catalog(language: str) -> dict[str, str]:
    path = PACKAGE_TRANSLATIONS / language / "LC_MESSAGES" / "flask_status_envelope.po"
    with path.open("rb") as file:
        return {str(m.id): str(m.string) for m in read_po(file) if m.id}


@pytest.fixture
def app_catalog(tmp_path: Path) -> str:
    """A translations folder of the app with ``NOT_YOURS`` in German and Japanese."""
    for language, translation in APP_TRANSLATIONS.items():
        catalog = Catalog(locale=language)
        catalog.add("Not your order.", translation)
        folder = tmp_path / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        with (folder / "messages.mo").open("wb") as file:
            write_mo(file, catalog)
    return str(tmp_path)


class PerRequest(UserString):
    """A ``UserString`` whose text depends on the request, like a lazy string."""

    def __init__(self) -> None:
        pass

    @property
    def data(self) -> str:  # type: ignore[override]
        return f"Not for {request.args.get('who', 'you')}."


def make_app(babel: bool = True, babel_first: bool = False, **config: t.Any) -> Flask:
    app = Flask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config.update(config)

    def init_babel() -> None:
        Babel(app, locale_selector=lambda: request.args.get("lang"))

    if babel and babel_first:
        init_babel()
    StatusEnvelope(app)
    if babel and not babel_first:
        init_babel()

    @app.get("/abort/<int:code>")
    def aborted(code: int) -> str:
        abort(code)

    @app.get("/raised")
    def raised() -> str:
        abort(404, "Pet 3 does not exist.")

    @app.get("/gone")
    @deprecated
    def gone() -> str:
        return "never"

    @app.get("/lazy")
    def lazy() -> str:
        abort_with(403, NOT_YOURS)

    @app.get("/lazy-response")
    def lazy_response() -> t.Any:
        return envelope_response(403, NOT_YOURS)

    @app.get("/user-string")
    def user_string() -> str:
        # abort_with() is annotated str | None; a UserString is accepted too.
        abort_with(403, t.cast(str, PerRequest()))

    return app


# -- the page's default messages ------------------------------------------------------


@pytest.mark.parametrize("babel_first", [False, True])
@pytest.mark.parametrize(
    ("lang", "message", "content_language"),
    [
        ("de", DE_404, "de"),
        ("ja", JA_404, "ja"),
        ("zh_Hans", ZH_404, "zh-Hans"),
        ("pt_BR", PT_404, "pt-BR"),
        # Locale matching: territory and script.
        ("de_AT", DE_404, "de"),
        ("zh", ZH_404, "zh-Hans"),
        ("zh_CN", ZH_404, "zh-Hans"),
        ("zh_Hans_SG", ZH_404, "zh-Hans"),
        ("pt", PT_404, "pt-BR"),
        ("pt_PT", PT_404, "pt-BR"),
        # No catalog: English, and no Content-Language.
        ("zh_TW", EN_404, None),
        ("zh_Hant", EN_404, None),
        ("ko", EN_404, None),
        ("en", EN_404, None),
        (None, EN_404, None),
    ],
)
def test_default_message_follows_babel_locale(
    babel_first: bool, lang: str | None, message: str, content_language: str | None
) -> None:
    client = make_app(babel_first=babel_first).test_client()
    # A None value leaves the parameter out: Babel's default locale, English.
    response = client.get("/abort/404", query_string={"lang": lang})
    assert answer(response) == (404, envelope(404, message), content_language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", sorted(PAGE_MESSAGES))
def test_every_page_message_is_translated(language: str, code: int) -> None:
    translation = package_catalog(language)[PAGE_MESSAGES[code]]
    response = make_app().test_client().get(f"/abort/{code}?lang={language}")
    assert answer(response) == (
        code,
        envelope(code, translation),
        language.replace("_", "-"),
    )
    assert translation != PAGE_MESSAGES[code]


def test_babel_default_locale_without_selector() -> None:
    app = Flask(__name__)
    app.config["BABEL_DEFAULT_LOCALE"] = "ja"
    StatusEnvelope(app)
    Babel(app)

    @app.get("/")
    def view() -> str:
        abort(404)

    assert answer(app.test_client().get("/")) == (404, envelope(404, JA_404), "ja")


def test_without_flask_babel_nothing_changes() -> None:
    response = make_app(babel=False).test_client().get("/abort/404?lang=de")
    assert answer(response) == (404, envelope(404, EN_404), None)


@pytest.mark.parametrize("lang", ["de", "ja"])
def test_deprecated_410_is_translated(lang: str) -> None:
    response = make_app().test_client().get(f"/gone?lang={lang}")
    translation = package_catalog(lang)[PAGE_MESSAGES[410]]
    assert answer(response) == (410, envelope(410, translation), lang)


def test_codes_off_the_page_stay_english() -> None:
    response = make_app().test_client().get("/abort/418?lang=de")
    assert answer(response) == (
        418,
        envelope(418, "This server is a teapot, not a coffee machine"),
        None,
    )


def test_a_configured_message_wins() -> None:
    app = make_app(STATUS_ENVELOPE_MESSAGES={404: "Nothing here."})
    response = app.test_client().get("/abort/404?lang=de")
    assert answer(response) == (404, envelope(404, "Nothing here."), None)


def test_a_raisers_message_wins() -> None:
    response = make_app().test_client().get("/raised?lang=de")
    assert answer(response) == (404, envelope(404, "Pet 3 does not exist."), None)


def test_a_failing_locale_selector_keeps_the_error() -> None:
    app = Flask(__name__)
    StatusEnvelope(app)

    def broken() -> str:
        raise RuntimeError("selector broke")

    Babel(app, locale_selector=broken)

    @app.get("/")
    def view() -> str:
        abort(404)

    assert answer(app.test_client().get("/")) == (404, envelope(404, EN_404), None)


# -- lazy strings ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/lazy", "/lazy-response"])
def test_lazy_gettext_renders_per_request(app_catalog: str, path: str) -> None:
    client = make_app(BABEL_TRANSLATION_DIRECTORIES=app_catalog).test_client()
    seen = [
        answer(client.get(path, query_string={"lang": lang}))
        for lang in ["de", "ja", "en", "de", "ko"]
    ]
    assert seen == [
        (403, envelope(403, "Nicht Ihre Bestellung."), None),
        (403, envelope(403, "ご注文ではありません。"), None),
        (403, envelope(403, "Not your order."), None),
        (403, envelope(403, "Nicht Ihre Bestellung."), None),
        (403, envelope(403, "Not your order."), None),
    ]


def lazy_app(app_catalog: str) -> Flask:
    """An app whose register_exception() and @deprecated messages are lazy."""
    app = Flask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = app_catalog
    status_envelope = StatusEnvelope(app)
    status_envelope.register_exception(LookupError, 404, message=NOT_YOURS)
    Babel(app, locale_selector=lambda: request.args.get("lang"))

    @app.get("/lookup")
    def lookup() -> str:
        raise LookupError("order 7 on db-3")

    @app.get("/gone")
    @deprecated(message=NOT_YOURS)
    def gone() -> str:
        return "never"

    return app


@pytest.mark.parametrize(("path", "code"), [("/lookup", 404), ("/gone", 410)])
def test_lazy_messages_of_register_exception_and_deprecated(
    app_catalog: str, path: str, code: int
) -> None:
    client = lazy_app(app_catalog).test_client()
    seen = [
        answer(client.get(path, query_string={"lang": lang})) for lang in ["ja", "de"]
    ]
    assert seen == [
        (code, envelope(code, "ご注文ではありません。"), None),
        (code, envelope(code, "Nicht Ihre Bestellung."), None),
    ]


def test_lazy_configured_message(app_catalog: str) -> None:
    app = make_app(
        BABEL_TRANSLATION_DIRECTORIES=app_catalog,
        STATUS_ENVELOPE_MESSAGES={404: NOT_YOURS},
    )
    client = app.test_client()
    seen = [answer(client.get(f"/abort/404?lang={lang}")) for lang in ["de", "en"]]
    assert seen == [
        (404, envelope(404, "Nicht Ihre Bestellung."), None),
        (404, envelope(404, "Not your order."), None),
    ]


def test_user_string_renders_per_request() -> None:
    client = make_app(babel=False).test_client()
    seen = [answer(client.get(f"/user-string?who={who}")) for who in ["Ann", "Bob"]]
    assert seen == [
        (403, envelope(403, "Not for Ann."), None),
        (403, envelope(403, "Not for Bob."), None),
    ]


# -- what is not text is still refused at the call ------------------------------------


@pytest.mark.parametrize("message", [b"bytes", 42, 4.2, object(), ["a"]])
def test_non_text_messages_are_refused(message: t.Any) -> None:
    with pytest.raises(TypeError, match="message"):
        abort_with(403, message)
    with pytest.raises(TypeError, match="message"):
        envelope_response(403, message)
    with pytest.raises(TypeError, match="message"):
        StatusEnvelope().register_exception(KeyError, 404, message=message)
    with pytest.raises(TypeError, match="message"):
        deprecated(message=message)


@pytest.mark.parametrize("message", [b"bytes", 42, object()])
def test_non_text_configured_messages_are_refused(message: t.Any) -> None:
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_MESSAGES"] = {404: message}
    with pytest.raises(TypeError, match=r"STATUS_ENVELOPE_MESSAGES\[404\]"):
        StatusEnvelope(app)


@pytest.mark.parametrize("message", [NOT_YOURS, UserString("Nope.")])
def test_lazy_messages_are_accepted_at_the_call(message: t.Any) -> None:
    StatusEnvelope().register_exception(KeyError, 404, message=message)
    deprecated(message=message)
    app = Flask(__name__)
    app.config["STATUS_ENVELOPE_MESSAGES"] = {404: message}
    StatusEnvelope(app)


# -- the catalogs ---------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogs_are_complete(language: str) -> None:
    path = PACKAGE_TRANSLATIONS / language / "LC_MESSAGES" / "flask_status_envelope.po"
    with path.open("rb") as file:
        catalog = read_po(file)
    entries = {m.id: m for m in catalog if m.id}
    assert set(entries) == set(PAGE_MESSAGES.values())
    assert [m.id for m in entries.values() if m.fuzzy or not m.string] == []
    assert str(catalog.locale) == language


def test_catalogs_are_in_the_package_data() -> None:
    import configparser

    setup = configparser.ConfigParser()
    setup.read(PACKAGE_TRANSLATIONS.parents[1] / "setup.cfg")
    data = setup["options.package_data"]["flask_status_envelope"].split()
    assert "translations/*/LC_MESSAGES/*.po" in data


# -- locale matching (flask_status_envelope.integrations.babel) -----------------------


@pytest.mark.parametrize(
    ("locale", "catalog"),
    [
        ("de", "de"),
        ("de_CH", "de"),
        ("es_MX", "es"),
        ("fr_CA", "fr"),
        ("it_CH", "it"),
        ("ja_JP", "ja"),
        ("pt", "pt_BR"),
        ("pt_PT", "pt_BR"),
        ("pt_BR", "pt_BR"),
        ("zh", "zh_Hans"),
        ("zh_CN", "zh_Hans"),
        ("zh_SG", "zh_Hans"),
        ("zh_Hans_CN", "zh_Hans"),
        ("zh_TW", None),
        ("zh_HK", None),
        ("zh_Hant", None),
        ("en", None),
        ("en_US", None),
        ("ko", None),
        ("sr_Latn", None),
    ],
)
def test_catalog_for(locale: str, catalog: str | None) -> None:
    from babel import Locale

    from flask_status_envelope.integrations.babel import catalog_for

    assert catalog_for(Locale.parse(locale)) == catalog


@pytest.mark.parametrize(
    ("catalog", "tag"),
    [("de", "de"), ("pt_BR", "pt-BR"), ("zh_Hans", "zh-Hans")],
)
def test_content_language(catalog: str, tag: str) -> None:
    from flask_status_envelope.integrations.babel import content_language

    assert content_language(catalog) == tag


def test_package_catalogs_are_read_whole() -> None:
    from flask_status_envelope.integrations.babel import catalogs

    assert {name: len(messages) for name, messages in catalogs().items()} == {
        language: len(PAGE_MESSAGES) for language in LANGUAGES
    }
