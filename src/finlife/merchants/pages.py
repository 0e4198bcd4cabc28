"""The merchant console (/merchant): the merchant's home, its stores with their POS terminals, and the
owner's staff. The goods pages live with the catalog (``finlife.catalog.pages``); the customer's
application and the bank's approvals in ``finlife.merchants.onboarding_pages``.

The console works on the signed-in person's merchant: the first (oldest) merchant they are a member
of, as owner or cashier. Owners manage; cashiers read, and see only the stores they work in. Every
page calls the same services as the API, so another merchant's store is the friendly 404 page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.kit.auth import Actor, Role
from finlife.kit.errors import FinlifeError, NotFound
from finlife.kit.pagination import Page, PageParams
from finlife.kit.permissions import Capability
from finlife.merchants import service
from finlife.merchants.schemas import (
    MemberRole,
    MerchantAccess,
    MerchantOut,
    StaffIn,
    StaffOut,
    StaffPasswordOut,
    StoreChangesIn,
    StoreIn,
    StoreOut,
)
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, local_time, page_errors, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import MERCHANT_CONSOLE

router = APIRouter(include_in_schema=False)

Member = Annotated[Actor, Depends(PageAccess(MERCHANT_CONSOLE))]
Owner = Annotated[Actor, Depends(PageAccess(MERCHANT_CONSOLE, Role.MERCHANT_OWNER))]
StaffManager = Annotated[Actor, Depends(PageAccess.to(MERCHANT_CONSOLE, Capability.MERCHANT_STAFF))]
M = TypeVar("M", bound=BaseModel)

LISTED = 100  # one page of stores, staff or terminals; merchants of this size never page
# The categories offered for merchants and stores; any other value is shown as typed.
CATEGORIES = ("restaurant", "fast_food", "cafe", "grocery", "convenience", "retail", "beauty", "services")
STORE_FIELDS = ("name", "address", "district", "latitude", "longitude", "category", "opening_hours")
STAFF_FIELDS = ("username", "password", "name", "store_ids")


@dataclass(frozen=True)
class Console:
    """The merchant the console shows and the signed-in person's access to it."""

    merchant: MerchantOut
    access: MerchantAccess

    @property
    def is_owner(self) -> bool:
        return self.access.role == MemberRole.OWNER


def console_of(session: Session, actor: Actor) -> Console:
    """The actor's merchant (their oldest membership); none at all is a 404, not a blank console."""
    memberships = service.merchants_of(session, actor)
    if not memberships:
        raise NotFound("merchant")
    access = memberships[0]
    return Console(service.get_merchant(session, actor, access.merchant_id), access)


@dataclass(frozen=True)
class HomeCount:
    """A figure on the merchant home, added by a module above merchants (the catalog's goods)."""

    label_key: str
    href: str
    count: Callable[[Session, Actor, str], str]


HOME_COUNTS: list[HomeCount] = []

# Sections of the merchant home added by modules above merchants (payments: today's takings): given
# the request, the page's session, the member and the merchant, their HTML, or None to show nothing.
HomeSection = Callable[[Request, Session, Actor, str], Markup | None]
HOME_SECTIONS: list[HomeSection] = []


def register_home_section(section: HomeSection) -> None:
    """Add a section to the merchant home (once; app.py wires them at start-up)."""
    if section not in HOME_SECTIONS:
        HOME_SECTIONS.append(section)


def count_of(page: Page[Any]) -> str:
    """How many rows a listing holds, as people read it ("100+" past one page)."""
    return f"{len(page.data)}+" if page.has_more else str(len(page.data))


