"""What the POS refund form says, read into a refund: the goods chosen and the amount.

Nothing is pre-filled: the cashier picks the pieces coming back and/or types an amount. Without an
amount, the refund is the chosen goods' value: each piece at its line's price less its share of the
order's discount (the discount spread over the lines in proportion to their totals), rounded half-up
to the fen (CONTRIBUTING.md, "Refunds at the till"), and never more than is
still refundable.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from finlife.cashier.schemas import OrderOut, RefundLine
from finlife.kit.errors import FinlifeError
from finlife.web.forms import parse_amount

QUANTITY_PREFIX = "qty-"


def chosen_lines(order: OrderOut, form: dict[str, Any]) -> list[RefundLine]:
    """The pieces the cashier chose, from the ``qty-<variation>`` fields (empty or 0: none)."""
    chosen = []
    for line in order.lines:
        if line.variation_id is None:
            continue
        text = str(form.get(QUANTITY_PREFIX + line.variation_id, "")).strip()
        if not text or text == "0":
            continue
        if not text.isdigit():
            raise FinlifeError(
                "ui.refunds.quantity_invalid", status=422, field=QUANTITY_PREFIX + line.variation_id
            )
        chosen.append(RefundLine(variation_id=line.variation_id, quantity=int(text)))
    return chosen


def goods_value(order: OrderOut, lines: list[RefundLine]) -> int:
    """The chosen pieces' share of what the order cost, in fen (see the module's rule)."""
    if order.subtotal <= 0:
        return 0
    paid_share = Decimal(order.total) / Decimal(order.subtotal)
    by_variation = {line.variation_id: line for line in order.lines}
    value = Decimal(0)
    for chosen in lines:
        line = by_variation[chosen.variation_id]
        value += Decimal(line.line_total) * chosen.quantity / line.quantity * paid_share
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def refund_amount(order: OrderOut, typed: str, lines: list[RefundLine]) -> int:
    """The typed amount, or the chosen goods' value capped at what is left to refund."""
    if typed.strip():
        return parse_amount(typed)
    if not lines:
        raise FinlifeError("ui.refunds.nothing_chosen", status=422, field="amount")
    return min(goods_value(order, lines), order.paid - order.refunded)


def encode_lines(lines: list[RefundLine]) -> str:
    """The chosen pieces as one hidden field of the review step: ``variation:quantity,…``."""
    return ",".join(f"{line.variation_id}:{line.quantity}" for line in lines)


def decode_lines(text: str) -> list[RefundLine] | None:
    if not text:
        return None
    lines = []
    for part in text.split(","):
        variation_id, _, quantity = part.partition(":")
        if not quantity.isdigit() or int(quantity) <= 0:
            raise FinlifeError("ui.refunds.quantity_invalid", status=422, field="lines")
        lines.append(RefundLine(variation_id=variation_id, quantity=int(quantity)))
    return lines
