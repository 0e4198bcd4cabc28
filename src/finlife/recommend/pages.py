"""/app/life/for-you: the signed-in customer's recommended stores and coupons, each with its reason.

It calls ``recommend.recommendations``, the function behind ``GET /v1/me/recommendations``, in the
page's language.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from finlife.kit.auth import Actor
from finlife.recommend import service
from finlife.recommend.schemas import Kind
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, render
from finlife.web.shells import CUSTOMER_APP

router = APIRouter(include_in_schema=False)

Customer = Annotated[Actor, Depends(PageAccess(CUSTOMER_APP))]
FOR_YOU = "/app/life/for-you"
SHOWN = 10


@router.get(FOR_YOU, response_class=HTMLResponse)
def for_you(request: Request, actor: Customer) -> HTMLResponse:
    language = language_of(request)
    with request.app.state.db.unit_of_work() as session:
        stores = service.recommendations(session, actor, Kind.STORES, SHOWN, language)
        coupons = service.recommendations(session, actor, Kind.COUPONS, SHOWN, language)
    return render(request, "recommend/for_you.html", stores=stores, coupons=coupons)
