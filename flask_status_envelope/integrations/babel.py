"""Flask-Babel: the page's default messages in the locale Babel selects per request.

The package ships one gettext catalog per language in
``flask_status_envelope/translations/<locale>/LC_MESSAGES/flask_status_envelope.po``.
They are read with Babel's own ``.po`` reader (Babel is a dependency of Flask-Babel,
so it is there whenever this module has anything to do), once per process, the
first time a message is translated: nothing is compiled, so a clean clone or an
sdist works as it is.

A default message is translated when Flask-Babel is initialised on the app
(``app.extensions["babel"]``) and the locale it selects for the request
(:func:`flask_babel.get_locale`) matches a catalog:

- same language and script, the script inferred from Babel's likely subtags when
  the locale has none (``zh`` and ``zh_CN`` are Simplified Chinese, ``zh_TW`` and
  ``zh_HK`` Traditional, which has no catalog);
- then the same territory if a catalog has one, else any catalog of that language
  and script (``de_AT`` reads ``de``; ``pt`` and ``pt_PT`` read ``pt_BR``).

The response then says which language it is in: ``Content-Language`` with the
catalog's BCP 47 tag (``de``, ``pt-BR``, ``zh-Hans``). Without a match the message
stays English and no ``Content-Language`` is sent.
"""

from __future__ import annotations

import functools
import logging
import sys
import typing as t
from pathlib import Path

from flask import current_app

from ..codes import PAGE_MESSAGES

if t.TYPE_CHECKING:
    from babel import Locale

#: The gettext domain of the package's catalogs.
DOMAIN = "flask_status_envelope"

#: Where the catalogs are: ``<locale>/LC_MESSAGES/flask_status_envelope.po``.
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"

_logger = logging.getLogger("flask_status_envelope")


@functools.cache
def catalogs() -> dict[str, dict[str, str]]:
    """Return the translations of each shipped catalog: ``{"de": {english:
    german}}``, read once. Fuzzy and untranslated entries are left out.
    """
    from babel.messages.pofile import read_po

    found: dict[str, dict[str, str]] = {}
    for path in sorted(TRANSLATIONS.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with path.open("rb") as file:
            catalog = read_po(file, domain=DOMAIN)
        found[path.parent.parent.name] = {
            message.id: message.string
            for message in catalog
            if message.id
            and isinstance(message.id, str)
            and isinstance(message.string, str)
            and message.string
            and not message.fuzzy
        }
    return found


def _language_script_territory(locale: Locale) -> tuple[str, str | None, str | None]:
    """The locale's language, script (explicit, else the likely one) and territory."""
    from babel.core import get_global

    script = locale.script
    if script is None:
        likely = get_global("likely_subtags")
        for key in (f"{locale.language}_{locale.territory}", locale.language):
            maximal = likely.get(key)
            if maximal:
                parts = maximal.split("_")
                script = next((p for p in parts[1:] if len(p) == 4), None)
                break
    return locale.language, script, locale.territory


@functools.cache
def _index() -> dict[tuple[str, str | None], list[tuple[str | None, str]]]:
    """The catalogs by (language, script): [(territory, catalog name)]."""
    from babel import Locale

    index: dict[tuple[str, str | None], list[tuple[str | None, str]]] = {}
    for name in catalogs():
        language, script, territory = _language_script_territory(Locale.parse(name))
        index.setdefault((language, script), []).append((territory, name))
    return index


def catalog_for(locale: Locale) -> str | None:
    """Return the name of the catalog for ``locale`` (``"pt_BR"``), or ``None``.

    :param locale: A :class:`babel.Locale`, as :func:`flask_babel.get_locale`
        returns it.
    """
    language, script, territory = _language_script_territory(locale)
    candidates = _index().get((language, script))
    if not candidates:
        return None
    for candidate_territory, name in candidates:
        if candidate_territory == territory:
            return name
    for candidate_territory, name in candidates:
        if candidate_territory is None:
            return name
    return candidates[0][1]


def content_language(name: str) -> str:
    """Return the BCP 47 tag of a catalog name: ``pt_BR`` is ``pt-BR``,
    ``zh_Hans`` is ``zh-Hans``.
    """
    return name.replace("_", "-")


def babel_selected_locale() -> Locale | None:
    """Return the locale Flask-Babel selects for the current request, or ``None``
    when Flask-Babel is not initialised on the current app or selects nothing.

    A failing locale selector (the app's code) is logged and read as ``None``: an
    error response must not fail because of it.
    """
    flask_babel = sys.modules.get("flask_babel")
    if flask_babel is None or "babel" not in current_app.extensions:
        return None
    if not isinstance(current_app.extensions["babel"], flask_babel.BabelConfiguration):
        return None  # another extension under the same key (Flask-BabelEx)
    try:
        locale: Locale | None = flask_babel.get_locale()
    except Exception:
        _logger.warning(
            "flask-status-envelope could not read the locale of the request;"
            " sending the message in English",
            exc_info=True,
        )
        return None
    return locale


def translate(message: str, locale: Locale | None) -> tuple[str, str] | None:
    """Return ``(translation, Content-Language)`` of a page message for ``locale``,
    or ``None`` when no catalog matches or it does not translate ``message``.

    :param message: One of the page's English messages.
    :param locale: The request's :class:`babel.Locale`.
    """
    if locale is None:
        return None
    name = catalog_for(locale)
    if name is None:
        return None
    translation = catalogs()[name].get(message)
    if translation is None:
        return None
    return translation, content_language(name)


def translated_default(code: int) -> tuple[str, str] | None:
    """Return the page's message for ``code`` in the request's locale, with the
    ``Content-Language`` to send, or ``None`` to send the English default without
    ``Content-Language``.

    Only the status page's messages are translated; a code the page does not list,
    a configured :data:`STATUS_ENVELOPE_MESSAGES` entry and a raiser's own message
    are not (the caller chooses those first). Must be called inside the request
    being answered.

    :param code: The HTTP status of the response.
    """
    message = PAGE_MESSAGES.get(code)
    if message is None:
        return None
    return translate(message, babel_selected_locale())
