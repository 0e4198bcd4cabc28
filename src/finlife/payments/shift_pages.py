"""A POS shift's page: the drawer while it is open (paid in, paid out, close with the count) and its
report once closed (expected cash, counted, over or short, totals by kind)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from finlife.cashier import service as cashier
from finlife.cashier.schemas import CashKind, CashMovementIn, ShiftCloseIn
from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError
from finlife.kit.idempotency import Outcome
from finlife.payments.pos import Seller, parse_count, parse_model, visible_refusal
from finlife.payments.service.shift_takings import shift_takings
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

MOVEMENT_FIELDS = ("kind", "amount", "reason")
MOVABLE = (CashKind.PAID_IN, CashKind.PAID_OUT)


def shift_page(
    request: Request,
    actor: Actor,
    shift_id: str,
    *,
    status_code: int = 200,
    failed: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    key: str | None = None,
) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        shift = cashier.get_shift(session, actor, shift_id)
        takings = shift_takings(session, shift.terminal_id, shift.opened_at, shift.closed_at)
    return render(
        request,
        "payments/pos_shift.html",
        status_code=status_code,
        shift=shift,
        totals={total.kind.value: total for total in shift.totals},
        takings=takings,
        failed=failed,
        errors=errors or {},
        values=values or {},
        key=key or new_form_key(),
        local=local_time,
    )


@router.get("/merchant/pos/shifts/{shift_id}", response_class=HTMLResponse)
def shift(request: Request, shift_id: str, actor: Seller) -> HTMLResponse:
    return shift_page(request, actor, shift_id)


@router.post("/merchant/pos/shifts/{shift_id}/cash", dependencies=[Depends(verify_csrf)])
def cash_movement(
    request: Request,
    shift_id: str,
    actor: Seller,
    kind: Annotated[str, Form()] = "",
    amount: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    idempotency_key: Annotated[str, Form()] = "",
) -> Response:
    """Cash paid into the drawer (change from the bank) or out of it (a supplier paid in cash)."""
    outcome: Outcome | FinlifeError
    try:
        if kind not in MOVABLE:
            raise FinlifeError("ui.field_invalid", status=422, field="kind")
        data = {"kind": kind, "amount": parse_amount(amount), "reason": reason}
        body = parse_model(CashMovementIn, data)
    except FinlifeError as error:
        outcome = error
    else:
        outcome = move_money(
            request,
            actor,
            key=idempotency_key,
            body=body.model_dump(mode="json"),
            work=lambda session: cashier.add_cash_movement(session, actor, shift_id, body),
        )
    if isinstance(outcome, FinlifeError):
        visible_refusal(outcome)
        return shift_page(
            request,
            actor,
            shift_id,
            status_code=refused_status(outcome),
            failed="cash",
            errors=page_errors(outcome, language_of(request), MOVEMENT_FIELDS),
            values={"kind": kind, "amount": amount, "reason": reason},
            key=idempotency_key,
        )
    flash = "ui.pos.paid_in_done" if kind == CashKind.PAID_IN else "ui.pos.paid_out_done"
    return redirect(f"/merchant/pos/shifts/{shift_id}", flash=flash)


@router.post("/merchant/pos/shifts/{shift_id}/close", dependencies=[Depends(verify_csrf)])
def close(
    request: Request, shift_id: str, actor: Seller, counted_cash: Annotated[str, Form()] = ""
) -> Response:
    """Count the drawer and close: the page turns into the shift's report."""
    outcome: Any
    try:
        body = parse_model(ShiftCloseIn, {"counted_cash": parse_count(counted_cash, "counted_cash")})
    except FinlifeError as error:
        outcome = error
    else:
        outcome = attempt(request, lambda session: cashier.close_shift(session, actor, shift_id, body))
    if isinstance(outcome, FinlifeError):
        visible_refusal(outcome)
        return shift_page(
            request,
            actor,
            shift_id,
            status_code=refused_status(outcome),
            failed="close",
            errors=page_errors(outcome, language_of(request), ("counted_cash",)),
            values={"counted_cash": counted_cash},
        )
    return redirect(f"/merchant/pos/shifts/{shift_id}", flash="ui.pos.shift_closed")
