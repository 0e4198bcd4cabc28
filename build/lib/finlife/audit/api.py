from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from finlife.audit import service
from finlife.audit.schemas import AuditEventOut, ChannelActivityOut
from finlife.kit.auth import Access, Role
from finlife.kit.deps import DbSession
from finlife.kit.pagination import Page, PageParams, page_params

router = APIRouter(tags=["audit"])


@router.get(
    "/v1/audit-events",
    response_model=Page[AuditEventOut],
    dependencies=[Depends(Access(Role.BANK_ADMIN))],
    summary="The audit trail, newest first",
)
def list_audit_events(
    session: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    subject_id: Annotated[str | None, Query()] = None,
    action: Annotated[str | None, Query()] = None,
    actor_user_id: Annotated[str | None, Query()] = None,
    actor: Annotated[str | None, Query(max_length=64, description="The actor's user id or username.")] = None,
) -> Page[AuditEventOut]:
    return service.list_events(
        session, params, subject_id=subject_id, action=action, actor_user_id=actor_user_id, actor=actor
    )


@router.get(
    "/v1/channel-activity",
    response_model=ChannelActivityOut,
    dependencies=[Depends(Access(Role.BANK_ADMIN))],
    summary="Audit events counted by channel and business day",
)
def channel_activity(
    session: DbSession,
    days: Annotated[int, Query(ge=1, le=service.MAX_ACTIVITY_DAYS, description="Days up to today.")] = 14,
) -> ChannelActivityOut:
    return service.channel_activity(session, days=days)
