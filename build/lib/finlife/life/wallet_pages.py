"""The customer's coupons (/app/coupons: available, used, expired, refunded; each code large, and as a QR
code, for the cashier to scan or type) and the review of a paid order (/app/life/stores/{id}/review).

They call ``marketing.wallet`` and ``life.write_review``, the functions behind ``GET /v1/me/coupons``
and ``POST /v1/life/stores/{id}/reviews``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from finlife.kit.errors import FinlifeError
from finlife.kit.qrimage import qr_svg
from finlife.life import service as life
from finlife.life.pages import LIFE, WALLET, Customer
from finlife.life.schemas import ReviewIn, ReviewOut
from finlife.marketing import service as marketing
from finlife.marketing.schemas import CouponStatus
from finlife.merchants.pages import parse_form
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, local_time, page_errors, refused_status
from finlife.web.render import language_of, redirect, render

router = APIRouter(include_in_schema=False)

REVIEW_FIELDS = ("order_id", "rating", "text")
STARS = (5, 4, 3, 2, 1)


@router.get(WALLET, response_class=HTMLResponse)
def wallet(
    request: Request, actor: Customer, status: Annotated[str, Query(max_length=16)] = "available"
) -> HTMLResponse:
    shown = CouponStatus(status) if status in CouponStatus._value2member_map_ else CouponStatus.AVAILABLE
    with request.app.state.db.unit_of_work() as session:
        coupons = marketing.wallet(session, actor, status=shown)
    # A code the cashier can scan as well as type: drawn only for the coupons still to be used.
    pictures = {c.id: qr_svg(c.code, scale=3) for c in coupons if c.status is CouponStatus.AVAILABLE}
    return render(
        request,
        "life/wallet.html",
        coupons=coupons,
        status=shown.value,
        statuses=[s.value for s in CouponStatus],
        pictures=pictures,
        local=local_time,
    )


def _review_page(request: Request, store_id: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        page = life.store_page(session, store_id, near=None)  # 404 for a store nobody can visit
    return render(request, "life/review.html", status_code=status_code, page=page, stars=STARS, **context)


@router.get(LIFE + "/stores/{store_id}/review", response_class=HTMLResponse)
def review_form(
    request: Request,
    store_id: str,
    actor: Customer,
    order_id: Annotated[str, Query(max_length=32)] = "",
) -> HTMLResponse:
    return _review_page(request, store_id, values={"order_id": order_id.strip()})


@router.post(LIFE + "/stores/{store_id}/review", dependencies=[Depends(verify_csrf)])
def review(
    request: Request,
    store_id: str,
    actor: Customer,
    order_id: Annotated[str, Form(max_length=32)] = "",
    rating: Annotated[str, Form(max_length=2)] = "",
    text: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    values = {"order_id": order_id.strip(), "rating": rating, "text": text.strip()}

    def work(session: Session) -> ReviewOut:
        if not values["order_id"]:
            raise FinlifeError("ui.field_required", status=422, field="order_id")
        if rating not in {str(n) for n in STARS}:
            raise FinlifeError("ui.review.rating_required", status=422, field="rating")
        body = parse_form(ReviewIn, values | {"rating": int(rating)})
        return life.write_review(session, actor, store_id, body)

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), REVIEW_FIELDS)
        return _review_page(
            request, store_id, status_code=refused_status(outcome), errors=errors, values=values
        )
    return redirect(f"{LIFE}/stores/{store_id}", flash="ui.review.posted")
