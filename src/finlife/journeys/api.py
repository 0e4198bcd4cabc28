"""``GET /v1/journeys/{id}``: where a process stands, from any channel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from finlife.journeys import service
from finlife.journeys.schemas import JourneyOut
from finlife.kit.auth import Access, Actor, Role
from finlife.kit.deps import DbSession
from finlife.partners.oauth.scopes import CUSTOMER

router = APIRouter(tags=["journeys"])

# Customers (their own), serving staff, and the partner that started it, under that customer's consent.
Reader = Annotated[Actor, Depends(Access(Role.CUSTOMER, Role.TELLER, Role.BANK_ADMIN, scopes=CUSTOMER))]


@router.get(
    "/v1/journeys/{journey_id}", response_model=JourneyOut, summary="A journey's steps: who did each, where"
)
def get_journey(journey_id: str, session: DbSession, actor: Reader) -> JourneyOut:
    return service.get_journey(session, actor, journey_id)
