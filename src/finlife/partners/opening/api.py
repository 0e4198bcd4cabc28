"""``/v1/partner/accounts``: a partner opens Class II/III accounts for its users (``accounts:open``,
client-credentials token, signed calls) and follows the ones it opened (``partner:self`` too)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import JSONResponse

from finlife.identity.one_time_codes import OneTimeCodeInvalid
from finlife.kit.auth import Access, Actor
from finlife.kit.deps import AppSettings, DbSession
from finlife.kit.idempotency import OptionalIdempotencyKey, keyed_fingerprint, run_once
from finlife.kit.pagination import Page, PageParams, page_params
from finlife.kit.pipeline import commit
from finlife.partners.opening import service
from finlife.partners.opening.schemas import ConfirmIn, OpeningIn, OpeningOut
from finlife.partners.signing import PartnerSigned

router = APIRouter(tags=["partners"])

Opener = Annotated[Actor, Depends(Access(scopes=("accounts:open",)))]
Follower = Annotated[Actor, Depends(Access(scopes=("partner:self", "accounts:open")))]
Paging = Annotated[PageParams, Depends(page_params)]
ACCEPTED = {202: {"description": "Pending: a one-time code was sent to the person's phone"}}


@router.post(
    "/v1/partner/accounts",
    response_model=OpeningOut,
    status_code=202,
    responses=ACCEPTED,  # type: ignore[arg-type]
    summary="Open a Class II/III account for a partner's user: pending until their code is confirmed",
)
def request_opening(
    body: OpeningIn,
    request: Request,
    signed: PartnerSigned,  # before the DbSession: on SQLite its unit of work takes the writer lock
    session: DbSession,
    settings: AppSettings,
    actor: Opener,
    key: OptionalIdempotencyKey,
) -> JSONResponse:
    signed.require_keyid(_client_id(actor))

    def work() -> OpeningOut:
        return service.request_opening(session, settings, actor, body)

    if key is None:
        return JSONResponse(work().model_dump(mode="json", by_alias=True), status_code=202)
    return run_once(
        session,
        scope=actor.user_id or "anonymous",
        key=key,
        request_fingerprint=keyed_fingerprint(settings.secret_key, "POST", request.url.path, body),
        status_code=202,
        work=work,
    )


def _client_id(actor: Actor) -> str:
    """The client the partner token was issued to (``Opener`` admits only partner tokens)."""
    return actor.grant.client_id if actor.grant is not None else ""


def _confirm(session: Session, request: Request, actor: Actor, opening_id: str, code: str) -> OpeningOut:
    try:
        return service.confirm_opening(session, request.app.state.settings, actor, opening_id, code=code)
    except OneTimeCodeInvalid:
        commit(session)  # the spent try stays spent
        raise


@router.post(
    "/v1/partner/accounts/{opening_id}/confirm",
    response_model=OpeningOut,
    summary="The person's one-time code: the account opens (customer registered, binding checked)",
)
def confirm_opening(
    opening_id: str, body: ConfirmIn, request: Request, signed: PartnerSigned, actor: Opener
) -> OpeningOut:
    signed.require_keyid(_client_id(actor))
    # Its own unit of work: a refused code commits the attempt it spent, anything else rolls back.
    with request.app.state.db.unit_of_work() as session:
        return _confirm(session, request, actor, opening_id, body.code)


@router.post(
    "/v1/partner/accounts/{opening_id}/code",
    response_model=OpeningOut,
    summary="Send the person a new one-time code (the last one expired or was used up; once a minute)",
)
def resend_code(
    opening_id: str, signed: PartnerSigned, session: DbSession, settings: AppSettings, actor: Opener
) -> OpeningOut:
    signed.require_keyid(_client_id(actor))  # it texts a person: as signed as the opening itself
    return service.resend_code(session, settings, actor, opening_id)


@router.get(
    "/v1/partner/accounts", response_model=Page[OpeningOut], summary="The accounts this partner opened"
)
def list_openings(session: DbSession, actor: Follower, params: Paging) -> Page[OpeningOut]:
    return service.list_openings(session, actor, params)


@router.get("/v1/partner/accounts/{opening_id}", response_model=OpeningOut, summary="One account opening")
def get_opening(opening_id: str, session: DbSession, actor: Follower) -> OpeningOut:
    return service.get_opening(session, actor, opening_id)
