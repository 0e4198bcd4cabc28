"""``/v1/partner/webhooks``: a partner manages its endpoints with a client-credentials token
(scope ``partner:self``); every route reaches only the calling partner's endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from finlife.kit.auth import Access, Actor
from finlife.kit.deps import AppSettings, DbSession
from finlife.kit.pagination import Page, PageParams, page_params
from finlife.partners.webhooks import service
from finlife.partners.webhooks.schemas import (
    DeliveryOut,
    EndpointCreated,
    EndpointIn,
    EndpointOut,
    SecretRotated,
)

router = APIRouter(tags=["partner webhooks"])
Partner = Annotated[Actor, Depends(Access(scopes=("partner:self",)))]
Paging = Annotated[PageParams, Depends(page_params)]
BASE = "/v1/partner/webhooks"


@router.post(BASE, status_code=201, response_model=EndpointCreated, summary="Subscribe an endpoint to events")
def create_endpoint(
    data: EndpointIn, session: DbSession, settings: AppSettings, actor: Partner
) -> EndpointCreated:
    return service.create_endpoint(session, settings, actor, data)


@router.get(BASE, response_model=list[EndpointOut], summary="The partner's endpoints, newest first")
def list_endpoints(session: DbSession, actor: Partner) -> list[EndpointOut]:
    return service.list_endpoints(session, actor)


@router.get(BASE + "/{endpoint_id}", response_model=EndpointOut, summary="One endpoint")
def get_endpoint(endpoint_id: str, session: DbSession, actor: Partner) -> EndpointOut:
    return service.get_endpoint(session, actor, endpoint_id)


@router.delete(BASE + "/{endpoint_id}", response_model=EndpointOut, summary="Disable an endpoint")
def disable_endpoint(endpoint_id: str, session: DbSession, actor: Partner) -> EndpointOut:
    return service.disable_endpoint(session, actor, endpoint_id)


@router.post(
    BASE + "/{endpoint_id}/secret",
    response_model=SecretRotated,
    summary="Rotate the signing secret (the old one signs too during the grace period)",
)
def rotate_secret(
    endpoint_id: str, session: DbSession, settings: AppSettings, actor: Partner
) -> SecretRotated:
    return service.rotate_secret(session, settings, actor, endpoint_id)


@router.post(
    BASE + "/{endpoint_id}/ping",
    status_code=202,
    response_model=DeliveryOut,
    summary="Queue a webhook.ping test event for the endpoint",
)
def ping(endpoint_id: str, session: DbSession, actor: Partner) -> DeliveryOut:
    return service.ping(session, actor, endpoint_id)


@router.get(
    BASE + "/{endpoint_id}/deliveries",
    response_model=Page[DeliveryOut],
    summary="The endpoint's deliveries, newest first",
)
def list_deliveries(
    endpoint_id: str, session: DbSession, actor: Partner, params: Paging
) -> Page[DeliveryOut]:
    return service.list_deliveries(session, actor, endpoint_id, params)


@router.post(
    BASE + "/{endpoint_id}/deliveries/{delivery_id}/replay",
    status_code=202,
    response_model=DeliveryOut,
    summary="Send a delivery again, with the same webhook-id",
)
def replay(endpoint_id: str, delivery_id: str, session: DbSession, actor: Partner) -> DeliveryOut:
    return service.replay(session, actor, endpoint_id, delivery_id)
