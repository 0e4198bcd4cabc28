"""``/v1/partner/payments`` (a partner pays under a customer's consent, ``payments:write``, signed,
Idempotency-Key) and ``/v1/me/partner-payments`` (the customer confirms or declines)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import JSONResponse

from finlife.kit.auth import Access, Actor, Role
from finlife.kit.deps import AppSettings, DbSession
from finlife.kit.idempotency import fingerprint, idempotency_key, run_once
from finlife.partners.payments import service
from finlife.partners.payments.schemas import PaymentIn, PaymentOut
from finlife.partners.signing import PartnerSigned

router = APIRouter(tags=["partners"])

Payer = Annotated[Actor, Depends(Access(scopes=("payments:write",)))]
Customer = Annotated[Actor, Depends(Access(Role.CUSTOMER))]
Key = Annotated[str, Depends(idempotency_key)]
PAYMENTS = "/v1/partner/payments"
CREATED = {
    201: {"description": "Paid at once (below the thresholds)"},
    202: {"description": "Awaiting the customer's confirmation in /app"},
}


@router.post(
    PAYMENTS,
    response_model=PaymentOut,
    status_code=201,
    responses=CREATED,  # type: ignore[arg-type]
    summary="Pay a payee from an account in the consent (confirmed by the customer above the thresholds)",
)
def create_payment(
    body: PaymentIn,
    request: Request,
    signed: PartnerSigned,  # before the DbSession: on SQLite its unit of work takes the writer lock
    session: DbSession,
    settings: AppSettings,
    actor: Payer,
    key: Key,
) -> JSONResponse:
    signed.require_keyid(actor.grant.client_id if actor.grant is not None else "")
    prepared = service.prepare(session, actor, body)
    return run_once(
        session,
        scope=actor.user_id or "anonymous",
        key=key,
        request_fingerprint=fingerprint("POST", PAYMENTS, body),
        status_code=202 if prepared.needs_confirmation else 201,
        work=lambda: service.create_payment(session, settings, actor, body, prepared),
    )


@router.get(f"{PAYMENTS}/{{payment_id}}", response_model=PaymentOut, summary="One payment of this consent")
def get_payment(payment_id: str, session: DbSession, actor: Payer) -> PaymentOut:
    return service.get_for_partner(session, actor, payment_id)


@router.get(
    "/v1/me/partner-payments",
    response_model=list[PaymentOut],
    summary="Partners' payments: awaiting me first",
)
def my_payments(session: DbSession, actor: Customer) -> list[PaymentOut]:
    return service.list_for_customer(session, actor)


@router.post(
    "/v1/me/partner-payments/{payment_id}/confirm",
    response_model=PaymentOut,
    summary="Confirm a partner's payment: the money moves now",
)
def confirm(payment_id: str, session: DbSession, settings: AppSettings, actor: Customer) -> PaymentOut:
    return service.confirm(session, settings, actor, payment_id)


@router.post(
    "/v1/me/partner-payments/{payment_id}/decline",
    response_model=PaymentOut,
    summary="Decline a partner's payment",
)
def decline(payment_id: str, session: DbSession, actor: Customer) -> PaymentOut:
    return service.decline(session, actor, payment_id)
