"""REST routes of the partner registry: bank admins register, approve (another admin), rotate
secrets, set keys, suspend and reactivate partners and read their calls; a partner reads its own
record and call log with a ``partner:self`` token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import JSONResponse

from finlife.kit.auth import Access, Actor
from finlife.kit.deps import AppSettings, DbSession
from finlife.kit.errors import Unauthenticated
from finlife.kit.idempotency import OptionalIdempotencyKey, create_once
from finlife.kit.pagination import Page, PageParams, page_params
from finlife.kit.permissions import Capability, access_to
from finlife.partners.models import Partner
from finlife.partners.registry import calls, service
from finlife.partners.registry.schemas import (
    PartnerCallOut,
    PartnerIn,
    PartnerOut,
    PartnerSecretOut,
    PartnerStatus,
    PublicKeyIn,
    RegisteredPartnerOut,
)

router = APIRouter(tags=["partners"])

Registrar = Annotated[Actor, Depends(access_to(Capability.PARTNERS))]
Approver = Annotated[Actor, Depends(access_to(Capability.PARTNER_APPROVAL))]
PartnerSelf = Annotated[Actor, Depends(Access(scopes=("partner:self",)))]
Paging = Annotated[PageParams, Depends(page_params)]


@router.post(
    "/v1/partners",
    response_model=RegisteredPartnerOut,
    status_code=201,
    summary="Register a partner (waits for another admin's approval); its client secret is shown once",
)
def register_partner(
    body: PartnerIn,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    actor: Registrar,
    key: OptionalIdempotencyKey,
) -> RegisteredPartnerOut | JSONResponse:
    # A replay answers the same partner without its secret, which is never stored: the admin
    # rotates the secret if the first answer was lost.
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.register_partner(session, settings, actor, body),
        stored=lambda answer: {**answer, "client_secret": None},
    )


@router.get("/v1/partners", response_model=Page[PartnerOut], summary="The partners, newest first")
def list_partners(
    session: DbSession,
    actor: Registrar,
    params: Paging,
    status: Annotated[PartnerStatus | None, Query()] = None,
) -> Page[PartnerOut]:
    return service.list_partners(session, params, status=status)


@router.get("/v1/partners/{partner_id}", response_model=PartnerOut, summary="One partner (never its secret)")
def get_partner(partner_id: str, session: DbSession, actor: Registrar) -> PartnerOut:
    return service.get_partner(session, partner_id)


@router.post(
    "/v1/partners/{partner_id}/approve",
    response_model=PartnerOut,
    summary="Approve a partner another admin registered (four eyes): its credentials work from now",
)
def approve_partner(partner_id: str, session: DbSession, actor: Approver) -> PartnerOut:
    return service.approve_partner(session, actor, partner_id)


@router.post(
    "/v1/partners/{partner_id}/reject",
    response_model=PartnerOut,
    summary="Reject a partner another admin registered (four eyes)",
)
def reject_partner(partner_id: str, session: DbSession, actor: Approver) -> PartnerOut:
    return service.reject_partner(session, actor, partner_id)


@router.post(
    "/v1/partners/{partner_id}/secret",
    response_model=PartnerSecretOut,
    summary="Rotate the client secret: the new one is shown once, the previous works for a grace period",
)
def rotate_secret(
    partner_id: str, session: DbSession, settings: AppSettings, actor: Registrar
) -> PartnerSecretOut:
    return service.rotate_secret(session, settings, actor, partner_id)


@router.post(
    "/v1/partners/{partner_id}/suspend",
    response_model=PartnerOut,
    summary="Suspend a partner: every token it holds stops at once",
)
def suspend_partner(partner_id: str, session: DbSession, actor: Registrar) -> PartnerOut:
    return service.suspend_partner(session, actor, partner_id)


@router.post(
    "/v1/partners/{partner_id}/reactivate",
    response_model=PartnerOut,
    summary="Reactivate a suspended partner",
)
def reactivate_partner(partner_id: str, session: DbSession, actor: Registrar) -> PartnerOut:
    return service.reactivate_partner(session, actor, partner_id)


@router.put(
    "/v1/partners/{partner_id}/public-key",
    response_model=PartnerOut,
    summary="Register or replace the partner's Ed25519 public key (PEM or raw base64) for signed calls",
)
def set_public_key(partner_id: str, body: PublicKeyIn, session: DbSession, actor: Registrar) -> PartnerOut:
    return service.set_public_key(session, actor, partner_id, body)


@router.get(
    "/v1/partners/{partner_id}/calls",
    response_model=Page[PartnerCallOut],
    summary="The API calls a partner made, newest first (kept at least six months)",
)
def partner_calls(
    partner_id: str, session: DbSession, actor: Registrar, params: Paging
) -> Page[PartnerCallOut]:
    partner = service.load_partner(session, partner_id)
    return calls.list_calls(session, partner.id, params)


@router.get("/v1/partner", response_model=PartnerOut, summary="The calling partner's own registration")
def own_partner(session: DbSession, actor: PartnerSelf) -> PartnerOut:
    return service.partner_out(_calling_partner(session, actor))


@router.get(
    "/v1/partner/calls",
    response_model=Page[PartnerCallOut],
    summary="The calling partner's own API calls, newest first (method, path, status, latency)",
)
def own_calls(session: DbSession, actor: PartnerSelf, params: Paging) -> Page[PartnerCallOut]:
    return calls.list_calls(session, _calling_partner(session, actor).id, params)


def _calling_partner(session: Session, actor: Actor) -> Partner:
    if actor.grant is None:
        raise Unauthenticated()
    return service.load_partner(session, actor.grant.partner_id)
