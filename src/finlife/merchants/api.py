"""REST routes of merchants, stores, staff and terminals: parse, authorise, call the service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import JSONResponse

from finlife.kit.auth import Access, Actor, Role
from finlife.kit.deps import AppSettings, DbSession
from finlife.kit.idempotency import OptionalIdempotencyKey, create_once
from finlife.kit.pagination import Page, PageParams, page_params
from finlife.kit.permissions import Capability, access_to
from finlife.merchants import service
from finlife.merchants.schemas import (
    MerchantApplyIn,
    MerchantOut,
    MerchantStatus,
    RejectIn,
    StaffIn,
    StaffOut,
    StaffPasswordOut,
    StoreChangesIn,
    StoreIn,
    StoreOut,
    TerminalIn,
    TerminalOut,
)

router = APIRouter(tags=["merchants"])

SignedIn = Annotated[Actor, Depends(Access.signed_in())]
# A customer applies for themself; staff who approve merchants file an application at the branch.
Applicant = Annotated[Actor, Depends(access_to(Capability.MERCHANT_APPROVAL, Role.CUSTOMER))]
ServingStaff = Annotated[Actor, Depends(access_to(Capability.MERCHANT_APPROVAL))]
# The role is on the login from the owner's first sign-in after approval; the service checks ownership.
Owner = Annotated[Actor, Depends(Access(Role.MERCHANT_OWNER))]
Paging = Annotated[PageParams, Depends(page_params)]


@router.post(
    "/v1/merchants", response_model=MerchantOut, status_code=201, summary="Apply to become a merchant"
)
def apply_merchant(
    body: MerchantApplyIn, request: Request, session: DbSession, actor: Applicant, key: OptionalIdempotencyKey
) -> MerchantOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.apply_merchant(
            session,
            actor,
            legal_name=body.legal_name,
            credit_code=body.credit_code,
            mcc=body.mcc,
            category=body.category,
            settlement_account_id=body.settlement_account_id,
            contact=body.contact,
            owner_user_id=body.owner_user_id,
        ),
    )


@router.post(
    "/v1/merchants/{merchant_id}/approve", response_model=MerchantOut, summary="Approve an application"
)
def approve_merchant(merchant_id: str, session: DbSession, actor: ServingStaff) -> MerchantOut:
    return service.approve_merchant(session, actor, merchant_id)


@router.post(
    "/v1/merchants/{merchant_id}/reject", response_model=MerchantOut, summary="Reject an application"
)
def reject_merchant(merchant_id: str, body: RejectIn, session: DbSession, actor: ServingStaff) -> MerchantOut:
    return service.reject_merchant(session, actor, merchant_id, reason=body.reason)


@router.get(
    "/v1/merchants", response_model=Page[MerchantOut], summary="Merchants: all for bank staff, else one's own"
)
def list_merchants(
    session: DbSession,
    actor: SignedIn,
    params: Paging,
    status: Annotated[MerchantStatus | None, Query(description="Only merchants in this status")] = None,
) -> Page[MerchantOut]:
    return service.list_merchants(session, actor, params, status=status)


@router.get("/v1/merchants/{merchant_id}", response_model=MerchantOut, summary="One merchant")
def get_merchant(merchant_id: str, session: DbSession, actor: SignedIn) -> MerchantOut:
    return service.get_merchant(session, actor, merchant_id)


@router.post(
    "/v1/merchants/{merchant_id}/stores", response_model=StoreOut, status_code=201, summary="Open a store"
)
def create_store(
    merchant_id: str,
    body: StoreIn,
    request: Request,
    session: DbSession,
    actor: Owner,
    key: OptionalIdempotencyKey,
) -> StoreOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.create_store(session, actor, merchant_id, body),
    )


@router.get(
    "/v1/merchants/{merchant_id}/stores", response_model=Page[StoreOut], summary="The merchant's stores"
)
def list_stores(merchant_id: str, session: DbSession, actor: SignedIn, params: Paging) -> Page[StoreOut]:
    return service.list_stores(session, actor, merchant_id, params)


@router.get("/v1/stores/{store_id}", response_model=StoreOut, summary="One store")
def get_store(store_id: str, session: DbSession, actor: SignedIn) -> StoreOut:
    return service.get_store(session, actor, store_id)


@router.patch(
    "/v1/stores/{store_id}",
    response_model=StoreOut,
    summary="Change a store's name, address, district, position, category or hours (the owner)",
)
def edit_store(store_id: str, body: StoreChangesIn, session: DbSession, actor: Owner) -> StoreOut:
    return service.edit_store(session, actor, store_id, body)


@router.post(
    "/v1/merchants/{merchant_id}/staff",
    response_model=StaffOut,
    status_code=201,
    summary="Create a cashier login for some stores",
)
def add_staff(
    merchant_id: str,
    body: StaffIn,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    actor: Owner,
    key: OptionalIdempotencyKey,
) -> StaffOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.add_staff(
            session,
            settings,
            actor,
            merchant_id,
            username=body.username,
            password=body.password,
            name=body.name,
            store_ids=body.store_ids,
        ),
        secret_key=settings.secret_key,
        secret_fields=("password",),
    )


@router.get(
    "/v1/merchants/{merchant_id}/staff", response_model=Page[StaffOut], summary="The merchant's people"
)
def list_staff(merchant_id: str, session: DbSession, actor: SignedIn, params: Paging) -> Page[StaffOut]:
    return service.list_staff(session, actor, merchant_id, params)


@router.post(
    "/v1/stores/{store_id}/terminals",
    response_model=TerminalOut,
    status_code=201,
    summary="Bind a POS terminal to a store",
)
def add_terminal(
    store_id: str,
    request: Request,
    session: DbSession,
    actor: Owner,
    key: OptionalIdempotencyKey,
    body: TerminalIn | None = None,
) -> TerminalOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body or TerminalIn(),
        work=lambda: service.add_terminal(session, actor, store_id),
    )


@router.get(
    "/v1/stores/{store_id}/terminals", response_model=Page[TerminalOut], summary="The store's terminals"
)
def list_terminals(store_id: str, session: DbSession, actor: SignedIn, params: Paging) -> Page[TerminalOut]:
    return service.list_terminals(session, actor, store_id, params)


@router.post(
    "/v1/merchants/{merchant_id}/staff/{staff_id}/disable",
    response_model=StaffOut,
    summary="Disable a cashier: no sign-in, and their tokens reach nothing of the merchant",
)
def disable_staff(merchant_id: str, staff_id: str, session: DbSession, actor: Owner) -> StaffOut:
    return service.set_staff_enabled(session, actor, merchant_id, staff_id, enabled=False)


@router.post(
    "/v1/merchants/{merchant_id}/staff/{staff_id}/enable",
    response_model=StaffOut,
    summary="Enable a disabled cashier again",
)
def enable_staff(merchant_id: str, staff_id: str, session: DbSession, actor: Owner) -> StaffOut:
    return service.set_staff_enabled(session, actor, merchant_id, staff_id, enabled=True)


@router.post(
    "/v1/merchants/{merchant_id}/staff/{staff_id}/password-reset",
    response_model=StaffPasswordOut,
    summary="Give a cashier a new password, answered once",
)
def reset_staff_password(
    merchant_id: str, staff_id: str, session: DbSession, settings: AppSettings, actor: Owner
) -> StaffPasswordOut:
    return service.reset_staff_password(session, settings, actor, merchant_id, staff_id)
