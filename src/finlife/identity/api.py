from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response

from finlife.identity import devices, service, sessions
from finlife.identity.schemas import TokenOut
from finlife.kit.auth import Access, Actor, Channel, claimed_channel, client_address
from finlife.kit.deps import AppSettings
from finlife.kit.errors import BadRequest, FinlifeError

router = APIRouter(tags=["identity"])


@router.post(
    "/v1/auth/token",
    response_model=TokenOut,
    dependencies=[Depends(Access.sign_in_route())],
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
    # Own unit of work: a refused sign-in still commits the failures that throttle the next attempts.
    with request.app.state.db.unit_of_work() as session:
        outcome = service.sign_in(
            session,
            settings,
            username=username,
            password=password,
            channels=(channel or Channel.WEB,),
            source=client_address(request),
        )
    if isinstance(outcome, FinlifeError):
        raise outcome
    request.state.channel = outcome.channel
    sessions.remember_session(request, outcome.access_token)
    return outcome


@router.post(
    "/v1/me/sessions/revoke-all",
    status_code=204,
    response_class=Response,  # nothing to answer: the caller's own token has ended too
    summary="Sign out everywhere: every token of your login issued before now stops working",
    description=(
        "Ends every session of the signed-in login on every channel (app, web, API; this request's "
        "token too): they answer 401 from now on (other nodes within `session_check_seconds`). "
        "Sign in again for a new token. Partners' consents are revoked on their own."
    ),
)
def revoke_all_sessions(request: Request, actor: Annotated[Actor, Depends(Access.signed_in())]) -> Response:
    sessions.end_every_session(request, actor)
    return Response(status_code=204)
