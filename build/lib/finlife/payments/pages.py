"""The POS cashier screen of the merchant console (/merchant/pos): choose the store and terminal, the
shift bar, the goods grid and the cart with its running totals, and "charge" (opens the order).

The order's page (tenders, QR, receipt, refunds) is in ``order_pages``, the shift's in
``shift_pages``, the customer app's scan-to-pay page in ``pay_pages`` and its payment code in
``code_pages``; this router includes them.
The pages live in payments because they take payments; each calls the same services as the API.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from finlife.cashier import service as cashier
from finlife.cashier.schemas import OrderIn, OrderOut, OrderPreviewOut, ShiftOpenIn
from finlife.catalog import service as catalog
from finlife.catalog.schemas import ItemOut
from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError
from finlife.kit.idempotency import Outcome
from finlife.kit.pagination import PageParams
from finlife.payments import code_pages, order_pages, pay_pages, shift_pages
from finlife.payments.pos import (
    MAX_LINE_AMOUNT,
    Cart,
    Seller,
    Till,
    cart_of,
    keep_cart,
    normal_coupon_code,
    parse_count,
    parse_model,
    remember_till,
    resolve_till,
    selling_stores,
    till_of,
    visible_refusal,
)
from finlife.web.csrf import verify_csrf
from finlife.web.forms import (
    attempt,
    local_time,
    move_money,
    new_form_key,
    page_errors,
    parse_amount,
    refused_status,
)
from finlife.web.render import language_of, redirect, render

router = APIRouter(include_in_schema=False)
router.include_router(order_pages.router)
router.include_router(shift_pages.router)
router.include_router(pay_pages.router)
router.include_router(code_pages.router)

GOODS_SHOWN = 100
RECENT_ORDERS = 8
FREE_FIELDS = ("free_name", "free_amount")


def _priced(
    session: Session, actor: Actor, till: Till, cart: Cart
) -> tuple[OrderPreviewOut | None, FinlifeError | None]:
    """The cart's totals from the cashier service. A line it refuses (archived meanwhile, another
    merchant's) or a coupon it refuses (used, expired, not for this store …) leaves the cart, and
    the refusal is told once."""
    refusal = None
    while cart.lines:
        try:
            return cashier.calculate(session, actor, _order_of(till, cart)), refusal
        except FinlifeError as error:
            index = (error.field or "").split(".")
            if index[0] == "coupon_codes" and error.params.get("coupon") in cart.coupons:
                cart.drop_coupon(error.params["coupon"])
            elif len(index) >= 2 and index[1].isdigit():
                cart.remove(int(index[1]))
            else:
                raise
            refusal = refusal or error
    return None, refusal


def _order_of(till: Till, cart: Cart) -> OrderIn:
    return OrderIn(
        store_id=till.store.id, terminal_id=till.terminal_id, lines=cart.inputs(), coupon_codes=cart.coupons
    )


def _recent(session: Session, actor: Actor, till: Till) -> list[OrderOut]:
    orders = cashier.list_orders(session, actor, till.store.id, PageParams(limit=50)).data
    return [order for order in orders if order.terminal_id == till.terminal_id][:RECENT_ORDERS]


def _goods(session: Session, actor: Actor, till: Till, query: str) -> list[ItemOut]:
    params = PageParams(limit=GOODS_SHOWN)
    return catalog.list_items(session, actor, till.store.merchant_id, params, query=query or None).data


def pos_page(
    request: Request,
    actor: Actor,
    *,
    status_code: int = 200,
    query: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    key: str | None = None,
) -> Response:
    """The till: shift bar, goods, cart; without a chosen terminal, the terminal choice."""
    cart = cart_of(request)
    with request.app.state.db.unit_of_work() as session:
        till = till_of(request, session, actor)
        if till is None:
            return redirect("/merchant/pos/terminal")
        preview, dropped = _priced(session, actor, till, cart)
        context: dict[str, Any] = {
            "till": till,
            "shift": cashier.current_shift(session, till.terminal_id),
            "goods": _goods(session, actor, till, query),
            "recent": _recent(session, actor, till),
        }
    errors = dict(errors or {})
    if dropped:
        errors.setdefault("_cart", dropped.message(language_of(request)))
    response = render(
        request,
        "payments/pos.html",
        status_code=status_code,
        cart=cart,
        preview=preview,
        query=query,
        errors=errors,
        values=values or {},
        key=key or new_form_key(),
        local=local_time,
        **context,
    )
    keep_cart(response, cart)
    return response


def _message(request: Request, code: str) -> str:
    return FinlifeError(code).message(language_of(request))


@router.get("/merchant/pos", response_class=HTMLResponse)
def pos(request: Request, actor: Seller, q: Annotated[str, Query(max_length=64)] = "") -> Response:
    return pos_page(request, actor, query=q.strip())


# Store and terminal ----------------------------------------------------------------------------------


def _choose_page(
    request: Request, actor: Actor, *, status_code: int = 200, error: str | None = None
) -> Response:
    with request.app.state.db.unit_of_work() as session:
        stores = selling_stores(session, actor)
        current = till_of(request, session, actor)
    return render(
        request,
        "payments/pos_terminal.html",
        status_code=status_code,
        stores=stores,
        current=current.cookie if current else "",
        errors={"_form": error} if error else {},
    )


@router.get("/merchant/pos/terminal", response_class=HTMLResponse)
def choose_terminal(request: Request, actor: Seller) -> Response:
    return _choose_page(request, actor)


@router.post("/merchant/pos/terminal", dependencies=[Depends(verify_csrf)])
def terminal_chosen(request: Request, actor: Seller, till: Annotated[str, Form()] = "") -> Response:
    chosen = attempt(request, lambda session: resolve_till(session, actor, till))
    if isinstance(chosen, FinlifeError):
        return _choose_page(
            request, actor, status_code=422, error=_message(request, "ui.pos.choose_terminal")
        )
    response = redirect("/merchant/pos", flash="ui.pos.terminal_chosen")
    remember_till(response, chosen)
    keep_cart(response, Cart())  # a cart belongs to the till it was built at
    return response


# The cart --------------------------------------------------------------------------------------------


@router.post("/merchant/pos/cart", dependencies=[Depends(verify_csrf)])
def edit_cart(
    request: Request,
    actor: Seller,
    add: Annotated[str, Form(max_length=32)] = "",
    more: Annotated[str, Form()] = "",
    less: Annotated[str, Form()] = "",
    drop: Annotated[str, Form()] = "",
    clear: Annotated[str, Form()] = "",
    q: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """One tap on the till: add a variation, one more or one less of a line, drop a line, clear all."""
    cart = cart_of(request)
    if add:
        cart.add(add)
    for text, delta in ((more, 1), (less, -1)):
        if text.isdigit():
            cart.change(int(text), delta)
    if drop.isdigit():
        cart.remove(int(drop))
    if clear:
        cart = Cart()
    response = redirect("/merchant/pos" + (f"?{urlencode({'q': q.strip()})}" if q.strip() else ""))
    keep_cart(response, cart)
    return response


@router.post("/merchant/pos/cart/free", dependencies=[Depends(verify_csrf)])
def add_free_line(
    request: Request,
    actor: Seller,
    free_name: Annotated[str, Form()] = "",
    free_amount: Annotated[str, Form()] = "",
) -> Response:
    """A line the cashier keys in: a name and an amount (a service charge, an unlisted item)."""
    cart = cart_of(request)
    name = free_name.strip() or _message(request, "ui.pos.free_line_default")
    try:
        if len(name) > 64:
            raise FinlifeError("ui.field_invalid", status=422, field="free_name")
        amount = parse_amount(free_amount, "free_amount")
        if amount > MAX_LINE_AMOUNT:
            raise FinlifeError("ui.amount_invalid", status=422, field="free_amount")
        cart.add_free(name, amount)
    except FinlifeError as error:
        errors = page_errors(error, language_of(request), FREE_FIELDS)
        values = {"free_name": free_name, "free_amount": free_amount}
        return pos_page(request, actor, status_code=422, errors=errors, values=values)
    response = redirect("/merchant/pos")
    keep_cart(response, cart)
    return response


@router.post("/merchant/pos/cart/coupon", dependencies=[Depends(verify_csrf)])
def add_coupon(
    request: Request,
    actor: Seller,
    coupon_code: Annotated[str, Form(max_length=64)] = "",
    drop_coupon: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """The customer's coupon, keyed in (or scanned) from the wallet; or one taken off again. The
    cashier service prices it at once, so a code it refuses is told here, by the field."""
    cart = cart_of(request)
    if drop_coupon:
        cart.drop_coupon(normal_coupon_code(drop_coupon))
        response = redirect("/merchant/pos")
        keep_cart(response, cart)
        return response
    code = normal_coupon_code(coupon_code)
    refusal: FinlifeError | None = None
    if not code:
        refusal = FinlifeError("ui.field_required", status=422, field="coupon_code")
    elif not cart.lines:
        refusal = FinlifeError("ui.pos.coupon_needs_goods", status=422, field="coupon_code")
    else:
        trial = Cart(cart.lines, [*cart.coupons, code])
        with request.app.state.db.unit_of_work() as session:
            till = till_of(request, session, actor)
            if till is None:
                return redirect("/merchant/pos/terminal")
            try:
                cashier.calculate(session, actor, _order_of(till, trial))
            except FinlifeError as error:
                visible_refusal(error)
                refusal = error
    if refusal is not None:
        message = refusal.message(language_of(request))
        values = {"coupon_code": coupon_code}
        return pos_page(request, actor, status_code=422, errors={"coupon_code": message}, values=values)
    cart.add_coupon(code)
    response = redirect("/merchant/pos", flash="ui.pos.coupon_added")
    keep_cart(response, cart)
    return response


@router.post("/merchant/pos/charge", dependencies=[Depends(verify_csrf)])
def charge(request: Request, actor: Seller, idempotency_key: Annotated[str, Form()] = "") -> Response:
    """Open the order of the cart (once per form key), then take payment on the order's page."""
    cart = cart_of(request)
    outcome: Outcome | FinlifeError
    with request.app.state.db.unit_of_work() as session:
        till = till_of(request, session, actor)
    if till is None:
        return redirect("/merchant/pos/terminal")
    try:
        if not cart.lines:
            raise FinlifeError("ui.pos.cart_empty", status=422)
        body = _order_of(till, cart)
    except FinlifeError as error:
        outcome = error
    else:
        outcome = move_money(
            request,
            actor,
            key=idempotency_key,
            body=body.model_dump(mode="json"),
            work=lambda session: cashier.open_order(session, actor, body),
        )
    if isinstance(outcome, FinlifeError):
        visible_refusal(outcome)
        errors = {"_charge": page_errors(outcome, language_of(request), ())["_form"]}
        return pos_page(
            request, actor, status_code=refused_status(outcome), errors=errors, key=idempotency_key
        )
    response = redirect(f"/merchant/pos/orders/{outcome.body['id']}", flash="ui.pos.order_opened")
    keep_cart(response, Cart())
    return response


# Opening a shift (the shift's own page is in shift_pages) ------------------------------------------------


@router.post("/merchant/pos/shift/open", dependencies=[Depends(verify_csrf)])
def open_shift(request: Request, actor: Seller, opening_float: Annotated[str, Form()] = "") -> Response:
    with request.app.state.db.unit_of_work() as session:
        till = till_of(request, session, actor)
    if till is None:
        return redirect("/merchant/pos/terminal")
    try:
        float_fen = parse_count(opening_float, "opening_float")
        body = parse_model(ShiftOpenIn, {"terminal_id": till.terminal_id, "opening_float": float_fen})
    except FinlifeError as error:
        outcome: Any = error
    else:
        outcome = attempt(request, lambda session: cashier.open_shift(session, actor, till.store.id, body))
    if isinstance(outcome, FinlifeError):
        visible_refusal(outcome)
        errors = page_errors(outcome, language_of(request), ("opening_float",))
        errors.setdefault("opening_float", errors.pop("_form", ""))
        return pos_page(
            request,
            actor,
            status_code=refused_status(outcome),
            errors=errors,
            values={"opening_float": opening_float},
        )
    return redirect("/merchant/pos", flash="ui.pos.shift_opened")
