"""Lending's REST API: products and rates (bank admin), applications and their decisions, loans."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse

from finlife.kit.auth import Access, Actor, Role
from finlife.kit.deps import DbSession
from finlife.kit.idempotency import (
    OptionalIdempotencyKey,
    create_once,
    fingerprint,
    idempotency_key,
    run_once,
)
from finlife.kit.permissions import Capability, access_to, holders
from finlife.lending import service
from finlife.lending.schemas import (
    ApplicationIn,
    ApplicationOut,
    EscrowIn,
    EscrowOut,
    LoanOut,
    LoanStatus,
    LoanSummary,
    PrepaymentIn,
    ProductIn,
    ProductOut,
    RateIn,
    RateOut,
    RejectIn,
    WriteOffIn,
)

router = APIRouter(tags=["lending"])

LOANS_APPLY = ("loans:apply",)
Admin = Annotated[Actor, Depends(access_to(Capability.LOAN_PRODUCTS))]
Anyone = Annotated[Actor, Depends(Access(any_user=True, scopes=LOANS_APPLY))]
# The customer, serving staff, or a partner under the customer's consent (the service scopes rows).
Applicant = Annotated[
    Actor, Depends(Access(Role.CUSTOMER, *holders(Capability.LOANS_SERVE), scopes=LOANS_APPLY))
]
Reader = Annotated[Actor, Depends(Access(Role.CUSTOMER, *holders(Capability.LOANS_READ), scopes=LOANS_APPLY))]
Officer = Annotated[Actor, Depends(access_to(Capability.LOAN_APPROVAL))]
Server = Annotated[Actor, Depends(access_to(Capability.LOANS_SERVE))]
Signer = Annotated[Actor, Depends(access_to(Capability.LOANS_SERVE, Role.CUSTOMER))]
Borrower = Annotated[Actor, Depends(access_to(Capability.LOANS_SERVE, Role.CUSTOMER))]
ListReader = Annotated[Actor, Depends(access_to(Capability.LOANS_READ, Role.CUSTOMER))]
Key = Annotated[str, Depends(idempotency_key)]
APPLICATION = "/v1/loan-applications/{loan_id}"


class DocumentsIn(BaseModel):
    documents: list[Annotated[str, Field(min_length=1, max_length=120)]] = Field(min_length=1, max_length=20)


@router.post("/v1/loan-products", response_model=ProductOut, status_code=201, summary="A loan product")
def create_product(
    body: ProductIn, request: Request, session: DbSession, actor: Admin, key: OptionalIdempotencyKey
) -> Any:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.create_product(session, actor, body),
    )


@router.get("/v1/loan-products", response_model=list[ProductOut], summary="The loan products on offer")
def list_products(session: DbSession, actor: Anyone) -> list[ProductOut]:
    return service.list_products(session)


@router.post(
    "/v1/loan-reference-rates",
    response_model=RateOut,
    status_code=201,
    summary="Publish an LPR from a day on",
)
def publish_rate(body: RateIn, session: DbSession, actor: Admin) -> RateOut:
    return service.publish_rate(session, actor, body)


@router.get("/v1/loan-reference-rates", response_model=list[RateOut], summary="The published reference rates")
def list_rates(session: DbSession, actor: Anyone) -> list[RateOut]:
    return service.list_rates(session)


@router.post(
    "/v1/loan-developer-escrows",
    response_model=EscrowOut,
    status_code=201,
    summary="The escrow account a developer's buyers' loans are paid into",
)
def set_escrow(body: EscrowIn, session: DbSession, actor: Admin) -> EscrowOut:
    return service.set_escrow(session, actor, body)


@router.post(
    "/v1/loan-applications",
    response_model=ApplicationOut,
    status_code=201,
    summary="Apply for a loan (the customer, a teller for them, or a partner under their consent)",
)
def submit(
    body: ApplicationIn, request: Request, session: DbSession, actor: Applicant, key: OptionalIdempotencyKey
) -> Any:
    return create_once(
        session, request, actor=actor, key=key, body=body, work=lambda: service.submit(session, actor, body)
    )


@router.get(APPLICATION, response_model=ApplicationOut, summary="An application and its schedule preview")
def get_application(loan_id: str, session: DbSession, actor: Reader) -> ApplicationOut:
    return service.get_application(session, actor, loan_id)


@router.post(
    f"{APPLICATION}/documents", response_model=ApplicationOut, summary="Record the documents handed in"
)
def record_documents(loan_id: str, body: DocumentsIn, session: DbSession, actor: Applicant) -> ApplicationOut:
    return service.record_documents(session, actor, loan_id, body.documents)


@router.post(
    f"{APPLICATION}/identity-verification",
    response_model=ApplicationOut,
    summary="A teller at the branch has checked the customer's identity face to face",
)
def verify_identity(loan_id: str, session: DbSession, actor: Server) -> ApplicationOut:
    return service.verify_identity(session, actor, loan_id)


@router.post(f"{APPLICATION}/approve", response_model=ApplicationOut, summary="An officer approves")
def approve(loan_id: str, session: DbSession, actor: Officer) -> ApplicationOut:
    return service.approve(session, actor, loan_id)


@router.post(f"{APPLICATION}/reject", response_model=ApplicationOut, summary="An officer rejects, saying why")
def reject(loan_id: str, body: RejectIn, session: DbSession, actor: Officer) -> ApplicationOut:
    return service.reject(session, actor, loan_id, body.reason)


@router.post(f"{APPLICATION}/withdraw", response_model=ApplicationOut, summary="Withdraw before signing")
def withdraw(loan_id: str, session: DbSession, actor: Applicant) -> ApplicationOut:
    return service.withdraw(session, actor, loan_id)


@router.post(
    f"{APPLICATION}/sign",
    response_model=ApplicationOut,
    summary="The customer signs (in the app, or at a branch before a teller); the rate is fixed now",
)
def sign(loan_id: str, session: DbSession, actor: Signer) -> ApplicationOut:
    return service.sign(session, actor, loan_id)


@router.post(
    f"{APPLICATION}/disburse",
    response_model=LoanOut,
    summary="Pay the signed loan out (to the developer's escrow or the customer); once, however often asked",
)
def disburse(loan_id: str, session: DbSession, actor: Server) -> LoanOut:
    return service.disburse(session, actor, loan_id)


@router.get(
    "/v1/loans", response_model=list[LoanSummary], summary="Loans: the customer's own, or any (staff)"
)
def list_loans(
    session: DbSession, actor: ListReader, status: Annotated[LoanStatus | None, Query()] = None
) -> list[LoanSummary]:
    return service.list_loans(session, actor, status)


@router.get("/v1/loans/{loan_id}", response_model=LoanOut, summary="A loan: balance, schedule, arrears")
def get_loan(loan_id: str, session: DbSession, actor: Reader) -> LoanOut:
    return service.get_loan(session, actor, loan_id)


@router.post(
    "/v1/loans/{loan_id}/prepayments",
    response_model=LoanOut,
    status_code=201,
    summary="Repay early, part or whole; the schedule is recomputed (shorter term or lower instalment)",
)
def prepay(
    loan_id: str, body: PrepaymentIn, request: Request, session: DbSession, actor: Borrower, key: Key
) -> JSONResponse:
    return run_once(
        session,
        scope=actor.user_id or "anonymous",
        key=key,
        request_fingerprint=fingerprint("POST", request.url.path, body),
        status_code=201,
        work=lambda: service.prepay(session, actor, loan_id, body),
    )


@router.post(
    "/v1/loans/{loan_id}/write-off",
    response_model=LoanOut,
    summary="Write off a loan classified as loss (an officer, saying why; two above the product's threshold)",
)
def write_off(loan_id: str, body: WriteOffIn, session: DbSession, actor: Officer) -> LoanOut:
    return service.write_off(session, actor, loan_id, body.reason)
