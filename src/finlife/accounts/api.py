"""REST routes of deposit accounts: parse, authorise, call the service, shape the answer.

Money-moving POSTs take an Idempotency-Key: a retry gets the first answer, never a second effect.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from finlife.accounts import service
from finlife.accounts.movements import lock_for_transfers
from finlife.accounts.schemas import (
    AccountOpenIn,
    AccountOut,
    CaptureIn,
    CardIssueIn,
    CardOut,
    CashIn,
    HoldIn,
    HoldOut,
    IssuedCardAnswerOut,
    IssuedCardOut,
    MovementOut,
    OtherBankTransferOut,
    TransferIn,
    TransferOut,
)
from finlife.accounts.transfer_password import (
    check_payment_password,
    may_need_payment_password,
    needs_payment_password,
    payee_is_own,
)
from finlife.kit.auth import Access, Actor
from finlife.kit.deps import (
    AppSettings,
    DbSession,
    body_errors,
    direct_route,
    in_group_commit,
    in_unit_of_work,
    read_json_body,
)
from finlife.kit.idempotency import (
    OptionalIdempotencyKey,
    create_once,
    fingerprint,
    idempotency_key,
    keyed_fingerprint,
    keys_prefetch,
    once,
    required_key,
    respond,
    run_once,
)
from finlife.kit.pagination import Page, PageParams, page_params
from finlife.kit.permissions import Capability, access_to
from finlife.ledger.schemas import StatementLineOut
from finlife.settings import Settings

router = APIRouter(tags=["accounts"])
TRANSFERS = "/v1/transfers"

SignedIn = Annotated[Actor, Depends(Access.signed_in())]
# The reads partners reach too, with their token's scope; the service scopes rows to its consent.
AccountReader = Annotated[Actor, Depends(Access(any_user=True, scopes=("accounts:read",)))]
StatementReader = Annotated[Actor, Depends(Access(any_user=True, scopes=("transactions:read",)))]
ServingStaff = Annotated[Actor, Depends(access_to(Capability.ACCOUNTS_SERVE))]
IdempotencyKey = Annotated[str, Depends(idempotency_key)]
Paging = Annotated[PageParams, Depends(page_params)]


def _once(
    session: DbSession,
    actor: Actor,
    key: str,
    request: Request,
    body: BaseModel | None,
    work: Callable[[], BaseModel],
) -> JSONResponse:
    return run_once(
        session,
        scope=actor.user_id or "anonymous",
        key=key,
        request_fingerprint=fingerprint("POST", request.url.path, body),
        status_code=201,
        work=work,
    )


async def transfer(body: TransferIn, request: Request, actor: SignedIn, key: IdempotencyKey) -> JSONResponse:
    # The hot path (bench/transfers.py): async, one hop to a thread where the unit of work runs and
    # commits; on PostgreSQL, transfers between accounts here commit in groups (kit.group_commit).
    settings: Settings = request.app.state.settings
    if may_need_payment_password(settings, actor, body.amount):
        await run_in_threadpool(_check_payment_password, request, settings, actor, body)
    # The route's own path, as ``request.url.path`` would give it, without building the URL.
    if body.payment_password is None:
        request_fingerprint = fingerprint("POST", TRANSFERS, body)
    else:  # the idempotency table must not hold a hash a six-digit password could be guessed from
        request_fingerprint = keyed_fingerprint(
            settings.secret_key, "POST", TRANSFERS, body, secret_fields=("payment_password",)
        )

    def work(session: Session) -> JSONResponse:
        outcome = once(
            session,
            scope=actor.user_id or "anonymous",
            key=key,
            request_fingerprint=request_fingerprint,
            status_code=201,
            work=lambda: _transfer(session, settings, actor, body),
        )
        return respond(outcome, key)

    if body.destination is not None:  # another bank answers it: never held up in a batch
        return await in_unit_of_work(request, work)
    assert body.to_account_id is not None
    return await in_group_commit(
        request,
        "transfers",
        work,
        hint=((body.from_account_id, body.to_account_id), (actor.user_id or "anonymous", key)),
        prepare=lambda: partial(_prepare_transfers, settings=settings),
    )


def _check_payment_password(request: Request, settings: Settings, actor: Actor, body: TransferIn) -> None:
    """A customer paying someone else above the threshold proves it with the payment password. Its own
    unit of work, committed before a refusal is raised: a wrong try counts even though nothing moves."""
    with request.app.state.db.unit_of_work() as session:
        to_own = body.to_account_id is not None and payee_is_own(session, actor, body.to_account_id)
        if not needs_payment_password(settings, actor, amount=body.amount, to_own=to_own):
            return
        refused = check_payment_password(session, settings, actor, body.payment_password)
    if refused is not None:
        raise refused


_signed_in = Access.signed_in()  # the same audience as ``SignedIn`` in the declaration


async def _transfer_directly(request: Request) -> Response:
    """``transfer`` without FastAPI's dependency solving (``kit.deps.direct_route``): the body, the
    signed-in actor and the Idempotency-Key, checked in the order and with the answers FastAPI gives."""
    data = await read_json_body(request)
    actor = await _signed_in(request)
    key, errors = required_key(request.headers)
    body, body_problems = body_errors(TransferIn, data, sent=bool(await request.body()))
    if errors or body is None:
        raise RequestValidationError(errors + body_problems)
    return await transfer(body, request, actor, key)


# First of the module's routes: the busiest one is matched without trying the others first.
router.add_api_route(
    TRANSFERS,
    transfer,
    methods=["POST"],
    response_model=TransferOut | OtherBankTransferOut,
    status_code=201,
    summary="Transfer between accounts, here or to another bank",
    description=(
        "A customer paying someone else (another customer's account, or another bank) more than "
        "`transfer_password_threshold` (¥5,000.00) sends `payment_password`: without it 422 "
        "`payment_password_required`, never set 422 `payment_password_not_set`, wrong 422 "
        "`payment_password_wrong` (with `tries_left`; the try is counted even though nothing moves), "
        "after five wrong in a row 423 `payment_password_locked`. Staff, partners and devices keep "
        "their own rules."
    ),
    route_class_override=direct_route(_transfer_directly),
)


def _prepare_transfers(session: Session, hints: Sequence[Any], *, settings: Settings) -> None:
    """Before a batch of transfers runs: their idempotency keys, then their accounts, all locked
    (with their first reads in one round trip)."""
    keys = keys_prefetch(session, [idempotency for _, idempotency in hints])
    pairs = [accounts for accounts, _ in hints]
    lock_for_transfers(session, pairs, settings=settings, first=[keys] if keys is not None else [])


def _transfer(session: Session, settings: Settings, actor: Actor, body: TransferIn) -> BaseModel:
    if body.destination is not None:  # another bank's account: pending until that bank answers
        return service.send_to_other_bank(
            session,
            settings,
            actor,
            from_account_id=body.from_account_id,
            destination=body.destination,
            amount=body.amount,
            currency=body.currency,
            memo=body.memo,
        )
    assert body.to_account_id is not None  # TransferIn requires one of the two
    return service.transfer(
        session,
        settings,
        actor,
        from_account_id=body.from_account_id,
        to_account_id=body.to_account_id,
        amount=body.amount,
        currency=body.currency,
        memo=body.memo,
    )


@router.post("/v1/accounts", response_model=AccountOut, status_code=201, summary="Open a deposit account")
def open_account(
    body: AccountOpenIn,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    actor: SignedIn,
    key: OptionalIdempotencyKey,
) -> AccountOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.open_account(
            session,
            settings,
            actor,
            customer_id=body.customer_id,
            account_class=body.account_class,
            bound_account=body.bound_account,
            currency=body.currency,
        ),
    )


@router.get("/v1/accounts/{account_id}", response_model=AccountOut, summary="One account: balance and limits")
def get_account(
    account_id: str, session: DbSession, settings: AppSettings, actor: AccountReader
) -> AccountOut:
    return service.get_account(session, settings, actor, account_id)


@router.get(
    "/v1/customers/{customer_id}/accounts",
    response_model=Page[AccountOut],
    summary="A customer's accounts (numbers masked)",
)
def list_customer_accounts(
    customer_id: str, session: DbSession, settings: AppSettings, actor: AccountReader
) -> Page[AccountOut]:
    return service.list_customer_accounts(session, settings, actor, customer_id)


@router.get(
    "/v1/accounts/{account_id}/transactions",
    response_model=Page[StatementLineOut],
    summary="The account's statement, newest first",
)
def statement(
    account_id: str, session: DbSession, actor: StatementReader, params: Paging
) -> Page[StatementLineOut]:
    return service.statement(session, actor, account_id, params)


@router.post(
    "/v1/deposits", response_model=MovementOut, status_code=201, summary="Cash deposit (branch, ATM)"
)
def deposit_cash(
    body: CashIn,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    actor: SignedIn,
    key: IdempotencyKey,
) -> JSONResponse:
    return _once(
        session,
        actor,
        key,
        request,
        body,
        lambda: service.deposit_cash(
            session, settings, actor, account_id=body.account_id, amount=body.amount, currency=body.currency
        ),
    )


@router.post(
    "/v1/withdrawals", response_model=MovementOut, status_code=201, summary="Cash withdrawal (branch, ATM)"
)
def withdraw_cash(
    body: CashIn,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    actor: SignedIn,
    key: IdempotencyKey,
) -> JSONResponse:
    return _once(
        session,
        actor,
        key,
        request,
        body,
        lambda: service.withdraw_cash(
            session, settings, actor, account_id=body.account_id, amount=body.amount, currency=body.currency
        ),
    )


@router.post("/v1/holds", response_model=HoldOut, status_code=201, summary="Reserve money (bank staff)")
def place_hold(
    body: HoldIn,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    actor: ServingStaff,
    key: IdempotencyKey,
) -> JSONResponse:
    return _once(
        session,
        actor,
        key,
        request,
        body,
        lambda: service.place_hold(
            session,
            settings,
            actor,
            account_id=body.account_id,
            amount=body.amount,
            currency=body.currency,
            expires_in=body.expires_in,
            destination=body.destination,
            reference=body.reference,
        ),
    )


@router.post(
    "/v1/holds/{hold_id}/capture", response_model=HoldOut, status_code=201, summary="Capture a hold, once"
)
def capture_hold(
    hold_id: str,
    body: CaptureIn,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    actor: ServingStaff,
    key: IdempotencyKey,
) -> JSONResponse:
    return _once(
        session,
        actor,
        key,
        request,
        body,
        lambda: service.capture_hold(session, settings, actor, hold_id, amount=body.amount),
    )


@router.post("/v1/holds/{hold_id}/void", response_model=HoldOut, summary="Release a hold")
def void_hold(hold_id: str, session: DbSession, actor: ServingStaff) -> HoldOut:
    return service.void_hold(session, actor, hold_id)


@router.get("/v1/holds/{hold_id}", response_model=HoldOut, summary="One hold")
def get_hold(hold_id: str, session: DbSession, actor: ServingStaff) -> HoldOut:
    return service.get_hold(session, actor, hold_id)


@router.post(
    "/v1/accounts/{account_id}/cards",
    response_model=IssuedCardAnswerOut,
    status_code=201,
    summary="Issue a debit card (the full card number appears in this answer only)",
)
def issue_card(
    account_id: str,
    body: CardIssueIn,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    actor: SignedIn,
    key: OptionalIdempotencyKey,
) -> IssuedCardOut | JSONResponse:
    # A retry after a lost answer gets the same card, without its number and expiry: those are
    # answered once and never stored (the PIN is kept out of the fingerprint by an HMAC).
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.issue_card(session, settings, actor, account_id, pin=body.pin),
        secret_key=settings.secret_key,
        secret_fields=("pin",),
        stored=lambda answer: {**answer, "pan": None, "expiry": None},
    )


@router.get("/v1/accounts/{account_id}/cards", response_model=list[CardOut], summary="The account's cards")
def list_cards(account_id: str, session: DbSession, actor: SignedIn) -> list[CardOut]:
    return service.list_cards(session, actor, account_id)
