from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request

from finlife.identity import devices, service
from finlife.identity.schemas import TokenOut
from finlife.kit.auth import Access, Channel, claimed_channel
from finlife.kit.deps import AppSettings
from finlife.kit.errors import BadRequest, FinlifeError, problem_responses

router = APIRouter(tags=["identity"])


@router.post(
    "/v1/auth/token",
    response_model=TokenOut,
    dependencies=[Depends(Access.sign_in_route())],
    responses=problem_responses(400, 401, 403, 423),
    summary="Sign in: a token bound to the channel named in X-Channel (web when absent)",
    description=(
        "OAuth2 password grant (people; the channel must be one their roles allow, else 403 "
        "`channel_not_permitted_for_user`) or client-credentials grant (devices: client_id is the "
        "device id; an ATM's token is for `atm`, the only channel it may name). Later requests may "
        "repeat the token's channel in X-Channel or leave it out; another answers 403 `channel_mismatch`."
    ),
)
def token(
    request: Request,
    settings: AppSettings,
    grant_type: Annotated[str, Form()],
    username: Annotated[str | None, Form()] = None,
    password: Annotated[str | None, Form()] = None,
    client_id: Annotated[str | None, Form()] = None,
    client_secret: Annotated[str | None, Form()] = None,
) -> TokenOut:
    channel = claimed_channel(request)
    if grant_type == "client_credentials":
        if not client_id or not client_secret:
            raise BadRequest("invalid_request", field="client_secret" if client_id else "client_id")
        with request.app.state.db.unit_of_work() as session:
            issued = devices.device_token(
                session, settings, client_id=client_id, client_secret=client_secret, channel=channel
            )
        request.state.channel = issued.channel  # the credential is proved: attribute to its channel
        return issued
    if grant_type != "password":
        raise BadRequest("unsupported_grant_type", field="grant_type")
    if username is None or password is None:
        raise BadRequest("invalid_request", field="password" if username is not None else "username")
    # Own unit of work: a refused sign-in still commits the failure count that leads to a lockout.
    with request.app.state.db.unit_of_work() as session:
        outcome = service.sign_in(
            session, settings, username=username, password=password, channels=(channel or Channel.WEB,)
        )
    if isinstance(outcome, FinlifeError):
        raise outcome
    request.state.channel = outcome.channel
    return outcome
