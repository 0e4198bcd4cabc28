"""The Life channel as the merchant and the bank see it: the merchant's reviews (/merchant/reviews,
with the owner's one reply), the day's reviews under its daily report and, on the teller's customer
page, the customer's coupons and reviews.

They call the same services as the API: ``life.merchant_reviews`` and ``life.reply_to_review``
(``POST /v1/life/reviews/{id}/reply``), ``marketing.customer_coupons`` and ``life.customer_reviews``.
The customer page belongs to accounts and the daily report to settlement, both below life; app.py
plugs ``customer_section`` and ``report_section`` into them.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError
from finlife.kit.pagination import PageParams
from finlife.life import service as life
from finlife.life.schemas import ReplyIn, ReviewOut
from finlife.marketing import service as marketing
from finlife.merchants import service as merchants
from finlife.merchants.pages import Member, console_of, parse_form
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, local_time, page_errors, refused_status
from finlife.web.render import language_of, redirect, render, render_fragment

router = APIRouter(include_in_schema=False)

REVIEWS = "/merchant/reviews"
REVIEWS_SHOWN = 50


def _store_names(session: Session, reviews: list[ReviewOut]) -> dict[str, str]:
    ids = sorted({review.store_id for review in reviews})
    return {store.id: store.name for store in merchants.stores_for_discovery(session, ids)} if ids else {}


def _reviews_page(request: Request, actor: Actor, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        console = console_of(session, actor)
        reviews = life.merchant_reviews(session, actor, console.merchant.id, PageParams(limit=REVIEWS_SHOWN))
        stores = _store_names(session, reviews.data)
    return render(
        request,
        "life/merchant_reviews.html",
        status_code=status_code,
        reviews=reviews.data,
        stores=stores,
        may_reply=console.is_owner,
        local=local_time,
        **context,
    )


@router.get(REVIEWS, response_class=HTMLResponse)
def reviews(request: Request, actor: Member) -> HTMLResponse:
    return _reviews_page(request, actor)


@router.post(REVIEWS + "/{review_id}/reply", dependencies=[Depends(verify_csrf)])
def reply(request: Request, review_id: str, actor: Member, text: Annotated[str, Form()] = "") -> Response:
    def run(session: Session) -> ReviewOut:
        return life.reply_to_review(session, actor, review_id, parse_form(ReplyIn, {"text": text}))

    outcome = attempt(request, run)
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), ("text",))
        return _reviews_page(
            request,
            actor,
            status_code=refused_status(outcome),
            failed=review_id,
            errors=errors,
            values={"text": text},
        )
    return redirect(REVIEWS, flash="ui.reviews.replied")


def customer_section(request: Request, session: Session, actor: Actor, customer_id: str) -> Markup:
    """The customer's coupons (claimed, used with their discount, expired) and reviews, for the teller."""
    coupons = marketing.customer_coupons(session, actor, customer_id)
    written = life.customer_reviews(session, actor, customer_id)
    return render_fragment(
        request,
        "life/bank_customer_life.html",
        coupons=coupons,
        reviews=written,
        stores=_store_names(session, written),
        local=local_time,
    )


def report_section(request: Request, session: Session, actor: Actor, merchant_id: str, day: date) -> Markup:
    """The reviews written on the report's day, under the merchant's daily report (owner and bank)."""
    of_day = life.reviews_of_day(session, actor, merchant_id, day)
    return render_fragment(
        request,
        "life/report_reviews.html",
        day=of_day,
        stores=_store_names(session, of_day.reviews),
        local=local_time,
        in_bank=request.url.path.startswith("/bank/"),
    )
