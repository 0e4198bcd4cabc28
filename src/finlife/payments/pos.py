"""What every POS page shares: who may use the till, which store and terminal this browser rings up
at (remembered in a cookie), the cart being built (another cookie), and how a form's text becomes
the service's input.

The cart holds only what the cashier chose (variation ids and quantities, free lines); names, prices
and totals always come from ``cashier.service.calculate``, so a tampered cookie prices nothing.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.responses import Response

from finlife.cashier.schemas import CatalogLineIn, FreeLineIn, LineIn
from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError, NotFound
from finlife.kit.money import to_decimal
from finlife.kit.pagination import PageParams
from finlife.merchants import service as merchants
from finlife.merchants.schemas import MerchantStatus, StoreOut
from finlife.web.forms import parse_amount
from finlife.web.pages import PageAccess
from finlife.web.shells import MERCHANT_CONSOLE

# The merchant console's owner and cashiers, on their session's channel (a cashier signs in on pos,
# an owner on web).
Seller = Annotated[Actor, Depends(PageAccess(MERCHANT_CONSOLE))]
M = TypeVar("M", bound=BaseModel)

TILL_COOKIE = "finlife_pos_till"
CART_COOKIE = "finlife_pos_cart"
ONE_YEAR = 365 * 24 * 3600
MAX_CART_LINES = 50
MAX_QUANTITY = 9999
MAX_LINE_AMOUNT = 10**10  # the cashier's ceiling for one line, in fen
MAX_COUPONS = 10  # as many as an order takes (cashier.schemas.OrderIn.coupon_codes)
MAX_COUPON_CODE = 32
LISTED = 100  # stores and terminals of one merchant: one page
SELLING = frozenset({"owner", "cashier"})
CURRENCY = "CNY"


@dataclass(frozen=True)
class Till:
    """The store and terminal this browser rings up at."""

    store: StoreOut
    terminal_id: str

    @property
    def cookie(self) -> str:
        return f"{self.store.id}:{self.terminal_id}"


def selling_stores(session: Session, actor: Actor) -> list[tuple[StoreOut, list[str]]]:
    """The stores the actor sells at (owner: all, cashier: theirs; active merchants) and their terminals."""
    found = []
    for access in merchants.merchants_of(session, actor):
        if access.role not in SELLING or access.status != MerchantStatus.ACTIVE:
            continue
        for store in merchants.list_stores(session, actor, access.merchant_id, PageParams(limit=LISTED)).data:
            terminals = merchants.list_terminals(session, actor, store.id, PageParams(limit=LISTED)).data
            found.append((store, sorted(terminal.terminal_id for terminal in terminals)))
    return found


def resolve_till(session: Session, actor: Actor, chosen: str) -> Till:
    """``"sto_…:TERMINAL"`` if the actor sells at that store and the terminal is bound to it; 404 else."""
    store_id, _, terminal_id = chosen.partition(":")
    if not store_id or not terminal_id:
        raise NotFound("terminal")
    access, store = merchants.store_access(session, actor, store_id)
    if access.role not in SELLING or access.status != MerchantStatus.ACTIVE:
        raise NotFound("store")
    if merchants.terminal_facts(session, terminal_id).store_id != store.id:
        raise NotFound("terminal")
    return Till(store, terminal_id)


def till_of(request: Request, session: Session, actor: Actor) -> Till | None:
    """The till remembered by this browser, if it is still one the actor may sell at."""
    chosen = request.cookies.get(TILL_COOKIE, "")
    if not chosen:
        return None
    try:
        return resolve_till(session, actor, chosen)
    except NotFound:
        return None


def remember_till(response: Response, till: Till) -> None:
    response.set_cookie(
        TILL_COOKIE, till.cookie, max_age=ONE_YEAR, path="/merchant", httponly=True, samesite="lax"
    )


# The cart -----------------------------------------------------------------------------------------


@dataclass
class CartLine:
    """A variation and how many, or a free line (name and amount in fen, quantity one)."""

    variation_id: str | None = None
    quantity: int = 1
    name: str | None = None
    amount: int | None = None

    def as_input(self) -> LineIn:
        if self.variation_id is not None:
            return CatalogLineIn(variation_id=self.variation_id, quantity=self.quantity)
        return FreeLineIn(name=self.name or "", amount=self.amount or 0)


@dataclass
class Cart:
    lines: list[CartLine] = field(default_factory=list)
    # Codes of the customer's coupons, as the cashier keyed or scanned them; the cashier service
    # (through marketing) decides what they take off, on every pricing.
    coupons: list[str] = field(default_factory=list)

    def add_coupon(self, code: str) -> None:
        if code not in self.coupons and len(self.coupons) < MAX_COUPONS:
            self.coupons.append(code)

    def drop_coupon(self, code: str) -> None:
        if code in self.coupons:
            self.coupons.remove(code)

    def add(self, variation_id: str) -> None:
        for line in self.lines:
            if line.variation_id == variation_id:
                line.quantity = min(line.quantity + 1, MAX_QUANTITY)
                return
        if len(self.lines) < MAX_CART_LINES:
            self.lines.append(CartLine(variation_id=variation_id))

    def add_free(self, name: str, amount: int) -> None:
        if len(self.lines) < MAX_CART_LINES:
            self.lines.append(CartLine(name=name, amount=amount))

    def change(self, index: int, delta: int) -> None:
        """One more or one less of a line (a free line only goes); at zero the line goes."""
        if not 0 <= index < len(self.lines):
            return
        line = self.lines[index]
        quantity = line.quantity + delta if line.variation_id is not None else 0 if delta < 0 else 1
        if quantity <= 0:
            del self.lines[index]
        else:
            line.quantity = min(quantity, MAX_QUANTITY)

    def remove(self, index: int) -> None:
        if 0 <= index < len(self.lines):
            del self.lines[index]

    def inputs(self) -> list[LineIn]:
        return [line.as_input() for line in self.lines]

    def encode(self) -> str:
        rows = [
            ["v", line.variation_id, line.quantity] if line.variation_id else ["f", line.name, line.amount]
            for line in self.lines
        ]
        rows += [["c", code, 0] for code in self.coupons]
        return base64.urlsafe_b64encode(json.dumps(rows, ensure_ascii=False).encode()).decode()

    @classmethod
    def decode(cls, text: str) -> Cart:
        """The cart in a cookie; anything unreadable is an empty cart (it only holds choices)."""
        try:
            rows: Any = json.loads(base64.urlsafe_b64decode(text.encode()))
            lines = [_line(row) for row in rows[:MAX_CART_LINES] if row[0] != "c"]
            coupons = [row[1] for row in rows if row[0] == "c" and _coupon_code(row[1])]
        except (ValueError, TypeError, KeyError, IndexError):
            return cls()
        return cls([line for line in lines if line is not None], list(dict.fromkeys(coupons))[:MAX_COUPONS])


def _line(row: list[Any]) -> CartLine | None:
    kind, first, second = row
    if kind == "v" and isinstance(first, str) and isinstance(second, int) and 0 < second <= MAX_QUANTITY:
        return CartLine(variation_id=first[:32], quantity=second)
    named = isinstance(first, str) and bool(first.strip())
    if kind == "f" and named and isinstance(second, int) and 0 < second <= MAX_LINE_AMOUNT:
        return CartLine(name=first.strip()[:64], amount=second)
    return None


def normal_coupon_code(text: str) -> str:
    """A code as the cashier types it (the wallet shows it in groups of four) → the code itself."""
    return "".join(text.split()).upper()


def _coupon_code(code: Any) -> bool:
    return isinstance(code, str) and 0 < len(code) <= MAX_COUPON_CODE and code.isalnum()


def cart_of(request: Request) -> Cart:
    return Cart.decode(request.cookies.get(CART_COOKIE, ""))


def keep_cart(response: Response, cart: Cart) -> None:
    if cart.lines or cart.coupons:
        response.set_cookie(CART_COOKIE, cart.encode(), path="/merchant/pos", httponly=True, samesite="lax")
    else:
        response.delete_cookie(CART_COOKIE, path="/merchant/pos")


# Form text → service input ---------------------------------------------------------------------------


def parse_count(text: str, field: str) -> int:
    """Cash counted or floated, in yuan: zero is a fair answer here, unlike for a payment."""
    if text.strip() in ("0", "0.0", "0.00"):
        return 0
    return parse_amount(text, field)


def plain_yuan(amount: int) -> str:
    """Fen as a person types yuan into a form ("12.50")."""
    return str(to_decimal(amount, CURRENCY))


def parse_model(model: type[M], data: dict[str, Any]) -> M:
    """A service input built from a form; the first field the schema refuses becomes the refusal."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = str(first["loc"][-1]) if first["loc"] else None
        empty = first["type"] in ("missing", "string_too_short", "too_short")
        raise FinlifeError(
            "ui.field_required" if empty else "ui.field_invalid", status=422, field=where
        ) from exc


def visible_refusal(error: FinlifeError) -> None:
    """A refusal that concerns the page itself (not found, not allowed) is an error page, not a field."""
    if error.status in (401, 403, 404):
        raise error
