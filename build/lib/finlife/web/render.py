"""Server-rendered pages: one Jinja2 environment, the language of a request, flash toasts.

``render(request, "template.html", **context)`` is all a page needs. Every template sees ``t`` (the
one message catalogue, in the visitor's language), ``lang``, ``shell``, ``actor``, ``flash``,
``csrf_token(action)``, and the filters ``money``, ``mask_phone``, ``mask_id``, ``mask_card``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    TemplateNotFound,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from markupsafe import Markup

from finlife.kit.i18n import CATALOGUE, DEFAULT_LANGUAGE, LANGUAGES, format_money, translate
from finlife.kit.masking import mask_card_number, mask_id_number, mask_phone
from finlife.web import csrf
from finlife.web.shells import Shell, shell_for_path

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
PACKAGE_DIR = WEB_DIR.parent
LANG_COOKIE = "lang"
FLASH_COOKIE = "finlife_flash"
ONE_YEAR = 365 * 24 * 3600


class CapabilityLoader(BaseLoader):
    """``"customers/signup.html"`` → ``finlife/customers/templates/signup.html``.

    Each capability keeps its page templates next to its ``pages.py``; the design system's own
    templates (base, layouts, macros) win when a name exists in both places.
    """

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Any]:
        module, _, rest = template.partition("/")
        if not rest or not module.isidentifier():
            raise TemplateNotFound(template)
        path = PACKAGE_DIR / module / "templates" / rest
        if not path.is_file():
            raise TemplateNotFound(template)
        mtime = path.stat().st_mtime
        return path.read_text(encoding="utf-8"), str(path), lambda: path.stat().st_mtime == mtime


def _static_version() -> str:
    """A fingerprint of the static files, appended to their URLs so browsers never run stale CSS."""
    digest = hashlib.sha256()
    for path in sorted(STATIC_DIR.rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


@pass_context
def _t(context: Context, key: str, **params: Any) -> str:
    return translate(key, context.get("lang", DEFAULT_LANGUAGE), params)


@pass_context
def _money(context: Context, amount: int, currency: str = "CNY") -> str:
    return format_money(amount, currency, context.get("lang", DEFAULT_LANGUAGE))


def page_address(request: Request) -> str:
    """Where the language switch comes back to. A page answering a refused form (a POST) has no
    address of its own to GET again, so it is the page the form was sent from (same site only)."""
    if request.method in ("GET", "HEAD"):
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    referer = urlsplit(request.headers.get("referer", ""))
    same_site = referer.netloc == request.url.netloc and referer.path.startswith("/")
    shell = current_shell(request)
    fallback = shell.home if shell else "/app"
    return (
        local_path(referer.path + (f"?{referer.query}" if referer.query else ""), fallback)
        if same_site
        else fallback
    )


def _build_environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(WEB_DIR / "templates"), CapabilityLoader()]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        t=_t,
        known=CATALOGUE.__contains__,
        static_version=_static_version(),
        languages=LANGUAGES,
        page_address=page_address,
    )
    env.filters.update(
        money=_money, mask_phone=mask_phone, mask_id=mask_id_number, mask_card=mask_card_number
    )
    return env


templates = _build_environment()


def language_of(request: Request) -> str:
    """The visitor's language: the ``lang`` cookie set by the switch on every page, else zh-CN."""
    chosen = request.cookies.get(LANG_COOKIE, "")
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def current_shell(request: Request) -> Shell | None:
    shell = getattr(request.state, "shell", None)
    return shell if isinstance(shell, Shell) else shell_for_path(request.url.path)


def render(request: Request, template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page in the visitor's language with the shell, the actor and any pending toast."""
    flash_key = request.cookies.get(FLASH_COOKIE)
    values: dict[str, Any] = {
        "request": request,
        "lang": language_of(request),
        "shell": current_shell(request),
        "actor": getattr(request.state, "actor", None),
        "flash": flash_key if flash_key in CATALOGUE else None,
        "csrf_token": lambda action: csrf.token_for(request, action),
        "errors": {},
        "values": {},
    }
    values.update(context)
    html = templates.get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code)
    if flash_key is not None:
        response.delete_cookie(FLASH_COOKIE, path="/")
    csrf.remember_new_seed(request, response)
    return response


def render_fragment(request: Request, template: str, **context: Any) -> Markup:
    """A part of a page rendered for another module's page (see ``accounts.teller_pages`` sections):
    the same globals as ``render`` — language, shell, actor — and no response of its own."""
    values: dict[str, Any] = {
        "request": request,
        "lang": language_of(request),
        "shell": current_shell(request),
        "actor": getattr(request.state, "actor", None),
        "csrf_token": lambda action: csrf.token_for(request, action),
        "errors": {},
        "values": {},
    }
    values.update(context)
    # The environment autoescapes: what the template writes is already safe HTML.
    return Markup(templates.get_template(template).render(values))  # noqa: S704


def redirect(url: str, *, flash: str | None = None) -> RedirectResponse:
    """303 See Other (the right answer to a form post); ``flash`` is a catalogue key shown as a toast."""
    response = RedirectResponse(url, status_code=303)
    if flash is not None:
        response.set_cookie(FLASH_COOKIE, flash, max_age=60, path="/", httponly=True, samesite="lax")
    return response


def local_path(candidate: str | None, fallback: str) -> str:
    """Only same-site paths are followed after sign-in or a language switch (no open redirects)."""
    if candidate and candidate.startswith("/") and not candidate.startswith(("//", "/\\")):
        return candidate
    return fallback


def set_language_cookie(response: RedirectResponse, language: str) -> None:
    response.set_cookie(LANG_COOKIE, language, max_age=ONE_YEAR, path="/", samesite="lax")
