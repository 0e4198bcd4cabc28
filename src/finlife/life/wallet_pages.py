"""The customer's coupons (/app/coupons: available, used, expired, refunded; each code large, and as a QR
code, for the cashier to scan or type), and one coupon's page, where a claim ends
(/app/coupons/{id}). Reviews start from the customer's orders (``life.order_pages``).

It calls ``marketing.wallet``, the function behind ``GET /v1/me/coupons``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from finlife.kit.errors import NotFound
from finlife.kit.qrimage import qr_svg
from finlife.life import service as life
from finlife.life.pages import WALLET, Customer
from finlife.marketing import service as marketing
from finlife.marketing.schemas import CouponStatus
from finlife.web.forms import local_time, reference
from finlife.web.render import render

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
        scopes = life.coupon_scopes(session, coupons)
    # A code the cashier can scan as well as type: drawn only for the coupons still to be used.
    pictures = {c.id: qr_svg(c.code, scale=3) for c in coupons if c.status is CouponStatus.AVAILABLE}
    return render(
        request,
        "life/wallet.html",
        coupons=coupons,
        status=shown.value,
        statuses=[s.value for s in CouponStatus],
        pictures=pictures,
        scopes=scopes,
        local=local_time,
    )


@router.get(WALLET + "/{coupon_id}", response_class=HTMLResponse)
def coupon(request: Request, coupon_id: str, actor: Customer) -> HTMLResponse:
    """One coupon of the customer's: the result page of a claim (what, the price paid, when, a
    reference) with its code to show the cashier. Someone else's coupon is 404."""
    with request.app.state.db.unit_of_work() as session:
        found = next((c for c in marketing.wallet(session, actor) if c.id == coupon_id), None)
        if found is None:
            raise NotFound("coupon")
        scope = life.coupon_scopes(session, [found])[found.id]
    picture = qr_svg(found.code, scale=3) if found.status is CouponStatus.AVAILABLE else None
    return render(
        request,
        "life/coupon.html",
        c=found,
        scope=scope,
        picture=picture,
        reference=reference(found.id),
        local=local_time,
    )
