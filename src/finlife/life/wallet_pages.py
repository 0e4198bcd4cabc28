"""The customer's coupons (/app/coupons: available, used, expired, refunded; each code large, and as a QR
code, for the cashier to scan or type). Reviews start from the customer's orders (``life.order_pages``).

It calls ``marketing.wallet``, the function behind ``GET /v1/me/coupons``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from finlife.kit.qrimage import qr_svg
from finlife.life.pages import WALLET, Customer
from finlife.marketing import service as marketing
from finlife.marketing.schemas import CouponStatus
from finlife.web.forms import local_time
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
