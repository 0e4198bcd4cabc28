"""Who may see a page, and what a page answers when the answer is "no".

``PageAccess`` *is* an ``Access`` (so the route-permission test finds it) that reads the session
cookie, takes only a session bound to one of its shell's channels (another shell's session counts as
none: its sign-in page asks again), and marks the request as a page request. Page actions are
attributed to the session's channel, as API calls are to their token's.
Errors raised on a page request are then answered for people, not programs:

- 401 (no or expired session) → 303 to the shell's sign-in page, with ``?next=`` the page asked for;
- any other ``FinlifeError`` (403 wrong role, 404, a rule refusal, a stale form) → an HTML error page
  with the catalogue's message in the visitor's language;
- unknown paths and malformed requests under ``/app``, ``/merchant``, ``/bank`` → the same page.

API requests keep their problem+json answers: the page handlers delegate to the kit's handlers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from finlife.kit.auth import Access, Actor, Channel, Role
from finlife.kit.errors import FinlifeError
from finlife.kit.i18n import LANGUAGES
from finlife.kit.permissions import Capability, holders
from finlife.web.render import STATIC_DIR, language_of, local_path, redirect, render, set_language_cookie
from finlife.web.shells import SHELLS, Shell, shell_for_path

Handler = Callable[[Request, Exception], Awaitable[Response]]


class PageAccess(Access):
    """``PageAccess(BANK_CONSOLE)``: the shell's roles; ``PageAccess(BANK_CONSOLE, Role.BANK_ADMIN)``
    narrows them; ``PageAccess.anyone(shell)`` admits everyone (sign-in and sign-up pages);
    ``PageAccess(PARTNER_CONSOLE, scopes=("partner:self",))`` admits a partner's console session.
    """

    def __init__(
        self,
        shell: Shell,
        *roles: Role,
        public: bool = False,
        any_user: bool = False,
        scopes: tuple[str, ...] = (),
    ) -> None:
        admitted = roles or (() if public or any_user else tuple(shell.roles))
        # ``scopes``: a shell for partners (its session is a partner's token, ``kit.auth``).
        super().__init__(*admitted, public=public, any_user=any_user, cookie=True, scopes=scopes)
        self.shell = shell

    @classmethod
    def to(cls, shell: Shell, capability: Capability) -> PageAccess:
        """The shell's people who hold ``capability`` (kit.permissions decides who they are)."""
        return cls(shell, *sorted(holders(capability) & shell.roles))

    @classmethod
    def anyone(cls, shell: Shell) -> PageAccess:
        return cls(shell, public=True)

    def admits_session(self, actor: Actor) -> bool:
        return actor.channel in self.shell.channels

    def visitor_channel(self, claimed: Channel | None) -> Channel:
        return self.shell.channel

    async def __call__(self, request: Request) -> Actor:
        request.state.shell = self.shell
        return await super().__call__(request)


def is_page_request(request: Request) -> bool:
    return getattr(request.state, "shell", None) is not None or shell_for_path(request.url.path) is not None


def sign_in_redirect(request: Request, shell: Shell) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{shell.login_path}?{urlencode({'next': target})}", status_code=303)


def way_back(request: Request) -> str:
    """Where an error page sends the person: the home of the app they are in, unless they may not use
    that app (a merchant's owner who opened the bank console), then the home of the app they may use."""
    shell = getattr(request.state, "shell", None) or shell_for_path(request.url.path)
    person = getattr(request.state, "actor", None) or getattr(request.state, "refused_actor", None)
    if shell is not None and (person is None or not person.roles or person.has(*shell.roles)):
        return str(shell.home)
    if person is not None:
        for theirs in SHELLS:
            if person.has(*theirs.roles):
                return theirs.home
    return shell.home if shell is not None else "/app"


def error_page(request: Request, *, status: int, message: str, code: str) -> Response:
    context = {"status": status, "message": message, "code": code, "home": way_back(request)}
    return render(request, "error.html", status_code=status, **context)


def _page_aware(original: Handler, page: Handler) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        return await (page if is_page_request(request) else original)(request, exc)

    return handle


async def _finlife_page(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, FinlifeError)
    shell = getattr(request.state, "shell", None) or shell_for_path(request.url.path)
    if exc.status == 401 and shell is not None:
        return sign_in_redirect(request, shell)
    return error_page(request, status=exc.status, message=exc.message(language_of(request)), code=exc.code)


async def _http_page(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 403: "forbidden", 401: "unauthenticated"}.get(exc.status_code, "ui.error")
    error = FinlifeError(code, status=exc.status_code, params={"what": "page"})
    return await _finlife_page(request, error)


async def _validation_page(request: Request, exc: Exception) -> Response:
    return await _finlife_page(request, FinlifeError("validation_error", status=422))


router = APIRouter(include_in_schema=False)


@router.get("/lang", dependencies=[Depends(Access.public_route())])
def switch_language(
    to: Annotated[str, Query()] = "zh-CN", next: Annotated[str | None, Query()] = None
) -> RedirectResponse:
    """The language switch on every page: remember the choice and go back where the visitor was."""
    response = redirect(local_path(next, "/app"))
    set_language_cookie(response, to if to in LANGUAGES else LANGUAGES[0])
    return response


def install_pages(app: FastAPI, *routers: APIRouter) -> None:
    """Mount /static, the language switch, the page routers, and the page-aware error handlers.

    Call after ``finlife.kit.errors.install_handlers``: API requests still reach those handlers.
    """
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(router)
    for page_router in routers:
        app.include_router(page_router)
    for exc_type, page in (
        (FinlifeError, _finlife_page),
        (StarletteHTTPException, _http_page),
        (RequestValidationError, _validation_page),
    ):
        original = app.exception_handlers[exc_type]
        app.add_exception_handler(exc_type, _page_aware(original, page))  # type: ignore[arg-type]
