"""The refund's review step at the POS, and the owner's page of refunds waiting for approval.

A refund is never one click: the cashier chooses the goods coming back and/or an amount (nothing
pre-filled), reviews where the money goes back, and confirms. Above the approval threshold a cashier
confirms a request instead, and the owner approves it here (the money moves then) or rejects it with
a reason.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from finlife.cashier import service as cashier
from finlife.identity import service as identity
from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError, NotFound
from finlife.kit.permissions import Capability
from finlife.merchants import service as merchants
from finlife.payments.approvals import service
from finlife.payments.approvals.refund_form import chosen_lines, decode_lines, encode_lines, refund_amount
from finlife.payments.approvals.schemas import RefundRequestIn, RejectIn, RequestStatus
from finlife.payments.order_pages import REFUND_FIELDS, order_page
from finlife.payments.pos import Seller, parse_model, plain_yuan, visible_refusal
from finlife.payments.schemas import RefundIn
from finlife.payments.service.refunds import needs_approval, refund_preview
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, local_time, new_form_key, page_errors, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import MERCHANT_CONSOLE

router = APIRouter(include_in_schema=False)

Approver = Annotated[Actor, Depends(PageAccess.to(MERCHANT_CONSOLE, Capability.REFUND_APPROVAL))]


def _refused(
    request: Request, actor: Actor, order_id: str, error: FinlifeError, form: dict[str, Any]
) -> HTMLResponse:
    visible_refusal(error)
    return order_page(
        request,
        actor,
        order_id,
        status_code=refused_status(error),
        failed="refund",
        errors=page_errors(
            error, language_of(request), (*REFUND_FIELDS, *(k for k in form if k.startswith("qty-")))
        ),
        values={"refund_amount": str(form.get("amount", "")), "reason": str(form.get("reason", "")), **form},
    )


@router.post("/merchant/pos/orders/{order_id}/refunds/review", dependencies=[Depends(verify_csrf)])
async def review(request: Request, order_id: str, actor: Seller) -> Response:
    """The refund as it would be made: amount, goods back to stock, the tenders it goes back to."""
    form = {key: str(value) for key, value in (await request.form()).items() if key != "csrf_token"}
    settings = request.app.state.settings
    try:
        with request.app.state.db.unit_of_work() as session:
            order = cashier.get_order(session, actor, order_id)
            lines = chosen_lines(order, form)
            amount = refund_amount(order, form.get("amount", ""), lines)
            body = parse_model(
                RefundIn, {"amount": amount, "reason": form.get("reason", ""), "lines": lines or None}
            )
            service.fits(order.paid - order.refunded, order.lines, body)
            parts = refund_preview(session, actor, order_id, body.amount)
            approval = needs_approval(session, settings, actor, order, body.amount)
    except FinlifeError as error:
        return _refused(request, actor, order_id, error, form)
    names = {line.variation_id: line.name for line in order.lines}
    return render(
        request,
        "payments/refund_review.html",
        order=order,
        body=body,
        goods=[(names[line.variation_id], line.quantity) for line in body.lines or []],
        parts=parts,
        needs_approval=approval,
        threshold=settings.refund_approval_threshold,
        encoded_lines=encode_lines(body.lines or []),
        yuan=plain_yuan,
        key=new_form_key(),
    )


@router.post("/merchant/pos/orders/{order_id}/refund-requests", dependencies=[Depends(verify_csrf)])
def ask(
    request: Request,
    order_id: str,
    actor: Seller,
    amount: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    lines: Annotated[str, Form()] = "",
) -> Response:
    """The cashier's confirmed request above the threshold; the owner decides on /merchant/refunds."""
    try:
        body = parse_model(
            RefundRequestIn,
            {
                "amount": int(amount) if amount.isdigit() else -1,
                "reason": reason,
                "lines": decode_lines(lines),
            },
        )
    except FinlifeError as error:
        return _refused(request, actor, order_id, error, {"reason": reason})
    outcome = attempt(request, lambda session: service.ask(session, actor, order_id, body))
    if isinstance(outcome, FinlifeError):
        return _refused(request, actor, order_id, outcome, {"reason": reason})
    return redirect(f"/merchant/pos/orders/{order_id}", flash="ui.refunds.requested")


@router.get("/merchant/refunds", response_class=HTMLResponse)
def requests_page(request: Request, actor: Approver) -> HTMLResponse:
    return _requests_page(request, actor)


def _requests_page(
    request: Request,
    actor: Actor,
    *,
    status_code: int = 200,
    failed: str | None = None,
    error: str | None = None,
) -> HTMLResponse:
    """Every refund waiting for this owner, oldest first (the customer has waited longest); a refusal
    of one of them is shown on its row."""
    with request.app.state.db.unit_of_work() as session:
        rows = []
        for access in merchants.merchants_of(session, actor):
            if access.role == "owner":
                rows += service.awaiting(
                    session, actor, access.merchant_id, status=RequestStatus.AWAITING_APPROVAL
                )
        rows.sort(key=lambda row: row.created_at)
        who = {row.requested_by: _username(session, row.requested_by) for row in rows}
    return render(
        request,
        "payments/refund_requests.html",
        status_code=status_code,
        rows=rows,
        who=who,
        local=local_time,
        failed=failed,
        error=error,
    )


def _username(session: Any, user_id: str) -> str:
    try:
        return identity.get_user(session, user_id).username
    except NotFound:
        return "—"


@router.post("/merchant/refunds/{request_id}/approve", dependencies=[Depends(verify_csrf)])
def approve(request: Request, request_id: str, actor: Approver) -> Response:
    settings = request.app.state.settings
    outcome = attempt(request, lambda session: service.approve(session, settings, actor, request_id))
    if isinstance(outcome, FinlifeError):
        return _decision_refused(request, actor, request_id, outcome)
    return redirect("/merchant/refunds", flash="ui.refunds.approved")


def _decision_refused(request: Request, actor: Actor, request_id: str, error: FinlifeError) -> HTMLResponse:
    visible_refusal(error)
    message = error.message(language_of(request))
    return _requests_page(request, actor, status_code=refused_status(error), failed=request_id, error=message)


@router.post("/merchant/refunds/{request_id}/reject", dependencies=[Depends(verify_csrf)])
def reject(
    request: Request, request_id: str, actor: Approver, reason: Annotated[str, Form()] = ""
) -> Response:
    if not reason.strip():
        return _decision_refused(request, actor, request_id, FinlifeError("refund_reject_reason", status=422))
    body = RejectIn(reason=reason[:200])
    outcome = attempt(request, lambda session: service.reject(session, actor, request_id, body))
    if isinstance(outcome, FinlifeError):
        return _decision_refused(request, actor, request_id, outcome)
    return redirect("/merchant/refunds", flash="ui.refunds.rejected")
