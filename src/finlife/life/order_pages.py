"""The customer's orders (/app/orders, "我的订单" with its "待评价" tab), the result page of each payment
(/app/orders/{payment}: amount, store by name, time, reference), and the review of one order
(/app/orders/{payment}/review). A review starts from a line or a result page, never from a typed id:
the order is the payment's own, looked up for the signed-in customer.

They call ``life.my_orders``/``life.my_order`` and ``life.write_review``, the functions behind
``GET /v1/life/orders`` and ``POST /v1/life/stores/{id}/reviews``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError
from finlife.life import service as life
from finlife.life.pages import LIFE, Customer
from finlife.life.schemas import MyOrderOut, ReviewIn, ReviewOut, ReviewState
from finlife.merchants.pages import parse_form
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, local_time, page_errors, reference, refused_status
from finlife.web.render import language_of, redirect, render

router = APIRouter(include_in_schema=False)

ORDERS = "/app/orders"
TO_REVIEW = "to_review"
REVIEW_FIELDS = ("rating", "text")
STARS = (5, 4, 3, 2, 1)


@router.get(ORDERS, response_class=HTMLResponse)
def orders(
    request: Request, actor: Customer, show: Annotated[str, Query(max_length=16)] = ""
) -> HTMLResponse:
    to_review = show == TO_REVIEW
    with request.app.state.db.unit_of_work() as session:
        lines = life.my_orders(session, actor, to_review=to_review)
    return render(
        request, "life/orders.html", lines=lines, show=TO_REVIEW if to_review else "all", local=local_time
    )


def _account_tail(session: Session, request: Request, actor: Actor, order: MyOrderOut) -> str:
    """The last four digits of the account that paid, as the customer knows it ("尾号 1234")."""
    if order.account_id is None:
        return ""
    settings = request.app.state.settings
    try:
        return accounts.get_account(session, settings, actor, order.account_id).number[-4:]
    except FinlifeError:
        return ""


@router.get(ORDERS + "/{payment_id}", response_class=HTMLResponse)
def order(request: Request, payment_id: str, actor: Customer) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        found = life.my_order(session, actor, payment_id)  # 404 for anyone else's
        tail = _account_tail(session, request, actor, found)
    return render(
        request,
        "life/order.html",
        order=found,
        account_tail=tail,
        reference=reference(found.payment_id),
        local=local_time,
    )


def _review_page(
    request: Request,
    order: MyOrderOut,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    return render(
        request,
        "life/review.html",
        status_code=status_code,
        order=order,
        stars=STARS,
        errors=errors or {},
        values=values or {},
        local=local_time,
    )


@router.get(ORDERS + "/{payment_id}/review", response_class=HTMLResponse)
def review_form(request: Request, payment_id: str, actor: Customer) -> Response:
    with request.app.state.db.unit_of_work() as session:
        found = life.my_order(session, actor, payment_id)
    if found.review is not ReviewState.TO_REVIEW:
        return redirect(f"{ORDERS}/{payment_id}")  # reviewed, too late, or nothing to review: say so there
    return _review_page(request, found)


@router.post(ORDERS + "/{payment_id}/review", dependencies=[Depends(verify_csrf)])
def review(
    request: Request,
    payment_id: str,
    actor: Customer,
    rating: Annotated[str, Form(max_length=2)] = "",
    text: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    values = {"rating": rating, "text": text.strip()}
    with request.app.state.db.unit_of_work() as session:
        found = life.my_order(session, actor, payment_id)

    def work(session: Session) -> ReviewOut:
        if rating not in {str(n) for n in STARS}:
            raise FinlifeError("ui.review.rating_required", status=422, field="rating")
        body = parse_form(
            ReviewIn, {"order_id": found.order_id or "", "text": values["text"], "rating": int(rating)}
        )
        return life.write_review(session, actor, found.store_id, body)

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), REVIEW_FIELDS)
        return _review_page(request, found, status_code=refused_status(outcome), errors=errors, values=values)
    return redirect(f"{LIFE}/stores/{found.store_id}", flash="ui.review.posted")
