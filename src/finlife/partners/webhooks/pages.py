"""The partner console's webhook pages (/partner/webhooks): endpoints, a new endpoint (its secret
shown once), an endpoint's deliveries with ping, replay, rotate and disable. The pages call the same
service as ``/v1/partner/webhooks``, for the partner whose credential the console's session holds."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError
from finlife.kit.pagination import PageParams
from finlife.partners.webhooks import service
from finlife.partners.webhooks.catalogue import SUBSCRIBABLE
from finlife.partners.webhooks.schemas import EndpointIn
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, page_errors, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import PARTNER_CONSOLE

HOME = "/partner/webhooks"
PER_PAGE = 20
FIELDS = ("url", "events")


router = APIRouter(include_in_schema=False)
# The console session is a partner token with ``partner:self`` (its sign-in is partners.registry's).
PartnerActor = Annotated[Actor, Depends(PageAccess(PARTNER_CONSOLE, scopes=("partner:self",)))]
Csrf = [Depends(verify_csrf)]


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment is not None else "—"


def _list_page(request: Request, actor: Actor, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        endpoints = service.list_endpoints(session, actor)
    context.setdefault("errors", {})
    context.setdefault("values", {"url": "", "events": []})
    return render(
        request,
        "partners/webhooks/endpoints.html",
        status_code=status_code,
        endpoints=endpoints,
        event_types=SUBSCRIBABLE,
        when=when,
        **context,
    )


@router.get(HOME, response_class=HTMLResponse)
def endpoints(request: Request, actor: PartnerActor) -> HTMLResponse:
    return _list_page(request, actor)


@router.post(HOME, dependencies=Csrf)
def create(
    request: Request,
    actor: PartnerActor,
    url: Annotated[str, Form()] = "",
    events: Annotated[list[str] | None, Form()] = None,
) -> Response:
    values = {"url": url.strip(), "events": events or []}
    settings = request.app.state.settings

    def work(session: Any) -> Any:
        try:
            data = EndpointIn(url=values["url"], events=values["events"])
        except ValidationError as error:
            field = str(error.errors()[0]["loc"][0])
            raise FinlifeError("validation_error", status=422, field=field) from error
        return service.create_endpoint(session, settings, actor, data)

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), FIELDS)
        return _list_page(request, actor, status_code=refused_status(outcome), errors=errors, values=values)
    return _list_page(request, actor, status_code=201, created=outcome)


def _endpoint_page(
    request: Request, actor: Actor, endpoint_id: str, *, starting_after: str | None = None, **context: Any
) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        endpoint = service.get_endpoint(session, actor, endpoint_id)
        page = service.list_deliveries(
            session, actor, endpoint_id, PageParams(limit=PER_PAGE, starting_after=starting_after)
        )
    return render(
        request, "partners/webhooks/endpoint.html", endpoint=endpoint, page=page, when=when, **context
    )


@router.get(HOME + "/{endpoint_id}", response_class=HTMLResponse)
def endpoint(
    request: Request,
    endpoint_id: str,
    actor: PartnerActor,
    starting_after: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    return _endpoint_page(request, actor, endpoint_id, starting_after=starting_after or None)


def _act(request: Request, endpoint_id: str, work: Any, flash: str) -> Response:
    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        raise outcome
    return redirect(f"{HOME}/{endpoint_id}", flash=flash)


@router.post(HOME + "/{endpoint_id}/ping", dependencies=Csrf)
def ping(request: Request, endpoint_id: str, actor: PartnerActor) -> Response:
    return _act(request, endpoint_id, lambda s: service.ping(s, actor, endpoint_id), "ui.webhooks.pinged")


@router.post(HOME + "/{endpoint_id}/disable", dependencies=Csrf)
def disable(request: Request, endpoint_id: str, actor: PartnerActor) -> Response:
    work = lambda s: service.disable_endpoint(s, actor, endpoint_id)  # noqa: E731
    return _act(request, endpoint_id, work, "ui.webhooks.disabled")


@router.post(HOME + "/{endpoint_id}/deliveries/{delivery_id}/replay", dependencies=Csrf)
def replay(request: Request, endpoint_id: str, delivery_id: str, actor: PartnerActor) -> Response:
    work = lambda s: service.replay(s, actor, endpoint_id, delivery_id)  # noqa: E731
    return _act(request, endpoint_id, work, "ui.webhooks.replayed")


@router.post(HOME + "/{endpoint_id}/secret", dependencies=Csrf)
def rotate(request: Request, endpoint_id: str, actor: PartnerActor) -> Response:
    settings = request.app.state.settings
    outcome = attempt(request, lambda s: service.rotate_secret(s, settings, actor, endpoint_id))
    if isinstance(outcome, FinlifeError):
        raise outcome
    return _endpoint_page(request, actor, endpoint_id, rotated=outcome)