def parse_form(model: type[M], data: dict[str, Any]) -> M:
    """A service input built from a form; the first field the schema refuses becomes the refusal."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else None
        empty = first["type"] in ("missing", "string_too_short", "too_short")
        raise FinlifeError(
            "ui.field_required" if empty else "ui.field_invalid", status=422, field=field
        ) from exc


def _degrees(text: str, field: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise FinlifeError("invalid_coordinates", status=422, field=field) from exc


# Home -----------------------------------------------------------------------------------------------


@router.get("/merchant", response_class=HTMLResponse)
def merchant_home(request: Request, actor: Member) -> HTMLResponse:
    settings = request.app.state.settings
    with request.app.state.db.unit_of_work() as session:
        if not service.merchants_of(session, actor):
            # A login of the console's roles that no merchant counts as its own (yet): a welcome.
            return render(request, "merchants/home_empty.html")
        console = console_of(session, actor)
        merchant_id = console.merchant.id
        stores = service.list_stores(session, actor, merchant_id, PageParams(limit=LISTED))
        counts = [("ui.nav.stores", "/merchant/stores", count_of(stores))]
        if console.is_owner:
            staff = service.list_staff(session, actor, merchant_id, PageParams(limit=LISTED))
            counts.append(("ui.nav.staff", "/merchant/staff", count_of(staff)))
        counts += [(c.label_key, c.href, c.count(session, actor, merchant_id)) for c in HOME_COUNTS]
        sections = [
            html for section in HOME_SECTIONS if (html := section(request, session, actor, merchant_id))
        ]
        settlement = None
        if console.is_owner:
            settlement = accounts.get_account(
                session, settings, actor, console.merchant.settlement_account_id
            )
    return render(
        request,
        "merchants/home.html",
        console=console,
        counts=counts,
        sections=sections,
        stores=stores.data[:5],
        settlement=settlement,
        local=local_time,
    )


# Stores and terminals -------------------------------------------------------------------------------


def _stores_page(request: Request, actor: Actor, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        console = console_of(session, actor)
        stores = service.list_stores(session, actor, console.merchant.id, PageParams(limit=LISTED))
    context.setdefault("values", {"category": console.merchant.category})
    return render(
        request,
        "merchants/stores.html",
        status_code=status_code,
        console=console,
        stores=stores.data,
        categories=CATEGORIES,
        **context,
    )


@router.get("/merchant/stores", response_class=HTMLResponse)
def stores(request: Request, actor: Member) -> HTMLResponse:
    return _stores_page(request, actor)


@router.post("/merchant/stores", dependencies=[Depends(verify_csrf)])
def create_store(
    request: Request,
    actor: Owner,
    name: Annotated[str, Form()] = "",
    address: Annotated[str, Form()] = "",
    district: Annotated[str, Form()] = "",
    latitude: Annotated[str, Form()] = "",
    longitude: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "",
    opening_hours: Annotated[str, Form()] = "",
) -> Response:
    values = {
        "name": name.strip(),
        "address": address.strip(),
        "district": district.strip(),
        "latitude": latitude.strip(),
        "longitude": longitude.strip(),
        "category": category.strip(),
        "opening_hours": opening_hours.strip(),
    }

    def work(session: Session) -> StoreOut:
        console = console_of(session, actor)
        return service.create_store(
            session, actor, console.merchant.id, parse_form(StoreIn, _store_form(values))
        )

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), STORE_FIELDS)
        return _stores_page(request, actor, status_code=refused_status(outcome), errors=errors, values=values)
    return redirect(f"/merchant/stores/{outcome.id}", flash="ui.store_created")


def _store_page(
    request: Request, actor: Actor, store_id: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        console = console_of(session, actor)
        access, store = service.store_access(session, actor, store_id)
        if access.merchant_id != console.merchant.id:
            raise NotFound("store")  # a store of the person's other merchant: not this console's
        terminals = service.list_terminals(session, actor, store_id, PageParams(limit=LISTED))
    return render(
        request,
        "merchants/store.html",
        status_code=status_code,
        console=console,
        store=store,
        terminals=terminals.data,
        local=local_time,
        **context,
    )


@router.get("/merchant/stores/{store_id}", response_class=HTMLResponse)
def store(request: Request, store_id: str, actor: Member) -> HTMLResponse:
    return _store_page(request, actor, store_id)


def _store_form(values: dict[str, str]) -> dict[str, Any]:
    """The store form's text as the service's input: degrees read exactly, the rest as typed."""
    return values | {
        "latitude": _degrees(values["latitude"], "latitude"),
        "longitude": _degrees(values["longitude"], "longitude"),
    }


def _edit_page(
    request: Request, actor: Actor, store_id: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        console = console_of(session, actor)
        access, store = service.store_access(session, actor, store_id, manage=True)
        if access.merchant_id != console.merchant.id:
            raise NotFound("store")
    context.setdefault("values", {name: str(getattr(store, name)) for name in STORE_FIELDS})
    return render(
        request,
        "merchants/store_edit.html",
        status_code=status_code,
        console=console,
        store=store,
        categories=CATEGORIES,
        **context,
    )


@router.get("/merchant/stores/{store_id}/edit", response_class=HTMLResponse)
def edit_store_page(request: Request, store_id: str, actor: Owner) -> HTMLResponse:
    return _edit_page(request, actor, store_id, errors={})


@router.post("/merchant/stores/{store_id}/edit", dependencies=[Depends(verify_csrf)])
def edit_store(
    request: Request,
    store_id: str,
    actor: Owner,
    name: Annotated[str, Form()] = "",
    address: Annotated[str, Form()] = "",
    district: Annotated[str, Form()] = "",
    latitude: Annotated[str, Form()] = "",
    longitude: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "",
    opening_hours: Annotated[str, Form()] = "",
) -> Response:
    typed = (name, address, district, latitude, longitude, category, opening_hours)
    values = {field: text.strip() for field, text in zip(STORE_FIELDS, typed, strict=True)}

    def work(session: Session) -> StoreOut:
        console = console_of(session, actor)
        if service.store_access(session, actor, store_id)[0].merchant_id != console.merchant.id:
            raise NotFound("store")
        return service.edit_store(session, actor, store_id, parse_form(StoreChangesIn, _store_form(values)))

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), STORE_FIELDS)
        return _edit_page(
            request, actor, store_id, status_code=refused_status(outcome), errors=errors, values=values
        )
    return redirect(f"/merchant/stores/{store_id}", flash="ui.store_updated")


@router.post("/merchant/stores/{store_id}/terminals", dependencies=[Depends(verify_csrf)])
def add_terminal(request: Request, store_id: str, actor: Owner) -> Response:
    outcome = attempt(request, lambda session: service.add_terminal(session, actor, store_id))
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), ())
        return _store_page(request, actor, store_id, status_code=refused_status(outcome), errors=errors)
    return redirect(f"/merchant/stores/{store_id}", flash="ui.terminal_added")


# Staff ----------------------------------------------------------------------------------------------


def _staff_page(request: Request, actor: Actor, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        console = console_of(session, actor)
        people = service.list_staff(session, actor, console.merchant.id, PageParams(limit=LISTED))
        stores = service.list_stores(session, actor, console.merchant.id, PageParams(limit=LISTED))
    return render(
        request,
        "merchants/staff.html",
        status_code=status_code,
        console=console,
        people=people.data,
        stores=stores.data,
        store_names={s.id: s.name for s in stores.data},
        me=actor.user_id,
        **context,
    )


@router.get("/merchant/staff", response_class=HTMLResponse)
def staff(request: Request, actor: StaffManager) -> HTMLResponse:
    return _staff_page(request, actor)


@router.post("/merchant/staff", dependencies=[Depends(verify_csrf)])
def add_staff(
    request: Request,
    actor: StaffManager,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    store_ids: Annotated[list[str] | None, Form()] = None,
) -> Response:
    chosen = store_ids or []
    values: dict[str, Any] = {"username": username.strip(), "name": name.strip(), "store_ids": chosen}
    settings = request.app.state.settings

    def work(session: Session) -> Any:
        console = console_of(session, actor)
        if not chosen:
            raise FinlifeError("ui.choose_stores", status=422, field="store_ids")
        body = parse_form(StaffIn, values | {"password": password})
        return service.add_staff(
            session,
            settings,
            actor,
            console.merchant.id,
            username=body.username,
            password=body.password,
            name=body.name,
            store_ids=body.store_ids,
        )

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), STAFF_FIELDS)
        if outcome.field == "username" and outcome.code == "ui.field_invalid":
            errors["username"] = page_errors(
                FinlifeError("ui.username_rule", field="username"), language_of(request), STAFF_FIELDS
            )["username"]
        return _staff_page(request, actor, status_code=refused_status(outcome), errors=errors, values=values)
    return redirect("/merchant/staff", flash="ui.cashier_added")


def _staff_action(
    request: Request, actor: Actor, change: Callable[[Session, str], StaffOut | StaffPasswordOut], flash: str
) -> Response:
    """Disable, enable or reset one of the merchant's people; a new password is shown on the page
    itself, once (never put in a redirect or a toast that could be shown again)."""

    def work(session: Session) -> StaffOut | StaffPasswordOut:
        return change(session, console_of(session, actor).merchant.id)

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), ())
        return _staff_page(request, actor, status_code=refused_status(outcome), action_errors=errors)
    if isinstance(outcome, StaffPasswordOut):
        page = _staff_page(request, actor, new_password=outcome)
        page.headers["Cache-Control"] = "no-store"
        return page
    return redirect("/merchant/staff", flash=flash)


@router.post("/merchant/staff/{staff_id}/disable", dependencies=[Depends(verify_csrf)])
def disable_staff(request: Request, staff_id: str, actor: StaffManager) -> Response:
    def change(session: Session, merchant_id: str) -> StaffOut:
        return service.set_staff_enabled(session, actor, merchant_id, staff_id, enabled=False)

    return _staff_action(request, actor, change, "ui.staff_disabled")


@router.post("/merchant/staff/{staff_id}/enable", dependencies=[Depends(verify_csrf)])
def enable_staff(request: Request, staff_id: str, actor: StaffManager) -> Response:
    def change(session: Session, merchant_id: str) -> StaffOut:
        return service.set_staff_enabled(session, actor, merchant_id, staff_id, enabled=True)

    return _staff_action(request, actor, change, "ui.staff_enabled")


@router.post("/merchant/staff/{staff_id}/password-reset", dependencies=[Depends(verify_csrf)])
def reset_staff_password(request: Request, staff_id: str, actor: StaffManager) -> Response:
    settings = request.app.state.settings

    def change(session: Session, merchant_id: str) -> StaffPasswordOut:
        return service.reset_staff_password(session, settings, actor, merchant_id, staff_id)

    return _staff_action(request, actor, change, "ui.reset_password")
