"""REST routes of the Life channel: discovery of stores, store pages, reviews, share links."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import JSONResponse

from finlife.kit.auth import Access, Actor, Role
from finlife.kit.deps import DbSession, in_unit_of_work
from finlife.kit.geo import point_from_query
from finlife.kit.idempotency import OptionalIdempotencyKey, create_once
from finlife.kit.pagination import Page, PageParams, page_params
from finlife.life import service
from finlife.life.schemas import (
    DiscoveredStoreOut,
    MyOrderOut,
    ReplyIn,
    ReviewIn,
    ReviewOut,
    SharedOut,
    ShareIn,
    ShareOut,
    Sort,
    StorePageOut,
)

router = APIRouter(tags=["life"])

Anyone = Annotated[Actor, Depends(Access.public_route())]
SignedIn = Annotated[Actor, Depends(Access.signed_in())]
Customer = Annotated[Actor, Depends(Access(Role.CUSTOMER))]
Paging = Annotated[PageParams, Depends(page_params)]
Degrees = Annotated[Decimal | None, Query(allow_inf_nan=False, description="Degrees, e.g. 31.232")]
RadiusM = Annotated[int | None, Query(ge=1, le=50_000, description="Only stores this close (metres)")]


def _near(lat: Decimal | None, lng: Decimal | None, radius_m: int | None) -> service.Near | None:
    point = point_from_query(lat, lng)
    return None if point is None else service.Near(point, radius_m)


@router.get(
    "/v1/life/merchants",
    response_model=list[DiscoveredStoreOut],
    summary="Find stores: text, position and radius, category, district; sorted",
)
async def discover(
    request: Request,
    actor: Anyone,
    lat: Degrees = None,
    lng: Degrees = None,
    radius_m: RadiusM = None,
    q: Annotated[str | None, Query(max_length=64, description="Store, category, merchant or goods")] = None,
    category: Annotated[str | None, Query(max_length=64)] = None,
    district: Annotated[str | None, Query(max_length=64, description="dis_… or a district name")] = None,
    sort: Sort | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[DiscoveredStoreOut]:
    # Discovery's hot path (bench/discovery.py): async, its unit of work run and committed in one trip
    # to the threadpool (``kit.deps.in_unit_of_work``). As a sync route with ``DbSession`` it took
    # three (the route, the answer's validation, the commit), each a thread hand-over under the GIL.
    near = _near(lat, lng, radius_m)
    return await in_unit_of_work(
        request,
        lambda session: service.discover(
            session,
            query=q,
            near=near,
            category=category,
            district=district,
            sort=sort,
            limit=limit,
            actor=actor,
        ),
    )


@router.get(
    "/v1/life/merchants/{store_id}",
    response_model=StorePageOut,
    summary="A store's page: hours, goods with prices, recent reviews",
)
def store_page(
    store_id: str, session: DbSession, actor: Anyone, lat: Degrees = None, lng: Degrees = None
) -> StorePageOut:
    return service.store_page(session, store_id, near=_near(lat, lng, None), actor=actor)


@router.post(
    "/v1/life/stores/{store_id}/reviews",
    response_model=ReviewOut,
    status_code=201,
    summary="Review an order you paid at this store (once, within 30 days)",
)
def write_review(
    store_id: str,
    body: ReviewIn,
    request: Request,
    session: DbSession,
    actor: SignedIn,
    key: OptionalIdempotencyKey,
) -> ReviewOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.write_review(session, actor, store_id, body),
    )


@router.get(
    "/v1/life/stores/{store_id}/reviews",
    response_model=Page[ReviewOut],
    summary="A store's reviews, newest first",
)
def list_reviews(store_id: str, session: DbSession, _actor: Anyone, params: Paging) -> Page[ReviewOut]:
    return service.list_reviews(session, store_id, params)


@router.post(
    "/v1/life/reviews/{review_id}/reply",
    response_model=ReviewOut,
    summary="The merchant's owner replies once",
)
def reply_to_review(review_id: str, body: ReplyIn, session: DbSession, actor: SignedIn) -> ReviewOut:
    return service.reply_to_review(session, actor, review_id, body)


@router.post(
    "/v1/life/shares",
    response_model=ShareOut,
    status_code=201,
    summary="Share a store or a live campaign: a link whose visits and claims count for you",
)
def create_share(
    body: ShareIn, request: Request, session: DbSession, actor: Customer, key: OptionalIdempotencyKey
) -> ShareOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.create_share(session, actor, body),
    )


@router.get(
    "/v1/life/shares", response_model=list[ShareOut], summary="Your share links with visits and claims"
)
def my_shares(session: DbSession, actor: Customer) -> list[ShareOut]:
    return service.my_shares(session, actor)


@router.get(
    "/v1/life/shares/{token}",
    response_model=SharedOut,
    summary="Open a share link: the store's page or the campaign (a visit for the sharer)",
)
def open_share(token: str, session: DbSession, actor: Anyone) -> SharedOut:
    return service.open_share(session, actor, token)


@router.get(
    "/v1/life/orders",
    response_model=list[MyOrderOut],
    summary="Your payments from your accounts, newest first, each store by name and its review state",
)
def my_orders(
    session: DbSession,
    actor: Customer,
    to_review: Annotated[
        bool, Query(description="Only the paid orders you have not reviewed yet and still may (待评价)")
    ] = False,
) -> list[MyOrderOut]:
    return service.my_orders(session, actor, to_review=to_review)


@router.get(
    "/v1/life/orders/{payment_id}",
    response_model=MyOrderOut,
    summary="One of your payments: the result of a payment, with its store by name",
)
def my_order(payment_id: str, session: DbSession, actor: Customer) -> MyOrderOut:
    return service.my_order(session, actor, payment_id)
