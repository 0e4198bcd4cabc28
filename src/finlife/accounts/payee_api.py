"""``POST /v1/payees/check``: whom a transfer would reach, named masked, before the customer pays; and
the customer's saved payees (``/v1/me/payees``), saved after the same check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from finlife.accounts import payees, saved_payees
from finlife.accounts.schemas import PayeeCheckIn, PayeeOut, SavedPayeeIn, SavedPayeeOut
from finlife.kit.auth import Access, Actor, Role
from finlife.kit.deps import AppSettings, DbSession

router = APIRouter(tags=["accounts"])

Customer = Annotated[Actor, Depends(Access(Role.CUSTOMER))]


@router.post(
    "/v1/payees/check",
    response_model=PayeeOut,
    summary="Check a payee: an account or card number with the holder's name, or a registered phone",
    description=(
        'Answers the payee\'s account with the name masked ("*三", "Z** San"). An unknown number and '
        "a wrong name are one refusal, 422 `payee_name_mismatch` (an unknown phone: "
        "`payee_phone_unknown`), so numbers cannot be enumerated; each refusal counts against the "
        "login, and past five each next check waits 2^k seconds (429 `sign_in_throttled`, "
        "Retry-After). Nothing moves; pass `account_id` to `POST /v1/transfers`."
    ),
)
def check_payee(body: PayeeCheckIn, request: Request, settings: AppSettings, actor: Customer) -> PayeeOut:
    # Own unit of work: a refused check's count is committed with its refusal.
    with request.app.state.db.unit_of_work() as session:
        found = payees.check_payee(
            session, settings, actor, number=body.number, name=body.name, phone=body.phone
        )
    if not isinstance(found, PayeeOut):
        raise found
    return found


@router.get("/v1/me/payees", response_model=list[SavedPayeeOut], summary="Your saved payees, latest first")
def list_saved_payees(session: DbSession, actor: Customer) -> list[SavedPayeeOut]:
    return saved_payees.list_saved_payees(session, actor)


@router.post(
    "/v1/me/payees",
    response_model=SavedPayeeOut,
    status_code=201,
    summary="Save a payee: an account or card number with the holder's name, checked first",
    description=(
        "Checked exactly as `POST /v1/payees/check` checks a number and name: a wrong name and an "
        "unknown number are one refusal (422 `payee_name_mismatch`), counted against the login and "
        "throttled past five (429 `sign_in_throttled`). One's own account: 422 `payee_is_own_account`. "
        "Saving an account already saved answers the saved payee."
    ),
)
def save_payee(body: SavedPayeeIn, request: Request, settings: AppSettings, actor: Customer) -> SavedPayeeOut:
    # Own unit of work: a refused check's count is committed with its refusal.
    with request.app.state.db.unit_of_work() as session:
        saved = saved_payees.save_payee(session, settings, actor, number=body.number, name=body.name)
    if not isinstance(saved, SavedPayeeOut):
        raise saved
    return saved


@router.delete(
    "/v1/me/payees/{payee_id}",
    status_code=204,
    response_class=Response,
    summary="Delete one of your saved payees",
)
def delete_saved_payee(payee_id: str, session: DbSession, actor: Customer) -> Response:
    saved_payees.forget_payee(session, actor, payee_id)
    return Response(status_code=204)
