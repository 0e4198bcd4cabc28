"""REST route of the recommendations: a signed-in customer's stores and coupons to try."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from finlife.kit.auth import Access, Actor, Role
from finlife.kit.deps import DbSession
from finlife.kit.i18n import negotiate
from finlife.recommend import service
from finlife.recommend.schemas import Kind, RecommendationsOut

router = APIRouter(tags=["recommendations"])

Customer = Annotated[Actor, Depends(Access(Role.CUSTOMER))]


@router.get(
    "/v1/me/recommendations",
    response_model=RecommendationsOut,
    summary="Stores or live coupons to try, each with why (in the Accept-Language)",
)
def my_recommendations(
    request: Request,
    session: DbSession,
    actor: Customer,
    kind: Annotated[Kind, Query(description="stores or coupons")] = Kind.STORES,
    limit: Annotated[int, Query(ge=1, le=service.PICKS_KEPT)] = 10,
) -> RecommendationsOut:
    language = negotiate(request.headers.get("accept-language"))
    return service.recommendations(session, actor, kind, limit, language)
