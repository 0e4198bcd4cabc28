"""REST routes of the customer record: parse, authorise, call the service, shape the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import JSONResponse

from finlife.customers import service, sign_in_unlock
from finlife.customers.schemas import (
    CustomerCreateIn,
    CustomerOut,
    InteractionOut,
    MeOut,
    SignInUnlockIn,
    SignupIn,
    VerificationIn,
)
from finlife.kit.auth import Access, Actor
from finlife.kit.deps import AppSettings, DbSession
from finlife.kit.idempotency import OptionalIdempotencyKey, create_once
from finlife.kit.pagination import Page, PageParams, page_params
from finlife.kit.permissions import Capability, access_to

router = APIRouter(tags=["customers"])

Anyone = Annotated[Actor, Depends(Access.public_route())]
SignedIn = Annotated[Actor, Depends(Access.signed_in())]
ServingStaff = Annotated[Actor, Depends(access_to(Capability.CUSTOMER_RECORDS))]
Verifier = Annotated[Actor, Depends(access_to(Capability.IDENTITY_VERIFICATION))]
Paging = Annotated[PageParams, Depends(page_params)]


@router.post(
    "/v1/signup", response_model=CustomerOut, status_code=201, summary="Register with phone and password"
)
def signup(
    body: SignupIn,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    actor: Anyone,
    key: OptionalIdempotencyKey,
) -> CustomerOut | JSONResponse:
    # Nobody is signed in: the key's scope is everyone's, and only the same body (its password
    # included, through an HMAC) replays the answer.
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.signup(
            session, settings, actor, phone=body.phone, password=body.password, name=body.name
        ),
        secret_key=settings.secret_key,
        secret_fields=("password",),
    )


@router.post(
    "/v1/customers", response_model=CustomerOut, status_code=201, summary="Create a customer at the branch"
)
def create_customer(
    body: CustomerCreateIn,
    request: Request,
    session: DbSession,
    actor: ServingStaff,
    key: OptionalIdempotencyKey,
) -> CustomerOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.create_customer(
            session, actor, name=body.name, phone=body.phone, id_number=body.id_number
        ),
    )


@router.get("/v1/customers", response_model=Page[CustomerOut], summary="Find customers (masked)")
def search_customers(
    session: DbSession,
    actor: ServingStaff,
    params: Paging,
    settings: AppSettings,
    q: Annotated[
        str | None,
        Query(max_length=64, description="Name, phone, ID number, account or card number, customer id"),
    ] = None,
) -> Page[CustomerOut]:
    return service.search_customers(session, actor, params, query=q, settings=settings)


@router.get("/v1/customers/{customer_id}", response_model=CustomerOut, summary="One customer record")
def get_customer(customer_id: str, session: DbSession, actor: SignedIn) -> CustomerOut:
    return service.get_customer(session, actor, customer_id)


@router.post(
    "/v1/customers/{customer_id}/verifications",
    response_model=CustomerOut,
    summary="Verify identity (in person at the branch, or remotely by the customer on mobile)",
)
def verify_identity(
    customer_id: str, body: VerificationIn, session: DbSession, actor: SignedIn
) -> CustomerOut:
    return service.verify_identity(session, actor, customer_id, name=body.name, id_number=body.id_number)


@router.post(
    "/v1/customers/{customer_id}/sign-in-unlock",
    status_code=204,
    summary="Reopen a login frozen by failed sign-ins (a teller at the branch, ID document checked)",
)
def unlock_sign_in(
    customer_id: str, body: SignInUnlockIn, session: DbSession, settings: AppSettings, actor: Verifier
) -> None:
    sign_in_unlock.unlock_sign_in(session, settings, actor, customer_id, id_number=body.id_number)


@router.get(
    "/v1/customers/{customer_id}/interactions",
    response_model=Page[InteractionOut],
    summary="The customer's interactions by channel, newest first",
)
def list_interactions(
    customer_id: str, session: DbSession, actor: SignedIn, params: Paging
) -> Page[InteractionOut]:
    return service.list_interactions(session, actor, customer_id, params)


@router.get("/v1/me", response_model=MeOut, summary="The signed-in user and their customer record")
def me(session: DbSession, actor: SignedIn) -> MeOut:
    return service.me(session, actor)
