"""``POST /v1/payees/check``: whom a transfer would reach, named masked, before the customer pays."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from finlife.accounts import payees
from finlife.accounts.schemas import PayeeCheckIn, PayeeOut
from finlife.kit.auth import Access, Actor, Role
from finlife.kit.deps import AppSettings

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
