"""REST routes of the owner's own unlock (``self_unlock``): ask for a code, then spend it. Public,
like the token route: whoever is frozen out has no token."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from finlife.customers import self_unlock
from finlife.customers.schemas import UnlockIn, UnlockRequestIn
from finlife.kit.auth import Access, anonymous_channel, claimed_channel, client_address
from finlife.kit.deps import AppSettings

router = APIRouter(tags=["auth"])


@router.post(
    "/v1/auth/unlock-requests",
    status_code=202,
    response_class=Response,  # an empty 202: nothing to tell (the OpenAPI document says no content)
    dependencies=[Depends(Access.sign_in_route())],
    summary="Ask for a code to unlock a login frozen by failed sign-ins, sent to the owner's phone",
    description=(
        "Always 202 (throttled per source: 429): whether the username exists, is a customer's or is "
        "frozen is not told. When it is a customer's frozen login, a six-digit code valid for five "
        "minutes is sent by SMS to the phone on the customer record; a new request replaces it."
    ),
)
def request_unlock_code(body: UnlockRequestIn, request: Request, settings: AppSettings) -> Response:
    # Own unit of work: a throttled request still commits its count.
    with request.app.state.db.unit_of_work() as session:
        refused = self_unlock.request_code(
            session, settings, username=body.username, source=client_address(request)
        )
    if refused is not None:
        raise refused
    return Response(status_code=202)


@router.post(
    "/v1/auth/unlock",
    status_code=204,
    dependencies=[Depends(Access.sign_in_route())],
    summary="Unlock a frozen login with the code sent to the owner's phone (and set a new password)",
    description=(
        "422 `one_time_code_invalid` for a wrong, expired, used or unknown code (five wrong tries "
        "spend it); throttled per source (429)."
    ),
)
def unlock(body: UnlockIn, request: Request, settings: AppSettings) -> Response:
    # Own unit of work: a wrong code's try is committed with its refusal.
    with request.app.state.db.unit_of_work() as session:
        refused = self_unlock.unlock(
            session,
            settings,
            username=body.username,
            code=body.code,
            new_password=body.new_password,
            source=client_address(request),
            channel=anonymous_channel(claimed_channel(request)),
        )
    if refused is not None:
        raise refused
    return Response(status_code=204)
