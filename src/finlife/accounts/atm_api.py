"""REST routes of ATMs: bank staff register, list and deactivate them; an ATM, with its own token,
takes and pays out cash for a customer's card and PIN."""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import JSONResponse

from finlife.accounts import atm
from finlife.accounts.schemas import AtmCashIn, MovementOut
from finlife.identity.schemas import DeviceIn, DeviceOut, RegisteredDeviceOut
from finlife.kit.auth import Access, Actor
from finlife.kit.deps import AppSettings, DbSession
from finlife.kit.idempotency import (
    OptionalIdempotencyKey,
    create_once,
    fingerprint,
    idempotency_key,
    run_once,
)
from finlife.kit.pagination import Page, PageParams, page_params
from finlife.kit.permissions import Capability, access_to
from finlife.settings import Settings

router = APIRouter(tags=["devices"])

Registrar = Annotated[Actor, Depends(access_to(Capability.DEVICE_REGISTRATION))]
DeviceStaff = Annotated[Actor, Depends(access_to(Capability.DEVICES))]
Machine = Annotated[Actor, Depends(Access.device())]
IdempotencyKey = Annotated[str, Depends(idempotency_key)]
Paging = Annotated[PageParams, Depends(page_params)]


@router.post(
    "/v1/devices",
    response_model=RegisteredDeviceOut,
    status_code=201,
    summary="Register a device (an ATM) bound to a branch's cash vault; its secret is shown once",
)
def register_device(
    body: DeviceIn,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    actor: Registrar,
    key: OptionalIdempotencyKey,
) -> RegisteredDeviceOut | JSONResponse:
    # A retry after a lost answer gets the same device without its secret, which is answered once and
    # never stored: the admin deactivates it and registers another, rather than a second ATM appearing.
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: atm.register_device(session, settings, actor, body),
        stored=lambda answer: {**answer, "secret": None},
    )


@router.get(
    "/v1/devices",
    response_model=Page[DeviceOut],
    summary="The registered devices, newest first",
)
def list_devices(session: DbSession, actor: DeviceStaff, params: Paging) -> Page[DeviceOut]:
    return atm.list_devices(session, params)


@router.post(
    "/v1/devices/{device_id}/deactivate",
    response_model=DeviceOut,
    summary="Deactivate a device: no new token, and the ones it holds stop working",
)
def deactivate_device(device_id: str, session: DbSession, actor: DeviceStaff) -> DeviceOut:
    return atm.deactivate_device(session, actor, device_id)


def _fingerprint(settings: Settings, request: Request, body: AtmCashIn) -> str:
    """The card number and PIN enter the stored fingerprint only as a keyed HMAC (never a plain hash
    a PIN could be guessed back from)."""
    data = body.model_dump(mode="json")
    secret = f"{data.pop('card_number')}\x00{data.pop('pin')}"
    data["card"] = hmac.new(settings.secret_key.encode(), secret.encode(), hashlib.sha256).hexdigest()
    return fingerprint("POST", request.url.path, data)


def _atm_cash(
    request: Request, settings: Settings, actor: Actor, key: str, body: AtmCashIn, *, deposit: bool
) -> JSONResponse:
    database = request.app.state.db
    # The card check commits on its own: a wrong PIN is counted even though the request is refused.
    with database.unit_of_work() as session:
        refusal = atm.check_card(session, settings, actor, card_number=body.card_number, pin=body.pin)
    if refusal is not None:
        raise refusal
    with database.unit_of_work() as session:
        return run_once(
            session,
            scope=actor.user_id or "anonymous",
            key=key,
            request_fingerprint=_fingerprint(settings, request, body),
            status_code=201,
            work=lambda: atm.atm_cash(
                session,
                settings,
                actor,
                card_number=body.card_number,
                amount=body.amount,
                currency=body.currency,
                deposit=deposit,
            ),
        )


@router.post(
    "/v1/atm/deposits",
    response_model=MovementOut,
    status_code=201,
    summary="Cash deposit at an ATM (the ATM's token, the customer's card and PIN)",
)
def atm_deposit(
    body: AtmCashIn, request: Request, settings: AppSettings, actor: Machine, key: IdempotencyKey
) -> JSONResponse:
    return _atm_cash(request, settings, actor, key, body, deposit=True)


@router.post(
    "/v1/atm/withdrawals",
    response_model=MovementOut,
    status_code=201,
    summary="Cash withdrawal at an ATM (the ATM's token, the customer's card and PIN)",
)
def atm_withdrawal(
    body: AtmCashIn, request: Request, settings: AppSettings, actor: Machine, key: IdempotencyKey
) -> JSONResponse:
    return _atm_cash(request, settings, actor, key, body, deposit=False)
