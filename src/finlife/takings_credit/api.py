"""REST routes of credit from takings: today's offer and its acceptance, for the merchant's owner.

Accepting pays a loan out: it takes an Idempotency-Key (a retry gets the first answer, never a
second loan)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import JSONResponse

from finlife.kit.auth import Access, Actor, Role
from finlife.kit.deps import DbSession
from finlife.kit.i18n import negotiate
from finlife.kit.idempotency import fingerprint, idempotency_key, run_once
from finlife.takings_credit import service
from finlife.takings_credit.schemas import AcceptanceOut, AcceptIn, OfferOut

router = APIRouter(tags=["takings credit"])

Owner = Annotated[Actor, Depends(Access(Role.MERCHANT_OWNER))]
IdempotencyKey = Annotated[str, Depends(idempotency_key)]
OFFER = "/v1/merchants/{merchant_id}/credit-offer"


@router.get(
    OFFER, response_model=OfferOut, summary="Today's operating loan offer from 90 days of settled takings"
)
def credit_offer(merchant_id: str, request: Request, session: DbSession, actor: Owner) -> OfferOut:
    language = negotiate(request.headers.get("accept-language"))
    return service.credit_offer(session, actor, merchant_id, language)


@router.post(
    f"{OFFER}/accept",
    response_model=AcceptanceOut,
    status_code=201,
    summary="Accept today's offer: the loan is booked and paid into the settlement account",
)
def accept_offer(
    merchant_id: str,
    body: AcceptIn,
    request: Request,
    session: DbSession,
    actor: Owner,
    key: IdempotencyKey,
) -> JSONResponse:
    return run_once(
        session,
        scope=actor.user_id or "anonymous",
        key=key,
        request_fingerprint=fingerprint("POST", request.url.path, body),
        status_code=201,
        work=lambda: service.accept_offer(session, actor, merchant_id, body),
    )
