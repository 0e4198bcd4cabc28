"""Receipts of orders: a printable HTML page and plain text for a 58 mm printer (32 columns).

The tenders on a receipt come from payment sources: the payments module registers a function that
lists an order's payments as ``PaymentSummary`` (method, amount, masked detail, change). Without one,
a receipt shows no tenders. Times are printed in the business time zone (Asia/Shanghai).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.orm import Session

from finlife.cashier.schemas import PaymentSummary, Receipt, ReceiptLine
from finlife.cashier.service.common import access_as
from finlife.cashier.service.orders import lines_of, load_order
from finlife.identity import service as identity
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.i18n import CATALOGUE, format_money, translate
from finlife.kit.masking import mask_phone

ReceiptFormat = Literal["html", "text"]
PaymentSource = Callable[[Session, str], Sequence[PaymentSummary]]
WIDTH = 32  # characters per line of a 58 mm receipt printer; a Chinese character takes two
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

_payment_sources: list[PaymentSource] = []


def register_payment_source(source: PaymentSource) -> None:
    """Let a module (payments) list an order's tenders for its receipts: ``source(session, order_id)``."""
    if source not in _payment_sources:
        _payment_sources.append(source)


def unregister_payment_source(source: PaymentSource) -> None:
    if source in _payment_sources:
        _payment_sources.remove(source)


def _local(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(clock.business_zone).strftime("%Y-%m-%d %H:%M:%S")


def _cashier_name(session: Session, user_id: str) -> str:
    username = identity.get_user(session, user_id).username
    # An owner signs in with their mobile number: C2 data, masked on paper.
    return mask_phone(username) if username.isdigit() else username


def receipt(session: Session, actor: Actor, order_id: str) -> Receipt:
    """The receipt of an order, for its store's sellers and bank staff (404 for anyone else)."""
    order = load_order(session, order_id)
    _, store = access_as(session, actor, order.store_id, "order", sell=False)
    payments = [summary for source in _payment_sources for summary in source(session, order.public_id)]
    return Receipt(
        store_name=store.name,
        store_address=store.address,
        order_id=order.public_id,
        status=order.status,
        terminal_id=order.terminal_id,
        cashier=_cashier_name(session, order.cashier_user_id),
        created_at=_local(order.created_at) or "",
        paid_at=_local(order.paid_at),
        lines=[
            ReceiptLine(
                name=line.name, quantity=line.quantity, unit_price=line.unit_price, line_total=line.line_total
            )
            for line in lines_of(session, [order.id])[order.id]
        ],
        subtotal=order.subtotal,
        discount=order.discount,
        total=order.total,
        paid=order.paid,
        refunded=order.refunded,
        payments=payments,
        change=sum(summary.change for summary in payments),
    )


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _row(left: str, right: str = "") -> str:
    """Left and right ends of one printed line (at least one space between them)."""
    return left + " " * max(1, WIDTH - _width(left) - _width(right)) + right


def _center(text: str) -> str:
    return " " * max(0, (WIDTH - _width(text)) // 2) + text


_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    # HTML is escaped; the text receipt is printed as is.
    autoescape=select_autoescape(enabled_extensions=("html",), default=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_environment.globals.update(row=_row, center=_center, rule="-" * WIDTH)


def render_receipt(data: Receipt, *, fmt: ReceiptFormat, language: str) -> str:
    """The receipt as a standalone printable HTML page or as plain text, in zh-CN or en."""

    def t(key: str, **params: object) -> str:
        return translate(f"receipt.{key}", language, params)

    def money(amount: int) -> str:
        return format_money(amount, "CNY", language)

    def method(name: str) -> str:
        key = f"receipt.method.{name}"
        return translate(key, language) if key in CATALOGUE else name

    template = _environment.get_template("receipt.html" if fmt == "html" else "receipt.txt")
    return template.render(r=data, t=t, money=money, method=method, lang=language)
