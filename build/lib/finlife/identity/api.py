from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request

from finlife.identity import service
from finlife.identity.schemas import TokenOut
from finlife.kit.auth import Access
from finlife.kit.deps import AppSettings
from finlife.kit.errors import BadRequest, FinlifeError

router = APIRouter(tags=["identity"])


@router.post(
    "/v1/auth/token",
    response_model=TokenOut,
    dependencies=[Depends(Access.public_route())],
    summary="Sign in (OAuth2 password grant)",
)
def token(
    request: Request,
    settings: AppSettings,
    grant_type: Annotated[str, Form()],
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
) -> TokenOut:
    if grant_type != "password":
        raise BadRequest("unsupported_grant_type", field="grant_type")
    # Own unit of work: a refused sign-in still commits the failure count that leads to a lockout.
    with request.app.state.db.unit_of_work() as session:
        outcome = service.sign_in(session, settings, username=username, password=password)
    if isinstance(outcome, FinlifeError):
        raise outcome
    return outcome
