"""Sphinx configuration for flask-status-envelope.

Build with ``sphinx-build -W --keep-going -b html docs docs/_build/html`` after
``pip install -e '.[docs]'``. ``tests/docs/test_docs.py`` runs that build, so a warning
fails the test suite.
"""

from __future__ import annotations

import sys
import typing as t
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "_scripts"))

import charts  # noqa: E402
import inventories  # noqa: E402
import switches_diagram  # noqa: E402

import flask_status_envelope  # noqa: E402

project = "flask-status-envelope"
author = "flask-status-envelope contributors"
copyright = "the flask-status-envelope contributors"
release = flask_status_envelope.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext"}
# _generated holds what conf.py writes at every build: pictures, and fragments that
# pages include (named .inc, so that they are never built as pages of their own).
exclude_patterns = ["_build", "_generated", "examples", "_inv", "_scripts", "_data"]
default_role = "code"

# Every reference must resolve, to this project or an inventory below.
nitpicky = True
# Type variables in signatures have no page of their own.

autodoc_member_order = "bysource"
autodoc_typehints = "description"
# Types for the parameters a docstring documents: a dataclass made by the package
# (Deprecation) lists its attributes once, not again as constructor parameters.
autodoc_typehints_description_target = "documented"
autodoc_preserve_defaults = True

# -- Intersphinx, offline -----------------------------------------------------------
# The docs are built where only package registries are reachable (here and in CI),
# so Sphinx cannot download the objects.inv of Python, Flask, Werkzeug and the
# others. Instead, docs/_inv/<name>.txt lists the objects these docs link to, in the
# plaintext form of an inventory (``name domain:role priority uri dispname``, as
# ``python -m sphinx.ext.intersphinx URL/objects.inv`` prints a real one), with the
# URIs of the real pages. They are compiled to the zlib form Sphinx reads, in the
# build directory, and given to intersphinx as local files: the links go to the real
# documentation and the build needs no network. ``nitpicky`` is on, so a reference
# to an object no list has fails the build: add its line to the list (copied from
# the real inventory), or write the name as ``literal`` text.
_INV_DIR = HERE / "_build" / "inventories"
intersphinx_mapping = {
    name: (
        url,
        str(inventories.compile_inventory(HERE / "_inv" / f"{name}.txt", _INV_DIR)),
    )
    for name, url in {
        "python": "https://docs.python.org/3/",
        "flask": "https://flask.palletsprojects.com/en/stable/",
        "werkzeug": "https://werkzeug.palletsprojects.com/en/stable/",
        "apispec": "https://apispec.readthedocs.io/en/latest/",
        "flask_limiter": "https://flask-limiter.readthedocs.io/en/stable/",
    }.items()
}

# -- Pictures from data -------------------------------------------------------------
# The deprecation timeline and the benchmark chart are drawn from the data in the
# repository at every build (docs/_scripts/charts.py), never by hand; so is the
# picture of the fleet switches, from the code (docs/_scripts/switches_diagram.py).
charts.write_all(HERE / "_generated")
charts.write_if_changed(
    HERE / "_generated" / "fleet-switches.svg", switches_diagram.switches_svg()
)
charts.write_if_changed(
    HERE / "_generated" / "default-messages.rst.inc", charts.default_messages_table()
)
charts.write_if_changed(
    HERE / "_generated" / "envelope-schema.json", charts.envelope_schema_json()
)

# -- HTML ---------------------------------------------------------------------------
html_theme = "furo"
html_title = f"flask-status-envelope {release}"
html_theme_options = {"navigation_with_keys": True}


def _one_signature_for_deprecated(app: object) -> None:
    # The overloads of ``deprecated`` are for type checkers; the API page shows the
    # one signature of its implementation.
    from sphinx.pycode import ModuleAnalyzer

    analyzer = ModuleAnalyzer.for_module("flask_status_envelope.deprecation.marking")
    analyzer.analyze()
    analyzer.overloads.pop("deprecated", None)


def setup(app: t.Any) -> None:
    app.connect("builder-inited", _one_signature_for_deprecated)
