"""``PUT /v1/me/payment-password``: set or change the signed-in customer's payment password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from finlife.identity import payment_password
from finlife.identity.schemas import PaymentPasswordIn
from finlife.kit.auth import Access, Actor, Role
from finlife.kit.deps import AppSettings
from finlife.kit.errors import Forbidden

router = APIRouter(tags=["identity"])

Customer = Annotated[Actor, Depends(Access(Role.CUSTOMER))]


@router.put(
    "/v1/me/payment-password",
    status_code=204,
    response_class=Response,  # nothing to answer
    summary="Set or change your payment password (six digits, asked for transfers above a threshold)",
    description=(
        "The first one is proved by the sign-in password (422 `sign_in_password_wrong`); a change by "
        "the old payment password, which counts as a try (422 `payment_password_wrong` with "
        "`tries_left`; after five in a row 423 `payment_password_locked` for a day). 422 "
        "`payment_password_format` (not six digits) or `payment_password_weak` (all alike, a run)."
    ),
)
def put_payment_password(
    body: PaymentPasswordIn, request: Request, settings: AppSettings, actor: Customer
) -> Response:
    if actor.user_id is None:
        raise Forbidden()
    # Own unit of work: a wrong old password's try is committed with its refusal.
    with request.app.state.db.unit_of_work() as session:
        refused = payment_password.set_payment_password(
            session,
            settings,
            actor.user_id,
            new_password=body.new_password,
            old_password=body.old_password,
            sign_in_password=body.sign_in_password,
        )
    if refused is not None:
        raise refused
    return Response(status_code=204)
