"""The customer's consents: ``GET /v1/me/consents`` and ``DELETE /v1/me/consents/{id}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from finlife.kit.auth import Access, Actor, Role
from finlife.kit.deps import DbSession
from finlife.partners.consents import service
from finlife.partners.consents.schemas import ConsentOut

router = APIRouter(tags=["consents"])

Customer = Annotated[Actor, Depends(Access(Role.CUSTOMER))]


@router.get("/v1/me/consents", response_model=list[ConsentOut], summary="Your consents to partners")
def my_consents(session: DbSession, actor: Customer) -> list[ConsentOut]:
    return service.my_consents(session, actor)


@router.delete(
    "/v1/me/consents/{consent_id}",
    response_model=ConsentOut,
    summary="Revoke a consent: the partner's tokens under it stop at once",
)
def revoke_consent(consent_id: str, session: DbSession, actor: Customer) -> ConsentOut:
    return service.revoke_mine(session, actor, consent_id)
