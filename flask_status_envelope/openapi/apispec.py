"""apispec helpers: the envelope schema component, and ``deprecated: true`` on the
operations of deprecated views. apispec is imported only when a helper needs it."""

from __future__ import annotations

import re
import typing as t

from flask import Flask

from ..deprecation import endpoint_deprecation, view_deprecation
from .schema import SCHEMA_NAME, envelope_schema

# A variable part of a Werkzeug rule: <name>, <converter:name>, <conv(args):name>.
_RULE_VARIABLE = re.compile(r"<(?:[^>]*:)?([^>:]+)>")

_OPENAPI_METHODS = ("get", "put", "post", "delete", "patch", "trace")


def is_deprecated(view: object, method: str = "GET") -> bool:
    """Tell whether ``view`` is marked by :func:`~flask_status_envelope.deprecated`.

    For a :class:`~flask.views.MethodView`, the method for ``method`` is looked at
    first, then the class. A blueprint-wide deprecation is not seen from the view
    alone; :func:`mark_deprecated` takes it into account through
    :func:`~flask_status_envelope.endpoint_deprecation`.

    :param view: A view function or ``View.as_view()`` result.
    :param method: The HTTP method.

    .. versionadded:: 0.1
    """
    return view_deprecation(view, method) is not None


def openapi_path(rule: str) -> str:
    """Return the OpenAPI path of a Werkzeug rule: ``/users/<int:id>`` becomes
    ``/users/{id}``.

    :param rule: A URL rule as written in ``@app.route``.

    .. versionadded:: 0.1
    """
    # Werkzeug's own rule parser is private.
    return _RULE_VARIABLE.sub(lambda m: "{" + m.group(1).strip() + "}", rule)


def mark_deprecated(spec: dict[str, t.Any], app: Flask) -> dict[str, t.Any]:
    """Set ``deprecated: true`` on the operations of ``spec`` served by deprecated
    views of ``app``, and return ``spec``.

    Works on any OpenAPI document as a dict, whatever produced it: apispec's
    ``spec.to_dict()``, an APIFlask ``spec_processor``, flask-smorest's
    ``api.spec.to_dict()``.

    :param spec: The OpenAPI document; changed in place.
    :param app: The app whose URL map and view functions are read.

    .. versionadded:: 0.1
    """
    paths = spec.get("paths") or {}
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        item = paths.get(openapi_path(rule.rule))
        if view is None or item is None:
            continue
        for method in rule.methods or ():
            operation = item.get(method.lower())
            if operation is not None and endpoint_deprecation(
                rule.endpoint, method, app=app
            ):
                operation["deprecated"] = True
    return spec


def register_apispec(spec: t.Any, *, name: str = SCHEMA_NAME) -> None:
    """Register the envelope schema as the component ``name`` of an apispec
    :class:`~apispec.APISpec`, in the dialect of its OpenAPI version.

    Refer to it with :func:`error_responses` in an operation's ``responses``.

    :param spec: An :class:`apispec.APISpec`.
    :param name: The component name.

    .. versionadded:: 0.1
    """
    spec.components.schema(
        name, envelope_schema(openapi_version=str(spec.openapi_version))
    )


def apispec_plugin(app: Flask | None = None) -> t.Any:
    """Return an apispec plugin that registers the envelope schema component and
    marks operations of deprecated views ``deprecated: true``.

    The view of an operation is the ``view=`` argument of ``spec.path()`` (as
    apispec-webframeworks' Flask plugin passes it), else the view function of the
    ``rule=`` argument (as flask-smorest passes it) looked up in ``app``.

    .. code-block:: python

        spec = APISpec("API", "1.0", "3.1.0", plugins=[apispec_plugin(app)])

    :param app: The app whose view functions are looked up by rule.

    .. versionadded:: 0.1
    """
    from apispec import BasePlugin

    view_functions = app.view_functions if app is not None else {}

    class StatusEnvelopePlugin(BasePlugin):
        def init_spec(self, spec: t.Any) -> None:
            super().init_spec(spec)
            register_apispec(spec)

        def operation_helper(
            self,
            path: str | None = None,
            operations: dict[str, t.Any] | None = None,
            **kwargs: t.Any,
        ) -> None:
            view = kwargs.get("view")
            rule = kwargs.get("rule")
            if not operations:
                return
            for method, operation in operations.items():
                if method in _OPENAPI_METHODS and _deprecated(view, rule, method):
                    operation["deprecated"] = True

    def _deprecated(view: t.Any, rule: t.Any, method: str) -> bool:
        # With the rule, blueprint-wide deprecations count too.
        if rule is not None and rule.endpoint in view_functions and app is not None:
            return endpoint_deprecation(rule.endpoint, method, app=app) is not None
        return view is not None and is_deprecated(view, method)

    return StatusEnvelopePlugin()
