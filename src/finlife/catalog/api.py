"""REST routes of a merchant's goods: parse, authorise, call the catalog service, shape the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import JSONResponse

from finlife.catalog import service
from finlife.catalog.schemas import CategoriesOut, ItemCreateIn, ItemOut, ItemUpdateIn
from finlife.kit.auth import Access, Actor, Role
from finlife.kit.deps import DbSession
from finlife.kit.idempotency import OptionalIdempotencyKey, create_once
from finlife.kit.pagination import Page, PageParams, page_params
from finlife.kit.permissions import Capability, access_to

router = APIRouter(tags=["catalog"])

# The route admits the roles; the service then scopes every row to the actor's own merchant.
# Changes are the owner's, but cashiers reach the service too: another merchant's items must be a
# 404 for them (not revealed), their own merchant's a 403.
Owner = Annotated[Actor, Depends(Access(Role.MERCHANT_OWNER, Role.CASHIER))]
Reader = Annotated[Actor, Depends(access_to(Capability.MERCHANT_RECORDS, Role.MERCHANT_OWNER, Role.CASHIER))]
Paging = Annotated[PageParams, Depends(page_params)]


@router.post(
    "/v1/merchants/{merchant_id}/items",
    response_model=ItemOut,
    status_code=201,
    summary="Add an item with its variations (owner)",
)
def create_item(
    merchant_id: str,
    body: ItemCreateIn,
    request: Request,
    session: DbSession,
    actor: Owner,
    key: OptionalIdempotencyKey,
) -> ItemOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.create_item(session, actor, merchant_id, body),
    )


@router.get(
    "/v1/merchants/{merchant_id}/items",
    response_model=Page[ItemOut],
    summary="The merchant's items, newest first; search by name or SKU",
)
def list_items(
    merchant_id: str,
    session: DbSession,
    actor: Reader,
    params: Paging,
    q: Annotated[str | None, Query(max_length=64, description="Part of an item name or SKU")] = None,
    category: Annotated[str | None, Query(max_length=64, description="Only this category")] = None,
    include_archived: Annotated[bool, Query(description="Archived items too")] = False,
) -> Page[ItemOut]:
    return service.list_items(
        session, actor, merchant_id, params, query=q, category=category, include_archived=include_archived
    )


@router.get(
    "/v1/merchants/{merchant_id}/categories",
    response_model=CategoriesOut,
    summary="The merchant's categories and how many items each holds",
)
def list_categories(
    merchant_id: str,
    session: DbSession,
    actor: Reader,
    include_archived: Annotated[bool, Query(description="Count archived items too")] = False,
) -> CategoriesOut:
    return service.list_categories(session, actor, merchant_id, include_archived=include_archived)


@router.get("/v1/items/{item_id}", response_model=ItemOut, summary="One item with its variations")
def get_item(item_id: str, session: DbSession, actor: Reader) -> ItemOut:
    return service.get_item(session, actor, item_id)


@router.patch(
    "/v1/items/{item_id}",
    response_model=ItemOut,
    summary="Change an item and its variations, or add variations (owner)",
)
def update_item(item_id: str, body: ItemUpdateIn, session: DbSession, actor: Owner) -> ItemOut:
    return service.update_item(session, actor, item_id, body)


@router.post("/v1/items/{item_id}/archive", response_model=ItemOut, summary="Archive an item (owner)")
def archive_item(item_id: str, session: DbSession, actor: Owner) -> ItemOut:
    return service.set_archived(session, actor, item_id, archived=True)


@router.post("/v1/items/{item_id}/unarchive", response_model=ItemOut, summary="Bring an item back (owner)")
def unarchive_item(item_id: str, session: DbSession, actor: Owner) -> ItemOut:
    return service.set_archived(session, actor, item_id, archived=False)
