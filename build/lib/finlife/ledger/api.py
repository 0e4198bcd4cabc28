from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse

from finlife.audit import service as audit
from finlife.kit.auth import Access, Actor, Role
from finlife.kit.deps import DbSession
from finlife.kit.idempotency import fingerprint, idempotency_key, run_once
from finlife.ledger import service
from finlife.ledger.schemas import EntryOut, TrialBalanceOut

router = APIRouter(tags=["ledger"])
admin = Access(Role.BANK_ADMIN)


class ReversalIn(BaseModel):
    memo: str = Field(default="", max_length=140)


@router.post(
    "/v1/ledger/entries/{entry_id}/reversal",
    response_model=EntryOut,
    status_code=201,
    summary="Reverse an entry with its mirror image (bank_admin)",
)
def reverse_entry(
    entry_id: str,
    request: Request,
    session: DbSession,
    actor: Annotated[Actor, Depends(admin)],
    key: Annotated[str, Depends(idempotency_key)],
    body: ReversalIn | None = None,
) -> JSONResponse:
    body = body or ReversalIn()

    def work() -> EntryOut:
        entry = service.reverse(session, actor, entry_id, memo=body.memo)
        audit.record(
            session,
            actor,
            "ledger.entry_reversed",
            subject_type="entry",
            subject_id=entry_id,
            details={"reversal": entry.id},
        )
        return entry

    return run_once(
        session,
        scope=actor.user_id or "anonymous",
        key=key,
        request_fingerprint=fingerprint("POST", request.url.path, body),
        status_code=201,
        work=work,
    )


@router.get(
    "/v1/ledger/entries/{entry_id}",
    response_model=EntryOut,
    dependencies=[Depends(admin)],
    summary="One journal entry with its postings (bank_admin)",
)
def get_entry(entry_id: str, session: DbSession) -> EntryOut:
    return service.get_entry(session, entry_id)


@router.get(
    "/v1/ledger/trial-balance",
    response_model=TrialBalanceOut,
    dependencies=[Depends(admin)],
    summary="Trial balance: every ledger account; the signed total is always zero (bank_admin)",
)
def trial_balance(session: DbSession) -> TrialBalanceOut:
    return service.trial_balance(session)
