"""Jinja2 environment for Django's Jinja2 template backend.

Settings use::

    TEMPLATES = [{
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [<src/caseboard/web/templates>],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "caseboard.web.jinja.environment"},
    }]

Besides our own templates, the NHS.UK frontend component macros from the
``nhsuk-frontend-jinja`` package are importable (0.10.2 matches nhsuk-frontend
10.6.1, the npm version scripts/build-assets compiles), for example::

    {% from "nhsuk/components/button/macro.jinja" import button %}

Our own templates come first, so a file under our templates/nhsuk/... would
shadow the package's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import jinja2
from django.templatetags.static import static
from django.urls import reverse

from caseboard.domain import clock


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """``url("case-detail", case.pk)`` or ``url("case-detail", pk=case.pk)``."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def localtime_text(moment: dt.datetime) -> str:
    """A stored (UTC) moment as people in the team read it: '23 Nov 14:05' in Europe/London."""
    local = clock.local(moment)
    return f"{local.day} {local:%b %H:%M}"


def environment(**options: Any) -> jinja2.Environment:
    own_loader = options.pop("loader", None)
    loaders = [own_loader] if own_loader is not None else []
    loaders.append(jinja2.PackageLoader("nhsuk_frontend_jinja", "templates"))
    options["loader"] = jinja2.ChoiceLoader(loaders)
    options.pop("autoescape", None)  # always on, below: the pages show patient data
    # The nhsuk macros read nested optional params ("params.label.text") and
    # need undefined attributes of undefined values to be empty, not errors.
    # Django's default (DebugUndefined when DEBUG) would print "{{ ... }}".
    options["undefined"] = jinja2.ChainableUndefined
    env = jinja2.Environment(autoescape=True, **options)
    env.globals.update(static=static, url=url)
    env.filters["localtime_text"] = localtime_text
    return env
