"""The bank console's marketing pages: campaigns waiting for approval and their approval or refusal
(four eyes: the service refuses the campaign's author), the budgets each funder committed against what
was spent, and the business districts (list, a new circle, one district with its stores).

Marketing staff and bank admins use them; districts are drawn by tellers too, as in the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from finlife.identity import service as identity
from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError
from finlife.kit.permissions import Capability, may
from finlife.marketing import service as marketing
from finlife.marketing.page_forms import DISTRICT_FIELDS, FUNDERS, district_input
from finlife.marketing.pages import campaign_view, refusal
from finlife.marketing.schemas import CampaignOut, CampaignStatus, DistrictOut
from finlife.merchants import service as merchants
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, local_time, page_errors, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import BANK_CONSOLE

router = APIRouter(include_in_schema=False)

Marketer = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.CAMPAIGN_APPROVAL))]
DistrictDrawer = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.DISTRICTS))]

CAMPAIGNS = "/bank/campaigns"
DISTRICTS = "/bank/districts"
TABS = ("submitted", "all")
# Campaigns whose budgets are committed: approved once, whatever became of them since.
COMMITTED = {CampaignStatus.APPROVED, CampaignStatus.LIVE, CampaignStatus.PAUSED, CampaignStatus.ENDED}
DECISIONS = {
    "approve": (marketing.approve_campaign, "ui.campaign.approved"),
}


@dataclass(frozen=True)
class FunderBudget:
    funder: str
    budget: int
    spent: int


def funder_budgets(campaigns: list[CampaignOut]) -> list[FunderBudget]:
    """Each funder's budgets over the committed campaigns, and the subsidy spent from them."""
    committed = [c for c in campaigns if c.status in COMMITTED and c.approved_at is not None]
    return [
        FunderBudget(
            funder,
            sum(getattr(c.budget, funder) for c in committed),
            sum(getattr(c.spent, funder) for c in committed),
        )
        for funder in FUNDERS
    ]


# Campaigns ------------------------------------------------------------------------------------------


@router.get(CAMPAIGNS, response_class=HTMLResponse)
def campaigns(
    request: Request, actor: Marketer, tab: Annotated[str, Query(max_length=16)] = "submitted"
) -> HTMLResponse:
    tab = tab if tab in TABS else TABS[0]
    with request.app.state.db.unit_of_work() as session:
        every = marketing.list_campaigns(session, actor)
    waiting = [c for c in every if c.status is CampaignStatus.SUBMITTED]
    return render(
        request,
        "marketing/bank_campaigns.html",
        tab=tab,
        shown=waiting if tab == "submitted" else every,
        waiting=len(waiting),
        budgets=funder_budgets(every),
        local=local_time,
    )


def _campaign_page(
    request: Request, actor: Actor, campaign_id: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        view = campaign_view(session, actor, campaign_id)
        people = identity.usernames(session, (view.campaign.created_by, view.campaign.approved_by or ""))
    return render(
        request,
        "marketing/bank_campaign.html",
        status_code=status_code,
        view=view,
        people=people,
        local=local_time,
        **context,
    )


@router.get(CAMPAIGNS + "/{campaign_id}", response_class=HTMLResponse)
def campaign(request: Request, campaign_id: str, actor: Marketer) -> HTMLResponse:
    return _campaign_page(request, actor, campaign_id)


def _decision_route(decision: str) -> None:
    decide, flash = DECISIONS[decision]

    def act(request: Request, campaign_id: str, actor: Marketer) -> Response:
        outcome = attempt(request, lambda session: decide(session, actor, campaign_id))
        if isinstance(outcome, FinlifeError):
            errors = page_errors(outcome, language_of(request), ())
            return _campaign_page(
                request, actor, campaign_id, status_code=refused_status(outcome), errors=errors
            )
        return redirect(f"{CAMPAIGNS}/{campaign_id}", flash=flash)

    act.__name__ = f"{decision}_campaign_page"
    router.add_api_route(
        CAMPAIGNS + "/{campaign_id}/" + decision, act, methods=["POST"], dependencies=[Depends(verify_csrf)]
    )


for _decision in DECISIONS:
    _decision_route(_decision)


@router.post(CAMPAIGNS + "/{campaign_id}/reject", dependencies=[Depends(verify_csrf)])
def reject_campaign_page(
    request: Request, campaign_id: str, actor: Marketer, reason: Annotated[str, Form()] = ""
) -> Response:
    """Back to draft with the reason its owner will read; an empty reason is refused on the form."""
    reason = reason.strip()
    outcome: Any
    if not reason:
        outcome = FinlifeError("ui.reason_required", status=422, field="reason")
    elif len(reason) > 200:
        outcome = FinlifeError("ui.reason_too_long", status=422, field="reason")
    else:
        outcome = attempt(
            request, lambda session: marketing.reject_campaign(session, actor, campaign_id, reason)
        )
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), ("reason",))
        return _campaign_page(
            request,
            actor,
            campaign_id,
            status_code=refused_status(outcome),
            errors=errors,
            values={"reason": reason},
        )
    return redirect(f"{CAMPAIGNS}/{campaign_id}", flash="ui.campaign.rejected")


# Business districts ---------------------------------------------------------------------------------


def _districts_page(
    request: Request, actor: Actor, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        districts = marketing.list_districts(session)
    return render(
        request, "marketing/districts.html", status_code=status_code, districts=districts, **context
    )


@router.get(DISTRICTS, response_class=HTMLResponse)
def districts(request: Request, actor: DistrictDrawer) -> HTMLResponse:
    return _districts_page(request, actor)


@router.post(DISTRICTS, dependencies=[Depends(verify_csrf)])
def create_district(
    request: Request,
    actor: DistrictDrawer,
    name: Annotated[str, Form()] = "",
    centre_latitude: Annotated[str, Form()] = "",
    centre_longitude: Annotated[str, Form()] = "",
    radius_m: Annotated[str, Form()] = "",
) -> Response:
    values = {
        "name": name,
        "centre_latitude": centre_latitude,
        "centre_longitude": centre_longitude,
        "radius_m": radius_m,
    }

    def work(session: Session) -> DistrictOut:
        return marketing.create_district(
            session, actor, district_input(name, centre_latitude, centre_longitude, radius_m)
        )

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        errors = refusal(request, outcome, DISTRICT_FIELDS)
        return _districts_page(
            request, actor, status_code=refused_status(outcome), errors=errors, values=values
        )
    return redirect(f"{DISTRICTS}/{outcome.id}", flash="ui.district.created")


@router.get(DISTRICTS + "/{district_id}", response_class=HTMLResponse)
def district(request: Request, district_id: str, actor: DistrictDrawer) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        found = marketing.get_district(session, district_id)
        merchant_ids = {s.merchant_id for s in found.stores or []}
        # A merchant's name is public (its stores show it to every customer), though marketing may not
        # open the merchant's record: the names are read with the bank's own rights.
        bank = Actor.system()
        names = {m: merchants.get_merchant(session, bank, m).legal_name for m in merchant_ids}
    return render(
        request,
        "marketing/district.html",
        district=found,
        merchant_names=names,
        merchant_pages=may(actor, Capability.MERCHANT_RECORDS),  # marketing may not open them
        local=local_time,
    )
