"""The service-centre console in /bank: find the caller, their page with an "open a case" form, the case
page with the actions that resolve most first contacts, and the coupon restorations awaiting approval.

Every page calls the same services as the API (``servicecentre.service``); the forms are in
``page_forms``. The caller's full record stays on the teller's customer page, linked from here.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from finlife.accounts import service as accounts
from finlife.customers import service as customers
from finlife.kit.auth import Actor, Channel
from finlife.kit.errors import FinlifeError
from finlife.kit.permissions import Capability, may
from finlife.marketing import service as marketing
from finlife.servicecentre import service
from finlife.servicecentre.schemas import CaseOutcome, CaseReason, CustomerMatch, RefusalOut
from finlife.web.forms import local_time
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, render
from finlife.web.shells import BANK_CONSOLE

router = APIRouter(include_in_schema=False)

AgentPage = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.SERVICE_CASES))]
Term = Annotated[str, Query(max_length=34)]
CONSOLE = "/bank/service"
SEARCH_FIELDS = ("phone", "id_number", "card_last4", "account_number", "name")


def _labels() -> dict[str, Any]:
    return {
        "reasons": [r.value for r in CaseReason],
        "outcomes": [o.value for o in CaseOutcome],
        "channels": [c.value for c in Channel if c not in (Channel.ATM, Channel.POS, Channel.PARTNER)],
    }


@router.get(CONSOLE, response_class=HTMLResponse)
def console(
    request: Request,
    actor: AgentPage,
    phone: Term = "",
    id_number: Term = "",
    card_last4: Term = "",
    account_number: Term = "",
    name: Term = "",
) -> HTMLResponse:
    values = {
        "phone": phone,
        "id_number": id_number,
        "card_last4": card_last4,
        "account_number": account_number,
        "name": name,
    }
    values = {key: value.strip() for key, value in values.items()}
    searched = any(values[key] for key in SEARCH_FIELDS[:4])
    matches: list[CustomerMatch] = []
    error = None
    with request.app.state.db.unit_of_work() as session:
        if searched:
            try:
                matches = service.find_customers(session, actor, **{k: v or None for k, v in values.items()})
            except FinlifeError as refused:
                error = refused.message(language_of(request))
        open_now = service.list_cases(session, actor, status="open")[:20]
        pending = service.list_restorations(session, actor) if may(actor, Capability.SERVICE_APPROVAL) else []
    return render(
        request,
        "servicecentre/console.html",
        status_code=422 if error else 200,
        values=values,
        searched=searched,
        matches=matches,
        error=error,
        open_cases=open_now,
        pending=pending,
        may_approve=may(actor, Capability.SERVICE_APPROVAL),
        may_metrics=may(actor, Capability.SERVICE_METRICS),
        local=local_time,
    )


def caller_page(
    request: Request, actor: Actor, customer_id: str, *, status_code: int = 200, error: str | None = None
) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        found = customers.find_exact(session, actor, customer_ids=[customer_id])
        cases = service.list_cases(session, actor, customer_id=customer_id) if found else []
    if not found:
        return render(request, "servicecentre/not_found.html", status_code=404)
    return render(
        request,
        "servicecentre/caller.html",
        status_code=status_code,
        customer=found[0],
        cases=cases,
        error=error,
        local=local_time,
        **_labels(),
    )


@router.get(CONSOLE + "/customers/{customer_id}", response_class=HTMLResponse)
def caller(request: Request, customer_id: str, actor: AgentPage) -> HTMLResponse:
    return caller_page(request, actor, customer_id)


def case_page(
    request: Request,
    actor: Actor,
    case_id: str,
    *,
    status_code: int = 200,
    error: str | None = None,
    refusals: list[RefusalOut] | None = None,
) -> HTMLResponse:
    settings = request.app.state.settings
    with request.app.state.db.unit_of_work() as session:
        try:
            case = service.get_case(session, actor, case_id)
        except FinlifeError:
            return render(request, "servicecentre/not_found.html", status_code=404)
        (customer,) = customers.find_exact(session, actor, customer_ids=[case.customer_id])
        owned = accounts.list_customer_accounts(session, settings, actor, case.customer_id).data
        cards = [card for account in owned for card in accounts.list_cards(session, actor, account.id)]
        coupons = marketing.customer_coupons(session, actor, case.customer_id)
    return render(
        request,
        "servicecentre/case.html",
        status_code=status_code,
        case=case,
        customer=customer,
        accounts=owned,
        cards=cards,
        expired=[c for c in coupons if c.status == "expired" and c.price == 0],
        refusals=refusals,
        error=error,
        may_freeze=may(actor, Capability.CARD_FREEZE),
        local=local_time,
        **_labels(),
    )


@router.get(CONSOLE + "/cases/{case_id}", response_class=HTMLResponse)
def case(request: Request, case_id: str, actor: AgentPage) -> HTMLResponse:
    return case_page(request, actor, case_id)
