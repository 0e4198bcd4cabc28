"""The bank console's partner pages (/bank/partners): the list, the registration form (the secret
is shown once, on the page that answers it), and a partner's page with the second admin's approval
or rejection (offered only to an admin who did not register it), secret rotation, suspension and
reactivation, and its recent calls. They call the functions behind ``/v1/partners``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError
from finlife.kit.idempotency import MAX_KEY_LENGTH, Outcome, fingerprint, once
from finlife.kit.pagination import PageParams
from finlife.kit.permissions import Capability, may
from finlife.partners.registry import calls, service
from finlife.partners.registry.schemas import (
    ApiLevel,
    PartnerIn,
    PartnerKind,
    PartnerScope,
    PartnerStatus,
    RegisteredPartnerOut,
)
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, local_time, new_form_key, page_errors, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import BANK_CONSOLE

router = APIRouter(include_in_schema=False)

Admin = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.PARTNERS))]
Approver = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.PARTNER_APPROVAL))]
Cursor = Annotated[str | None, Query(max_length=64)]

PARTNERS = "/bank/partners"
PER_PAGE = 25
RECENT_CALLS = 20
FORM_FIELDS = ("name", "kind", "contact", "redirect_uris", "scopes", "api_level", "public_key")


@router.get(PARTNERS, response_class=HTMLResponse)
def partners_list(
    request: Request,
    actor: Admin,
    status: Annotated[str, Query(max_length=24)] = "",
    starting_after: Cursor = None,
) -> HTMLResponse:
    wanted = PartnerStatus(status) if status in set(PartnerStatus) else None
    params = PageParams(limit=PER_PAGE, starting_after=starting_after or None)
    with request.app.state.db.unit_of_work() as session:
        page = service.list_partners(session, params, status=wanted)
    return render(
        request,
        "partners/registry/bank_partners.html",
        partners=page.data,
        has_more=page.has_more,
        first_page=starting_after is None,
        status=wanted.value if wanted else "",
        statuses=list(PartnerStatus),
        when=local_time,
    )


def _form_page(request: Request, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("key", new_form_key())  # a double submit registers one partner
    return render(
        request,
        "partners/registry/bank_partner_new.html",
        status_code=status_code,
        kinds=list(PartnerKind),
        scopes=list(PartnerScope),
        levels=list(ApiLevel),
        **context,
    )


@router.get(f"{PARTNERS}/new", response_class=HTMLResponse)
def new_partner_form(request: Request, actor: Admin) -> HTMLResponse:
    return _form_page(request, values={"scopes": []})


@router.post(f"{PARTNERS}/new", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def register_partner(
    request: Request,
    actor: Admin,
    name: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    contact: Annotated[str, Form()] = "",
    redirect_uris: Annotated[str, Form()] = "",
    scopes: Annotated[list[str] | None, Form()] = None,
    api_level: Annotated[str, Form()] = "",
    public_key: Annotated[str, Form()] = "",
    idempotency_key: Annotated[str, Form(max_length=MAX_KEY_LENGTH)] = "",
) -> HTMLResponse:
    values: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "contact": contact,
        "redirect_uris": redirect_uris,
        "scopes": scopes or [],
        "api_level": api_level,
        "public_key": public_key,
    }
    data = {
        **values,
        "redirect_uris": [line.strip() for line in redirect_uris.splitlines() if line.strip()],
        "api_level": api_level or None,
        "public_key": public_key.strip() or None,
    }
    language = language_of(request)
    try:
        body = PartnerIn.model_validate(data)
    except ValidationError as invalid:
        errors = _invalid_fields(invalid, language)
        return _form_page(request, status_code=422, values=values, errors=errors, key=idempotency_key)
    settings = request.app.state.settings
    key = idempotency_key or new_form_key()

    def register(session: Session) -> Outcome:
        return once(
            session,
            scope=actor.user_id or "anonymous",
            key=key,
            request_fingerprint=fingerprint("POST", request.url.path, body),
            status_code=201,
            work=lambda: service.register_partner(session, settings, actor, body),
            stored=lambda answer: {**answer, "client_secret": None},
        )

    outcome = attempt(request, register)
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language, FORM_FIELDS)
        errors = {name.split(".")[0]: message for name, message in errors.items()}
        return _form_page(request, status_code=refused_status(outcome), values=values, errors=errors, key=key)
    # A replay (the form sent twice) shows the partner without its secret, which is never stored.
    registered = RegisteredPartnerOut.model_validate(outcome.body)
    return _detail_page(request, actor, registered.id, secret=registered)


def _invalid_fields(invalid: ValidationError, language: str) -> dict[str, str]:
    message = FinlifeError("ui.partner.field_invalid").message(language)
    return {str(error["loc"][0]) if error["loc"] else "_form": message for error in invalid.errors()}


def _detail_page(
    request: Request,
    actor: Actor,
    partner_id: str,
    *,
    secret: RegisteredPartnerOut | None = None,
    rotated: Any = None,
) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        partner = service.get_partner(session, partner_id)
        recent = _recent_calls(session, partner_id)
    return render(
        request,
        "partners/registry/bank_partner.html",
        partner=partner,
        calls=recent.data,
        more_calls=recent.has_more,
        registered=secret,
        rotated=rotated,
        may_decide=may(actor, Capability.PARTNER_APPROVAL) and partner.created_by != actor.user_id,
        when=local_time,
    )


def _recent_calls(session: Session, partner_id: str) -> Any:
    partner = service.load_partner(session, partner_id)
    return calls.list_calls(session, partner.id, PageParams(limit=RECENT_CALLS))


@router.get(PARTNERS + "/{partner_id}", response_class=HTMLResponse)
def partner_page(partner_id: str, request: Request, actor: Admin) -> HTMLResponse:
    return _detail_page(request, actor, partner_id)


@router.post(PARTNERS + "/{partner_id}/approve", dependencies=[Depends(verify_csrf)])
def approve(partner_id: str, request: Request, actor: Approver) -> Response:
    return _act(
        request, partner_id, lambda s: service.approve_partner(s, actor, partner_id), "ui.partner.approved"
    )


@router.post(PARTNERS + "/{partner_id}/reject", dependencies=[Depends(verify_csrf)])
def reject(partner_id: str, request: Request, actor: Approver) -> Response:
    return _act(
        request, partner_id, lambda s: service.reject_partner(s, actor, partner_id), "ui.partner.rejected"
    )


@router.post(PARTNERS + "/{partner_id}/suspend", dependencies=[Depends(verify_csrf)])
def suspend(partner_id: str, request: Request, actor: Admin) -> Response:
    return _act(
        request, partner_id, lambda s: service.suspend_partner(s, actor, partner_id), "ui.partner.suspended"
    )


@router.post(PARTNERS + "/{partner_id}/reactivate", dependencies=[Depends(verify_csrf)])
def reactivate(partner_id: str, request: Request, actor: Admin) -> Response:
    flash = "ui.partner.reactivated"
    return _act(request, partner_id, lambda s: service.reactivate_partner(s, actor, partner_id), flash)


def _act(request: Request, partner_id: str, work: Any, flash: str) -> Response:
    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        raise outcome
    return redirect(f"{PARTNERS}/{partner_id}", flash=flash)


@router.post(
    PARTNERS + "/{partner_id}/secret", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)]
)
def rotate_secret(partner_id: str, request: Request, actor: Admin) -> HTMLResponse:
    settings = request.app.state.settings
    outcome = attempt(request, lambda session: service.rotate_secret(session, settings, actor, partner_id))
    if isinstance(outcome, FinlifeError):
        raise outcome
    return _detail_page(request, actor, partner_id, rotated=outcome)
